import { createAppContext } from '../../../ipc';
import { nodeHostLauncher, type ModuleBehaviour, type Pkcs11Client } from '../../../devices';
import { cliChromiumPrinter } from '../printer';
import { defaultDataDir } from '../../../settings';
import { parseOptions, type CliCommand } from '../io';

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/**
 * What each module was seen to do on each initialised token (random bytes and objects before login) and the id and
 * label sizes it holds, by `<module path>|<token serial>`. A token that cannot be probed is left out, not an error.
 */
async function learnedBehaviour(
  pkcs11: Pkcs11Client,
  modules: ReadonlyArray<{ ok: boolean; path: string; tokens: ReadonlyArray<{ initialized: boolean; serial: string }> }>,
): Promise<Map<string, ModuleBehaviour>> {
  const learned = new Map<string, ModuleBehaviour>();
  for (const m of modules) {
    if (!m.ok) continue;
    for (const t of m.tokens) {
      if (!t.initialized) continue;
      const behaviour = await pkcs11.behaviour(m.path, { serial: t.serial }, { timeoutMs: 15_000 }).catch(() => undefined);
      if (behaviour) learned.set(`${m.path}|${t.serial}`, behaviour);
    }
  }
  return learned;
}

/** `custodian devices`: what the Home screen's device panel shows, as text (and --json). */
export const devicesCommand: CliCommand = async (args, io) => {
  const { flags } = parseOptions(args, { flags: ['json'] });
  const context = await createAppContext({
    dataDir: defaultDataDir(),
    host: 'cli',
    hostNote: 'CLI',
    launcher: (env) => nodeHostLauncher(env),
    printer: cliChromiumPrinter(), // never loaded: listing devices prints nothing
  });
  try {
    const snapshot = await context.devices.refresh();
    const learned = await learnedBehaviour(context.pkcs11, snapshot.modules);
    if (flags.has('json')) {
      const modules = snapshot.modules.map((m) => ({
        ...m,
        tokens: m.tokens.map((t) => ({ ...t, learned: learned.get(`${m.path}|${t.serial}`) ?? null })),
      }));
      io.out(JSON.stringify({ ...snapshot, modules }, null, 2));
      return 0;
    }
    if (context.rehearsal) io.out(`Rehearsal devices: SoftHSM2 token "${context.rehearsal.tokenLabel}" and the YubiHSM simulator; every other device is REAL`);
    io.out('PKCS#11 modules:');
    for (const m of snapshot.modules) {
      io.out(`  ${m.name}  ${m.path}`);
      if (m.library) io.out(`    ${m.library.manufacturer} — ${m.library.description} ${m.library.version}`);
      if (m.error) io.out(`    ERROR ${m.error.code}: ${m.error.message}`);
      for (const t of m.tokens) {
        // an empty slot of our own SoftHSM2 store is no device of anyone's: never a REAL token
        if (m.rehearsal && !t.initialized) {
          io.out(`    free slot of the rehearsal store`);
          continue;
        }
        const flagsText = !t.initialized
          ? 'not initialised — empty slot'
          : [
              'initialised',
              t.userPin.locked ? 'user PIN LOCKED' : t.userPin.finalTry ? 'user PIN final try' : t.userPin.countLow ? 'user PIN count low' : 'user PIN ok',
              t.soPin.locked ? 'SO PIN LOCKED' : t.soPin.finalTry ? 'SO PIN final try' : t.soPin.countLow ? 'SO PIN count low' : 'SO PIN ok',
            ].join(', ');
        io.out(`    ${t.rehearsal ? 'REHEARSAL' : 'REAL'} token "${t.label}"  ${t.manufacturer} ${t.model}  serial ${t.serial}  (${flagsText})`);
        const behaviour = learned.get(`${m.path}|${t.serial}`);
        if (behaviour) io.out(`      learned: ${behaviour.summary.join('; ')}`);
      }
    }
    io.out(`USB: ${snapshot.usb.available ? `${snapshot.usb.devices.length} known device(s)` : `unavailable — ${snapshot.usb.reason}`}`);
    for (const d of snapshot.usb.devices)
      io.out(`  ${d.name} ${hex4(d.vendorId)}:${hex4(d.productId)}${d.serial ? ` serial ${d.serial}` : ''} — needs ${d.needs}`);
    io.out('YubiHSM 2:');
    for (const y of snapshot.yubihsm) {
      const mode = y.rehearsal ? 'REHEARSAL' : 'REAL';
      io.out(
        y.ok ? `  ${mode} ${y.source}: serial ${y.serial}, firmware ${y.firmware}, audit log ${y.logUsed}/${y.logTotal}` : `  ${mode} ${y.source}: ${y.error}`,
      );
    }
    if (snapshot.yubihsm.length === 0) io.out('  none configured');
    io.out(
      snapshot.network.airGapped
        ? 'Network: air-gapped (no interface up but loopback)'
        : `Network: NOT air-gapped — up: ${snapshot.network.interfacesUp.map((i) => `${i.name} (${i.addresses.join(', ')})`).join('; ')}`,
    );
    return 0;
  } finally {
    await context.close();
  }
};
