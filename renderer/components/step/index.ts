// The parts of one ceremony step on screen: what to confirm, what to type (with the share-typing check), what to
// show, how long an action has run, the previous step's result and the login made again after a restart; with the
// people the step names.
export { ConfirmBox } from './ConfirmBox';
export { InputBox, progressText, visibleFields } from './InputBox';
export { peopleOf, type People } from './people';
export { Progress } from './Progress';
export { PreviousResult } from './ResultDetails';
export { ReloginBox } from './ReloginBox';
export { ShowBox } from './ShowBox';
