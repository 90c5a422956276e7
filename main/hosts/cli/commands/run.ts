import { writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runScript } from '../../../ceremony';
import { createAppContext, devicesPresent } from '../../../ipc';
import { APP_VERSION } from '../../../ipc';
import { nodeHostLauncher } from '../../../devices';
import { defaultDataDir } from '../../../settings';
import { parseOptions, UsageError, type CliCommand } from '../io';
import { whileInterruptible } from '../interrupt';
import { writeTranscriptFor } from '../transcript';
import { cliChromiumPrinter } from '../printer';
import { localChromiumEndpoint } from '../../browser';
import { terminalSecrets } from '../secret-prompt';

/**
 * `custodian run <script> --out <dir> [--answers <file>] [--rehearsal]`: runs a ceremony through the same engine and
 * device host as the app. Writes <dir>/journal.jsonl, <dir>/outputs/… and <dir>/transcript.pdf. Exit 0 only for a
 * completed ceremony. Its mode comes from its devices: a rehearsal (on Custodian's rehearsal token or the simulator)
 * may take its secrets from the answers file with --rehearsal; a real one asks each secret on the terminal, naming
 * who types it, and is refused without a terminal. --rehearsal on a real device is refused before the first step.
 */
export const runCommand: CliCommand = async (args, io) => {
  const { positionals, values, flags } = parseOptions(args, { values: ['answers', 'out', 'paper'], flags: ['rehearsal'] });
  if (positionals.length !== 1 || !values.out)
    throw new UsageError('Usage: custodian run <script> --out <dir> [--answers <file>] [--rehearsal] [--paper A4|Letter]');
  const scriptText = await readFile(positionals[0], 'utf8');
  const answersText = values.answers ? await readFile(values.answers, 'utf8') : '{}';
  const dir = resolve(values.out);
  const rehearsal = flags.has('rehearsal');

  // one Chromium for the share cards and the transcript, started on first use; a rehearsal run (--rehearsal, which a
  // real device refuses) may print in one already running on this machine instead (CUSTODIAN_CHROMIUM_ENDPOINT, for
  // the crash tests' hundreds of runs; checked here, before any step, to be one on this machine) — a real
  // ceremony's cards never pass through a browser it did not start
  const printer = cliChromiumPrinter({ connectTo: rehearsal ? localChromiumEndpoint(process.env.CUSTODIAN_CHROMIUM_ENDPOINT) : undefined });
  const context = await createAppContext({ dataDir: defaultDataDir(), host: 'cli', hostNote: 'CLI', launcher: (env) => nodeHostLauncher(env), printer });
  const resumeHint =
    `Stopped. The journal in ${dir} keeps every step acknowledged so far; to continue where it stopped, run the same command again:
` + `  custodian run ${args.map(shellWord).join(' ')}`;
  return whileInterruptible({ message: resumeHint, run: () => context.close() }, async () => {
    const snapshot = await context.devices.refresh().catch(() => null);
    const terminal = terminalSecrets();
    const result = await runScript(scriptText, answersText, {
      dir,
      rehearsal,
      askSecret: terminal.ask ? (request) => terminal.ask!(request.prompt) : undefined,
      showSecret: terminal.show ?? undefined,
      noSecretPromptReason: terminal.reason,
      appVersion: APP_VERSION,
      services: {
        deviceHost: context.deviceHost,
        pkcs11: context.pkcs11,
        pkcs11Sessions: context.pkcs11Sessions,
        defaultModule: context.defaultModule(),
        rehearsal: context.rehearsal,
        deviceJudge: context.deviceJudge,
        vault: context.vault,
        ...context.printingServices(),
      },
      devicesPresent: devicesPresent(snapshot),
      onAppended: ackWriter(),
      onResume: (step) => io.out(`Continuing the ceremony in ${dir} at step ${step ?? '(end)'}.`),
      onStart: (view) => {
        io.out(view.mode === 'rehearsal' ? 'Mode: REHEARSAL (every device is a rehearsal device)' : 'Mode: real ceremony (real devices)');
        for (const d of view.devices) io.out(`  ${d.rehearsal ? 'rehearsal' : 'real'}: ${d.description} — ${d.reason}`);
        const up = snapshot?.network.interfacesUp.map((i) => i.name) ?? [];
        if (view.mode === 'rehearsal' && up.length)
          io.out(`Notice: not air-gapped (up: ${up.join(', ')}); a rehearsal runs anyway, a real ceremony would be refused.`);
      },
    });
    io.out(
      `Ceremony ${result.ceremonyId}: ${result.status}${result.failedStep ? ` at step ${result.failedStep}` : ''}${result.reason ? ` — ${result.reason.message}` : ''}`,
    );
    io.out(`Journal: ${dir}/journal.jsonl`);
    io.out(`Chain head: ${result.head}`);
    io.out(`            ${result.headWords.join(' ')}`);
    const pdf = await writeTranscriptFor(dir, { paper: values.paper === 'Letter' ? 'Letter' : 'A4', printer }).catch((error: Error) => {
      io.err(`The transcript could not be printed: ${error.message}`);
      return null;
    });
    if (pdf) io.out(`Transcript: ${pdf.path} (${pdf.pages} pages)`);
    return result.status === 'completed' && pdf ? 0 : 1;
  }).finally(() => context.close());
};

/**
 * CUSTODIAN_ACK_FD=<fd>: writes "ack <seq> <hash>" to that file descriptor once each event is on disk (fsync'ed),
 * synchronously, before the next event starts. The crash tests read it to prove no acknowledged event is ever lost.
 */
function ackWriter(): ((event: { seq: number; hash: string }) => void) | undefined {
  const fd = Number(process.env.CUSTODIAN_ACK_FD);
  if (!Number.isInteger(fd) || fd < 3) return undefined;
  return (event) => {
    try {
      writeSync(fd, `ack ${event.seq} ${event.hash}\n`);
    } catch {
      // the reader went away: acknowledgements are only for a watching test
    }
  };
}

function shellWord(word: string): string {
  return /^[\w./=:@,+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
