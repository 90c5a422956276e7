import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CeremonyError, CeremonyErrorCode } from '../../../../errors';
import type { ActionContext } from '../../registry';
import { KeygenError, KeygenErrorCode } from './errors';

export interface WrittenOutput {
  name: string;
  sha256: string;
  /** true when an interrupted attempt had already written exactly these bytes */
  alreadyThere: boolean;
}

/**
 * Writes an output exclusively. A retry after an interruption may find the file its earlier attempt wrote: the same
 * bytes are accepted as done; different bytes are refused, since outputs are never overwritten.
 */
export async function writeOutputOnce(ctx: ActionContext, name: string, content: string): Promise<WrittenOutput> {
  try {
    const file = await ctx.outputs.write(name, content);
    return { name: file.name, sha256: file.sha256, alreadyThere: false };
  } catch (error) {
    if (!(error instanceof CeremonyError && error.code === CeremonyErrorCode.OutputExists)) throw error;
    const existing = await readFile(join(ctx.outputs.dir, name));
    if (!existing.equals(Buffer.from(content, 'utf8'))) {
      throw new KeygenError(
        KeygenErrorCode.OutputConflict,
        `The output ${name} already exists with different content; outputs are never overwritten. Look at it before going on.`,
      );
    }
    return { name, sha256: createHash('sha256').update(existing).digest('hex'), alreadyThere: true };
  }
}

/** The file's text when an earlier attempt left it in outputs/, undefined otherwise. */
export async function existingOutput(ctx: ActionContext, name: string): Promise<string | undefined> {
  try {
    return await readFile(join(ctx.outputs.dir, name), 'utf8');
  } catch {
    return undefined;
  }
}
