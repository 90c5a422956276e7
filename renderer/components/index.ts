// The panels the screens are built from: check-in, the current step (with a reveal to its holder), the transcript
// with its export, the resume banner, a device's card, the small status flag and how a moment is written (UTC first).
export { CheckInPanel } from './CheckInPanel';
export { Flag } from './Flag';
export { ResumeBanner } from './ResumeBanner';
export { StepPanel } from './StepPanel';
export { TokenCard } from './TokenCard';
export { TranscriptPanel } from './TranscriptPanel';
export { utcWithLocal } from './when';
