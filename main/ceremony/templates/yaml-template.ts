import { existsSync, readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

/**
 * A template kept as a plain .yaml file beside this module, with its rehearsal answers in <name>.answers.yaml. The
 * answers example for given parameters is the answers file with those parameters laid over its own.
 */
export function yamlTemplate(name: string): { name: string; scriptText: string; answersText: string; answersFor: (p: Record<string, unknown>) => string } {
  // beside a bundle the build copies the .yaml files into templates/ (scripts/build.js); in the source tree they sit here
  const read = (file: string) => {
    const bundled = new URL(`./templates/${file}`, import.meta.url);
    return readFileSync(existsSync(bundled) ? bundled : new URL(`./${file}`, import.meta.url), 'utf8');
  };
  const scriptText = read(`${name}.yaml`);
  const answersText = read(`${name}.answers.yaml`);
  return {
    name,
    scriptText,
    answersText,
    answersFor(parameters) {
      const answers = parse(answersText) as { parameters?: Record<string, unknown> };
      answers.parameters = { ...(answers.parameters ?? {}), ...parameters };
      return stringify(answers);
    },
  };
}
