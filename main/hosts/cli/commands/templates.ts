import { answersExample, getTemplate, listTemplates } from '../../../ceremony';
import { parseOptions, UsageError, type CliCommand } from '../io';

/** `custodian templates`: the built-in ceremony templates. */
export const templatesCommand: CliCommand = async (_args, io) => {
  for (const t of listTemplates()) io.out(`${t.name.padEnd(20)} ${t.title}${t.description ? ` — ${t.description}` : ''}`);
  return 0;
};

/** `custodian template <name> [--answers-example]`: the template's script, or a rehearsal answers file for it. */
export const templateCommand: CliCommand = async (args, io) => {
  const { positionals, flags } = parseOptions(args, { flags: ['answers-example'] });
  if (positionals.length !== 1) throw new UsageError('Usage: custodian template <name> [--answers-example]');
  const template = getTemplate(positionals[0]);
  if (!template) {
    io.err(
      `No template called "${positionals[0]}". Known: ${listTemplates()
        .map((t) => t.name)
        .join(', ')}`,
    );
    return 1;
  }
  io.out(flags.has('answers-example') ? (answersExample(template.name) ?? '') : template.text);
  return 0;
};
