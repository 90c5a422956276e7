import { readNetworkFacts } from '../../devices';
import { CeremonyError, CeremonyErrorCode } from '../../errors';
import type { CeremonyMode } from './device-record';

/**
 * The air gap, checked before anything is written: a real ceremony on a machine with a network interface up (other
 * than loopback) is refused, naming the interfaces, unless the script says `network: allowed`. A rehearsal runs
 * whatever the network; the journal's first event records the interfaces either way (the transcript prints them).
 * `interfaces` is for tests of this rule alone; the engine reads the machine's own.
 */
export function requireAirGap(mode: CeremonyMode, network: 'allowed' | undefined, interfaces = readNetworkFacts().interfacesUp.map((i) => i.name)): void {
  if (mode !== 'real' || network === 'allowed' || interfaces.length === 0) return;
  throw new CeremonyError(
    CeremonyErrorCode.NotAirGapped,
    `Refused: this is a real ceremony and the machine is not air-gapped — network interface${interfaces.length > 1 ? 's' : ''} up: ${interfaces.join(', ')}. ` +
      'Take the machine off every network (unplug the cable, switch off Wi-Fi) and start again; nothing was written.',
  );
}
