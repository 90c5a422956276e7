// The Electron entry point: the only file that imports the real Electron API.
import * as electron from 'electron';
import { join } from 'node:path';
import { startElectronApp } from './start-app';

startElectronApp(electron, { outDir: join(__dirname, '..') });
