/**
 * @peculiar/x509 resolves its algorithm providers through tsyringe, which insists on the Reflect metadata API at import
 * time. The project does not carry `reflect-metadata`, so this module supplies the four functions tsyringe calls
 * (getMetadata, getOwnMetadata, defineMetadata, metadata), backed by a WeakMap. Import it before @peculiar/x509.
 */
type Key = unknown;
const store = new WeakMap<object, Map<string | symbol | undefined, Map<Key, unknown>>>();

function table(target: object, property: string | symbol | undefined, create: boolean): Map<Key, unknown> | undefined {
  let byProperty = store.get(target);
  if (!byProperty) {
    if (!create) return undefined;
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let entries = byProperty.get(property);
  if (!entries && create) {
    entries = new Map();
    byProperty.set(property, entries);
  }
  return entries;
}

const api = {
  defineMetadata(key: Key, value: unknown, target: object, property?: string | symbol) {
    table(target, property, true)!.set(key, value);
  },
  getOwnMetadata(key: Key, target: object, property?: string | symbol) {
    return table(target, property, false)?.get(key);
  },
  getMetadata(key: Key, target: object, property?: string | symbol): unknown {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const found = table(t, property, false);
      if (found?.has(key)) return found.get(key);
    }
    return undefined;
  },
  metadata(key: Key, value: unknown) {
    return (target: object, property?: string | symbol) => api.defineMetadata(key, value, target, property);
  },
};

const reflect = Reflect as unknown as Record<string, unknown>;
for (const [name, fn] of Object.entries(api)) {
  if (typeof reflect[name] !== 'function') reflect[name] = fn;
}
export {};
