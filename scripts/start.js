#!/usr/bin/env node
// `npm start`: does its own set-up, then starts Electron when its binary is installed, else the browser host.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ensureBuilt } from './build.js';
import { ensureSystemPackages, ensureNodeModules, nodeVersionNote, ROOT } from './setup.js';

// The start-up bench's first mark of this process (the host's marks, start-marks.ts, are on the same clock): Node's
// own boot (and this script's two imports) end here; what follows until `chromium-spawned` is this script's checks and the host's load.
if (process.env.CUSTODIAN_START_MARKS === '1') process.stderr.write(`custodian-start-mark script-started ${Math.round(performance.now())}\n`);

const nodeNote = nodeVersionNote();
if (nodeNote) console.log(nodeNote);
if (nodeNote?.includes('too old')) process.exit(1);

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
const log = (line) => console.log(line);
if (electron) {
  console.log('Starting Custodian in Electron.');
  await ensureBuilt(['electron'], { log });
  const child = spawn(electron, ['.'], { cwd: ROOT, stdio: 'inherit' });
  let signalled = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      signalled = true;
      child.kill(signal);
      setTimeout(() => child.kill('SIGKILL'), 4_000).unref(); // stopped within 5 s, whatever hangs
    });
  }
  child.on('exit', (code, signal) => {
    if (signalled || signal) console.log('Custodian stopped');
    process.exit(code ?? (signal ? 1 : 0));
  });
} else {
  console.log('The Electron binary is not installed here: starting Custodian in the browser host (Chromium).');
  // Built JavaScript, run in this process (no loader, no second Node start): it handles its own signals and exit.
  // npm may go away without passing a signal on (npm start + SIGTERM): when this process is orphaned, it stops the
  // app all the same, through the browser host's own SIGTERM handling.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 500).unref();
  await ensureBuilt(['node', 'renderer'], { log });
  await import('../out/node/browser-host.js');
}
