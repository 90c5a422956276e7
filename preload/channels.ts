/**
 * The names of every channel, kept free of zod so the sandboxed preload bundle stays tiny. `preload/api.ts` declares
 * the schemas for exactly these names (a type test makes the two lists equal).
 */
export const REQUEST_CHANNELS = [
  'app.info',
  'devices.snapshot',
  'devices.refresh',
  'settings.get',
  'settings.addModule',
  'settings.removeModule',
  'settings.addYubiHsmConnector',
  'settings.removeYubiHsmConnector',
  'rehearsal.acknowledgePins',
  'ceremony.templates',
  'ceremony.list',
  'ceremony.create',
  'ceremony.view',
  'ceremony.command',
  'ceremony.reveal',
  'ceremony.transcriptPdf',
  'ceremony.transcriptModel',
  'ceremony.printTranscript',
  'app.chooseFolder',
  'ceremony.exportOutputs',
  'outputs.describeDestination',
  'shares.check',
  'ceremony.checkParameters',
] as const;

export const EVENT_CHANNELS = ['devices.changed', 'host.state', 'ceremony.changed'] as const;

export type RequestChannel = (typeof REQUEST_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];

/** The prefix Electron IPC uses for event channels so they can never collide with request channels. */
export const EVENT_PREFIX = 'event:';
