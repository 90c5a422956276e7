import { lstat, readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { refuse } from './errors';

/**
 * Reads a file a ceremony parameter names (a CSR or certificate on removable media, the last CRL): an absolute path to
 * a regular file (not a link, folder or device) of at most maxBytes. Anything else is refused with the reason.
 */
export async function readNamedFile(path: unknown, what: string, maxBytes = 1024 * 1024): Promise<Buffer> {
  if (typeof path !== 'string' || path.trim() === '') throw refuse(`The script does not say where the ${what} is (a file path is needed).`);
  if (!isAbsolute(path)) throw refuse(`The ${what} path must be absolute (it is “${path}”).`);
  let info;
  try {
    info = await lstat(path);
  } catch {
    throw refuse(`There is no ${what} at ${path}. Is the removable medium mounted?`);
  }
  if (info.isSymbolicLink()) throw refuse(`${path} is a symbolic link; name the ${what} file itself.`);
  if (!info.isFile()) throw refuse(`${path} is not a regular file, so it cannot be the ${what}.`);
  if (info.size > maxBytes) throw refuse(`${path} is ${info.size} bytes; the ${what} is at most ${maxBytes}.`);
  return readFile(path);
}
