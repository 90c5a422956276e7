import { runVerifyCommand } from '../../../journal';
import { UsageError, type CliCommand } from '../io';

/** `custodian verify <journal>`: 0 and the chain head when intact, else 1 naming the first bad event. */
export const verifyCommand: CliCommand = async (args, io) => {
  if (args.length !== 1) throw new UsageError('Usage: custodian verify <journal.jsonl>');
  return runVerifyCommand(args[0], io.out);
};
