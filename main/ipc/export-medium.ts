import { readFileSync, realpathSync, statSync } from 'node:fs';
import { UserFacingError } from './router';

/** Where an export lands: the mount it is on, the device behind it, its file system, and whether it is the system disk. */
export interface ExportMedium {
  mountPoint: string;
  device: string;
  fsType: string;
  /** the same file system as / : not removable media */
  systemDisk: boolean;
  /** a sentence for the screen when the export is not on removable media */
  warning: string | null;
}

/** /proc/self/mountinfo fields: mount point is field 5; after the " - " separator: fs type, source. Octal escapes undone. */
function mounts(): Array<{ mountPoint: string; fsType: string; source: string }> {
  let text = '';
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [left, right = ''] = line.split(' - ');
      const fields = left.split(' ');
      const [fsType = '?', source = '?'] = right.split(' ');
      return { mountPoint: unescape(fields[4] ?? '/'), fsType, source: unescape(source) };
    });
}

/**
 * Checks an export destination: it must be an existing folder (an export never creates the folder it was pointed
 * at), and says which device and file system it is on, warning when that is the system disk.
 */
export function checkExportDestination(destination: string): { folder: string; medium: ExportMedium } {
  let folder: string;
  try {
    folder = realpathSync(destination);
  } catch {
    throw new UserFacingError(
      'ExportFolderMissing',
      `${destination} does not exist. Insert the removable medium and choose a folder on it; an export never creates one.`,
    );
  }
  const stat = statSync(folder);
  if (!stat.isDirectory()) throw new UserFacingError('ExportNotFolder', `${destination} is not a folder. Choose a folder on the removable medium.`);
  const mount = mounts()
    .filter((m) => folder === m.mountPoint || folder.startsWith(m.mountPoint === '/' ? '/' : `${m.mountPoint}/`))
    .sort((a, b) => b.mountPoint.length - a.mountPoint.length)[0] ?? { mountPoint: '/', fsType: '?', source: '?' };
  const systemDisk = stat.dev === statSync('/').dev;
  return {
    folder,
    medium: {
      mountPoint: mount.mountPoint,
      device: mount.source,
      fsType: mount.fsType,
      systemDisk,
      warning: systemDisk
        ? `${folder} is on the system disk (${mount.source}, ${mount.fsType}), not on removable media: the copy stays on this computer.`
        : null,
    },
  };
}
