import { describe, expect, it } from 'vitest';
import { getTemplate, parseScript } from '../../../main/ceremony';
import { refusalOf } from './fixtures';

// The threshold is stated once, in roles.custodians; the steps that need it (split, combine, the bundle check) write
// ${roles.custodians.threshold} / ${roles.custodians.count} and the parser fills them in.

const backup = (parameters: Record<string, unknown>) => getTemplate('backup', parameters)!;
const split = (script: { steps: { id: string }[] }) => script.steps.find((s) => s.id === 'split-kek') as unknown as { params: { n: unknown; m: unknown } };

const refusal = (text: string): string => refusalOf(() => parseScript(text), 'the script was accepted').message;

describe('the threshold stated once', () => {
  it('the split step takes n and m from roles.custodians, for every parameter set', () => {
    for (const [custodians, threshold] of [
      [5, 3],
      [7, 4],
      [2, 2],
    ]) {
      const t = backup({ custodians, threshold });
      expect(t.text).toContain("m: '${roles.custodians.threshold}'");
      expect(t.script.roles.custodians).toMatchObject({ count: custodians, threshold });
      expect(split(t.script).params).toMatchObject({ n: custodians, m: threshold });
      // the plain script parsed again gives the same numbers: the journal's text is what is run on resume
      expect(split(parseScript(t.text).script).params).toMatchObject({ n: custodians, m: threshold });
    }
  });

  it('changing the threshold in roles changes it in the step: the two cannot disagree', () => {
    const text = backup({}).text.replace(/^(\s+threshold:) 3$/m, '$1 4');
    expect(split(parseScript(text).script).params.m).toBe(4);
  });

  it('refuses a reference to a threshold the roles do not state, and an unknown roles reference', () => {
    const text = backup({}).text;
    const noCustodians = text.replace(/^ {2}custodians:\n( {4}.*\n)+/m, '');
    expect(refusal(noCustodians)).toMatch(/steps\.\d+\.params\.n: "roles\.custodians\.count" refers to roles\.custodians, which this script does not state/);
    expect(refusal(text.replace("m: '${roles.custodians.threshold}'", "m: '${roles.custodians.quorum}'"))).toMatch(
      /line \d+: steps\.\d+\.params\.m: unknown reference "roles\.custodians\.quorum"/,
    );
  });
});
