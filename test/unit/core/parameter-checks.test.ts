import { describe, expect, it } from 'vitest';
import { parameterProblems } from '../../../main/ipc/parameter-checks';
import { CeremonyService } from '../../../main/ipc/ceremonies';

describe('parameters checked on the new-ceremony form, with the preflight’s rules', () => {
  it('refuses an emptied key label, a self-signed root without a subject and 30 years of validity, all at once', () => {
    const problems = parameterProblems('key-generation', { algorithm: 'RSA-4096', label: '', selfSigned: true, subject: '', validityYears: 30 });
    const codes = problems.map((p) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['LabelInvalid', 'SubjectMissing', 'ValidityTooLong']));
    expect(problems.find((p) => p.code === 'ValidityTooLong')!.message).toMatch(/at most 25 years/);
  });

  it('accepts a complete, sensible set of parameters', () => {
    expect(
      parameterProblems('key-generation', { algorithm: 'EC-P256', label: 'root-2026', selfSigned: true, subject: 'CN=Example Root, C=NL', validityYears: 10 }),
    ).toEqual([]);
  });

  it('checks the CA ceremonies’ profile and revocations on the form, with the preflight’s own sentences', () => {
    expect(parameterProblems('sign-subordinate', { validityDays: 4000 }).map((p) => p.message)).toEqual([
      'validityDays is 4000; this script caps the validity at 3650 days.',
    ]);
    expect(parameterProblems('sign-subordinate', { validityDays: 365 })).toEqual([]);
    expect(parameterProblems('sign-crl', { revoked: '0a1b2c3d revokedForFun 2026-11-30' })[0].message).toMatch(
      /revoked, line 1: “revokedForFun” is not a reason/,
    );
    expect(parameterProblems('sign-crl', { revoked: '0a1b2c3d keyCompromise 2026-11-30' })).toEqual([]);
  });

  it('refuses a wrongly typed value with the engine’s own sentence', () => {
    expect(parameterProblems('key-generation', { validityYears: 'ten' })[0]).toMatchObject({ code: 'ParameterInvalid' });
  });

  it('describes what the chosen parameters make, and creating a ceremony with a problem is refused before any journal exists', async () => {
    const service = new CeremonyService({
      dir: '/nonexistent/custodian-test',
      engine: () => Promise.reject(new Error('not reached')),
      printer: () => {
        throw new Error('not reached');
      },
    });
    expect(service.checkParameters('backup', { custodians: 5, threshold: 2 }).description).toMatch(/2-of-5/);
    expect(service.checkParameters('backup', { custodians: 4, threshold: 3 }).description).toMatch(/3-of-4/);
    await expect(service.create('key-generation', { label: '' })).rejects.toMatchObject({ code: 'ParameterInvalid' });
  });
});
