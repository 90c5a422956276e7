import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startElectronApp, startupFailureMessage } from '../../../main/app/start-app';
import { FakeBrowserWindow, FakeUtilityProcess, fakeIpcMain, fakeProtocol, fakeSession } from './fake-electron';

/** The Electron API startElectronApp uses, with a data folder that cannot be created (a file stands in its way). */
function fakeElectron(userData: string) {
  const record = { errorBoxes: [] as Array<[string, string]>, exitCodes: [] as number[], forks: [] as FakeUtilityProcess[] };
  const electron = {
    app: {
      enableSandbox: () => undefined,
      on: () => undefined,
      quit: () => undefined,
      exit: (code: number) => void record.exitCodes.push(code),
      whenReady: () => Promise.resolve(),
      getPath: () => userData,
      getAppPath: () => process.cwd(),
    },
    session: { defaultSession: fakeSession(), fromPartition: () => fakeSession() },
    protocol: fakeProtocol(),
    ipcMain: fakeIpcMain(),
    BrowserWindow: FakeBrowserWindow,
    dialog: { showErrorBox: (title: string, content: string) => void record.errorBoxes.push([title, content]) },
    utilityProcess: {
      fork: (entry: string, _args: string[], options: Record<string, unknown>) => {
        const child = new FakeUtilityProcess(entry, options);
        record.forks.push(child);
        return child;
      },
    },
  };
  return { electron, record };
}

const settle = async (until: () => boolean) => {
  for (let i = 0; i < 200 && !until(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('a start that fails', () => {
  it('shows a dialog naming the cause and exits with a failure status, opening no window', async () => {
    const base = mkdtempSync(join(tmpdir(), 'custodian-startup-'));
    writeFileSync(join(base, 'not-a-folder'), 'a file where the data folder should be');
    const { electron, record } = fakeElectron(join(base, 'not-a-folder', 'data'));
    const windowsBefore = FakeBrowserWindow.instances.length;
    startElectronApp(electron as never, { outDir: join(base, 'out') });
    await settle(() => record.errorBoxes.length > 0);
    expect(record.errorBoxes).toHaveLength(1);
    const [title, message] = record.errorBoxes[0];
    expect(title).toBe('Custodian could not start');
    // the cause itself, as the operating system reported it
    expect(message).toMatch(/ENOTDIR|not a directory/i);
    expect(message).toContain('not-a-folder');
    expect(record.exitCodes).toEqual([1]);
    expect(FakeBrowserWindow.instances.length).toBe(windowsBefore);
  });

  it('words the failure as a sentence with its code', () => {
    const message = startupFailureMessage(Object.assign(new Error('The device host did not start.'), { code: 'HostLost' }));
    expect(message).toMatch(/^The device host did not start\. \(HostLost\)\n\nNothing was changed/);
    expect(startupFailureMessage('plain text')).toMatch(/^plain text\n/);
  });
});
