import { EventEmitter } from 'node:events';

/**
 * A small fake of the parts of Electron the glue uses, recording what the glue asked for. The Electron binary
 * cannot run here; these fakes let the tests prove each security setting and handler without it.
 */
export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly mainFrame = { url: 'app://custodian/index.html', name: 'main' };
  readonly sent: Array<[string, unknown]> = [];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  /** Fires an event the way Electron does and reports whether a listener called preventDefault. */
  fire(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  constructor(readonly options: { webPreferences: Record<string, unknown> } & Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
  }
  show() {}
}

export function fakeSession() {
  const calls: Record<string, unknown> = {};
  return {
    calls,
    setPermissionRequestHandler: (h: unknown) => (calls.permissionRequest = h),
    setPermissionCheckHandler: (h: unknown) => (calls.permissionCheck = h),
    setDevicePermissionHandler: (h: unknown) => (calls.devicePermission = h),
    webRequest: {
      onBeforeRequest: (h: unknown) => (calls.beforeRequest = h),
      onHeadersReceived: (h: unknown) => (calls.headersReceived = h),
    },
  };
}

export function fakeIpcMain() {
  const handlers = new Map<string, (event: unknown, request: unknown) => unknown>();
  return {
    handlers,
    handle: (channel: string, handler: (event: unknown, request: unknown) => unknown) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  };
}

export function fakeProtocol() {
  const state: { privileged: unknown[]; handlers: Map<string, (request: Request) => Promise<Response>> } = { privileged: [], handlers: new Map() };
  return {
    state,
    registerSchemesAsPrivileged: (schemes: unknown[]) => state.privileged.push(...schemes),
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => state.handlers.set(scheme, handler),
  };
}

export class FakeUtilityProcess extends EventEmitter {
  pid = 4242;
  posted: unknown[] = [];
  killed = false;
  constructor(
    readonly entry: string,
    readonly options: Record<string, unknown>,
  ) {
    super();
  }
  postMessage(message: unknown) {
    this.posted.push(message);
  }
  kill() {
    this.killed = true;
    this.emit('exit', 0);
    return true;
  }
}
