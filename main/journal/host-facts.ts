import os from 'node:os';
import type { JsonValue } from './canonical-json';

/** What the first journal event says about the machine: the air-gap check among it. */
export interface HostFacts {
  [key: string]: JsonValue;
  platform: string;
  osRelease: string;
  osVersion: string;
  arch: string;
  hostname: string;
  /** network interfaces with at least one address, loopback excluded: should be empty on an air-gapped machine */
  interfacesUp: { name: string; addresses: string[]; mac: string }[];
  airGapped: boolean;
}

export function collectHostFacts(): HostFacts {
  const interfacesUp: HostFacts['interfacesUp'] = [];
  for (const [name, addresses] of Object.entries(os.networkInterfaces())) {
    const external = (addresses ?? []).filter((a) => !a.internal);
    if (external.length === 0) continue;
    interfacesUp.push({ name, addresses: external.map((a) => `${a.address}/${a.cidr?.split('/')[1] ?? ''}`), mac: external[0].mac });
  }
  interfacesUp.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    platform: os.platform(),
    osRelease: os.release(),
    osVersion: typeof os.version === 'function' ? os.version() : '',
    arch: os.arch(),
    hostname: os.hostname(),
    interfacesUp,
    airGapped: interfacesUp.length === 0,
  };
}
