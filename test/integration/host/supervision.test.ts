import { afterEach, describe, expect, it } from 'vitest';
import { HostError, type DeviceHostClient, type HostState } from '../../../main/devices/host-client';
import { deviceHostClient } from '../../fixtures/harness';

let client: DeviceHostClient | null = null;
afterEach(async () => {
  await client?.stop();
  client = null;
});

async function startClient() {
  client = await deviceHostClient({ CUSTODIAN_HOST_TEST_HOOKS: '1' });
  const states: HostState['status'][] = [];
  client.on('state', (s: HostState) => states.push(s.status));
  return { client, states };
}

function waitForState(c: DeviceHostClient, status: HostState['status']): Promise<HostState> {
  return new Promise((resolve) => {
    const check = (s: HostState) => {
      if (s.status === status) {
        c.off('state', check);
        resolve(s);
      }
    };
    c.on('state', check);
  });
}

describe('device host supervision (real child process)', () => {
  it('answers calls in a separate process', async () => {
    const { client } = await startClient();
    await client.start();
    const info = await client.call<{ pid: number }>('host.info');
    expect(info.pid).not.toBe(process.pid);
    expect(info.pid).toBe(client.getState().pid);
  });

  it('fails the call in flight when the host is killed mid-operation, restarts it, and carries on', async () => {
    const { client, states } = await startClient();
    await client.start();
    const firstPid = client.getState().pid;
    const inFlight = client.call('host.test.sleep', { ms: 10_000 });
    const restarted = waitForState(client, 'ready');
    setTimeout(() => process.kill(firstPid!, 'SIGKILL'), 100);
    await expect(inFlight).rejects.toMatchObject({ code: 'HostLost' });
    const state = await restarted;
    expect(state.pid).not.toBe(firstPid);
    expect(state.restarts).toBe(1);
    expect(state.lastProblem).toContain('SIGKILL');
    expect(await client.call('host.ping')).toBe('pong');
    expect(states).toEqual(['starting', 'ready', 'restarting', 'restarting', 'ready']);
  });

  it('detects a hung host (a vendor call that never returns), kills and restarts it', async () => {
    const { client } = await startClient();
    await client.start();
    const firstPid = client.getState().pid;
    const restarted = waitForState(client, 'ready');
    await expect(client.call('host.test.hang', { ms: 60_000 }, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'HostTimeout' });
    const state = await restarted;
    expect(state.pid).not.toBe(firstPid);
    expect(state.lastProblem).toContain('stopped answering');
    expect(await client.call('host.ping')).toBe('pong');
  });

  it('cancels a call on request, and the host stays up', async () => {
    const { client } = await startClient();
    await client.start();
    const pid = client.getState().pid;
    const controller = new AbortController();
    const call = client.call('host.test.sleep', { ms: 10_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(call).rejects.toMatchObject({ code: 'Cancelled' });
    expect(await client.call('host.ping')).toBe('pong');
    expect(client.getState().pid).toBe(pid);
  });

  it('answers an unknown method with a typed error', async () => {
    const { client } = await startClient();
    await client.start();
    const error = (await client.call('no.such.method').catch((e: unknown) => e)) as HostError;
    expect(error).toBeInstanceOf(HostError);
    expect(error.code).toBe('UnknownMethod');
  });

  it('a call written to a host that has just died fails as HostLost, never as an uncaught EPIPE', async () => {
    const { client } = await startClient();
    await client.start();
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const pid = client.getState().pid!;
      process.kill(pid, 'SIGKILL');
      // Wait without turning the event loop, so this process has not yet seen the host go: the IPC channel still
      // looks connected and the next calls are written into a dead pipe.
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      }
      const calls = Array.from({ length: 5 }, () => client.call('host.info').catch((e: unknown) => e));
      const errors = (await Promise.all(calls)) as HostError[];
      for (const error of errors) expect(error).toMatchObject({ code: 'HostLost' });
      await new Promise((r) => setTimeout(r, 200)); // any late 'error' event has had its turn
      expect(uncaught).toEqual([]);
      const info = await client.call<{ pid: number }>('host.info'); // the restarted host answers
      expect(info.pid).not.toBe(pid);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
