import { CustodianError } from '../../errors';
/** What a CLI command gets: its arguments and where to write. Commands return their exit code. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

export class UsageError extends CustodianError<'Usage'> {
  constructor(message: string) {
    super('Usage', message);
    this.name = 'UsageError';
  }
}

/** A tiny option parser: `--name value`, `--flag`, and positionals. Unknown options are errors, not ignored. */
export function parseOptions(
  args: string[],
  spec: { values?: string[]; flags?: string[] },
): { positionals: string[]; values: Record<string, string>; flags: Set<string> } {
  const positionals: string[] = [];
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2);
    if (spec.flags?.includes(name)) flags.add(name);
    else if (spec.values?.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value.`);
      values[name] = value;
    } else throw new UsageError(`Unknown option --${name}.`);
  }
  return { positionals, values, flags };
}
