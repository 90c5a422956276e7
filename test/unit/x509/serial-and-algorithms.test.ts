import { describe, expect, it } from 'vitest';
import { serialFromRandom, X509_ALGORITHMS } from '../../../main/x509';

describe('certificate serial numbers from HSM randomness', () => {
  it('are positive, non-zero-leading and at most 20 octets', () => {
    const serial = serialFromRandom(new Uint8Array(32).fill(0xff));
    expect(serial.length).toBe(40);
    expect(parseInt(serial.slice(0, 2), 16)).toBeLessThan(0x80);
    expect(serialFromRandom(new Uint8Array(16)).slice(0, 2)).toBe('01');
  });
  it('refuse fewer than 64 bits of randomness', () => {
    expect(() => serialFromRandom(new Uint8Array(7))).toThrow(expect.objectContaining({ code: 'SerialTooShort' }));
  });
  it('describe RSA-PSS with a salt as long as the hash', () => {
    expect(X509_ALGORITHMS['RSA-PSS-SHA384'].signing).toEqual({ name: 'RSA-PSS', hash: 'SHA-384', saltLength: 48 });
  });
});
