// The `custodian` command's entry (bundled to out/node/custodian.js): runs the CLI on this process's arguments.
import { main } from './index';

process.exitCode = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
