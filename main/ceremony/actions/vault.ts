/**
 * Secrets that must live across steps of one ceremony — shares collected one custodian at a time, a rebuilt KEK
 * or SO-PIN between the step that rebuilds it and the step that uses it. Memory only, keyed by ceremony; every
 * removal zeroes the bytes. After a restart the vault is empty: a step that needs what was in it fails and says so.
 * Hosts put one SecretVault in ctx.services.vault.
 */
export class SecretVault {
  private readonly entries = new Map<string, Map<string, { bytes?: Uint8Array; entropyBits?: number; object?: { destroy(): void } }>>();

  private of(ceremonyId: string) {
    let map = this.entries.get(ceremonyId);
    if (!map) this.entries.set(ceremonyId, (map = new Map()));
    return map;
  }

  /**
   * Keeps bytes (the vault owns them from now on and zeroes them when dropped). `entropyBits` is the strength of a
   * secret Custodian generated (a KEK, an SO-PIN, a wrap key), which splitting it requires; rebuilt or typed
   * secrets have none recorded and are never split.
   */
  putBytes(ceremonyId: string, key: string, bytes: Uint8Array, strength: { entropyBits?: number } = {}): void {
    this.drop(ceremonyId, key);
    this.of(ceremonyId).set(key, { bytes, entropyBits: strength.entropyBits });
  }

  getBytes(ceremonyId: string, key: string): Uint8Array | undefined {
    return this.entries.get(ceremonyId)?.get(key)?.bytes;
  }

  /** The strength recorded with a generated secret, undefined for any other. */
  entropyBitsOf(ceremonyId: string, key: string): number | undefined {
    return this.entries.get(ceremonyId)?.get(key)?.entropyBits;
  }

  /**
   * Every secret value one ceremony holds right now — bytes, and what held objects declare (share texts) — for the
   * journal's value guard. Zeroed or empty entries are left out.
   */
  *secretValuesOf(ceremonyId: string): Generator<Uint8Array | string> {
    for (const entry of this.entries.get(ceremonyId)?.values() ?? []) {
      if (entry.bytes && entry.bytes.some((b) => b !== 0)) yield entry.bytes;
      const declared = (entry.object as { secretValues?: () => Iterable<Uint8Array | string> } | undefined)?.secretValues;
      if (declared) yield* declared.call(entry.object);
    }
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
