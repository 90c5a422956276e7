import { realpathSync } from 'node:fs';

/**
 * SoftHSM2 reads SOFTHSM2_CONF when it is initialised. Custodian's rehearsal store has its own configuration, and a
 * real SoftHSM2 store (a copy of the library at another path, configured as a module) keeps the one this process was
 * started with: main names the rehearsal module and its configuration (CUSTODIAN_REHEARSAL_MODULE,
 * CUSTODIAN_REHEARSAL_SOFTHSM2_CONF) and the configuration is set for just that module's initialisation.
 */
const inherited = process.env.SOFTHSM2_CONF;

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export function withModuleEnvironment<T>(path: string, load: () => T): T {
  const rehearsalModule = process.env.CUSTODIAN_REHEARSAL_MODULE;
  const rehearsalConf = process.env.CUSTODIAN_REHEARSAL_SOFTHSM2_CONF;
  if (!rehearsalModule || !rehearsalConf) return load();
  const before = process.env.SOFTHSM2_CONF;
  const conf = real(path) === real(rehearsalModule) ? rehearsalConf : inherited;
  if (conf === undefined) delete process.env.SOFTHSM2_CONF;
  else process.env.SOFTHSM2_CONF = conf;
  try {
    return load();
  } finally {
    if (before === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = before;
  }
}
