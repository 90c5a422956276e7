import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSoftHsm, SOFTHSM2_MODULE, type SoftHsm } from '../../fixtures/softhsm';
import { createPkcs11Handlers } from '../../../native/pkcs11';
import { caller, rejection, scratch } from './tools';

// One SoftHSM2 load per file: SOFTHSM2_CONF is read by C_Initialize, so this file starts with a broken one.
let hsm: SoftHsm;
let dir: string;
beforeAll(async () => {
  hsm = await makeSoftHsm();
  dir = await scratch();
});
afterAll(async () => {
  await hsm.cleanup();
});

describe('loading PKCS#11 modules', () => {
  const { call } = caller(createPkcs11Handlers({ finalizeOnExit: false }));

  it('tells a missing path from other failures', async () => {
    const e = await rejection(call('pkcs11.loadModule', { path: join(dir, 'no-such-module.so') }));
    expect(e.code).toBe('ModuleNotFound');
  });

  it('refuses a text file as not a shared library', async () => {
    const text = join(dir, 'module.so');
    await writeFile(text, 'this is not a library\n');
    const e = await rejection(call('pkcs11.loadModule', { path: text }));
    expect(e.code).toBe('ModuleNotSharedLibrary');
  });

  it('refuses a directory as not a shared library', async () => {
    const e = await rejection(call('pkcs11.loadModule', { path: dir }));
    expect(e.code).toBe('ModuleNotSharedLibrary');
  });

  it('refuses a shared library without C_GetFunctionList (libz)', async () => {
    const e = await rejection(call('pkcs11.loadModule', { path: '/lib/x86_64-linux-gnu/libz.so.1' }));
    expect(e.code).toBe('ModuleNotPkcs11');
    expect(e.message).toMatch(/not a PKCS#11 module/);
  });

  it('refuses a library built for another architecture (a 32-bit ELF header)', async () => {
    const elf32 = Buffer.alloc(64);
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1 /* ELFCLASS32 */, 1, 1]).copy(elf32);
    elf32.writeUInt16LE(3 /* ET_DYN */, 16);
    elf32.writeUInt16LE(3 /* EM_386 */, 18);
    const path = join(dir, 'lib32.so');
    await writeFile(path, elf32);
    const e = await rejection(call('pkcs11.loadModule', { path }));
    expect(e.code).toBe('ModuleWrongArchitecture');
  });

  it('reports C_Initialize refusing (SoftHSM2 with a missing configuration), then loads once it is fixed', async () => {
    process.env.SOFTHSM2_CONF = join(dir, 'missing.conf');
    const e = await rejection(call('pkcs11.loadModule', { path: SOFTHSM2_MODULE }));
    expect(e.code).toBe('ModuleInitializeRefused');
    expect(e.details?.ckr).toBe('CKR_GENERAL_ERROR');

    process.env.SOFTHSM2_CONF = hsm.conf;
    const info = await call<{ manufacturer: string; cryptokiVersion: string; locking: string }>('pkcs11.loadModule', { path: SOFTHSM2_MODULE });
    expect(info.manufacturer).toBe('SoftHSM');
    expect(info.cryptokiVersion).toMatch(/^2\.\d\d$/);
    expect(info.locking).toBe('os');
  });

  it('loads the same library once however it is named, and finalises it on unload', async () => {
    const again = await call<{ realPath: string }>('pkcs11.loadModule', { path: '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so' });
    const modules = await call<Array<{ realPath: string }>>('pkcs11.listModules', {});
    expect(modules.map((m) => m.realPath)).toEqual([again.realPath]);
    const result = await call<{ finalized: boolean }>('pkcs11.unloadModule', { path: SOFTHSM2_MODULE });
    expect(result.finalized).toBe(true);
    expect(await call('pkcs11.listModules', {})).toEqual([]);
  });
});
