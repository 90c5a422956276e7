import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../../main/ceremony';
import { capabilityList, capabilityMask, ROLES, WRAP_KEY_DESIGN, type RoleName } from '../../../main/ceremony/actions/yubihsm';

// yubihsm-setup.yaml reads each key's rights aloud as text; they must stay what the actions put on the device.
const roleLine = (role: RoleName) => {
  const r = ROLES[role];
  const delegated = r.delegated.length ? capabilityList(capabilityMask(...r.delegated)).join(', ') : 'none';
  return `${role} key — ${r.purpose}. Capabilities: ${r.capabilities.join(', ')}. Delegated: ${delegated}.`;
};
const wrapLine = `Wrap key (AES-256-CCM) — capabilities: ${WRAP_KEY_DESIGN.capabilities.join(', ')}; delegated: ${WRAP_KEY_DESIGN.delegated.join(', ')}. It cannot itself be exported.`;

describe('yubihsm-setup reads aloud the rights the actions give each key', () => {
  const steps = getTemplate('yubihsm-setup')!.script.steps;
  const text = (id: string) => steps.find((s) => s.id === id)!.text ?? '';
  for (const role of ['admin', 'operator', 'auditor'] as const) {
    it(`the ${role} key`, () => {
      expect(text(`create-${role}-key`).startsWith(`${roleLine(role)} Its holder`)).toBe(true);
      expect(text('welcome')).toContain(roleLine(role));
    });
  }
  it('the wrap key', () => {
    expect(text('put-wrap-key')).toBe(wrapLine);
    expect(text('welcome')).toContain(wrapLine);
  });
});
