// The `custodian` command's entry (bundled to out/node/custodian.js): runs the CLI on this process's arguments, with
// a closed pipe and SIGINT/SIGTERM handled (main/hosts/cli/process.ts).
import { runCliProcess } from './process';

await runCliProcess(process.argv.slice(2));
