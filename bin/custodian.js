#!/usr/bin/env node
// `npx custodian …` in a checkout: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
const { runCliProcess } = await import('../main/hosts/cli/process.ts');
await runCliProcess(process.argv.slice(2));
