import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exceedsRootCap,
  KEY_ALGORITHM_NAMES,
  KEYGEN_ALGORITHMS,
  keyRequestOf,
  keyRequestProblems,
  KeygenError,
  KeygenErrorCode,
  MAX_ROOT_VALIDITY_YEARS,
  mechanismProblems,
  outputNames,
  planText,
  validityPeriod,
} from '../../../main/ceremony/actions/pkcs11/keygen';

const ROOT = {
  algorithm: 'EC-P384',
  policy: 'signing',
  label: 'root',
  id: '',
  subject: 'CN=Example Root CA, O=Example, C=NL',
  validityYears: 20,
  csr: true,
  selfSigned: true,
};
const codesOf = (params: Record<string, unknown>) => keyRequestProblems(params as never).map((p) => p.code);

describe('the key request every keygen step checks', () => {
  it('accepts a well-formed root request and keeps what was asked for', () => {
    const request = keyRequestOf(ROOT as never);
    expect(request).toMatchObject({
      algorithm: ROOT.algorithm,
      policy: ROOT.policy,
      label: ROOT.label,
      subject: ROOT.subject,
      validityYears: ROOT.validityYears,
      csr: true,
      selfSigned: true,
    });
    expect(request.id).toBeUndefined();
    expect(request.spec).toBe(KEYGEN_ALGORITHMS['EC-P384']);
  });

  it('gives each bad input its own code', () => {
    expect(codesOf({ ...ROOT, label: '  ' })).toEqual([KeygenErrorCode.LabelInvalid]);
    expect(codesOf({ ...ROOT, label: 'x'.repeat(65) })).toEqual([KeygenErrorCode.LabelInvalid]);
    expect(codesOf({ ...ROOT, id: '0g' })).toEqual([KeygenErrorCode.IdInvalid]);
    expect(codesOf({ ...ROOT, id: 'abc' })).toEqual([KeygenErrorCode.IdInvalid]);
    expect(codesOf({ ...ROOT, algorithm: 'DSA-1024' })).toEqual([KeygenErrorCode.AlgorithmUnknown]);
    expect(codesOf({ ...ROOT, policy: 'exportable' })).toEqual([KeygenErrorCode.PolicyUnknown]);
    expect(codesOf({ ...ROOT, subject: '' })).toEqual([KeygenErrorCode.SubjectMissing]);
    expect(codesOf({ ...ROOT, subject: 'O=Example' })).toEqual([KeygenErrorCode.SubjectInvalid]);
    expect(codesOf({ ...ROOT, subject: 'XX=1' })).toEqual([KeygenErrorCode.SubjectInvalid]);
    expect(codesOf({ ...ROOT, validityYears: 0 })).toEqual([KeygenErrorCode.ValidityInvalid]);
  });

  it('refuses an algorithm that cannot sign what was asked for: secret keys and (for now) Ed25519', () => {
    for (const algorithm of ['AES-128', 'AES-256', 'Ed25519']) {
      expect(codesOf({ ...ROOT, algorithm, csr: true, selfSigned: false })).toEqual([KeygenErrorCode.AlgorithmForbidden]);
      expect(codesOf({ ...ROOT, algorithm, csr: false, selfSigned: false })).toEqual([]);
    }
  });

  it(`refuses a root certificate valid for more than ${MAX_ROOT_VALIDITY_YEARS} years, and only a root (a CSR carries no validity)`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (years) => {
        const codes = codesOf({ ...ROOT, validityYears: years });
        expect(codes).toEqual(years > MAX_ROOT_VALIDITY_YEARS ? [KeygenErrorCode.ValidityTooLong] : []);
        expect(codesOf({ ...ROOT, selfSigned: false, validityYears: years })).toEqual([]);
      }),
    );
  });

  it('names every problem at once, the first one giving the code', () => {
    let error: unknown;
    try {
      keyRequestOf({ ...ROOT, label: '', validityYears: 40 } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KeygenError);
    const keygenError = error as KeygenError;
    expect(keygenError.code).toBe(KeygenErrorCode.LabelInvalid);
    expect(keygenError.problems.map((p) => p.code)).toEqual([KeygenErrorCode.LabelInvalid, KeygenErrorCode.ValidityTooLong]);
    expect(keygenError.message).toContain('40');
  });
});

describe('the root validity cap', () => {
  it('a period of n calendar years is within the cap exactly when n ≤ 25, whatever the start date (leap days included)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 40 }),
        (now, years) => {
          const { notBefore, notAfter } = validityPeriod(years, now);
          expect(notBefore.getTime() % 1000).toBe(0);
          expect(notAfter.getUTCFullYear() - notBefore.getUTCFullYear()).toBe(years);
          expect(exceedsRootCap(notBefore, notAfter)).toBe(years > MAX_ROOT_VALIDITY_YEARS);
          expect(exceedsRootCap(notBefore, new Date(notAfter.getTime() + 1000))).toBe(years >= MAX_ROOT_VALIDITY_YEARS);
        },
      ),
    );
  });
});

describe('output file names', () => {
  it('are always names the outputs writer accepts, whatever the label', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (label) => {
        for (const name of Object.values(outputNames(label))) {
          expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/);
          expect(name).not.toContain('..');
        }
      }),
    );
  });
});

describe('mechanisms the token must offer', () => {
  const SOFTHSM_LIKE = [
    { name: 'CKM_RSA_PKCS_KEY_PAIR_GEN', minKeySize: 512, maxKeySize: 16384 },
    { name: 'CKM_EC_KEY_PAIR_GEN', minKeySize: 112, maxKeySize: 521 },
    { name: 'CKM_AES_KEY_GEN', minKeySize: 16, maxKeySize: 32 },
    { name: 'CKM_SHA256_RSA_PKCS', minKeySize: 512, maxKeySize: 16384 },
    { name: 'CKM_ECDSA', minKeySize: 112, maxKeySize: 521 },
  ];

  it('accepts every algorithm whose mechanism and size are offered (raw ECDSA signs with the hash done outside)', () => {
    for (const algorithm of KEY_ALGORITHM_NAMES.filter((a) => a !== 'Ed25519')) {
      const signs = !algorithm.startsWith('AES');
      expect(mechanismProblems(keyRequestOf({ ...ROOT, algorithm, csr: signs, selfSigned: signs } as never), SOFTHSM_LIKE), algorithm).toEqual([]);
    }
  });

  it('names the missing mechanism, for generation and for signing', () => {
    const request = keyRequestOf(ROOT as never);
    for (const missing of ['CKM_EC_KEY_PAIR_GEN', 'CKM_ECDSA']) {
      const problems = mechanismProblems(
        request,
        SOFTHSM_LIKE.filter((m) => m.name !== missing),
      );
      expect(problems.map((p) => p.code)).toEqual([KeygenErrorCode.MechanismMissing]);
      expect(problems[0].message).toContain(missing);
    }
  });

  it('refuses a key size outside what the token generates (RSA and EC in bits, AES in bytes)', () => {
    const small = SOFTHSM_LIKE.map((m) => ({ ...m, maxKeySize: m.name === 'CKM_AES_KEY_GEN' ? 16 : 2048 }));
    expect(mechanismProblems(keyRequestOf({ ...ROOT, algorithm: 'RSA-4096' } as never), small).map((p) => p.code)).toEqual([
      KeygenErrorCode.KeySizeUnsupported,
    ]);
    expect(mechanismProblems(keyRequestOf({ ...ROOT, algorithm: 'RSA-2048' } as never), small)).toEqual([]);
    expect(mechanismProblems(keyRequestOf({ ...ROOT, algorithm: 'AES-256', csr: false, selfSigned: false } as never), small).map((p) => p.code)).toEqual([
      KeygenErrorCode.KeySizeUnsupported,
    ]);
  });
});

describe('the plan the witness confirms', () => {
  it('names the key, its policy, the token, the files, the subject and the validity', () => {
    const request = keyRequestOf(ROOT as never);
    const text = planText(request, '0102030405060708', 'drawn from the token’s random generator', { label: 'HSM A', serial: '1234' });
    for (const expected of [
      ROOT.label,
      '0102030405060708',
      'HSM A',
      '1234',
      ROOT.subject,
      `${ROOT.validityYears} years`,
      ...Object.values(outputNames(ROOT.label)),
    ]) {
      expect(text).toContain(expected);
    }
  });
});
