import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseScript } from '../../../main/ceremony';
import { checkInputs } from '../../../main/ceremony/engine/inputs';
import { computeShareCommitment, decodeShareText, makeShareSet } from '../../../main/shares';
import { scriptErrorOf } from './fixtures';

const head = `metadata: { id: commitment-rule, title: Commitment rule }
roles:
  administrator: {}
  custodians: { count: 2, threshold: 2 }
  witnesses: { count: 1 }
steps:
`;

const issuesOf = (text: string) => scriptErrorOf(() => parseScript(text))?.issues ?? [];

const shareStep = (field: string, journal = 'commitment', params = '{ collectorVaultKey: c, shareSet: { setId: x, n: 2, m: 2 } }') => `
  - id: enter
    kind: action
    title: Enter share
    action: shares.accept
    params: ${params}
    inputs:
      from: custodians
      fields: [{ name: ${field}, label: Typed, type: text, secret: true, journal: ${journal} }]
`;

describe('journal: commitment is for shares only', () => {
  it('is accepted on the share field of shares.accept', () => {
    expect(issuesOf(head + shareStep('share'))).toEqual([]);
    // the action reads another field when params.field says so
    expect(issuesOf(head + shareStep('card', 'commitment', '{ collectorVaultKey: c, field: card, shareSet: { setId: x, n: 2, m: 2 } }'))).toEqual([]);
  });

  it('is refused on a PIN typed into an input step, naming the field', () => {
    const issues = issuesOf(
      head +
        `  - id: pin
    kind: input
    title: Type the PIN
    from: administrator
    fields: [{ name: userPin, label: User PIN, type: text, secret: true, journal: commitment }]
`,
    );
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('steps.0.fields.0.journal');
    expect(issues[0].message).toMatch(/only for a share/);
  });

  it('is refused on another field of a share step, and on any field of another action', () => {
    expect(issuesOf(head + shareStep('pin'))).toHaveLength(1);
    const other = `
  - id: login
    kind: action
    title: Log in
    action: pkcs11.login
    inputs:
      from: administrator
      fields: [{ name: pin, label: PIN, type: text, secret: true, journal: commitment }]
`;
    expect(issuesOf(head + other).map((i) => i.path)).toEqual(['steps.0.inputs.fields.0.journal']);
  });

  it('records the share commitment (the one the set recorded), not a hash of the text; a non-share records none', async () => {
    const set = await makeShareSet(new Uint8Array(randomBytes(32)), { entropyBits: 256, n: 2, m: 2 });
    const request = {
      from: 'custodians',
      fields: [{ name: 'share', label: 'Share', type: 'text' as const, secret: true, journal: 'commitment' as const, optional: false }],
    };
    const share = set.shares[1];
    const checked = checkInputs(request, { share: share.grouped });
    expect(checked.secretFields).toEqual([{ name: 'share', commitment: share.commitment }]);
    expect(share.commitment).toBe(computeShareCommitment(decodeShareText(share.text)));
    const typo = checkInputs(request, { share: share.grouped.replace(/.$/, (c) => (c === 'q' ? 'p' : 'q')) });
    expect(typo.secretFields).toEqual([{ name: 'share' }]);
  });
});
