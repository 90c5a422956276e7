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
