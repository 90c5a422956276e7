// The renderer's state (zustand): the app's (host, devices, which screen) and the open ceremony's.
export { useAppStore } from './app-store';
export { useCeremonyStore } from './ceremony-store';
