import type { ActionRegistry } from '../registry';
import { copyOutputs } from './copy';
import { printTranscript } from './print-transcript';

/** Evidence of the ceremony leaving the room: outputs.copy (copy to removable media, read back, hashes shown), outputs.print-transcript. */
export function registerEvidenceActions(registry: ActionRegistry): void {
  registry.register('outputs.copy', copyOutputs);
  registry.register('outputs.print-transcript', printTranscript);
}

export { copyOutputs, type CopiedFile } from './copy';
export { printTranscript, printedTranscriptName } from './print-transcript';
