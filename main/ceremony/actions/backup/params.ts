import { BackupError, BackupErrorCode, CeremonyError, CeremonyErrorCode } from '../../../errors';
import type { JsonObject } from '../registry';

export function requireParam(params: JsonObject, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || !value.trim()) {
    throw new CeremonyError(CeremonyErrorCode.ActionFailed, `The ceremony script is wrong: the step needs the parameter "${name}".`);
  }
  return value;
}

/** params.keys: "a, b, c" as the form takes it, or a list. Each label once; at least one. */
export function keyLabelsOf(params: JsonObject): string[] {
  const raw = params.keys;
  const list = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',') : [];
  const labels = list.map((l) => l.trim()).filter((l) => l.length > 0);
  if (labels.length === 0) throw new BackupError(BackupErrorCode.KeyListInvalid, 'Name at least one key to back up (labels separated by commas).');
  const repeated = labels.filter((l, i) => labels.indexOf(l) !== i);
  if (repeated.length) throw new BackupError(BackupErrorCode.KeyListInvalid, `The key “${repeated[0]}” is named twice; name each key once.`);
  return labels;
}

/** params.labels: a list of labels (a bundle's, from the read-bundle step). */
export function labelList(params: JsonObject, name = 'labels'): string[] {
  const raw = params[name];
  if (!Array.isArray(raw) || raw.some((l) => typeof l !== 'string')) {
    throw new CeremonyError(CeremonyErrorCode.ActionFailed, `The ceremony script is wrong: "${name}" must be a list of labels.`);
  }
  return raw as string[];
}
