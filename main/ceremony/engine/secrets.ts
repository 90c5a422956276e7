/**
 * The only place secrets live: in memory, as bytes, keyed by step. Nothing here is ever serialised;
 * every removal zeroes the bytes first. Strings handed in are converted at once (a JS string cannot be zeroed).
 */
export class SecretStore {
  private readonly inputs = new Map<string, Record<string, Uint8Array>>();
  private readonly reveals = new Map<string, Uint8Array>();

  holdInputs(stepId: string, values: Record<string, Uint8Array>): void {
    this.dropInputs(stepId);
    if (Object.keys(values).length > 0) this.inputs.set(stepId, values);
  }

  inputsOf(stepId: string): Record<string, Uint8Array> | undefined {
    return this.inputs.get(stepId);
  }

  dropInputs(stepId: string): void {
    for (const bytes of Object.values(this.inputs.get(stepId) ?? {})) bytes.fill(0);
    this.inputs.delete(stepId);
  }

  holdReveal(stepId: string, key: string, value: Uint8Array | string): void {
    const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    this.dropReveal(stepId, key);
    this.reveals.set(`${stepId}\u0000${key}`, bytes);
  }

  reveal(stepId: string, key: string): Uint8Array | undefined {
    return this.reveals.get(`${stepId}\u0000${key}`);
  }

  dropReveal(stepId: string, key: string): void {
    const id = `${stepId}\u0000${key}`;
    this.reveals.get(id)?.fill(0);
    this.reveals.delete(id);
  }

  /** Every secret held now (typed inputs, reveals not yet acknowledged), for the journal's value guard. */
  *values(): Generator<Uint8Array> {
    for (const record of this.inputs.values()) yield* Object.values(record);
    yield* this.reveals.values();
  }

  /** how many secrets are held: for tests and for the screen ("2 secrets in memory") */
  get size(): number {
    return this.reveals.size + [...this.inputs.values()].reduce((n, r) => n + Object.keys(r).length, 0);
  }

  dropAll(): void {
    for (const id of [...this.inputs.keys()]) this.dropInputs(id);
    for (const bytes of this.reveals.values()) bytes.fill(0);
    this.reveals.clear();
  }
}

/** The secret for the screen: text when it is printable ASCII, otherwise hex in groups of four. */
export function displayForm(bytes: Uint8Array): { value: string; format: 'text' | 'hex' } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (/^[\x20-\x7e]+$/.test(text)) return { value: text, format: 'text' };
  } catch {
    // not text: show hex
  }
  return {
    value: Buffer.from(bytes)
      .toString('hex')
      .match(/.{1,4}/g)!
      .join(' '),
    format: 'hex',
  };
}

export interface RevealedSecret {
  stepId: string;
  participantId: string;
  /** the secret for the screen: text when it is printable UTF-8, otherwise hex in groups of four */
  value: string;
  format: 'text' | 'hex';
}
