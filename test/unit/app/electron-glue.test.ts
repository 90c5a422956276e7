import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMainWindow, WEB_PREFERENCES } from '../../../main/app/window';
import { lockDownSession, lockDownWebContents } from '../../../main/app/security';
import { handleAppProtocol, registerAppScheme } from '../../../main/app/protocol';
import { registerIpc, isTrustedSender } from '../../../main/app/ipc';
import { utilityProcessLauncher } from '../../../main/app/device-host';
import { Router, type HandlerMap } from '../../../main/ipc/router';
import { REQUEST_CHANNELS } from '../../../preload/channels';
import { CONTENT_SECURITY_POLICY } from '../../../main/ipc';
import { FakeBrowserWindow, FakeUtilityProcess, FakeWebContents, fakeIpcMain, fakeProtocol, fakeSession } from './fake-electron';

/* eslint-disable @typescript-eslint/no-explicit-any */

beforeEach(() => {
  FakeBrowserWindow.instances = [];
});

describe('the window', () => {
  it('is created with context isolation and the sandbox on, Node integration off, and loads app://', () => {
    const window = createMainWindow({ BrowserWindow: FakeBrowserWindow as any }, '/out/preload/index.js') as unknown as FakeBrowserWindow;
    const prefs = window.options.webPreferences;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.preload).toBe('/out/preload/index.js');
    expect(window.loadedUrl).toBe('app://custodian/index.html');
    expect(WEB_PREFERENCES.allowRunningInsecureContent).toBe(false);
  });
});

describe('web contents', () => {
  it('denies navigation away from app://, new windows and webviews', () => {
    const contents = new FakeWebContents();
    lockDownWebContents(contents as any);
    expect(contents.fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(contents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.fire('will-navigate', 'app://evil/index.html')).toBe(true);
    expect(contents.fire('will-navigate', 'app://custodian/index.html')).toBe(false);
    expect(contents.fire('will-redirect', 'https://example.com/')).toBe(true);
    expect(contents.fire('will-attach-webview', {}, {})).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'app://custodian/index.html' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });
});

describe('the session', () => {
  it('denies every permission request and check', () => {
    const session = fakeSession();
    lockDownSession(session as any);
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'usb', 'hid']) {
      (session.calls.permissionRequest as any)({}, permission, (granted: boolean) => answers.push(granted));
      expect((session.calls.permissionCheck as any)({}, permission)).toBe(false);
    }
    expect(answers.every((a) => a === false)).toBe(true);
    expect((session.calls.devicePermission as any)({})).toBe(false);
  });

  it('cancels every request whose URL is not app://custodian', () => {
    const session = fakeSession();
    lockDownSession(session as any);
    const decide = (url: string) => {
      let cancel: boolean | undefined;
      (session.calls.beforeRequest as any)({ url }, (r: { cancel: boolean }) => (cancel = r.cancel));
      return cancel;
    };
    expect(decide('https://example.com/')).toBe(true);
    expect(decide('http://127.0.0.1:12345/connector/api')).toBe(true);
    expect(decide('file:///etc/passwd')).toBe(true);
    expect(decide('devtools://devtools/bundled/x.html')).toBe(true);
    expect(decide('ws://localhost/')).toBe(true);
    expect(decide('app://custodian/index.html')).toBe(false);
    expect(decide('app://custodian/assets/index.js')).toBe(false);
  });

  it('adds the strict Content-Security-Policy to responses', () => {
    const session = fakeSession();
    lockDownSession(session as any);
    let headers: Record<string, string[]> = {};
    (session.calls.headersReceived as any)({ responseHeaders: {} }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });
});

describe('the Content-Security-Policy', () => {
  it('allows scripts only from the app itself and nothing inline, eval-based or remote', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });
});

describe('the app:// protocol', () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'renderer-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<html>custodian</html>');
  writeFileSync(join(rendererDir, 'assets', 'a.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, '..', 'outside-secret.txt'), 'must not be served');

  const protocol = fakeProtocol();
  registerAppScheme({ protocol } as any);
  handleAppProtocol({ protocol } as any, rendererDir);
  const serve = (url: string) => protocol.state.handlers.get('app')!(new Request(url));

  it('is registered as a standard, secure scheme', () => {
    expect(protocol.state.privileged).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
  });

  it('serves the built renderer with the CSP header', async () => {
    const response = await serve('app://custodian/index.html');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<html>custodian</html>');
    expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await serve('app://custodian/assets/a.js')).headers.get('Content-Type')).toContain('javascript');
  });

  it('refuses path traversal, encoded or not, and other hosts', async () => {
    for (const url of [
      'app://custodian/%2e%2e/outside-secret.txt',
      'app://custodian/..%2Foutside-secret.txt',
      'app://custodian/assets/%2e%2e%2f%2e%2e%2foutside-secret.txt',
      'app://custodian/%2E%2E%5Coutside-secret.txt',
      'app://custodian/%00index.html',
    ]) {
      const response = await serve(url);
      expect(response.status, url).not.toBe(200);
      expect(await response.text()).not.toContain('must not be served');
    }
    expect((await serve('app://evil/index.html')).status).toBe(403);
  });
});

describe('IPC', () => {
  function setup() {
    const window = new FakeBrowserWindow({ webPreferences: {} });
    const ipcMain = fakeIpcMain();
    const handlers = Object.fromEntries(REQUEST_CHANNELS.map((c) => [c, () => ({ modules: [], yubihsmConnectors: [] })])) as unknown as HandlerMap;
    const router = new Router(handlers);
    registerIpc({ ipcMain } as any, router, () => window as any);
    return { window, ipcMain, router };
  }

  it('registers one handler per channel of the contract', () => {
    const { ipcMain } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...REQUEST_CHANNELS].sort());
  });

  it('answers only the main frame of the app’s own window', async () => {
    const { window, ipcMain } = setup();
    const handler = ipcMain.handlers.get('settings.get')!;
    const ok = await handler({ sender: window.webContents, senderFrame: window.webContents.mainFrame }, {});
    expect(ok).toMatchObject({ ok: true });
    const subframe = { url: 'app://custodian/index.html', name: 'child' };
    expect(await handler({ sender: window.webContents, senderFrame: subframe }, {})).toMatchObject({ ok: false, error: { code: 'ForbiddenFrame' } });
    const stranger = new FakeWebContents();
    expect(await handler({ sender: stranger, senderFrame: stranger.mainFrame }, {})).toMatchObject({ ok: false, error: { code: 'ForbiddenFrame' } });
    expect(isTrustedSender({ sender: window.webContents, senderFrame: null } as any, window as any)).toBe(false);
  });

  it('refuses the main frame once it shows anything but app://', async () => {
    const { window, ipcMain } = setup();
    (window.webContents.mainFrame as { url: string }).url = 'https://example.com/';
    const result = await ipcMain.handlers.get('settings.get')!({ sender: window.webContents, senderFrame: window.webContents.mainFrame }, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'ForbiddenFrame' } });
  });

  it('delivers events to the window on their own prefixed channel', () => {
    const { window, router } = setup();
    router.emit('ceremony.changed', { id: 'c1' });
    expect(window.webContents.sent).toEqual([['event:ceremony.changed', { id: 'c1' }]]);
  });
});

describe('the device host under Electron', () => {
  it('is a utilityProcess whose messages and exit reach the supervisor', () => {
    let child: FakeUtilityProcess | null = null;
    const utilityProcess = {
      fork: (entry: string, _args: string[], options: Record<string, unknown>) => (child = new FakeUtilityProcess(entry, options)),
    };
    const launch = utilityProcessLauncher({ utilityProcess } as any, '/out/main/device-host.js', { SOFTHSM2_CONF: '/x.conf' });
    const proc = launch();
    expect(child!.entry).toBe('/out/main/device-host.js');
    expect((child!.options.env as Record<string, string>).SOFTHSM2_CONF).toBe('/x.conf');
    const received: unknown[] = [];
    let exited = false;
    proc.onMessage((m) => received.push(m));
    proc.onExit(() => (exited = true));
    proc.send({ t: 'call', id: 1, method: 'host.ping', params: null });
    expect(child!.posted).toEqual([{ t: 'call', id: 1, method: 'host.ping', params: null }]);
    child!.emit('message', { t: 'ready', pid: 4242, methods: [] });
    expect(received).toEqual([{ t: 'ready', pid: 4242, methods: [] }]);
    proc.kill();
    expect(exited).toBe(true);
  });
});

describe('printing under Electron', () => {
  it('prints the HTML with printToPDF in a hidden window of a locked session: footer templates, paper, margins, no JavaScript', async () => {
    const { electronPrinter, toInches, PRINT_PARTITION } = await import('../../../main/app/print');
    const printSession = fakeSession();
    const partitions: string[] = [];
    const printed: Array<Record<string, unknown>> = [];
    class PrintWindow extends FakeBrowserWindow {
      destroyed = false;
      constructor(options: { webPreferences: Record<string, unknown> }) {
        super(options);
        (this.webContents as unknown as { printToPDF: (o: Record<string, unknown>) => Promise<Buffer> }).printToPDF = async (o) => {
          printed.push(o);
          return Buffer.from('%PDF-1.7');
        };
      }
      destroy() {
        this.destroyed = true;
      }
    }
    const printer = electronPrinter({
      BrowserWindow: PrintWindow as any,
      session: { fromPartition: (name: string) => (partitions.push(name), printSession) } as any,
    });
    const pdf = await printer.printPdf({
      html: '<html><body>Transcript</body></html>',
      paper: 'Letter',
      headerTemplate: '<div></div>',
      footerTemplate: '<div>page <span class="pageNumber"></span> of <span class="totalPages"></span></div>',
      margin: { top: '16mm', right: '15mm', bottom: '20mm', left: '15mm' },
    });
    expect(new TextDecoder().decode(pdf)).toBe('%PDF-1.7');
    expect(partitions).toEqual([PRINT_PARTITION]);
    const window = FakeBrowserWindow.instances.at(-1) as unknown as PrintWindow;
    expect(window.options.webPreferences).toMatchObject({ javascript: false, sandbox: true, nodeIntegration: false });
    expect(window.loadedUrl).toBe(`data:text/html;base64,${Buffer.from('<html><body>Transcript</body></html>').toString('base64')}`);
    expect(window.destroyed).toBe(true);
    expect(printed[0]).toMatchObject({ pageSize: 'Letter', displayHeaderFooter: true, printBackground: true });
    expect(printed[0].footerTemplate).toContain('totalPages');
    expect((printed[0].margins as { bottom: number }).bottom).toBeCloseTo(toInches('20mm'));
    // The print session lets only the document itself load.
    const decide = (url: string) => {
      let cancel: boolean | undefined;
      (printSession.calls.beforeRequest as any)({ url }, (r: { cancel: boolean }) => (cancel = r.cancel));
      return cancel;
    };
    expect(decide('data:text/html;base64,AAAA')).toBe(false);
    expect(decide('https://example.com/')).toBe(true);
    expect(decide('file:///etc/passwd')).toBe(true);
  });
});

describe('the Print button and the folder picker under Electron', () => {
  it('opens the system print dialog for the document in a hidden window, then destroys it', async () => {
    const { electronPrintDialog } = await import('../../../main/app/print');
    const printSession = fakeSession();
    const calls: Array<Record<string, unknown>> = [];
    class PrintWindow extends FakeBrowserWindow {
      destroyed = false;
      constructor(options: { webPreferences: Record<string, unknown> }) {
        super(options);
        (this.webContents as unknown as { print: (o: Record<string, unknown>, cb: (ok: boolean) => void) => void }).print = (o, cb) => {
          calls.push(o);
          cb(true);
        };
      }
      destroy() {
        this.destroyed = true;
      }
    }
    const print = electronPrintDialog({ BrowserWindow: PrintWindow as any, session: { fromPartition: () => printSession } as any });
    expect(await print('<html>transcript</html>', 'A4')).toBe(true);
    expect(calls).toEqual([{ silent: false, printBackground: true, pageSize: 'A4' }]);
    const window = FakeBrowserWindow.instances.at(-1) as unknown as PrintWindow;
    expect(window.options.webPreferences).toMatchObject({ javascript: false, sandbox: true });
    expect(window.destroyed).toBe(true);
  });

  it('asks the system for a folder and reports a cancel as null', async () => {
    const { electronFolderPicker } = await import('../../../main/app/print');
    const answers = [
      { canceled: false, filePaths: ['/media/usb'] },
      { canceled: true, filePaths: [] },
    ];
    const asked: unknown[] = [];
    const pick = electronFolderPicker({ dialog: { showOpenDialog: async (o: unknown) => (asked.push(o), answers.shift()) } } as any);
    expect(await pick('Export outputs')).toBe('/media/usb');
    expect(await pick('Export outputs')).toBeNull();
    expect(asked[0]).toMatchObject({ title: 'Export outputs', properties: ['openDirectory', 'createDirectory'] });
  });
});
