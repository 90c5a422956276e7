import { readFileSync, realpathSync, statfsSync, statSync } from 'node:fs';
import { UserFacingError } from './router';

/** Where an export lands: the mount it is on, the device behind it, its file system, its free space, and whether it is the system disk. */
export interface ExportMedium {
  mountPoint: string;
  device: string;
  fsType: string;
  /** bytes an unprivileged writer may still use there; null when the file system does not say */
  freeBytes: number | null;
  /** the same file system as / or as the data folder: not removable media */
  systemDisk: boolean;
  /** a sentence for the screen when the export is not on removable media */
  warning: string | null;
}

interface Mount {
  mountPoint: string;
  fsType: string;
  source: string;
}

/** /proc/self/mountinfo fields: mount point is field 5; after the " - " separator: fs type, source. Octal escapes undone. */
function mounts(): Mount[] {
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

/** The innermost mount holding this (real) path; the last one listed wins when several are stacked on one point. */
function mountOf(folder: string): Mount {
  const holding = mounts().filter((m) => folder === m.mountPoint || folder.startsWith(m.mountPoint === '/' ? '/' : `${m.mountPoint}/`));
  let best: Mount = { mountPoint: '/', fsType: '?', source: '?' };
  for (const m of holding) if (m.mountPoint.length >= best.mountPoint.length) best = m;
  return best;
}

function freeBytesOf(folder: string): number | null {
  try {
    const fs = statfsSync(folder);
    return fs.bavail * fs.bsize;
  } catch {
    return null;
  }
}

function sameDevice(a: string, b: string): boolean {
  try {
    return statSync(a).dev === statSync(b).dev;
  } catch {
    return false;
  }
}

/**
 * Checks an export destination: it must be an existing folder (an export never creates the folder it was pointed
 * at), and says which device and file system it is on and how much room is left, warning when that is the system
 * disk (the file system of / or of the data folder, when given).
 */
export function checkExportDestination(destination: string, dataDir?: string): { folder: string; medium: ExportMedium } {
  let folder: string;
  try {
    folder = realpathSync(destination);
  } catch {
    throw new UserFacingError(
      'ExportFolderMissing',
      `${destination} does not exist. Insert the removable medium and choose a folder on it; an export never creates one.`,
    );
  }
  if (!statSync(folder).isDirectory()) throw new UserFacingError('ExportNotFolder', `${destination} is not a folder. Choose a folder on the removable medium.`);
  const mount = mountOf(folder);
  const onRoot = sameDevice(folder, '/');
  const onData = dataDir !== undefined && sameDevice(folder, dataDir);
  const systemDisk = onRoot || onData;
  const where = onRoot ? 'the system disk' : 'the disk that holds Custodian’s data folder';
  return {
    folder,
    medium: {
      mountPoint: mount.mountPoint,
      device: mount.source,
      fsType: mount.fsType,
      freeBytes: freeBytesOf(folder),
      systemDisk,
      warning: systemDisk ? `${folder} is on ${where} (${mount.source}, ${mount.fsType}), not on removable media: the copy would stay on this computer.` : null,
    },
  };
}
