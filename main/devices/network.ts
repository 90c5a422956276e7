import { networkInterfaces } from 'node:os';

export interface NetworkFacts {
  airGapped: boolean;
  interfacesUp: Array<{ name: string; addresses: string[] }>;
}

/**
 * The air-gap check: every network interface that is up, other than loopback. Node lists only interfaces that
 * have an address, which is what matters for "can this machine talk to a network".
 */
export function readNetworkFacts(): NetworkFacts {
  const interfacesUp: NetworkFacts['interfacesUp'] = [];
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    const external = (addresses ?? []).filter((a) => !a.internal);
    if (external.length) interfacesUp.push({ name, addresses: external.map((a) => a.address) });
  }
  // by name, as the journal's host facts (and so the transcript) list them: the screen, the CLI and the paper agree
  interfacesUp.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { airGapped: interfacesUp.length === 0, interfacesUp };
}
