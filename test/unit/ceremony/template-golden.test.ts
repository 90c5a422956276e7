import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { answersExample, getTemplate, parseScript } from '../../../main/ceremony';
import { TEMPLATE_NAMES } from '../../../main/ceremony/templates';
import { GOLDEN_CASES, goldenFile } from '../../fixtures/templates/cases';

interface Golden {
  parameters: Record<string, string | number | boolean>;
  metadata: unknown;
  roles: unknown;
  devices: unknown;
  declared: Record<string, Record<string, unknown>>;
  steps: unknown[];
  answers: unknown;
}

/**
 * The declared parameters without the bounds the .yaml files added (the golden files predate min/max) and without
 * defaults: an expanded script declares the values it was expanded for as its defaults (checked separately).
 */
const declaredShape = (declared: Record<string, Record<string, unknown>>) =>
  Object.fromEntries(Object.entries(declared).map(([name, { min: _min, max: _max, default: _default, ...rest }]) => [name, rest]));

describe('every template expands to the steps it had as TypeScript (golden files recorded before the move)', () => {
  it('has a golden file for every template (the nine that were TypeScript, and those written as .yaml since)', () => {
    expect([...TEMPLATE_NAMES].sort()).toEqual(Object.keys(GOLDEN_CASES).sort());
  });

  for (const name of Object.keys(GOLDEN_CASES)) {
    const goldens = JSON.parse(readFileSync(goldenFile(name), 'utf8')) as Golden[];
    for (const golden of goldens) {
      const label = Object.keys(golden.parameters).length ? JSON.stringify(golden.parameters) : 'its defaults';
      it(`${name} for ${label}: same steps, roles, metadata, devices and parameters`, () => {
        const template = getTemplate(name, golden.parameters)!;
        const { script } = template;
        expect(script.steps).toEqual(golden.steps);
        expect(script.roles).toEqual(golden.roles);
        expect(script.metadata).toEqual(golden.metadata);
        expect(script.devices).toEqual(golden.devices);
        expect(declaredShape(script.parameters as never)).toEqual(declaredShape(golden.declared));
        for (const [key, spec] of Object.entries(script.parameters)) {
          expect(spec.default, key).toEqual(key in golden.parameters ? golden.parameters[key] : golden.declared[key].default);
        }
        // the printed text is a plain script: it parses without any template construct
        const reparsed = parseScript(template.text);
        expect(reparsed.script.steps).toEqual(golden.steps);
        expect(template.text).not.toMatch(/^\s*- (repeat|when):/m);
      });
      it(`${name} for ${label}: the same answers example`, () => {
        // the answers carry the parameters given (the old demo and key-generation examples left them out)
        const { parameters, ...answers } = parse(answersExample(name, golden.parameters)!) as Record<string, unknown>;
        const { parameters: goldenParameters, ...expected } = golden.answers as Record<string, unknown>;
        expect(answers).toEqual(expected);
        expect(parameters).toEqual(Object.keys(golden.parameters).length ? golden.parameters : goldenParameters);
      });
    }
  }
});
