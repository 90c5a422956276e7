/**
 * Secrets that must live across steps of one ceremony — shares collected one custodian at a time, a rebuilt KEK
 * or SO-PIN between the step that rebuilds it and the step that uses it. Memory only, keyed by ceremony; every
 * removal zeroes the bytes. After a restart the vault is empty: a step that needs what was in it fails and says so.
 * Hosts put one SecretVault in ctx.services.vault.
 */
export class SecretVault {
  private readonly entries = new Map<string, Map<string, { bytes?: Uint8Array; object?: { destroy(): void } }>>();

  private of(ceremonyId: string) {
    let map = this.entries.get(ceremonyId);
    if (!map) this.entries.set(ceremonyId, (map = new Map()));
    return map;
  }

  /** Keeps bytes (the vault owns them from now on and zeroes them when dropped). */
  putBytes(ceremonyId: string, key: string, bytes: Uint8Array): void {
    this.drop(ceremonyId, key);
    this.of(ceremonyId).set(key, { bytes });
  }

  getBytes(ceremonyId: string, key: string): Uint8Array | undefined {
    return this.entries.get(ceremonyId)?.get(key)?.bytes;
  }

  /** Keeps an object that holds secrets itself (a ShareCollector); destroy() is called when dropped. */
  putObject<T extends { destroy(): void }>(ceremonyId: string, key: string, object: T): T {
    this.drop(ceremonyId, key);
    this.of(ceremonyId).set(key, { object });
    return object;
  }

  getObject<T>(ceremonyId: string, key: string): T | undefined {
    return this.entries.get(ceremonyId)?.get(key)?.object as T | undefined;
  }

  drop(ceremonyId: string, key: string): void {
    const map = this.entries.get(ceremonyId);
    const entry = map?.get(key);
    if (!entry) return;
    entry.bytes?.fill(0);
    entry.object?.destroy();
    map!.delete(key);
  }

  /** Everything of one ceremony (it completed or was aborted). */
  dropCeremony(ceremonyId: string): void {
    for (const key of [...(this.entries.get(ceremonyId)?.keys() ?? [])]) this.drop(ceremonyId, key);
    this.entries.delete(ceremonyId);
  }

  size(ceremonyId?: string): number {
    if (ceremonyId) return this.entries.get(ceremonyId)?.size ?? 0;
    return [...this.entries.values()].reduce((n, m) => n + m.size, 0);
  }
}

export function vaultOf(services: Record<string, unknown>): SecretVault {
  const vault = services.vault;
  if (!(vault instanceof SecretVault)) throw new Error('This host gave the ceremony no secret vault.');
  return vault;
}
