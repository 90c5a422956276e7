import type { JsonValue } from '../../journal';
import { resolveReferences, type ReferenceSource } from '../script';
import type { CeremonyState } from './state';

/** Resolves ${…} references against the state: parameters, earlier results and public inputs, ceremony facts. */
export function referenceSource(state: CeremonyState): ReferenceSource {
  return {
    lookup(path) {
      const [root, ...rest] = path;
      let value: JsonValue | undefined;
      if (root === 'parameters') value = state.parameters[rest.shift() ?? ''];
      else if (root === 'ceremony') {
        const facts: Record<string, JsonValue> = { id: state.ceremonyId, title: state.title, rehearsal: state.rehearsal };
        value = facts[rest.shift() ?? ''];
      } else if (root === 'steps') {
        const step = state.steps.find((s) => s.id === rest[0]);
        const part = rest[1];
        rest.splice(0, 2);
        if (step && part === 'result' && step.status === 'completed') value = step.result;
        if (step && part === 'inputs') value = step.publicInputs;
      }
      for (const key of rest) {
        if (value === null || typeof value !== 'object') return undefined;
        value = Array.isArray(value) ? value[Number(key)] : value[key];
      }
      return value;
    },
  };
}

export function tryResolve(value: JsonValue, state: CeremonyState): JsonValue | undefined {
  try {
    return resolveReferences(value, referenceSource(state));
  } catch {
    return undefined;
  }
}
