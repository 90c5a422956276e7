import { lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CustodianError } from '../errors';

/**
 * A PKCS#11 module is code Custodian loads into its device host, so its path is never taken on trust: the file must
 * be a regular file that only its owner can change, owned by root or by the user running Custodian, and not reached
 * through a symbolic link into a folder anyone may write to. Otherwise a refusal that says why.
 */
type ModuleFileErrorCode = 'ModuleNotFound' | 'ModuleNotRegularFile' | 'ModuleWritableByOthers' | 'ModuleOwner' | 'ModuleInOpenFolder';

export class ModuleFileError extends CustodianError<ModuleFileErrorCode> {
  override name = 'ModuleFileError';
}

const WORLD_WRITABLE = 0o002;
const STICKY = 0o1000;

/** The module's absolute path when it passes; throws ModuleFileError naming the reason otherwise. */
export function checkModuleFile(path: string, uid: number | undefined = process.getuid?.()): string {
  const absolute = resolve(path);
  let link;
  try {
    link = lstatSync(absolute);
  } catch {
    throw new ModuleFileError('ModuleNotFound', `No file at ${absolute}. Check the path to the vendor’s PKCS#11 library.`);
  }
  const real = link.isSymbolicLink() ? safeRealpath(absolute) : absolute;
  if (link.isSymbolicLink()) {
    const folder = dirname(real);
    if (statSync(folder).mode & WORLD_WRITABLE) {
      throw new ModuleFileError(
        'ModuleInOpenFolder',
        `${absolute} is a link to ${real}, in ${folder}, a folder anyone on this computer can write to; install the library in a system folder.`,
      );
    }
  }
  const file = statSync(real);
  if (!file.isFile()) throw new ModuleFileError('ModuleNotRegularFile', `${absolute} is not a regular file, so it is not a PKCS#11 library.`);
  if (file.mode & 0o022) {
    throw new ModuleFileError(
      'ModuleWritableByOthers',
      `${real} can be changed by other users (its permissions are ${(file.mode & 0o777).toString(8)}); only its owner may write to a library Custodian loads.`,
    );
  }
  if (file.uid !== 0 && file.uid !== uid) {
    throw new ModuleFileError('ModuleOwner', `${real} belongs to another user (uid ${file.uid}); a library Custodian loads must belong to root or to you.`);
  }
  const folder = statSync(dirname(real));
  if (folder.mode & WORLD_WRITABLE && !(folder.mode & STICKY)) {
    throw new ModuleFileError(
      'ModuleInOpenFolder',
      `${real} is in ${dirname(real)}, a folder anyone on this computer can write to; install the library in a system folder.`,
    );
  }
  return absolute;
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    throw new ModuleFileError('ModuleNotFound', `${path} is a link to a file that does not exist.`);
  }
}
