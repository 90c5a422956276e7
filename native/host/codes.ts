/**
 * A table of codes whose every value is its own name, written once: `codes('A', 'B')` is `{ A: 'A', B: 'B' }`, and
 * `type T = CodeOf<typeof T>` is the union of its values. Each area's error codes (main/errors, the PKCS#11 layer, key
 * generation, shares) are one such list, so a code is read as `T.A` and crosses the RPC as the plain string 'A'.
 */
export function codes<const Name extends string>(...names: Name[]): { readonly [K in Name]: K } {
  return Object.freeze(Object.fromEntries(names.map((name) => [name, name]))) as { readonly [K in Name]: K };
}

/** The union of a code table's values. */
export type CodeOf<Table> = Table[keyof Table];
