import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CeremonyError, CeremonyErrorCode } from '../../../errors';
import type { ActionDefinition, ActionInputs } from '../registry';

const refuse = (message: string) => new CeremonyError(CeremonyErrorCode.ActionFailed, message);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export interface CopiedFile {
  name: string;
  size: number;
  sha256: string;
}

/** The destination typed on screen (or given in the answers file): an absolute folder that exists, outside the ceremony's own folder. */
async function checkDestination(inputs: ActionInputs, ceremonyDir: string): Promise<string> {
  const raw = inputs.destination;
  if (typeof raw !== 'string' || raw.trim() === '') throw refuse('Give the folder to copy the outputs to (the removable medium, mounted).');
  const folder = resolve(raw.trim());
  if (!isAbsolute(raw.trim())) throw refuse(`“${raw.slice(0, 200)}” is not a full path: give the folder from the root, e.g. /media/usb.`);
  const info = await stat(folder).catch(() => null);
  if (!info)
    throw refuse(`The folder ${folder} does not exist. Mount the removable medium (or create the folder) and run this step again; nothing was copied.`);
  if (!info.isDirectory()) throw refuse(`${folder} is not a folder; nothing was copied.`);
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw refuse(`The folder ${folder} cannot be written to (read-only medium or no permission); nothing was copied.`);
  }
  const inside = relative(ceremonyDir, folder);
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside)))
    throw refuse(`${folder} is inside the ceremony's own folder: choose the removable medium instead; nothing was copied.`);
  return folder;
}

/** Every file in outputs/ (one folder level deep, as the outputs writer makes them), by name relative to it. */
async function outputNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/**
 * The outputs to copy: all of them, or with params.folder only that folder of the outputs (a backup's bundle, not the
 * rehearsal's share cards beside it), which must then hold files.
 */
async function namesToCopy(source: string, only: unknown): Promise<string[]> {
  const names = await outputNames(source);
  if (only === undefined || only === '') return names;
  if (typeof only !== 'string' || !/^[A-Za-z0-9._-]+$/.test(only) || only.startsWith('.'))
    throw refuse(`The ceremony script is wrong: the folder to copy “${String(only).slice(0, 200)}” is not one folder of the outputs.`);
  const inside = names.filter((name) => name.startsWith(`${only}/`));
  if (inside.length === 0) throw refuse(`The outputs hold no folder ${only} with files in it; nothing was copied.`);
  return inside;
}

/**
 * Writes one file exclusively. An existing file is never overwritten: one with the same bytes (an earlier attempt of
 * this step that was interrupted) is accepted after its read-back, any other is refused.
 */
async function writeExclusive(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const there = await readFile(path);
    if (sha256(there) === sha256(bytes)) return;
    throw refuse(`${path} already exists with other contents; it was not overwritten. Choose another folder.`);
  }
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * outputs.copy: copies every file of the ceremony's outputs (or of params.folder, one folder of them) into
 * <destination>/<ceremony id>/, keeping their names relative to the outputs, never overwriting, then
 * reads each copy back from the medium and compares its SHA-256 with the original's. The result (journaled, shown,
 * printed) lists each file with its size and SHA-256; the witness confirms those in the next step. Any refusal or
 * mismatch fails the step with the reason, and the outputs themselves are untouched.
 */
export const copyOutputs: ActionDefinition = {
  description: 'Copies the outputs to the chosen folder, reads each copy back and shows its SHA-256.',
  async run(ctx, params, inputs) {
    const source = ctx.outputs.dir;
    const folder = await checkDestination(inputs, dirname(source));
    const names = await namesToCopy(source, params.folder);
    const target = join(folder, ctx.ceremonyId);
    if (names.length === 0) {
      // Nothing made here leaves the token (an AES key): say so, write nothing, and let the witness confirm exactly that.
      await ctx.log(`Nothing to copy: the ceremony made no output files; nothing was written to ${folder}.`, { destination: folder });
      return {
        publicResult: {
          destination: target,
          fileCount: 0,
          files: [],
          summary: 'Nothing to copy: this ceremony made no output files, and nothing was written to the medium.',
        },
      };
    }
    const files: CopiedFile[] = [];
    for (const [i, name] of names.entries()) {
      const bytes = await readFile(join(source, ...name.split('/')));
      const path = join(target, ...name.split('/'));
      await writeExclusive(path, bytes);
      const back = await readFile(path);
      const expected = sha256(bytes);
      const found = sha256(back);
      if (found !== expected || back.length !== bytes.length) {
        throw refuse(`The copy of ${name} read back from ${path} differs from the original (SHA-256 ${found}, expected ${expected}). Use another medium.`);
      }
      files.push({ name, size: back.length, sha256: found });
      ctx.progress(i + 1, names.length, 'files copied and read back');
    }
    await ctx.log(`Copied ${files.length} output files to ${target} and read each back.`, { destination: target });
    const summary = files.map((f) => `${f.name}  ${f.size} bytes  SHA-256 ${f.sha256}`).join('\n');
    return { publicResult: { destination: target, fileCount: files.length, files: files.map((f) => ({ ...f })), summary } };
  },
};
