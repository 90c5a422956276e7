import { openSync, readSync, closeSync, realpathSync, statSync } from 'node:fs';
import { CKF_INIT } from './constants';
import { type Cryptoki, type CryptokiFactory, realCryptokiFactory } from './cryptoki';
import { LayerErrorCode, Pkcs11LayerError, ckrOf, toLayerError } from './errors';
import { profileOf } from './module-behaviour';

/**
 * Loading a vendor's PKCS#11 library. Each way loading can fail gets its own error code, because each asks the
 * custodian for a different fix: a wrong path, a file that is not a library, a library for another machine, a library
 * that is not PKCS#11, or a PKCS#11 library that refuses to start (often its own configuration).
 */

export interface ModuleInfo {
  readonly path: string;
  readonly realPath: string;
  readonly cryptokiVersion: string;
  readonly manufacturer: string;
  readonly description: string;
  readonly libraryVersion: string;
  /** 'os': the library locks for itself; 'none': it answered CKR_CANT_LOCK and we serialise every call. */
  readonly locking: 'os' | 'none';
  /** The library was already initialised by someone else in this process (CKR_CRYPTOKI_ALREADY_INITIALIZED). */
  readonly alreadyInitialized: boolean;
  /** Which known module this is by its identity (module-behaviour.ts: 'yubihsm_pkcs11'), or 'generic'. */
  readonly profile: string;
}

export interface LoadedModule {
  readonly info: ModuleInfo;
  readonly cryptoki: Cryptoki;
  /** Run a call on the library; serialised when the library cannot lock for itself. */
  run<T>(fn: (cryptoki: Cryptoki) => T | Promise<T>): Promise<T>;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
/** e_machine values for the architectures Node runs on. */
const ELF_MACHINE_FOR_ARCH: Record<string, number> = { x64: 62, arm64: 183, ia32: 3, arm: 40, riscv64: 243, ppc64: 21, s390x: 22 };
const ELF_CLASS_64 = 2;

/** Check the file before dlopen, so "not a library" and "wrong machine" are told apart reliably on Linux. */
function checkFileBeforeLoading(path: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new Pkcs11LayerError(LayerErrorCode.ModuleNotFound, `No file at ${path}. Check the path to the PKCS#11 module.`, { path });
  }
  if (!isFile) {
    throw new Pkcs11LayerError(LayerErrorCode.ModuleNotSharedLibrary, `${path} is not a file, so it cannot be a PKCS#11 module.`, { path });
  }
  if (process.platform !== 'linux') return;
  const header = Buffer.alloc(20);
  const fd = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (read < header.length || !ELF_MAGIC.every((b, i) => header[i] === b)) {
    throw new Pkcs11LayerError(LayerErrorCode.ModuleNotSharedLibrary, `${path} is not a shared library, so it cannot be a PKCS#11 module.`, { path });
  }
  const is64 = header[4] === ELF_CLASS_64;
  const littleEndian = header[5] === 1;
  const machine = littleEndian ? header.readUInt16LE(18) : header.readUInt16BE(18);
  const expectedMachine = ELF_MACHINE_FOR_ARCH[process.arch];
  const expected64 = ['x64', 'arm64', 'riscv64', 'ppc64', 's390x'].includes(process.arch);
  if (is64 !== expected64 || (expectedMachine !== undefined && machine !== expectedMachine)) {
    throw new Pkcs11LayerError(
      LayerErrorCode.ModuleWrongArchitecture,
      `${path} is a library built for another kind of computer (${is64 ? '64' : '32'}-bit, machine ${machine}); this computer needs the ${process.arch} build.`,
      { path, machine, is64 },
    );
  }
}

/** Classify what dlopen/dlsym said (other platforms, or races with the pre-check). */
function classifyLoadFailure(path: string, e: unknown): Pkcs11LayerError {
  const message = e instanceof Error ? e.message : String(e);
  if (/C_GetFunctionList/.test(message)) {
    return new Pkcs11LayerError(
      LayerErrorCode.ModuleNotPkcs11,
      `${path} is a shared library but not a PKCS#11 module (it has no C_GetFunctionList). Choose the vendor's PKCS#11 library.`,
      { path },
    );
  }
  if (/wrong ELF class|ELFCLASS|incompatible architecture|wrong architecture|not a valid Win32|%1 is not a valid/i.test(message)) {
    return new Pkcs11LayerError(LayerErrorCode.ModuleWrongArchitecture, `${path} is a library built for another kind of computer.`, { path });
  }
  if (/No such file|not found|cannot find/i.test(message)) {
    return new Pkcs11LayerError(LayerErrorCode.ModuleNotFound, `No file at ${path}. Check the path to the PKCS#11 module.`, { path });
  }
  if (/file too short|invalid ELF header|not a dynamic|slice is not valid mach-o|not a mach-o/i.test(message)) {
    return new Pkcs11LayerError(LayerErrorCode.ModuleNotSharedLibrary, `${path} is not a shared library, so it cannot be a PKCS#11 module.`, { path });
  }
  return new Pkcs11LayerError(LayerErrorCode.ModuleLoadFailed, `${path} could not be loaded: ${message}`, { path });
}

function version(v: { major: number; minor: number }): string {
  return `${v.major}.${String(v.minor).padStart(2, '0')}`;
}

/** C_Initialize with OS locking; fall back to no locking if the library cannot; already-initialised is fine. */
function initialize(cryptoki: Cryptoki, path: string): { locking: 'os' | 'none'; alreadyInitialized: boolean } {
  const attempt = (flags: number): 'ok' | 'already' => {
    try {
      cryptoki.C_Initialize({ flags });
      return 'ok';
    } catch (e) {
      if (ckrOf(e) === 'CKR_CRYPTOKI_ALREADY_INITIALIZED') return 'already';
      throw e;
    }
  };
  try {
    const result = attempt(CKF_INIT.CKF_OS_LOCKING_OK);
    return { locking: 'os', alreadyInitialized: result === 'already' };
  } catch (e) {
    if (ckrOf(e) !== 'CKR_CANT_LOCK') throw refused(path, e);
  }
  try {
    const result = attempt(0);
    return { locking: 'none', alreadyInitialized: result === 'already' };
  } catch (e) {
    throw refused(path, e);
  }
}

function refused(path: string, e: unknown): Pkcs11LayerError {
  const inner = toLayerError(e);
  return new Pkcs11LayerError(
    LayerErrorCode.ModuleInitializeRefused,
    `The PKCS#11 module ${path} refused to start (${inner.message}) Check its configuration file and that the device is connected.`,
    { path, ckr: inner.details?.ckr },
  );
}

/** A promise-chain mutex for libraries that cannot lock for themselves. */
function makeSerialRunner(cryptoki: Cryptoki): LoadedModule['run'] {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: (c: Cryptoki) => T | Promise<T>): Promise<T> => {
    const next = tail.then(() => fn(cryptoki));
    tail = next.catch(() => undefined);
    return next;
  };
}

export function loadModule(path: string, factory: CryptokiFactory = realCryptokiFactory): LoadedModule {
  checkFileBeforeLoading(path);
  const cryptoki = factory();
  try {
    cryptoki.load(path);
  } catch (e) {
    throw classifyLoadFailure(path, e);
  }
  let init: { locking: 'os' | 'none'; alreadyInitialized: boolean };
  try {
    init = initialize(cryptoki, path);
  } catch (e) {
    try {
      cryptoki.close();
    } catch {
      // The library is already in a failed state; closing it is best effort.
    }
    throw e;
  }
  const raw = cryptoki.C_GetInfo();
  const info: ModuleInfo = {
    path,
    realPath: realpathSync(path),
    cryptokiVersion: version(raw.cryptokiVersion),
    manufacturer: raw.manufacturerID.trim(),
    description: raw.libraryDescription.trim(),
    libraryVersion: version(raw.libraryVersion),
    locking: init.locking,
    alreadyInitialized: init.alreadyInitialized,
    profile: profileOf({ manufacturer: raw.manufacturerID.trim(), description: raw.libraryDescription.trim() }).name,
  };
  const run: LoadedModule['run'] = init.locking === 'os' ? async (fn) => fn(cryptoki) : makeSerialRunner(cryptoki);
  return { info, cryptoki, run };
}

/** C_Finalize and unload. Errors are reported, not thrown: shutdown must go on. */
export function unloadModule(module: LoadedModule): { finalized: boolean; error?: string } {
  let error: string | undefined;
  try {
    if (!module.info.alreadyInitialized) module.cryptoki.C_Finalize();
  } catch (e) {
    error = toLayerError(e).message;
  }
  try {
    module.cryptoki.close();
  } catch {
    // dlclose failures leave nothing for the custodian to do.
  }
  return { finalized: error === undefined, error };
}
