import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { answersExample, getTemplate, parseAnswers } from '../../../main/ceremony';
import { resolveParameters } from '../../../main/ceremony/engine/parameters';
import { keyRequestOf, KEY_ALGORITHM_NAMES, KEY_POLICY_NAMES } from '../../../main/ceremony/actions/pkcs11/keygen';

const template = getTemplate('key-generation')!;
const steps = template.script.steps;

describe('the key-generation template', () => {
  it('parses with every action registered, and reads in the order the issue gives', () => {
    expect([template.name, template.script.metadata.id, template.sha256]).toEqual([
      'key-generation',
      'key-generation',
      expect.stringMatching(/^[0-9a-f]{64}$/),
    ]);
    const order = [
      'token-status',
      'confirm-token',
      'preflight',
      'login',
      'generate',
      'read-back',
      'show-attributes',
      'show-fingerprint',
      'certify',
      'export',
      'close',
    ];
    const ids = steps.map((s) => s.id);
    expect(order.map((id) => ids.indexOf(id))).toEqual([...order.map((id) => ids.indexOf(id))].sort((a, b) => a - b));
    expect(order.every((id) => ids.includes(id))).toBe(true);
  });

  it('offers the parameters the UI fills, with choices matching what the actions accept', () => {
    const parameters = template.script.parameters;
    expect(Object.keys(parameters)).toEqual(
      expect.arrayContaining(['tokenLabel', 'algorithm', 'policy', 'label', 'id', 'subject', 'validityYears', 'csr', 'selfSigned']),
    );
    expect(parameters.tokenLabel.default).toBe('Custodian Rehearsal');
    expect(parameters.algorithm.choices).toEqual(KEY_ALGORITHM_NAMES);
    expect(parameters.policy.choices).toEqual(KEY_POLICY_NAMES);
    expect(parameters.validityYears.type).toBe('integer');
    expect([parameters.csr.type, parameters.selfSigned.type]).toEqual(['boolean', 'boolean']);
  });

  it('has an administrator and a witness, the witness confirming what is shown and approving the generation', () => {
    expect(template.script.roles.witnesses.count).toBeGreaterThanOrEqual(1);
    // every value shown is confirmed by the witness, except the printed transcript, which the administrator confirms came out
    for (const step of steps.filter((s) => s.kind === 'show' && s.id !== 'check-print')) expect(step.kind === 'show' && step.confirm?.witnesses).toBe(1);
    const checkPrint = steps.find((s) => s.id === 'check-print');
    expect(checkPrint?.kind === 'show' && checkPrint.confirm?.administrator).toBe(1);
    const generate = steps.find((s) => s.id === 'generate')!;
    expect(generate.kind === 'action' && generate.approve?.witnesses).toBe(1);
  });

  it('asks for the user PIN only as a secret field, never journaled', () => {
    for (const step of steps) {
      const fields = step.kind === 'action' ? (step.inputs?.fields ?? []) : step.kind === 'input' ? step.fields : [];
      for (const field of fields.filter((f) => /pin/i.test(f.name) && f.type === 'text')) {
        expect(field.secret, `${step.id}.${field.name}`).toBe(true);
        expect(field.journal ?? 'omit').toBe('omit');
      }
    }
  });

  it('gives every keygen step the same request once the parameters are in (the default parameters are a valid request)', () => {
    const parameters = resolveParameters(template.script, { csr: true, selfSigned: true, subject: 'CN=Unit Root' });
    const resolve = (value: unknown): unknown => {
      if (typeof value === 'string') {
        const whole = /^\$\{parameters\.(\w+)\}$/.exec(value);
        if (whole) return parameters[whole[1]];
        return value.includes('${steps.preflight.result.id}') ? '0a0b0c0d' : value;
      }
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
      return value;
    };
    const keygenSteps = steps.filter((s) => s.kind === 'action' && s.action.startsWith('keygen.'));
    expect(keygenSteps.map((s) => s.id)).toEqual(['preflight', 'generate', 'read-back', 'certify']);
    const requests = keygenSteps.map((s) => {
      const { id: _id, ...request } = keyRequestOf(resolve(s.kind === 'action' ? s.params : {}) as never);
      return request;
    });
    for (const request of requests) expect(request).toEqual(requests[0]);
  });

  it('comes with a rehearsal answers file that fits the script and is refused outside a rehearsal', () => {
    const text = answersExample('key-generation')!;
    const answers = parseAnswers(text, template.script, { rehearsal: true });
    expect(answers.rehearsal).toBe(true);
    expect(() => resolveParameters(template.script, answers.parameters)).not.toThrow();
    expect(() => parseAnswers(text, template.script, { rehearsal: false })).toThrow(/rehearsal/);
    const confirmed = Object.entries((parseYaml(text) as { steps: Record<string, { confirmations?: string[] }> }).steps).filter(([, s]) => s.confirmations);
    for (const step of steps.filter((s) => s.kind === 'show' || s.kind === 'announce')) {
      expect(
        confirmed.map(([id]) => id),
        step.id,
      ).toContain(step.id);
    }
  });
});
