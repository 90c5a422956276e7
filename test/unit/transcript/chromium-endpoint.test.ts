import { describe, expect, it } from 'vitest';
import { localChromiumEndpoint } from '../../../main/hosts/browser/chromium-printer';

// CUSTODIAN_CHROMIUM_ENDPOINT lets `custodian run` print in a Chromium already running; a transcript never leaves
// the machine, so only a ws:// address on this machine is taken.
describe('CUSTODIAN_CHROMIUM_ENDPOINT', () => {
  it('is taken for a playwright server on this machine, and absent means none', () => {
    expect(localChromiumEndpoint(undefined)).toBeUndefined();
    expect(localChromiumEndpoint('')).toBeUndefined();
    for (const endpoint of ['ws://127.0.0.1:40123/abc', 'ws://localhost:9222/x', 'ws://[::1]:9222/x']) expect(localChromiumEndpoint(endpoint)).toBe(endpoint);
  });

  it('is refused for another machine, another scheme, or no URL at all, with the reason', () => {
    for (const endpoint of ['ws://10.0.0.5:40123/abc', 'wss://127.0.0.1:40123/abc', 'http://127.0.0.1:9222/', 'ws://127.0.0.1.example.org:1/x'])
      expect(() => localChromiumEndpoint(endpoint)).toThrow(/must be a ws:\/\/ address on this machine/);
    expect(() => localChromiumEndpoint('not a url')).toThrow(/is not a URL/);
  });
});
