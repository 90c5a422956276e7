/**
 * The CLI host: the same services as the app, without a UI.
 *   custodian templates | template <name> [--param name=value …] [--answers-example]
 *   custodian run <script> [--answers <file>] [--rehearsal] --out <dir>
 *   custodian verify <journal> | custodian devices | custodian share check <text>
 *   custodian simulator yubihsm [--listen 127.0.0.1:12345] [--state <file>]
 */
import { UsageError, type CliIo } from './io';
import { COMMANDS } from './commands';

const USAGE = `Custodian — offline HSM key ceremonies

  custodian templates                          list the built-in ceremony templates
  custodian template <name> [--param name=value …] [--answers-example]
                                               print a template's script, or a rehearsal answers file for it
  custodian run <script> --out <dir> [--answers <file>] [--rehearsal]
                                               run a ceremony script non-interactively
  custodian verify <journal.jsonl>             check a journal's hash chain; print its chain head
  custodian devices                            list PKCS#11 modules, tokens, USB devices and YubiHSMs
  custodian share check <share text>           check that a share card reads correctly
  custodian simulator yubihsm [--listen 127.0.0.1:12345] [--state <file>]
                                               serve the YubiHSM 2 simulator over the connector protocol`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.err(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  try {
    return await (
      await load()
    )(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return 2;
    }
    const e = error as { code?: unknown; message?: unknown };
    io.err(typeof e.code === 'string' && typeof e.message === 'string' ? `${e.message} (${e.code})` : `Custodian failed: ${String(e.message ?? error)}`);
    return 1;
  }
}
