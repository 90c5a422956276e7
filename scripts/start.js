#!/usr/bin/env node
// `npm start`: does its own set-up, then starts Electron when its binary is installed, else the browser host.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ensureSystemPackages, ensureNodeModules, ROOT } from './setup.js';

ensureSystemPackages(['softhsm2', 'chromium']);
ensureNodeModules();

function electronBinary() {
  try {
    const require = createRequire(import.meta.url);
    const pathFile = require.resolve('electron/path.txt');
    const binary = readFileSync(pathFile, 'utf8').trim();
    const full = new URL(`../node_modules/electron/dist/${binary}`, import.meta.url).pathname;
    return existsSync(full) ? full : null;
  } catch {
    return null;
  }
}

const electron = process.env.CUSTODIAN_FORCE_BROWSER_HOST === '1' ? null : electronBinary();
let child;
if (electron) {
  console.log('Starting Custodian in Electron.');
  const built = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  child = spawn(electron, ['.'], { cwd: ROOT, stdio: 'inherit' });
} else {
  console.log('The Electron binary is not installed here: starting Custodian in the browser host (Chromium).');
  // a channel to the app: if this process dies, the app sees it close and stops
  child = spawn(process.execPath, ['--import', 'tsx', 'main/hosts/browser/start.ts'], { cwd: ROOT, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
}

// A signal is passed on to the app, which closes its ceremonies, Chromium and the device host; one that does not
// finish in time is killed. npm may go away without passing the signal on (npm start + SIGTERM): when this process
// is orphaned, it stops the app all the same.
let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  child.kill(signal);
  setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop('SIGTERM');
}, 500).unref();
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
