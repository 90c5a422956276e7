import { create } from 'zustand';
import type { ApiError, AppInfo, DeviceSnapshot, HostState } from '../../preload/api';

export type Screen = { name: 'home' } | { name: 'ceremonies' } | { name: 'ceremony'; id: string };

interface AppState {
  info: AppInfo | null;
  snapshot: DeviceSnapshot | null;
  hostState: HostState | null;
  error: ApiError | null;
  screen: Screen;
  refreshing: boolean;
  start(): Promise<void>;
  refresh(): Promise<void>;
  acknowledgePins(): Promise<void>;
  addModule(path: string): Promise<ApiError | null>;
  removeModule(path: string): Promise<void>;
  addConnector(url: string): Promise<ApiError | null>;
  go(screen: Screen): void;
  clearError(): void;
}

export const useAppStore = create<AppState>((set, get) => ({
  info: null,
  snapshot: null,
  hostState: null,
  error: null,
  screen: { name: 'home' },
  refreshing: false,

  async start() {
    const api = window.custodian;
    api.on('devices.changed', (snapshot) => set({ snapshot, hostState: snapshot.host }));
    api.on('host.state', (hostState) => set({ hostState }));
    // both at once: the device list does not wait for the app's description
    const [info] = await Promise.all([api.app.info({}), get().refresh()]);
    if (info.ok) set({ info: info.value });
    else set({ error: info.error });
  },

  async refresh() {
    set({ refreshing: true });
    const result = await window.custodian.devices.refresh({});
    if (result.ok) set({ snapshot: result.value, hostState: result.value.host, refreshing: false });
    else set({ error: result.error, refreshing: false });
  },

  async acknowledgePins() {
    const result = await window.custodian.rehearsal.acknowledgePins({});
    const info = get().info;
    if (result.ok && info) set({ info: { ...info, rehearsal: result.value } });
  },

  async addModule(path) {
    const result = await window.custodian.settings.addModule({ path });
    if (!result.ok) return result.error;
    await get().refresh();
    return null;
  },

  async addConnector(url) {
    const result = await window.custodian.settings.addYubiHsmConnector({ url });
    if (!result.ok) return result.error;
    await get().refresh();
    return null;
  },

  async removeModule(path) {
    await window.custodian.settings.removeModule({ path });
    await get().refresh();
  },

  go(screen) {
    set({ screen });
  },
  clearError() {
    set({ error: null });
  },
}));
