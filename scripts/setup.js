// Set-up shared by `npm start` and `npm test`: the Debian packages the app and tests use, and node_modules.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const ROOT = new URL('..', import.meta.url).pathname;

const PROBES = {
  softhsm2: '/usr/bin/softhsm2-util',
  opensc: '/usr/bin/pkcs11-tool',
  chromium: '/usr/bin/chromium',
  openssl: '/usr/bin/openssl',
  'poppler-utils': '/usr/bin/pdftotext',
  // the tests build their PKCS#11 stand-in module (test/fixtures/pkcs11-standin) with gcc
  gcc: '/usr/bin/gcc',
  'libc6-dev': '/usr/include/stdlib.h',
};

/** Installs missing Debian packages when we are root on a Debian-like system; otherwise says what to run. */
export function ensureSystemPackages(names) {
  const missing = names.filter((n) => PROBES[n] && !existsSync(PROBES[n]) && !(n === 'chromium' && process.env.CUSTODIAN_CHROMIUM));
  if (!missing.length) return;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log(`Installing Debian packages: ${missing.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
    if (r.status !== 0) process.exit(r.status ?? 1);
  } else {
    console.error(`Missing system packages: ${missing.join(' ')}. Install them, e.g.: sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
}

export function ensureNodeModules() {
  if (existsSync(new URL('../node_modules/.package-lock.json', import.meta.url))) return;
  console.log('Installing npm packages (npm ci)…');
  const r = spawnSync('npm', ['ci'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** The Node the dependencies need (electron 45, @electron/get, node-abi), and the oldest that runs the rest. */
export const NODE_WANTED = [22, 12];
export const NODE_OLDEST = [20, 19];

/**
 * One line when this Node is older than the dependencies want, saying what works on it and what not; else null.
 * Kept beside package.json's `engines` (>=22.12), the README and .ci/run, which say the same.
 */
export function nodeVersionNote(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  const atLeast = ([m, n]) => major > m || (major === m && minor >= n);
  if (atLeast(NODE_WANTED)) return null;
  if (!atLeast(NODE_OLDEST)) {
    return `Node ${version} is too old for Custodian: install Node ≥ ${NODE_WANTED.join('.')} (the browser host, the CLI and the tests need at least ${NODE_OLDEST.join('.')}).`;
  }
  return `Node ${version} here: the browser host, the CLI and the tests work on it (≥ ${NODE_OLDEST.join('.')}); the Electron app needs Node ≥ ${NODE_WANTED.join('.')} (electron 45 installs its binary only there).`;
}
