/**
 * The contract between the renderer and main: every channel, its request, response and events, as zod schemas.
 * The router validates requests and responses against these; the preload builds `window.custodian` from the channel
 * names; the renderer imports only the types. Adding a channel: declare it here (and its name in channels.ts),
 * add one handler in main/ipc/handlers, use it from a screen.
 */
import { z } from 'zod';
import type { EventChannel, RequestChannel } from './channels';
import { CeremonyViewSchema } from './ceremony-view';
import { TranscriptModelSchema } from './transcript-model';

export { CeremonyViewSchema } from './ceremony-view';
export type { CeremonyDeviceView, CeremonyView, CurrentStepView, ParticipantView, StepSummaryView } from './ceremony-view';
export { TranscriptModelSchema } from './transcript-model';
export type { TranscriptModel } from './transcript-model';

const Empty = z.strictObject({});

export const HostStateSchema = z.strictObject({
  status: z.enum(['starting', 'ready', 'restarting', 'stopped']),
  pid: z.number().int().nullable(),
  restarts: z.number().int(),
  lastProblem: z.string().nullable(),
});

export const PinFlagsSchema = z.strictObject({
  countLow: z.boolean(),
  finalTry: z.boolean(),
  locked: z.boolean(),
  toBeChanged: z.boolean(),
});

export const TokenSchema = z.strictObject({
  slotDescription: z.string(),
  label: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  serial: z.string(),
  initialized: z.boolean(),
  loginRequired: z.boolean(),
  protectedAuthPath: z.boolean(),
  hasRng: z.boolean(),
  userPin: PinFlagsSchema,
  soPin: PinFlagsSchema,
  userPinInitialized: z.boolean(),
  pinLength: z.strictObject({ min: z.number().int(), max: z.number().int() }),
  /** a token Custodian made in its own rehearsal store (serial recorded); every other token is real */
  rehearsal: z.boolean(),
});

export const ModuleStatusSchema = z.strictObject({
  path: z.string(),
  name: z.string(),
  rehearsal: z.boolean(),
  ok: z.boolean(),
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  library: z.strictObject({ manufacturer: z.string(), description: z.string(), version: z.string(), cryptokiVersion: z.string() }).nullable(),
  tokens: z.array(TokenSchema),
});

export const UsbDeviceSchema = z.strictObject({
  vendorId: z.number().int(),
  productId: z.number().int(),
  name: z.string(),
  kind: z.string(),
  needs: z.string(),
  serial: z.string().nullable(),
});

export const YubiHsmStatusSchema = z.strictObject({
  source: z.string(),
  transport: z.enum(['usb', 'http', 'simulator']),
  ok: z.boolean(),
  error: z.string().nullable(),
  serial: z.number().int().nullable(),
  firmware: z.string().nullable(),
  logUsed: z.number().int().nullable(),
  logTotal: z.number().int().nullable(),
  /** only the built-in simulator addressed as "simulator" is a rehearsal device; a connector URL or USB is real */
  rehearsal: z.boolean(),
});

export const NetworkSchema = z.strictObject({
  airGapped: z.boolean(),
  interfacesUp: z.array(z.strictObject({ name: z.string(), addresses: z.array(z.string()) })),
});

export const DeviceSnapshotSchema = z.strictObject({
  takenAt: z.string(),
  host: HostStateSchema,
  modules: z.array(ModuleStatusSchema),
  usb: z.strictObject({ available: z.boolean(), reason: z.string().nullable(), devices: z.array(UsbDeviceSchema) }),
  yubihsm: z.array(YubiHsmStatusSchema),
  network: NetworkSchema,
});

export const RehearsalSchema = z.strictObject({
  active: z.boolean(),
  tokenLabel: z.string().nullable(),
  /** Rehearsal values only: shown once so the people rehearsing can use them. Never set for a real module. */
  pins: z.strictObject({ so: z.string(), user: z.string() }).nullable(),
});

export const AppInfoSchema = z.strictObject({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'browser', 'cli']),
  hostNote: z.string(),
  dataDir: z.string(),
  rehearsal: RehearsalSchema,
});

export const SettingsSchema = z.strictObject({
  modules: z.array(z.strictObject({ path: z.string(), name: z.string() })),
  yubihsmConnectors: z.array(z.string()),
});

const ModulePath = z.strictObject({ path: z.string().min(1).max(4096) });

// ----- ceremonies (the view's and the transcript model's strict schemas are in ceremony-view.ts and transcript-model.ts) -----
export const CeremonySummarySchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  template: z.string(),
  status: z.string(),
  rehearsal: z.boolean(),
  updatedAt: z.string(),
  /** where an unfinished ceremony stands: "step n of m" for the resume banner */
  progress: z.strictObject({ step: z.number().int(), of: z.number().int(), title: z.string() }).nullable(),
});
const CeremonyId = z.string().regex(/^[A-Za-z0-9._-]{1,80}$/);
export const CeremonyCommandSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('checkIn'),
    participantId: z.string().max(80),
    name: z.string().min(1).max(200),
    identityCheck: z.string().min(1).max(500),
    checkedBy: z.string().max(80),
  }),
  z.strictObject({ kind: z.literal('confirm'), stepId: z.string().max(80), participantIds: z.array(z.string().max(80)).max(50) }),
  z.strictObject({
    kind: z.literal('input'),
    stepId: z.string().max(80),
    participantId: z.string().max(80),
    values: z.record(z.string().max(80), z.string().max(10_000)),
  }),
  z.strictObject({ kind: z.literal('run'), stepId: z.string().max(80) }),
  z.strictObject({ kind: z.literal('acknowledgeReveal'), stepId: z.string().max(80), participantId: z.string().max(80) }),
  z.strictObject({ kind: z.literal('pause'), reason: z.string().min(1).max(1_000).optional() }),
  z.strictObject({ kind: z.literal('resume') }),
  z.strictObject({ kind: z.literal('retry'), stepId: z.string().max(80), reason: z.string().min(1).max(1_000) }),
  z.strictObject({ kind: z.literal('abort'), reason: z.string().min(1).max(1_000) }),
]);

export const ShareCheckSchema = z.strictObject({
  /** the checksum and header read correctly */
  ok: z.boolean(),
  /** false while the text is still too short to be a whole share: keep typing, nothing is wrong yet */
  complete: z.boolean(),
  /** 1-based groups of four (after the prefix) that look wrong; empty when unclear or fine */
  suspiciousGroups: z.array(z.number().int()),
  /** how many groups of four were typed */
  groupsTyped: z.number().int(),
  summary: z.string(),
});

/** the device and file system an export folder is on; a warning when it is the system disk */
export const ExportMediumSchema = z.strictObject({
  mountPoint: z.string(),
  device: z.string(),
  fsType: z.string(),
  /** bytes left for an ordinary writer; null when the file system does not say */
  freeBytes: z.number().nullable(),
  systemDisk: z.boolean(),
  warning: z.string().nullable(),
});

export const contract = {
  requests: {
    'app.info': { request: Empty, response: AppInfoSchema },
    'devices.snapshot': { request: Empty, response: DeviceSnapshotSchema },
    'devices.refresh': { request: Empty, response: DeviceSnapshotSchema },
    'settings.get': { request: Empty, response: SettingsSchema },
    'settings.addModule': { request: ModulePath, response: SettingsSchema },
    'settings.removeModule': { request: ModulePath, response: SettingsSchema },
    'settings.addYubiHsmConnector': { request: z.strictObject({ url: z.string().min(1).max(300) }), response: SettingsSchema },
    'settings.removeYubiHsmConnector': { request: z.strictObject({ url: z.string().min(1).max(300) }), response: SettingsSchema },
    'rehearsal.acknowledgePins': { request: Empty, response: RehearsalSchema },
    'ceremony.templates': {
      request: Empty,
      response: z.array(
        z.strictObject({
          name: z.string(),
          title: z.string(),
          description: z.string(),
          parameters: z.array(
            z.strictObject({
              name: z.string(),
              type: z.enum(['string', 'integer', 'boolean', 'choice']),
              description: z.string(),
              default: z.union([z.string(), z.number(), z.boolean()]).nullable(),
              choices: z.array(z.string()).nullable(),
            }),
          ),
        }),
      ),
    },
    'ceremony.list': { request: Empty, response: z.array(CeremonySummarySchema) },
    'ceremony.create': {
      request: z.strictObject({ template: z.string().max(80), parameters: z.record(z.string().max(80), z.unknown()).optional() }),
      response: CeremonyViewSchema,
    },
    'ceremony.view': { request: z.strictObject({ id: CeremonyId }), response: CeremonyViewSchema },
    'ceremony.command': {
      request: z.strictObject({ id: CeremonyId, command: CeremonyCommandSchema }),
      response: CeremonyViewSchema,
    },
    'ceremony.reveal': {
      request: z.strictObject({ id: CeremonyId, stepId: z.string().max(80), participantId: z.string().max(80) }),
      response: z.strictObject({ value: z.string(), format: z.enum(['text', 'hex']) }),
    },
    'ceremony.transcriptModel': {
      request: z.strictObject({ id: CeremonyId }),
      response: TranscriptModelSchema,
    },
    'ceremony.printTranscript': {
      request: z.strictObject({ id: CeremonyId, paper: z.enum(['A4', 'Letter']) }),
      response: z.strictObject({ printed: z.boolean() }),
    },
    'app.chooseFolder': {
      request: z.strictObject({ title: z.string().max(200) }),
      response: z.strictObject({ path: z.string().nullable() }),
    },
    'ceremony.transcriptPdf': {
      request: z.strictObject({ id: CeremonyId, paper: z.enum(['A4', 'Letter']) }),
      response: z.strictObject({ path: z.string(), pages: z.number().int() }),
    },
    'ceremony.exportOutputs': {
      request: z.strictObject({ id: CeremonyId, destination: z.string().max(4096).optional() }),
      response: z.strictObject({
        destination: z.string(),
        files: z.array(z.string()),
        /** the device and file system the export is on; a warning when it is the system disk */
        medium: ExportMediumSchema,
      }),
    },
    /** before an export: which device and file system the chosen folder is on, its free space, and a system-disk warning */
    'outputs.describeDestination': {
      request: z.strictObject({ destination: z.string().min(1).max(4096) }),
      response: z.strictObject({ folder: z.string(), medium: ExportMediumSchema }),
    },
    /** the new-ceremony form's values checked with the preflight's own rules, and what these values make */
    'ceremony.checkParameters': {
      request: z.strictObject({ template: z.string().max(80), parameters: z.record(z.string().max(80), z.unknown()) }),
      response: z.strictObject({ problems: z.array(z.strictObject({ code: z.string(), message: z.string() })), description: z.string() }),
    },
    /** a share as it is typed, checked group by group: whether it reads correctly, and which groups to re-read */
    'shares.check': {
      request: z.strictObject({ text: z.string().max(2_000) }),
      response: ShareCheckSchema,
    },
  } satisfies Record<RequestChannel, { request: z.ZodType; response: z.ZodType }>,
  events: {
    'devices.changed': DeviceSnapshotSchema,
    'host.state': HostStateSchema,
    'ceremony.changed': z.strictObject({ id: CeremonyId }),
  } satisfies Record<EventChannel, z.ZodType>,
};

export type Contract = typeof contract;
export type RequestOf<C extends RequestChannel> = z.input<Contract['requests'][C]['request']>;
export type ParsedRequestOf<C extends RequestChannel> = z.output<Contract['requests'][C]['request']>;
export type ResponseOf<C extends RequestChannel> = z.output<Contract['requests'][C]['response']>;
export type EventOf<E extends EventChannel> = z.output<Contract['events'][E]>;

export type AppInfo = z.output<typeof AppInfoSchema>;
export type DeviceSnapshot = z.output<typeof DeviceSnapshotSchema>;
export type TokenStatus = z.output<typeof TokenSchema>;
export type ModuleStatus = z.output<typeof ModuleStatusSchema>;
export type HostState = z.output<typeof HostStateSchema>;
export type Settings = z.output<typeof SettingsSchema>;
export type CeremonyCommand = z.output<typeof CeremonyCommandSchema>;
export type CeremonySummary = z.output<typeof CeremonySummarySchema>;
export type TemplateInfo = ResponseOf<'ceremony.templates'>[number];
export type ShareCheck = z.output<typeof ShareCheckSchema>;
export type ExportMediumView = z.output<typeof ExportMediumSchema>;

/** An error as the renderer receives it: a code a program can test and a sentence for people. */
export interface ApiError {
  code: string;
  message: string;
}
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

type Split<S extends string> = S extends `${infer D}.${infer M}` ? [D, M] : never;
type Domains = Split<RequestChannel>[0];

/**
 * `window.custodian`: one method per channel, grouped by domain (custodian.devices.snapshot({})), plus `on` for
 * events. Each call resolves to an ApiResult rather than throwing, so a screen must handle the error case.
 */
export type CustodianApi = {
  [D in Domains]: {
    [C in RequestChannel as Split<C>[0] extends D ? Split<C>[1] : never]: (request: RequestOf<C>) => Promise<ApiResult<ResponseOf<C>>>;
  };
} & {
  on<E extends EventChannel>(event: E, listener: (payload: EventOf<E>) => void): () => void;
};

export { REQUEST_CHANNELS, EVENT_CHANNELS } from './channels';
export type { RequestChannel, EventChannel } from './channels';
