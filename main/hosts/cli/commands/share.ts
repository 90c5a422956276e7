import { checkShareText } from '../../../shares';
import { UsageError, type CliCommand } from '../io';

/** `custodian share check <text>`: tells a custodian offline whether their card reads correctly. */
export const shareCommand: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub !== 'check' || rest.length === 0) throw new UsageError('Usage: custodian share check <share text, groups may be separated by spaces>');
  const result = checkShareText(rest.join(' '));
  (result.ok ? io.out : io.err)(result.summary);
  return result.ok ? 0 : 1;
};
