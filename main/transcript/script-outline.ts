import { parse } from 'yaml';

/** What the transcript needs from the ceremony script: titles to print, nothing to enforce. */
export interface ScriptOutline {
  title?: string;
  description?: string;
  steps: { id: string; title: string; kind?: string }[];
  devices: ScriptDeviceOutline[];
}

export interface ScriptDeviceOutline {
  id: string;
  kind: string;
  modulePath?: string;
  tokenLabel?: string;
  tokenSerial?: string;
  description?: string;
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/**
 * Reads the script text recorded in the journal's first event, leniently. The engine validated the script strictly
 * before the ceremony began and the journal's chain protects the text since; here a script that no longer parses
 * (a newer format, say) must still leave a printable transcript, with step ids standing in for titles.
 */
export function outlineScript(scriptText: string | undefined): ScriptOutline {
  const outline: ScriptOutline = { steps: [], devices: [] };
  if (!scriptText) return outline;
  let doc: unknown;
  try {
    doc = parse(scriptText);
  } catch {
    return outline;
  }
  if (!isObject(doc)) return outline;
  if (isObject(doc.metadata)) {
    outline.title = text(doc.metadata.title);
    outline.description = text(doc.metadata.description);
  }
  if (Array.isArray(doc.steps)) {
    for (const step of doc.steps) {
      if (!isObject(step) || !text(step.id)) continue;
      outline.steps.push({ id: String(step.id), title: text(step.title) ?? String(step.id), kind: text(step.kind) });
    }
  }
  if (Array.isArray(doc.devices)) {
    for (const device of doc.devices) {
      if (!isObject(device) || !text(device.id)) continue;
      const token = isObject(device.token) ? device.token : {};
      const connector = isObject(device.connector) ? device.connector : {};
      outline.devices.push({
        id: String(device.id),
        kind: text(device.type) ?? 'device',
        modulePath: text(device.module) ?? text(connector.url) ?? (connector.simulator === true ? 'YubiHSM simulator' : undefined),
        tokenLabel: text(token.label),
        tokenSerial: text(token.serial) ?? text(connector.usbSerial),
        description: text(device.description),
      });
    }
  }
  return outline;
}
