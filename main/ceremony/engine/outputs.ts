import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { CeremonyError, CeremonyErrorCode } from '../errors';

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
  /** creates the file exclusively (an existing file is never overwritten), writes and fsyncs it */
  write(name: string, content: Uint8Array | string): Promise<OutputFile>;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function createOutputsWriter(dir: string, onWritten?: (file: OutputFile) => void): OutputsWriter {
  return {
    dir,
    async write(name, content) {
      if (!SAFE_NAME.test(name) || name.includes('..')) {
        throw new CeremonyError(CeremonyErrorCode.OutputNameInvalid, `"${name}" is not a valid output file name.`);
      }
      await mkdir(dir, { recursive: true });
      const path = join(dir, name);
      let handle;
      try {
        handle = await open(path, 'wx', 0o644);
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
