import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, statfsSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOutputsWriter } from '../../../main/ceremony';
import { secretPrompt } from '../../../main/ceremony/runner/run-script';
import { checkExportDestination } from '../../../main/ipc/export-medium';
import { checkModuleFile } from '../../../main/devices/module-file';
import { chromiumArgs, sandboxNote } from '../../../main/hosts/browser/chromium';

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), `custodian-${prefix}-`));

describe('the one outputs writer', () => {
  it('refuses secret material outside a rehearsal and writes nothing', async () => {
    const dir = join(temp('outputs'), 'outputs');
    const real = createOutputsWriter(dir, undefined, { rehearsal: false });
    await expect(real.write('share-card-1.pdf', 'share', { secret: true })).rejects.toMatchObject({ code: 'SecretOutputRefused' });
    expect(() => statSync(join(dir, 'share-card-1.pdf'))).toThrow();
  });

  it('writes owner-only files in an owner-only folder, one folder level at most, never a name that leaves outputs', async () => {
    const dir = join(temp('outputs'), 'outputs');
    const writer = createOutputsWriter(dir, undefined, { rehearsal: true });
    const card = await writer.write('share-card-1.pdf', 'REHEARSAL share', { secret: true });
    expect(statSync(card.path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const blob = await writer.write('bundle-1/key.blob', 'wrapped');
    expect(statSync(blob.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'bundle-1')).mode & 0o777).toBe(0o700);
    for (const name of ['../escape', 'a/../../b', '.hidden', 'a/b/c', '', 'x/..']) {
      await expect(writer.write(name, 'x')).rejects.toMatchObject({ code: 'OutputNameInvalid' });
    }
  });
});

describe('a PKCS#11 module path is checked before it is added or loaded', () => {
  it('accepts the system’s SoftHSM2 and a library only its owner can change', () => {
    expect(checkModuleFile('/usr/lib/softhsm/libsofthsm2.so')).toBe('/usr/lib/softhsm/libsofthsm2.so');
    const dir = temp('module');
    copyFileSync('/usr/lib/softhsm/libsofthsm2.so', join(dir, 'vendor.so'));
    chmodSync(join(dir, 'vendor.so'), 0o644);
    expect(checkModuleFile(join(dir, 'vendor.so'))).toBe(join(dir, 'vendor.so'));
  });

  it('refuses, saying why: missing, not a file, writable by others, another user’s, a link into a folder anyone can write to', () => {
    const dir = temp('module');
    expect(() => checkModuleFile(join(dir, 'none.so'))).toThrow(/No file at/);
    expect(() => checkModuleFile(dir)).toThrow(/not a regular file/);
    writeFileSync(join(dir, 'group.so'), 'x');
    chmodSync(join(dir, 'group.so'), 0o664);
    expect(() => checkModuleFile(join(dir, 'group.so'))).toThrow(/can be changed by other users/);
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    writeFileSync(join(open, 'lib.so'), 'x');
    chmodSync(join(open, 'lib.so'), 0o644);
    symlinkSync(join(open, 'lib.so'), join(dir, 'link.so'));
    expect(() => checkModuleFile(join(dir, 'link.so'))).toThrow(/a folder anyone on this computer can write to/);
    if (process.getuid?.() === 0) {
      writeFileSync(join(dir, 'theirs.so'), 'x');
      chmodSync(join(dir, 'theirs.so'), 0o644);
      chownSync(join(dir, 'theirs.so'), 12345, 12345);
      expect(() => checkModuleFile(join(dir, 'theirs.so'), 0)).toThrow(/belongs to another user \(uid 12345\)/);
    }
  });
});

describe('export destinations', () => {
  it('must be an existing folder; the device and file system are named, with a warning on the system disk', () => {
    const dir = temp('export');
    expect(() => checkExportDestination(join(dir, 'not-there'))).toThrow(/does not exist/);
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => checkExportDestination(join(dir, 'file'))).toThrow(/is not a folder/);
    const { folder, medium } = checkExportDestination(dir);
    expect(folder).toBe(dir);
    expect(medium.systemDisk).toBe(statSync(dir).dev === statSync('/').dev);
    expect(medium.warning === null).toBe(!medium.systemDisk);
    expect(medium.fsType).not.toBe('');
    expect(medium.freeBytes).toBe(statfsSync(dir).bavail * statfsSync(dir).bsize);
  });

  it('warns, naming the disk, when the folder shares a file system with the data folder', () => {
    const data = temp('data');
    const media = temp('media');
    const { medium } = checkExportDestination(media, data);
    // the two temporary folders are on one file system, as a folder on this computer's own disk would be
    expect(statSync(media).dev).toBe(statSync(data).dev);
    expect(medium.systemDisk).toBe(true);
    expect(medium.warning).toMatch(/not on removable media/);
    expect(medium.warning).toContain(medium.device);
  });
});

describe('the browser host and the CLI', () => {
  it('passes --no-sandbox to Chromium only as root, and says so', () => {
    expect(chromiumArgs(0)).toContain('--no-sandbox');
    expect(chromiumArgs(0)).toContain('--test-type'); // no "--no-sandbox" warning bar in the window
    expect(chromiumArgs(1000)).not.toContain('--no-sandbox');
    expect(chromiumArgs(1000)).not.toContain('--test-type');
    expect(chromiumArgs(1000)).toContain('--disable-background-networking');
    expect(sandboxNote(chromiumArgs(0))).toMatch(/runs as root/);
    expect(sandboxNote(chromiumArgs(1000))).toBeNull();
  });

  it('names who types each secret', () => {
    expect(secretPrompt('custodian-2', 'Bob Ng', { name: 'share', label: 'Your share' })).toBe('Custodian 2 (Bob Ng) types their share');
    expect(secretPrompt('administrator', 'Ada', { name: 'pin', label: 'User PIN' })).toBe('Administrator (Ada) types: User PIN');
  });
});
