#!/usr/bin/env node
// `node bin/custodian.js …` (or `npx custodian …`) in a checkout: rebuilds out/node when a source file is newer
// than it (an mtime walk of a few milliseconds), then runs the CLI bundle. The packaged app runs the same bundle through its own launcher.
import { ensureBuilt } from '../scripts/build.js';

await ensureBuilt(['node'], { log: (line) => process.stderr.write(`${line}\n`) });
await import('../out/node/custodian.js');
