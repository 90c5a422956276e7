import { describe, expect, it } from 'vitest';
import type { DeviceJudge, DeviceUse, DeviceVerdict } from '../../../main/devices/device-judge';
import { checkStepDevice, decideMode, deviceUseOf } from '../../../main/ceremony/engine/devices';
import { parseScript, type Step } from '../../../main/ceremony';

// The mode logic on its own: which device each step uses, and what a set of judged devices makes. The judge here
// answers from a table (the real one, against SoftHSM2 and the simulator, is tested in test/integration/rehearsal).

function judgeFrom(table: Record<string, Partial<DeviceVerdict> & { rehearsal: boolean }>): DeviceJudge {
  return {
    async judge(use: DeviceUse) {
      const name = use.kind === 'yubihsm' ? use.device : 'label' in use.token ? use.token.label : 'slot';
      const row = table[name];
      if (!row) return null;
      return { kind: use.kind, description: `device ${name}`, reason: row.rehearsal ? 'rehearsal' : 'real', identity: `${name}#1`, ...row };
    },
    recordingNewTokens: (_use, run) => run(),
  };
}

const script = (devices: string[]) =>
  parseScript(
    [
      'metadata: { id: mode-test, title: Mode test }',
      'roles: { administrator: {}, witnesses: { count: 1 } }',
      'devices:',
      '  - { id: hsm, type: pkcs11, description: Token, module: /usr/lib/softhsm/libsofthsm2.so, token: { label: fixed } }',
      'parameters: { device: { type: string, default: simulator } }',
      'steps:',
      ...devices.map((d, i) =>
        d.startsWith('token:')
          ? `  - { id: s${i}, kind: action, title: Token ${i}, action: pkcs11.token-status, device: hsm, params: { tokenLabel: "${d.slice(6)}" } }`
          : `  - { id: s${i}, kind: action, title: YubiHSM ${i}, action: yubihsm.inspect-device, params: { device: "${d}" } }`,
      ),
    ].join('\n'),
  ).script;

async function modeOf(devices: string[], table: Record<string, { rehearsal: boolean }>, requireRehearsal = false) {
  const s = script(devices);
  return decideMode(s.steps, { devices: s.devices, parameters: {}, services: { deviceJudge: judgeFrom(table) } }, requireRehearsal);
}

describe('a ceremony’s mode comes from its devices', () => {
  it('is a rehearsal exactly when every device is a rehearsal device, and real when every one is real', async () => {
    expect((await modeOf(['token:practice', 'simulator'], { practice: { rehearsal: true }, simulator: { rehearsal: true } })).mode).toBe('rehearsal');
    const real = await modeOf(['http://127.0.0.1:12345'], { 'http://127.0.0.1:12345': { rehearsal: false } });
    expect(real.mode).toBe('real');
    expect(real.devices.map((d) => ({ id: d.id, rehearsal: d.rehearsal }))).toEqual([{ id: 'yubihsm http://127.0.0.1:12345', rehearsal: false }]);
  });

  it('refuses a mix of rehearsal and real devices before anything starts, naming both', async () => {
    await expect(modeOf(['token:practice', 'token:vault'], { practice: { rehearsal: true }, vault: { rehearsal: false } })).rejects.toMatchObject({
      code: 'DevicesMixed',
      message: expect.stringMatching(/device practice is a rehearsal device and device vault is real/),
    });
  });

  it('refuses a real device in a script that must run on rehearsal devices, naming it', async () => {
    await expect(modeOf(['token:vault'], { vault: { rehearsal: false } }, true)).rejects.toMatchObject({
      code: 'RealDeviceInRehearsal',
      message: expect.stringContaining('device vault is a real device'),
    });
    expect((await modeOf(['token:practice'], { practice: { rehearsal: true } }, true)).mode).toBe('rehearsal');
  });

  it('finds the device the way the action does: the step’s token parameter over the script’s device, the YubiHSM parameter', () => {
    const s = script(['token:from-param', 'simulator']);
    const base = { devices: s.devices, parameters: { device: 'usb:7' }, services: {} };
    const step0 = s.steps[0] as Extract<Step, { kind: 'action' }>;
    expect(deviceUseOf(step0.action, { ...base, device: s.devices[0] }, { tokenLabel: 'from-param' })).toEqual({
      kind: 'pkcs11',
      module: '/usr/lib/softhsm/libsofthsm2.so',
      token: { label: 'from-param' },
    });
    expect(deviceUseOf(step0.action, { ...base, device: s.devices[0] }, {})).toEqual({
      kind: 'pkcs11',
      module: '/usr/lib/softhsm/libsofthsm2.so',
      token: { label: 'fixed' },
    });
    expect(deviceUseOf('yubihsm.open-session', base, {})).toEqual({ kind: 'yubihsm', device: 'usb:7' });
    expect(deviceUseOf('shares.split', base, {})).toBeNull();
  });

  it('finds a YubiHSM the script’s devices section names when no device parameter is given, as the action does', async () => {
    const yubihsm = (connector: Record<string, unknown>) => ({ id: 'hsm', type: 'yubihsm' as const, connector });
    const none = { devices: [], parameters: { device: '' }, services: {} };
    expect(deviceUseOf('yubihsm.device-status', { ...none, device: yubihsm({ url: 'http://127.0.0.1:12345/' }) }, {})).toEqual({
      kind: 'yubihsm',
      device: 'http://127.0.0.1:12345',
    });
    expect(deviceUseOf('yubihsm.device-status', { ...none, device: yubihsm({ simulator: true }) }, {})).toEqual({ kind: 'yubihsm', device: 'simulator' });
    expect(deviceUseOf('yubihsm.device-status', { ...none, device: yubihsm({ usbSerial: '7' }) }, {})).toEqual({ kind: 'yubihsm', device: 'usb:7' });
    // the parameter still comes first
    expect(deviceUseOf('yubihsm.device-status', { ...none, parameters: { device: 'simulator' }, device: yubihsm({ url: 'http://127.0.0.1:1' }) }, {})).toEqual({
      kind: 'yubihsm',
      device: 'simulator',
    });
    // so a script that moved to the real device by its devices section alone is a real ceremony, not a practice run
    const moved = parseScript(
      [
        'metadata: { id: moved, title: Moved }',
        'roles: { administrator: {}, witnesses: { count: 1 } }',
        'devices:',
        '  - { id: hsm, type: yubihsm, connector: { url: "http://127.0.0.1:12345" } }',
        'steps:',
        '  - { id: s0, kind: action, title: Status, action: yubihsm.device-status, device: hsm }',
      ].join('\n'),
    ).script;
    const decided = await decideMode(
      moved.steps,
      { devices: moved.devices, parameters: {}, services: { deviceJudge: judgeFrom({ 'http://127.0.0.1:12345': { rehearsal: false } }) } },
      false,
    );
    expect(decided).toMatchObject({ mode: 'real', devices: [{ id: 'hsm', rehearsal: false }] });
  });
});

describe('before each step its device is judged again', () => {
  const s = script(['token:vault']);
  const step = s.steps[0];
  const use: DeviceUse = { kind: 'pkcs11', module: '/usr/lib/softhsm/libsofthsm2.so', token: { label: 'vault' } };

  it('refuses a rehearsal device in a real ceremony and a real one in a rehearsal', async () => {
    const services = { deviceJudge: judgeFrom({ vault: { rehearsal: true } }) };
    expect(await checkStepDevice(step, use, 'real', [], services)).toMatchObject({ refusal: { code: 'RehearsalDeviceInReal' } });
    const realJudge = { deviceJudge: judgeFrom({ vault: { rehearsal: false } }) };
    expect(await checkStepDevice(step, use, 'rehearsal', [], realJudge)).toMatchObject({ refusal: { code: 'RealDeviceInRehearsal' } });
  });

  it('refuses a token swapped since the ceremony started, and records a device first used later', async () => {
    const first = await modeOf(['token:vault'], { vault: { rehearsal: false } });
    const swapped = { deviceJudge: judgeFrom({ vault: { rehearsal: false, identity: 'vault#2', description: 'device vault (serial 2)' } }) };
    expect(await checkStepDevice(step, use, 'real', first.devices, swapped)).toMatchObject({
      refusal: { code: 'DeviceChanged', message: expect.stringContaining('is not the device this ceremony started with') },
    });
    const same = { deviceJudge: judgeFrom({ vault: { rehearsal: false } }) };
    expect(await checkStepDevice(step, use, 'real', first.devices, same)).toBeNull();
    expect(await checkStepDevice(step, use, 'real', [], same)).toMatchObject({ added: { rehearsal: false, identity: 'vault#1' } });
  });
});
