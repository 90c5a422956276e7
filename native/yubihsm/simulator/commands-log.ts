/** Inner commands for the audit log: GET_LOG_ENTRIES and SET_LOG_INDEX. */
import { CAPABILITY, COMMAND, ERROR } from '../protocol/defs';
import { ByteReader } from '../protocol/bytes';
import { encodeLogEntries } from '../protocol/commands/log';
import { DeviceFault, InnerHandler, parsePayload, requireCapability } from './context';

const getLogEntries: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.GET_LOG_ENTRIES);
  if (payload.length !== 0) throw new DeviceFault(ERROR.WRONG_LENGTH);
  return encodeLogEntries(ctx.log.snapshot());
};

const setLogIndex: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.GET_LOG_ENTRIES);
  const index = parsePayload(() => {
    const r = new ByteReader(payload);
    const n = r.u16();
    r.end();
    return n;
  });
  ctx.log.markRead(index);
  ctx.changed = true;
  return new Uint8Array(0);
};

export const LOG_HANDLERS: Partial<Record<COMMAND, InnerHandler>> = {
  [COMMAND.GET_LOG_ENTRIES]: getLogEntries,
  [COMMAND.SET_LOG_INDEX]: setLogIndex,
};
