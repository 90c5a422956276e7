import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { CeremonyError, CeremonyErrorCode } from '../../errors';

/** The folder inside a ceremony's folder that holds what it produced. */
export const OUTPUTS_DIR = 'outputs';

export interface OutputFile {
  name: string;
  path: string;
  sha256: string;
  size: number;
}

export interface OutputsWriter {
  readonly dir: string;
  /** whether secret material may be written (only in a rehearsal) */
  readonly rehearsal: boolean;
  /**
   * creates the file exclusively (an existing file is never overwritten), owner-only (0600), writes and fsyncs it.
   * A name may hold one folder level ("bundle/manifest.json"), each part a safe name. `secret: true` (a share
   * card, anything holding a secret in the clear) is refused unless the ceremony is a rehearsal.
   */
  write(name: string, content: Uint8Array | string, options?: { secret?: boolean }): Promise<OutputFile>;
}

/** The pattern every name that becomes a path must match: no separators, no "..", no leading dot or dash. */
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isSafeName(name: string): boolean {
  return SAFE_NAME.test(name) && !name.includes('..');
}

/** Throws, naming what the name is for, unless it is a safe file or folder name. */
export function assertSafeName(name: string, what: string): string {
  if (!isSafeName(name)) {
    throw new CeremonyError(
      CeremonyErrorCode.OutputNameInvalid,
      `${what} “${name.slice(0, 80)}” is not a safe name: use letters, digits, ".", "_" and "-", starting with a letter or digit, with no "..".`,
    );
  }
  return name;
}

/** The one writer of a ceremony's outputs: every action writes through it. */
export function createOutputsWriter(dir: string, onWritten?: (file: OutputFile) => void, options: { rehearsal?: boolean } = {}): OutputsWriter {
  const rehearsal = options.rehearsal === true;
  return {
    dir,
    rehearsal,
    async write(name, content, writeOptions = {}) {
      const parts = name.split('/');
      if (parts.length > 2 || !parts.every(isSafeName)) {
        throw new CeremonyError(CeremonyErrorCode.OutputNameInvalid, `"${name}" is not a valid output file name.`);
      }
      if (writeOptions.secret && !rehearsal) {
        throw new CeremonyError(
          CeremonyErrorCode.SecretOutputRefused,
          `${name} would hold secret material, and outside a rehearsal no secret is written to a file. It goes to the printer instead.`,
        );
      }
      await mkdir(dir, { recursive: true, mode: 0o700 });
      if (parts.length === 2)
        await mkdir(join(dir, parts[0]), { mode: 0o700 }).catch((e: NodeJS.ErrnoException) => (e.code === 'EEXIST' ? undefined : Promise.reject(e)));
      const path = join(dir, ...parts);
      let handle;
      try {
        handle = await open(path, 'wx', 0o600);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new CeremonyError(CeremonyErrorCode.OutputExists, `The output ${name} already exists; outputs are never overwritten.`);
        }
        throw error;
      }
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      const file = { name, path, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
      onWritten?.(file);
      return file;
    },
  };
}
