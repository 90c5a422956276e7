import { join } from 'node:path';
import { Router } from './router';
import type { AppContext, AppContextOptions } from './context';
import { SettingsStore, type SettingsData } from '../settings';
import { DeviceHostClient } from '../devices';
import { DeviceService, type ConfiguredModule } from '../devices';
import { ensureRehearsalToken, type RehearsalSetup } from '../devices';
import { probeModule, probeUsb, yubiHsmProbe } from '../devices';
import { createHandlers } from './handlers';
import { CeremonyService } from './ceremonies';
import { Pkcs11Client } from '../devices';
import { Pkcs11SessionStore } from '../ceremony/actions/pkcs11';
import { SecretVault } from '../ceremony';
import { cupsSharePrinter } from '../devices';
import { APP_NAME, APP_VERSION } from './version';

export type { AppContext, AppContextOptions, HostCapabilities } from './context';

export function configuredModules(settings: SettingsData, rehearsal: RehearsalSetup | null): ConfiguredModule[] {
  if (settings.modules.length) return settings.modules.map((m) => ({ ...m, rehearsal: false }));
  return rehearsal ? [{ path: rehearsal.modulePath, name: 'SoftHSM2 (rehearsal)', rehearsal: true }] : [];
}

function withoutSoftHsm(error: unknown): null {
  if ((error as { code?: unknown }).code === 'SoftHsmMissing') return null;
  throw error;
}

export async function createAppContext(options: AppContextOptions): Promise<AppContext> {
  const settings = new SettingsStore(options.dataDir);
  await settings.load();
  // Rehearsal when no real module is configured: the token store is Custodian's own, so the host needs its conf.
  // Without SoftHSM2 installed there is no rehearsal token: the app still opens, without rehearsal mode.
  const rehearsal = settings.get().modules.length ? null : await ensureRehearsalToken(options.dataDir).catch(withoutSoftHsm);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (rehearsal) {
    env.SOFTHSM2_CONF = rehearsal.softhsmConf;
    env.CUSTODIAN_YUBIHSM_SIMULATOR_STATE = rehearsal.yubihsmSimulatorState;
  }
  const deviceHost = new DeviceHostClient(options.launcher(env));
  await deviceHost.start();

  const devices = new DeviceService({
    host: deviceHost,
    modules: () => configuredModules(settings.get(), rehearsal),
    probeModule,
    probeUsb,
    probeYubiHsm: yubiHsmProbe(() => [...(rehearsal ? [{ simulator: true }] : []), ...settings.get().yubihsmConnectors.map((connector) => ({ connector }))]),
  });

  const pkcs11 = new Pkcs11Client(deviceHost);
  const sharePrinter = () => options.sharePrinter ?? cupsSharePrinter() ?? undefined;
  const defaultModule = () => configuredModules(settings.get(), rehearsal)[0]?.path ?? null;
  // Sessions die with the device host: forget them when it restarts, so a step asks for a new login.
  const pkcs11Sessions = new Pkcs11SessionStore();
  const vault = new SecretVault();
  deviceHost.on('state', (state: { status: string }) => {
    if (state.status === 'restarting') pkcs11Sessions.clear();
  });
  const printer = () => options.printer;
  const ceremonies = new CeremonyService({
    dir: join(options.dataDir, 'ceremonies'),
    engine: async () => ({
      appVersion: APP_VERSION,
      rehearsal: Boolean(rehearsal),
      devicesPresent: devicesPresent(await devices.snapshot().catch(() => null)),
      services: { deviceHost, pkcs11, pkcs11Sessions, defaultModule: defaultModule(), rehearsal, vault, pdfPrinter: printer(), sharePrinter: sharePrinter() },
    }),
    printHtml: options.capabilities?.printHtml,
    onChanged: (id) => context.router.emit('ceremony.changed', { id }),
    onFinished: (id) => {
      vault.dropCeremony(id);
      for (const [slot, session] of pkcs11Sessions.ofCeremony(id)) {
        pkcs11Sessions.delete(slot);
        void pkcs11.closeSession(session.sessionKey).catch(() => undefined);
      }
    },
    printer,
  });

  const context: AppContext = {
    options,
    settings,
    deviceHost,
    devices,
    rehearsal,
    ceremonies,
    pkcs11,
    pkcs11Sessions,
    vault,
    defaultModule,
    printingServices: () => ({ pdfPrinter: printer(), sharePrinter: sharePrinter() }),
    router: undefined as unknown as Router,
    appInfo: () => ({
      name: APP_NAME,
      version: APP_VERSION,
      host: options.host,
      hostNote: options.hostNote,
      dataDir: options.dataDir,
      rehearsal: {
        active: Boolean(rehearsal),
        tokenLabel: rehearsal?.tokenLabel ?? null,
        pins: rehearsal && !settings.get().rehearsalPinsAcknowledged ? rehearsal.pins : null,
      },
    }),
    close: async () => {
      devices.stop();
      await ceremonies.closeAll();
      await options.printer.close();
      await deviceHost.stop();
    },
  };
  const router = new Router(createHandlers(context));
  (context as { router: Router }).router = router;
  devices.on('changed', (snapshot) => router.emit('devices.changed', snapshot));
  deviceHost.on('state', (state) => router.emit('host.state', state));
  devices.watch();
  return context;
}

/** What the first journal event records about the devices present: public facts only. */
export function devicesPresent(snapshot: import('../../preload/api').DeviceSnapshot | null) {
  if (!snapshot) return [];
  return [
    ...snapshot.modules.map((m) => ({
      kind: 'pkcs11',
      module: m.path,
      library: m.library ? `${m.library.manufacturer} ${m.library.description} ${m.library.version}` : null,
      tokens: m.tokens.filter((t) => t.initialized).map((t) => ({ label: t.label, manufacturer: t.manufacturer, model: t.model, serial: t.serial })),
    })),
    ...snapshot.yubihsm.filter((y) => y.ok).map((y) => ({ kind: 'yubihsm', source: y.source, serial: y.serial, firmware: y.firmware })),
    { kind: 'network', airGapped: snapshot.network.airGapped, interfacesUp: snapshot.network.interfacesUp.map((i) => i.name) },
  ];
}
