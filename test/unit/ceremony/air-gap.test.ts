import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseScript, ScriptError } from '../../../main/ceremony';
import { requireAirGap } from '../../../main/ceremony/engine/air-gap';

const script = (metadataExtra: string, firstStep: string) => `metadata: { id: net, title: Network${metadataExtra} }
roles:
  administrator: {}
  witnesses: { count: 1 }
steps:
${firstStep}
  - { id: hello, kind: announce, title: Hello, text: Hello }
`;
const ack = '  - { id: network-acknowledged, kind: confirm, title: The network is up, quorum: { administrator: 1, witnesses: 1 } }';

function messageOf(text: string): string {
  try {
    parseScript(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ScriptError);
    return (error as ScriptError).message;
  }
  return '';
}

describe('the air gap before the first step', () => {
  it('refuses a real ceremony with an interface up, naming it; a rehearsal, or a script allowing the network, passes', () => {
    expect(() => requireAirGap('real', undefined, ['eth0', 'wlan0'])).toThrow(/not air-gapped — network interfaces up: eth0, wlan0/);
    expect(() => requireAirGap('real', undefined, [])).not.toThrow();
    expect(() => requireAirGap('rehearsal', undefined, ['eth0'])).not.toThrow();
    expect(() => requireAirGap('real', 'allowed', ['eth0'])).not.toThrow();
  });

  it('reads this machine’s own interfaces by default (loopback never counts)', () => {
    const up = Object.entries(networkInterfaces())
      .filter(([, addresses]) => (addresses ?? []).some((a) => !a.internal))
      .map(([name]) => name);
    if (up.length) expect(() => requireAirGap('real', undefined)).toThrow(new RegExp(up.join('|')));
    else expect(() => requireAirGap('real', undefined)).not.toThrow();
  });

  it('takes network: allowed only with a first confirm step by the administrator and a witness; any other value is refused', () => {
    expect(messageOf(script(', network: allowed', ack))).toBe('');
    expect(messageOf(script(', network: allowed', ''))).toMatch(/network: allowed needs a first step of kind confirm/);
    expect(messageOf(script(', network: allowed', ack.replace('witnesses: 1', 'witnesses: 0')))).toMatch(/needs a first step/);
    expect(messageOf(script(', network: yes', ack))).toMatch(/network must be "allowed" or left out/);
    expect(messageOf(script('', ack))).toBe('');
  });
});
