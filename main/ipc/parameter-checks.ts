import { getTemplate, PREFLIGHT_PARAMETER_CHECKS, resolveParameters, resolveReferences, type JsonObject, type ParameterProblem } from '../ceremony';
import type { JsonValue } from '../journal';

export type { ParameterProblem };

/** Every problem with these parameters for this template: their types and choices, then each preflight's rules. */
export function parameterProblems(templateName: string, parameters: Record<string, unknown>): ParameterProblem[] {
  let template;
  try {
    template = getTemplate(templateName, parameters);
  } catch (error) {
    return [{ code: 'ParameterInvalid', message: (error as Error).message.replace(/^line \d+: /, '') }];
  }
  if (!template) return [{ code: 'UnknownTemplate', message: `There is no ceremony template called “${templateName}”.` }];
  let resolved: Record<string, JsonValue>;
  try {
    resolved = resolveParameters(template.script, parameters as Record<string, JsonValue>);
  } catch (error) {
    return [{ code: 'ParameterInvalid', message: (error as Error).message }];
  }
  const problems: ParameterProblem[] = [];
  for (const step of template.script.steps) {
    if (step.kind !== 'action') continue;
    const check = PREFLIGHT_PARAMETER_CHECKS[step.action];
    if (!check) continue;
    let params: JsonObject;
    try {
      params = resolveReferences((step.params ?? {}) as JsonValue, {
        lookup: ([root, name]) => (root === 'parameters' ? resolved[name] : undefined),
      }) as JsonObject;
    } catch {
      continue; // the step's parameters depend on what earlier steps make: the preflight itself will check them
    }
    for (const p of check(params)) if (!problems.some((q) => q.message === p.message)) problems.push({ code: p.code, message: p.message });
  }
  return problems;
}
