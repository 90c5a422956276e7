/**
 * The parameters an answers file can carry: texts and numbers (and yes/no values unless a template takes none),
 * so a template's answersFor(parameters) can pass on what the caller gave without other values slipping in.
 */
export function scalarParameters(parameters: Record<string, unknown>, options: { booleans?: boolean } = {}): Record<string, string | number | boolean> {
  const keep = (v: unknown) => typeof v === 'string' || typeof v === 'number' || (options.booleans !== false && typeof v === 'boolean');
  return Object.fromEntries(Object.entries(parameters).filter(([, v]) => keep(v))) as Record<string, string | number | boolean>;
}
