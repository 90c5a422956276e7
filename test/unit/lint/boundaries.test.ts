import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const cwd = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('lint enforces the process boundaries', () => {
  it('fails when electron is imported outside main/app and preload', async () => {
    expect(await ruleIds('main/ceremony/engine/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('native/pkcs11/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('renderer/screens/X.tsx', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toContain(
      'no-restricted-imports',
    );
  });

  it('allows electron in main/app and the preload', async () => {
    expect(await ruleIds('main/app/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
    expect(await ruleIds('preload/index.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toEqual([]);
  });

  it('fails when the renderer imports a Node built-in, main/ or native/', async () => {
    expect(await ruleIds('renderer/screens/X.tsx', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toContain(
      'no-restricted-imports',
    );
    expect(await ruleIds('renderer/screens/X.tsx', "import path from 'path';\nexport const a = path;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('renderer/screens/X.tsx', "import { Router } from '../../main/ipc';\nexport const a = Router;\n")).toContain('no-restricted-imports');
  });

  it('lets the renderer import types, and only types, from preload/api', async () => {
    expect(await ruleIds('renderer/screens/X.tsx', "import type { AppInfo } from '../../preload/api';\nexport type A = AppInfo;\n")).toEqual([]);
    expect(await ruleIds('renderer/screens/X.tsx', "import { contract } from '../../preload/api';\nexport const a = contract;\n")).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
  });

  it('bans network modules and fetch outside the YubiHSM transport and simulator', async () => {
    expect(await ruleIds('main/journal/x.ts', "import http from 'node:http';\nexport const a = http;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('native/pkcs11/x.ts', "export const a = () => fetch('x');\n")).toContain('no-restricted-globals');
    expect(await ruleIds('native/yubihsm/transport/http.ts', "import http from 'node:http';\nexport const a = http;\n")).toEqual([]);
  });
});
