import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { z } from 'zod';

/** The app data folder: $CUSTODIAN_HOME, else ~/.custodian (Electron passes its userData folder explicitly). */
export function defaultDataDir(): string {
  return process.env.CUSTODIAN_HOME || join(homedir(), '.custodian');
}

const SettingsFile = z.strictObject({
  version: z.literal(1),
  modules: z.array(z.strictObject({ path: z.string(), name: z.string() })),
  yubihsmConnectors: z.array(z.string()),
  rehearsalPinsAcknowledged: z.boolean(),
});
export type SettingsData = z.output<typeof SettingsFile>;

const DEFAULTS: SettingsData = { version: 1, modules: [], yubihsmConnectors: [], rehearsalPinsAcknowledged: false };

/**
 * settings.json in the data folder. Written atomically (temp file + rename) so a crash never leaves half a file;
 * a file that does not parse is an error the user sees, not a silent reset to defaults.
 */
export class SettingsStore {
  private data: SettingsData = { ...DEFAULTS };
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'settings.json');
  }

  async load(): Promise<SettingsData> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (this.data = { ...DEFAULTS });
      throw error;
    }
    const parsed = SettingsFile.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw Object.assign(new Error(`settings.json at ${this.path} is not valid: ${parsed.error.issues[0]?.message}. Fix or remove it.`), {
        code: 'SettingsInvalid',
      });
    }
    return (this.data = parsed.data);
  }

  get(): SettingsData {
    return structuredClone(this.data);
  }

  async update(change: (data: SettingsData) => void): Promise<SettingsData> {
    const next = structuredClone(this.data);
    change(next);
    SettingsFile.parse(next);
    await mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
    await rename(temp, this.path);
    this.data = next;
    return this.get();
  }
}
