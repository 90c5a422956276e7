import type { JsonValue } from '../../journal';

export type CeremonyMode = 'rehearsal' | 'real';

/** A device as the journal records it and the ceremony view shows it. */
export interface CeremonyDevice {
  /** the script's device id, or the YubiHSM as the parameters name it */
  id: string;
  kind: 'pkcs11' | 'yubihsm';
  description: string;
  rehearsal: boolean;
  reason: string;
  /** which use it answered (module + token selector, or YubiHSM name) and what it was */
  key: string;
  identity: string;
}

export function devicesFromJournal(value: JsonValue | undefined): CeremonyDevice[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((d): d is Record<string, JsonValue> => d !== null && typeof d === 'object' && !Array.isArray(d))
    .map((d) => ({
      id: String(d.id ?? ''),
      kind: d.kind === 'yubihsm' ? 'yubihsm' : 'pkcs11',
      description: String(d.description ?? ''),
      rehearsal: d.rehearsal === true,
      reason: String(d.reason ?? ''),
      key: String(d.key ?? ''),
      identity: String(d.identity ?? ''),
    }));
}
