import type { TranscriptDevice } from '../../preload/print';
import type { ScriptDeviceOutline } from './script-outline';

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** The first of several names a field has gone by (the device snapshot, the YubiHSM client, hand-written tests). */
function field(o: Loose, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = text(o[name]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * The devices recorded in the journal's first event, one row per token (PKCS#11) or device (YubiHSM), then the
 * script's devices matched to them by serial, label or connector. Only the devices the script names are kept (a
 * device found but unused is not part of the ceremony); one the script names but that was not present is printed
 * too, because its absence is worth seeing.
 */
export function readDevices(present: unknown, scripted: ScriptDeviceOutline[]): TranscriptDevice[] {
  const rows: TranscriptDevice[] = [];
  for (const item of Array.isArray(present) ? present : []) {
    if (!isObject(item)) continue;
    const kind = field(item, 'kind', 'type');
    if (kind === 'network') continue; // the air-gap facts are printed with the workstation
    const modulePath = field(item, 'modulePath', 'module', 'path', 'source', 'connector');
    const library = field(item, 'library');
    const tokens = Array.isArray(item.tokens) ? item.tokens.filter(isObject) : [];
    if (tokens.length === 0) {
      rows.push({
        kind,
        vendor: field(item, 'vendor', 'manufacturer', 'manufacturerId') ?? (kind === 'yubihsm' ? 'Yubico' : undefined),
        model: field(item, 'model') ?? (kind === 'yubihsm' ? 'YubiHSM 2' : undefined),
        serial: field(item, 'serial', 'serialNumber'),
        firmware: field(item, 'firmware', 'firmwareVersion') ?? library,
        label: field(item, 'label'),
        modulePath,
      });
      continue;
    }
    for (const token of tokens) {
      rows.push({
        kind,
        vendor: field(token, 'vendor', 'manufacturer', 'manufacturerId'),
        model: field(token, 'model'),
        serial: field(token, 'serial', 'serialNumber'),
        firmware: field(token, 'firmware', 'firmwareVersion', 'hardwareVersion'),
        label: field(token, 'label'),
        modulePath,
        description: library,
      });
    }
  }
  const used: TranscriptDevice[] = [];
  for (const spec of scripted) {
    const match = rows.find((row) => !row.id && matches(row, spec));
    if (match) {
      match.id = spec.id;
      used.push(match);
      continue;
    }
    used.push({
      id: spec.id,
      kind: spec.kind,
      serial: spec.tokenSerial,
      label: spec.tokenLabel,
      modulePath: spec.modulePath,
      description: [spec.description, 'named in the script; not among the devices found when the ceremony opened'].filter(Boolean).join(' — '),
    });
  }
  // a script that names its devices gets only those on paper; without the script's text, everything that was found
  return scripted.length ? used : rows;
}

/** Whether a device found when the ceremony opened is the one a script names: by serial or label, or by connector. */
function matches(row: TranscriptDevice, spec: ScriptDeviceOutline): boolean {
  if (spec.tokenSerial && row.serial === spec.tokenSerial) return true;
  if (spec.tokenLabel && row.label === spec.tokenLabel) return true;
  if (spec.kind !== 'yubihsm' || row.kind !== 'yubihsm' || !spec.modulePath) return false;
  return row.modulePath === spec.modulePath || (spec.modulePath === 'YubiHSM simulator' && row.modulePath === 'simulator');
}

/**
 * The devices that decided the ceremony's mode (the journal's first event, then any first used later), each with
 * whether it is a rehearsal or a real device and why: the rule "rehearsal is a property of the devices" on paper.
 */
export function modeDevices(recorded: unknown[]): TranscriptDevice[] {
  const rows: TranscriptDevice[] = [];
  for (const item of recorded.flatMap((r) => (Array.isArray(r) ? r : [r]))) {
    if (!isObject(item)) continue;
    const description = field(item, 'description');
    if (!description) continue;
    rows.push({
      id: field(item, 'id'),
      kind: field(item, 'kind'),
      description: `${item.rehearsal === true ? 'rehearsal device' : 'real device'}: ${description} — ${field(item, 'reason') ?? ''}`,
    });
  }
  return rows;
}
