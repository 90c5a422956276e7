// The app's screens: the devices (home), the ceremonies to start or resume, and one ceremony being run.
export { HomeScreen } from './HomeScreen';
export { CeremoniesScreen } from './CeremoniesScreen';
export { CeremonyScreen } from './CeremonyScreen';
