import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMAND, MemoryTransport, YubiHsmClient, YubiHsmSimulator, splitFrame } from '../../../native/yubihsm';

/** Every reply must be a well-formed frame: a response to the command sent, or a 7f error frame. */
function assertValidReply(request: Uint8Array, reply: Uint8Array) {
  const frame = splitFrame(reply);
  expect(reply.length).toBe(3 + frame.payload.length);
  if (frame.command === 0x7f) expect(frame.payload.length).toBe(1);
  else expect(frame.command).toBe(request[0] | 0x80);
}

describe('simulator fuzzing', () => {
  it('answers random frames with valid frames and never throws', () => {
    const sim = new YubiHsmSimulator();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (bytes) => {
        assertValidReply(bytes.length >= 1 ? bytes : Uint8Array.of(0), sim.process(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers well-framed random commands, plain and inside a session, with valid frames', async () => {
    const sim = new YubiHsmSimulator();
    const client = new YubiHsmClient(new MemoryTransport(sim), { keepAliveMs: 0 });
    const session = await client.openSession(1, 'password');
    const commands = fc.constantFrom<number>(
      0x01,
      0x03,
      0x04,
      0x05,
      0x06,
      0x08,
      0x40,
      0x41,
      0x44,
      0x46,
      0x48,
      0x4a,
      0x4b,
      0x4c,
      0x4d,
      0x4e,
      0x4f,
      0x50,
      0x51,
      0x54,
      0x55,
      0x56,
      0x58,
      0x5b,
      0x67,
      0x6a,
      0x6b,
      0x6c,
      0x7f,
      0xff,
    );
    await fc.assert(
      fc.asyncProperty(commands, fc.uint8Array({ maxLength: 120 }), async (cmd, payload) => {
        const framed = Uint8Array.from([cmd, payload.length >> 8, payload.length & 0xff, ...payload]);
        assertValidReply(framed, sim.process(framed));
        if (cmd === 0x08 || cmd === 0x40) return; // a reset or close would end the session under test
        try {
          await session.send(cmd as COMMAND, payload);
        } catch (e) {
          expect((e as { code?: string }).code).toMatch(/^[A-Z_]+$/);
        }
      }),
      { numRuns: 400 },
    );
    expect(Array.from(await session.echo(Uint8Array.of(1)))).toEqual([1]);
  });

  it('survives mutated copies of a real session exchange', async () => {
    const sim = new YubiHsmSimulator();
    const recorded: Uint8Array[] = [];
    const client = new YubiHsmClient(
      {
        kind: 'simulator',
        send: async (f) => {
          recorded.push(f.slice());
          return sim.process(f);
        },
        close: async () => undefined,
      },
      { keepAliveMs: 0 },
    );
    const s = await client.openSession(1, 'password');
    await s.echo(Uint8Array.of(1, 2, 3));
    await s.listObjects();
    fc.assert(
      fc.property(fc.nat(recorded.length - 1), fc.array(fc.tuple(fc.nat(400), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), (which, flips) => {
        const m = recorded[which].slice();
        for (const [at, v] of flips) if (m.length) m[at % m.length] = v;
        assertValidReply(m, sim.process(m));
      }),
      { numRuns: 1500 },
    );
  });
});
