// The package that ships: electron-builder's configuration (package.json "build") and the built bundles it packs,
// each checked against the thing it must work with — electron-builder's own defaults, the native modules' binaries,
// the bundles as built.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../../../scripts/build.js';
import { templateForms } from '../../../main/ceremony';
import { catalogueForms } from '../../../main/ceremony/templates';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const build = pkg.build;

/** electron-builder's glob patterns as it reads asarUnpack: `**` any folders, `*` any name part. */
function globMatches(path: string, pattern: string): boolean {
  const source = pattern
    .split(/(\*\*\/|\*)/)
    .map((part) => (part === '**/' ? '(?:.*/)?' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(path);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** electron-builder's default `depends` for a .deb, from the installed app-builder-lib itself. */
function electronBuilderDefaultDebDepends(): string[] {
  const { default: FpmTarget } = require('app-builder-lib/out/targets/FpmTarget.js') as { default: { prototype: { getDefaultDepends(t: string): string[] } } };
  return FpmTarget.prototype.getDefaultDepends.call({}, 'deb');
}

/** The production dependencies' native binaries, as electron-builder would pack them. */
function nativeBinaries(): string[] {
  const names = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    let manifest: { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    try {
      manifest = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
    } catch {
      return; // an optional dependency for another platform
    }
    for (const dep of [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})]) visit(dep);
  };
  names.forEach(visit);
  return [...seen].flatMap((name) => filesUnder(join(ROOT, 'node_modules', name)).filter((f) => f.endsWith('.node')));
}

describe('the electron-builder configuration', () => {
  it('depends on electron-builder’s default libraries for a .deb plus softhsm2', () => {
    const defaults = electronBuilderDefaultDebDepends();
    expect(defaults).toContain('libgtk-3-0'); // the list really came from app-builder-lib
    for (const name of [...defaults, 'softhsm2']) expect(build.deb.depends).toContain(name);
  });

  it('unpacks every native module from the asar, and each is Node-API so it needs no rebuild for Electron', () => {
    const binaries = nativeBinaries();
    const names = binaries.map((f) => relative(join(ROOT, 'node_modules'), f));
    expect(names.some((n) => n.startsWith('pkcs11js/'))).toBe(true);
    expect(names.some((n) => n.startsWith('@node-usb/'))).toBe(true);
    for (const file of binaries) {
      const inApp = relative(ROOT, file);
      expect(build.asarUnpack.some((pattern: string) => globMatches(inApp, pattern)), `${inApp} unpacked`).toBe(true);
      // A Node-API addon exports napi_register_module_v1; a V8-ABI one would need rebuilding against Electron's headers.
      expect(readFileSync(file).includes('napi_register_module_v1'), `${inApp} is Node-API`).toBe(true);
    }
    expect(build.npmRebuild).toBe(false);
    expect(globMatches('node_modules/a/b.node', '**/*.node') && !globMatches('node_modules/a/b.js', '**/*.node')).toBe(true);
  });

  it('ships the CLI: the bundle in the asar, a launcher in resources, and /usr/bin/custodian linked to it by the .deb', () => {
    expect(build.files).toContain('out/node/**');
    const launcher = build.extraResources.find((r: { to: string }) => r.to === 'bin/custodian');
    expect(launcher).toEqual({ from: 'build/cli/custodian', to: 'bin/custodian' });
    const script = readFileSync(join(ROOT, launcher.from), 'utf8');
    expect(statSync(join(ROOT, launcher.from)).mode & 0o111).not.toBe(0);
    expect(script).toContain('ELECTRON_RUN_AS_NODE=1');
    expect(script).toContain('export ELECTRON_RUN_AS_NODE');
    expect(script).toContain(`"$APP_DIR/${build.linux.executableName}"`);
    expect(script).toContain('app.asar/out/node/custodian.js');

    const macros = { executable: build.linux.executableName, sanitizedProductName: build.productName, productFilename: build.productName };
    const render = (path: string) =>
      readFileSync(join(ROOT, path), 'utf8').replace(/\${([a-zA-Z]+)}/g, (_m, name: string) => {
        if (!(name in macros)) throw new Error(`${path} uses \${${name}}, which electron-builder does not define`);
        return macros[name as keyof typeof macros];
      });
    const postinst = render(build.deb.afterInstall);
    expect(postinst).toContain('ln -sf "$APP/resources/bin/custodian" /usr/bin/custodian');
    expect(postinst).toContain('APP="/opt/Custodian"');
    expect(postinst).toContain('chrome-sandbox'); // what electron-builder's own after-install does, kept
    expect(render(build.deb.afterRemove)).toContain('rm -f /usr/bin/custodian');
    // the GUI binary is not called `custodian`, so the command on the PATH is the CLI
    expect(build.linux.executableName).not.toBe('custodian');
  });

  it('keeps the TypeScript loader and the Chromium driver out of the runtime dependencies', () => {
    expect(pkg.dependencies).not.toHaveProperty('tsx');
    expect(pkg.dependencies).not.toHaveProperty('playwright-core');
    expect(pkg.devDependencies).toHaveProperty('tsx');
    expect(pkg.optionalDependencies).toHaveProperty('playwright-core'); // the browser host's and the CLI's printer only
  });
});

describe('the built bundles', () => {
  beforeAll(async () => {
    await ensureBuilt(['node', 'renderer', 'electron']);
  }, 180_000);

  it("both renderers are React's production build, whatever NODE_ENV built them (vitest's is test)", () => {
    for (const out of ['out/renderer/assets', 'out/browser-renderer/assets']) {
      const scripts = filesUnder(join(ROOT, out)).filter((f) => f.endsWith('.js'));
      expect(scripts.length, out).toBeGreaterThan(0);
      const text = scripts.map((f) => readFileSync(f, 'utf8')).join('\n');
      expect(text, out).toContain('Minified React error'); // production React throws numbered errors
      expect(text.includes('Each child in a list should have a unique'), `${out} holds React's development build`).toBe(false);
      expect(text.includes('jsxDEV'), `${out} calls the development JSX runtime`).toBe(false);
    }
  });

  it('the Electron main bundle holds no playwright-core (PDFs come from printToPDF there)', () => {
    const files = filesUnder(join(ROOT, 'out', 'main')).filter((f) => f.endsWith('.js'));
    expect(files.map((f) => relative(ROOT, f))).toContain('out/main/index.js');
    expect(files.map((f) => relative(ROOT, f))).toContain('out/main/device-host.js');
    for (const file of files) expect(readFileSync(file, 'utf8').includes('playwright'), `${relative(ROOT, file)} mentions playwright`).toBe(false);
  });

  it('carries the ceremony templates and the print stylesheet beside the bundles', () => {
    const sources = readdirSync(join(ROOT, 'main', 'ceremony', 'templates'))
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    for (const out of ['out/main/templates', 'out/node/templates']) {
      const copied = existsSync(join(ROOT, out)) ? readdirSync(join(ROOT, out)).filter((f) => f.endsWith('.yaml')) : [];
      expect(copied.sort(), out).toEqual(sources);
    }
    expect(readFileSync(join(ROOT, 'out/node/print.css'), 'utf8')).toBe(readFileSync(join(ROOT, 'renderer/print/print.css'), 'utf8'));
  });

  it('carries the template catalogue beside the Electron bundle’s templates, giving the parser’s forms there', () => {
    expect(catalogueForms(join(ROOT, 'out/main/templates'))).toEqual(templateForms());
    expect(catalogueForms(join(ROOT, 'out/node/templates'))).toEqual(templateForms());
  });

  it('the CLI bundle runs on its own: plain Node, no TypeScript loader', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'out/node/custodian.js'), 'help'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('custodian verify <journal.jsonl>');
    for (const file of filesUnder(join(ROOT, 'out/node')).filter((f) => f.endsWith('.js'))) {
      expect(readFileSync(file, 'utf8').includes('tsx/esm'), relative(ROOT, file)).toBe(false);
    }
  });
});
