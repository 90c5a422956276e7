import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../main/ipc/app-context';
import { startAppContext } from '../../fixtures/harness';
import type { HostState } from '../../../main/devices/host-client';

describe('the device host killed in the middle of a PKCS#11 session', () => {
  let context: AppContext;
  beforeAll(async () => {
    ({ context } = await startAppContext('recovery'));
  });
  afterAll(async () => {
    await context.close();
  });

  it('fails the call in flight, restarts the host, forgets the dead session, and works again after a new login', async () => {
    const module = context.defaultModule()!;
    const token = { label: context.rehearsal!.tokenLabel };
    const { sessionKey } = await context.pkcs11.openSession(module, token, true);
    await context.pkcs11.login(sessionKey, 'USER', new TextEncoder().encode(context.rehearsal!.pins.user));
    context.pkcs11Sessions.set('c|t|USER', { sessionKey, module, token });
    expect((await context.pkcs11.random(sessionKey, 16)).length).toBe(16);

    const states: HostState['status'][] = [];
    context.deviceHost.on('state', (s: HostState) => states.push(s.status));
    const changed = new Promise<void>((resolve) =>
      context.devices.on('changed', (snap) => snap.host.status === 'ready' && snap.modules[0]?.tokens.length && resolve()),
    );
    const pid = context.deviceHost.getState().pid!;
    // An RSA-4096 generation keeps the host busy; kill it in the middle.
    const inFlight = context.pkcs11.generateKey(sessionKey, { algorithm: 'RSA-4096', policy: 'signing', label: 'interrupted' });
    setTimeout(() => process.kill(pid, 'SIGKILL'), 50);
    await expect(inFlight).rejects.toMatchObject({ code: 'HostLost' });
    expect(context.pkcs11Sessions.get('c|t|USER')).toBeUndefined();

    await changed;
    expect(states).toContain('restarting');
    expect(context.deviceHost.getState()).toMatchObject({ status: 'ready' });
    expect(context.deviceHost.getState().pid).not.toBe(pid);

    // The old session died with the old host; the token is there and a new login works.
    await expect(context.pkcs11.random(sessionKey, 16)).rejects.toMatchObject({ code: expect.any(String) });
    const again = await context.pkcs11.openSession(module, token, true);
    await context.pkcs11.login(again.sessionKey, 'USER', new TextEncoder().encode(context.rehearsal!.pins.user));
    expect((await context.pkcs11.random(again.sessionKey, 8)).length).toBe(8);
    // The interrupted generation left nothing behind.
    expect(await context.pkcs11.findObjects(again.sessionKey, { label: 'interrupted' })).toEqual([]);
  });
});
