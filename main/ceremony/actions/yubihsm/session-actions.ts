import { HostError } from '../../../devices';
import type { YubiHsmOpenedSession } from '../../../devices';
import type { ActionContext, ActionDefinition, JsonObject } from '../registry';
import { ALL_DEFINED_CAPABILITIES, ALL_DOMAINS, capabilityList, domainList } from './capabilities';
import { objectFacts } from './describe';
import { closeSessionNamed, deviceOf, integerParam, keepSession, secretInput, SessionHandle, sessionNamed, translateHostError, yubihsmClient } from './device';
import { misconfigured, YubiHsmCeremonyError, YubiHsmCeremonyErrorCode } from '../../../errors';
import { typedPassword } from './passwords';

/** The factory-default authentication key (COMMANDS.md): ID 1, password "password" — public knowledge, not a secret. */
export const FACTORY_KEY_ID = 1;
const FACTORY_PASSWORD = 'password';
const FACTORY_LABEL = 'DEFAULT AUTHKEY CHANGE THIS ASAP';
const AUTHENTICATION_KEY = 2;

function sessionName(params: JsonObject, fallback: string): string {
  const name = params.as ?? fallback;
  if (typeof name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(name)) throw misconfigured('"as" names the session in lowercase letters, digits and dashes.');
  return name;
}

function deviceFacts(opened: YubiHsmOpenedSession): JsonObject {
  return { serial: opened.device.serial, firmware: opened.device.firmware, logUsed: opened.device.logUsed, logTotal: opened.device.logTotal };
}

async function open(ctx: ActionContext, params: JsonObject, keyId: number, password: Uint8Array) {
  const device = deviceOf(ctx, params);
  const client = yubihsmClient(ctx);
  const opened = await client.openSession(device, keyId, password.slice());
  const handle = new SessionHandle(opened.sessionKey, keyId, device, opened.device.serial, client);
  return { opened, handle, client };
}

/**
 * yubihsm.inspect-device — opens a session with the factory key (ID 1, "password"), shows serial, firmware and log
 * usage, lists every object, and refuses to go on when the device is not in the factory state (key 1 is not the
 * factory key, or other objects exist) unless the administrator chose to (params.allowNonFactory, a ceremony
 * parameter: chosen when the ceremony starts, journaled). Keeps the session as params.as (default "setup"). When the
 * step has an input `password` (yubihsm-restore: the administrator types the factory password in a real ceremony),
 * that is what is tried. params { device?, as?, allowNonFactory? }
 */
export const inspectDevice: ActionDefinition = {
  description: 'Opens a session with the factory key and checks that the YubiHSM is in its factory state.',
  async run(ctx, params, inputs) {
    const name = sessionName(params, 'setup');
    let session;
    try {
      session = await open(ctx, params, FACTORY_KEY_ID, secretInput(inputs, 'password') ?? new TextEncoder().encode(FACTORY_PASSWORD));
    } catch (error) {
      if (error instanceof HostError && (error.code === 'AUTHENTICATION_FAILED' || error.code === 'OBJECT_NOT_FOUND')) {
        throw new YubiHsmCeremonyError(
          YubiHsmCeremonyErrorCode.NotFactoryState,
          `The factory key (ID 1, password "password") does not open a session — the YubiHSM said: ${error.message} This device was set up before: reset it to its factory state, or use the rotation ceremony.`,
        );
      }
      throw error;
    }
    const { opened, handle, client } = session;
    try {
      const objects = await client.listObjects(opened.sessionKey);
      const key1 = opened.key;
      const factoryKey =
        key1.label === FACTORY_LABEL && key1.domains === ALL_DOMAINS && (key1.capabilities & ALL_DEFINED_CAPABILITIES) === ALL_DEFINED_CAPABILITIES;
      const others = objects.filter((o) => !(o.id === FACTORY_KEY_ID && o.type === AUTHENTICATION_KEY));
      const factoryState = factoryKey && others.length === 0;
      const confirmed = params.allowNonFactory === true;
      if (!factoryState && !confirmed) {
        handle.destroy();
        const what = [
          ...(factoryKey ? [] : [`key 1 is not the factory key (label "${key1.label}", capabilities ${capabilityList(key1.capabilities).join(', ')})`]),
          ...(others.length
            ? [`it holds ${others.length} other object(s): ${others.map((o) => `${objectFacts(o).type} ${o.id} "${o.label}"`).join('; ')}`]
            : []),
        ].join(', and ');
        throw new YubiHsmCeremonyError(
          YubiHsmCeremonyErrorCode.NotFactoryState,
          `This YubiHSM (serial ${opened.device.serial}) is not in its factory state: ${what}. Nothing was changed. To set it up anyway, abort this ceremony and start it again with "allowNonFactory" (go on although the device is not in its factory state) chosen.`,
        );
      }
      keepSession(ctx, name, handle);
      return {
        publicResult: {
          ...deviceFacts(opened),
          session: name,
          factoryState,
          goingOnDespiteNonFactoryState: !factoryState,
          objects: objects.map(objectFacts),
        },
      };
    } catch (error) {
      if (!(error instanceof YubiHsmCeremonyError)) handle.destroy();
      return translateHostError(error);
    }
  },
};

/**
 * yubihsm.open-session — opens a session with auth key params.keyId and the password its holder types (input
 * `password`); a wrong password is the device's AUTHENTICATION_FAILED with its sentence, and a retry asks again.
 * Keeps it as params.as, closing any session of that name. params { device?, keyId, as }
 */
export const openSession: ActionDefinition = {
  description: 'Opens an authenticated session with the YubiHSM.',
  async run(ctx, params, inputs) {
    const name = sessionName(params, 'admin');
    const keyId = integerParam(params, 'keyId');
    const { opened, handle } = await open(ctx, params, keyId, typedPassword(inputs, 'password', `password of authentication key ${keyId}`));
    keepSession(ctx, name, handle);
    return {
      publicResult: {
        ...deviceFacts(opened),
        session: name,
        keyId,
        label: opened.key.label,
        capabilities: capabilityList(opened.key.capabilities),
        domains: domainList(opened.key.domains),
      },
    };
  },
};

/** yubihsm.close-session — closes the named session (params.session). */
export const closeSession: ActionDefinition = {
  description: 'Closes the YubiHSM session.',
  async run(ctx, params) {
    const name = typeof params.session === 'string' ? params.session : '';
    if (!name) throw misconfigured('the step needs the parameter "session".');
    return { publicResult: { session: name, closed: await closeSessionNamed(ctx, name) } };
  },
};

/** yubihsm.list-objects — what the device holds now, as the session sees it (params.session). */
export const listObjects: ActionDefinition = {
  description: 'Lists the objects on the YubiHSM.',
  async run(ctx, params) {
    const handle = sessionNamed(ctx, params);
    try {
      const objects = await yubihsmClient(ctx).listObjects(handle.sessionKey);
      return { publicResult: { serial: handle.serial, objects: objects.map(objectFacts), count: objects.length } };
    } catch (error) {
      return translateHostError(error);
    }
  },
};
