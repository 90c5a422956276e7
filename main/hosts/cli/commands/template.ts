import { answersExample, getTemplate, listTemplates } from '../../../ceremony';
import { parseOptions, UsageError, type CliCommand } from '../io';

/** `--param name=value`, repeatable: numbers and true/false are typed, everything else is text. */
function takeParams(args: string[]): { rest: string[]; parameters: Record<string, string | number | boolean> } {
  const rest: string[] = [];
  const parameters: Record<string, string | number | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '--param' && !args[i].startsWith('--param=')) {
      rest.push(args[i]);
      continue;
    }
    const pair = args[i].startsWith('--param=') ? args[i].slice('--param='.length) : args[++i];
    const eq = pair?.indexOf('=') ?? -1;
    if (!pair || eq < 1) throw new UsageError('--param needs name=value, e.g. --param custodians=5');
    const raw = pair.slice(eq + 1);
    parameters[pair.slice(0, eq)] = /^-?\d+$/.test(raw) ? Number(raw) : raw === 'true' ? true : raw === 'false' ? false : raw;
  }
  return { rest, parameters };
}

/**
 * `custodian template <name> [--param name=value …] [--answers-example]`: the template's script (for these parameters,
 * when its steps depend on them: one reveal step per custodian), or a rehearsal answers file for it.
 */
export const templateCommand: CliCommand = async (args, io) => {
  const { rest, parameters } = takeParams(args);
  const { positionals, flags } = parseOptions(rest, { flags: ['answers-example'] });
  if (positionals.length !== 1) throw new UsageError('Usage: custodian template <name> [--param name=value …] [--answers-example]');
  const withParams = Object.keys(parameters).length ? parameters : undefined;
  const template = getTemplate(positionals[0], withParams);
  if (!template) {
    io.err(
      `No template called "${positionals[0]}". Known: ${listTemplates()
        .map((t) => t.name)
        .join(', ')}`,
    );
    return 1;
  }
  io.out(flags.has('answers-example') ? (answersExample(template.name, withParams) ?? '') : template.text);
  return 0;
};
