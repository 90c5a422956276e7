import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { Router } from './router';
import type { AppContext, AppContextOptions } from './context';
import { SettingsStore, type SettingsData } from '../settings';
import { DeviceHostClient, DeviceService, createDeviceJudge, ensureRehearsalToken, probeModule, probeUsb, yubiHsmProbe } from '../devices';
import type { ConfiguredModule, RehearsalSetup } from '../devices';
import { createHandlers } from './handlers';
import { CeremonyService } from './ceremonies';
import { Pkcs11Client } from '../devices';
import { Pkcs11SessionStore } from '../ceremony';
import { SecretVault, templateForms } from '../ceremony';
import { cupsSharePrinter } from '../devices';
import { APP_NAME, APP_VERSION } from './version';

export type { AppContext, AppContextOptions, HostCapabilities } from './context';

/**
 * The vendor modules configured, then Custodian's rehearsal SoftHSM2 beside them: configuring a real module does not
 * switch rehearsal off. Whether a token is a rehearsal token is decided per token (main/devices/device-judge.ts).
 */
export function configuredModules(settings: SettingsData, rehearsal: RehearsalSetup | null): ConfiguredModule[] {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  };
  const rehearsalPath = rehearsal ? real(rehearsal.modulePath) : null;
  const vendor = settings.modules.filter((m) => real(m.path) !== rehearsalPath).map((m) => ({ ...m, rehearsal: false }));
  return [
    ...vendor,
    ...(rehearsal ? [{ path: rehearsal.modulePath, name: 'SoftHSM2 (rehearsal)', rehearsal: true, rehearsalSerials: rehearsal.serials }] : []),
  ];
}

/** Custodian's rehearsal store, made on first start; without SoftHSM2 the app still drives the vendor modules configured. */
async function rehearsalSetup(dataDir: string): Promise<RehearsalSetup | null> {
  try {
    return await ensureRehearsalToken(dataDir);
  } catch (error) {
    // Without SoftHSM2 installed there is no rehearsal token: the app still opens, without rehearsal mode.
    if ((error as { code?: string }).code === 'SoftHsmMissing') return null;
    throw error;
  }
}

export async function createAppContext(options: AppContextOptions): Promise<AppContext> {
  const settings = new SettingsStore(options.dataDir);
  await settings.load();
  // The rehearsal store always, beside any vendor module: the device host sets its own SOFTHSM2_CONF for the
  // rehearsal module only (native/pkcs11/module-env.ts), so a vendor's SoftHSM2 keeps the configuration it had.
  const rehearsal = await rehearsalSetup(options.dataDir);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (rehearsal) {
    env.CUSTODIAN_REHEARSAL_MODULE = rehearsal.modulePath;
    env.CUSTODIAN_REHEARSAL_SOFTHSM2_CONF = rehearsal.softhsmConf;
    env.CUSTODIAN_YUBIHSM_SIMULATOR_STATE = rehearsal.yubihsmSimulatorState;
  }
  const deviceHost = new DeviceHostClient(options.launcher(env));
  const hostStarting = deviceHost.start();
  // The Home screen's first request is the template list: it is read while the device host starts (a child process),
  // not after the window has loaded and is waiting for it.
  try {
    templateForms();
  } catch {
    // a template that cannot be read is reported by the request that asks for it
  }
  await hostStarting;

  const devices = new DeviceService({
    host: deviceHost,
    modules: () => configuredModules(settings.get(), rehearsal),
    probeModule,
    probeUsb,
    probeYubiHsm: yubiHsmProbe(() => [...(rehearsal ? [{ simulator: true }] : []), ...settings.get().yubihsmConnectors.map((connector) => ({ connector }))]),
  });

  const pkcs11 = new Pkcs11Client(deviceHost);
  const deviceJudge = createDeviceJudge({ pkcs11, deviceHost, rehearsal });
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
      devicesPresent: devicesPresent(await devices.snapshot().catch(() => null)),
      services: {
        deviceHost,
        pkcs11,
        pkcs11Sessions,
        defaultModule: defaultModule(),
        rehearsal,
        deviceJudge,
        vault,
        pdfPrinter: printer(),
        sharePrinter: sharePrinter(),
      },
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
    deviceJudge,
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
