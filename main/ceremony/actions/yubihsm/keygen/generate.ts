import { createHash } from 'node:crypto';
import { KeygenError, KeygenErrorCode } from '../../pkcs11/keygen';
import type { ActionDefinition, JsonObject } from '../../registry';
import { capabilityList, domainList, hasCapabilities } from '../capabilities';
import { objectFacts } from '../describe';
import { deviceOf, sessionNamed, translateHostError, yubihsmClient } from '../device';
import { misconfigured } from '../../../../errors';
import { promisedKey } from './read-back';
import { onKeygenSession } from './session';
import {
  ASYMMETRIC_KEY,
  YUBIHSM_LABEL_BYTES,
  attributesLines,
  objectProblems,
  planLines,
  sessionNeeds,
  yubihsmKeyRequestOf,
  type YubiHsmKeyRequest,
} from './request';

const AUTHENTICATION_KEY = 2;

/**
 * yubihsm.device-status — the key-generation ceremony's "identify the token" for a YubiHSM: serial, firmware and
 * log usage from a plain DEVICE_INFO. No session, nothing changed. params { device? }
 */
export const deviceStatus: ActionDefinition = {
  description: 'Reads the YubiHSM’s serial number, firmware and audit-log usage. Nothing is changed.',
  async run(ctx, params) {
    const described = await yubihsmClient(ctx).describe(deviceOf(ctx, params));
    return {
      publicResult: {
        serial: described.serial,
        firmware: described.firmware,
        logUsage: `${described.logUsed} of ${described.logTotal} entries`,
        connection: described.transport,
      },
    };
  },
};

/**
 * yubihsm.keygen-preflight — after the session is open (a YubiHSM answers nothing about its objects before), checks
 * everything before anything is made: the request, that the device offers the algorithm, that the session's key may
 * generate, sign, attest and read the device certificate, that the new key's capabilities and domains are within
 * what that key may give, and that no asymmetric key already has the label or the ID. Every problem at once, each
 * with the device's own limit. params { session, algorithm, policy, label, keyId, domains, subject, validityYears,
 * csr, selfSigned }
 */
export const preflight: ActionDefinition = {
  description: 'Checks the request, the device and the session’s rights before anything is generated.',
  async run(ctx, params) {
    const request = yubihsmKeyRequestOf(params);
    const handle = sessionNamed(ctx, params);
    const client = yubihsmClient(ctx);
    // The attestation needs a trust anchor: say so now, not after the key exists.
    if (!('simulator' in handle.device) && !(typeof params.attestationRoots === 'string' && params.attestationRoots.trim())) {
      throw misconfigured(
        'for a YubiHSM that is not the rehearsal simulator, "attestationRoots" must name the PEM file of Yubico’s YubiHSM attestation root and intermediates.',
      );
    }
    try {
      const problems: Array<{ code: KeygenErrorCode; message: string }> = [];
      const add = (code: KeygenErrorCode, message: string) => problems.push({ code, message });
      const offered = await client.algorithms(handle.sessionKey);
      if (!offered.includes(request.algorithmId)) {
        add(
          KeygenErrorCode.MechanismMissing,
          `This YubiHSM (serial ${handle.serial}) does not offer ${request.base.algorithm} (algorithm ${request.algorithmId}).`,
        );
      }
      const own = await client.objectInfo(handle.sessionKey, handle.authKeyId, AUTHENTICATION_KEY);
      const missing = sessionNeeds(request).filter((c) => !hasCapabilities(own.capabilities, c));
      if (missing.length)
        add(KeygenErrorCode.MechanismMissing, `Authentication key ${handle.authKeyId} lacks the capabilities ${missing.join(', ')} this ceremony needs.`);
      const beyond = request.capabilities & ~own.delegatedCapabilities;
      if (beyond)
        add(
          KeygenErrorCode.MechanismMissing,
          `Authentication key ${handle.authKeyId} may not give a new key ${capabilityList(beyond).join(', ')} (not in its delegated capabilities).`,
        );
      if (request.domains & ~own.domains) {
        add(
          KeygenErrorCode.MechanismMissing,
          `Authentication key ${handle.authKeyId} works in domains ${JSON.stringify(domainList(own.domains))} only, not ${JSON.stringify(domainList(request.domains))}.`,
        );
      }
      const keys = await client.listObjects(handle.sessionKey, ASYMMETRIC_KEY);
      const sameLabel = keys.find((k) => k.label === request.base.label);
      if (sameLabel) add(KeygenErrorCode.LabelExists, `Asymmetric key ${sameLabel.id} on this YubiHSM is already labelled “${request.base.label}”.`);
      if (request.keyId && keys.some((k) => k.id === request.keyId))
        add(KeygenErrorCode.IdExists, `This YubiHSM already holds an asymmetric key with ID ${request.keyId}.`);
      if (problems.length) {
        const message =
          problems.length === 1
            ? problems[0].message
            : `Refused for ${problems.length} reasons: ${problems.map((p, i) => `(${i + 1}) ${p.message}`).join(' ')}`;
        throw new KeygenError(problems[0].code, message, problems);
      }
      return {
        publicResult: {
          serial: handle.serial,
          keyId: request.keyId,
          algorithm: request.base.algorithm,
          capabilities: capabilityList(request.capabilities),
          domains: domainList(request.domains),
          labelLimitBytes: YUBIHSM_LABEL_BYTES,
          plan: planLines(request, handle.serial),
        },
      };
    } catch (error) {
      return translateHostError(error);
    }
  },
};

/** The asymmetric key with this request's label, if the device holds one. */
async function keyLabelled(ctx: Parameters<ActionDefinition['run']>[0], sessionKey: string, request: YubiHsmKeyRequest) {
  const keys = await yubihsmClient(ctx).listObjects(sessionKey, ASYMMETRIC_KEY);
  return keys.find((k) => k.label === request.base.label);
}

/**
 * yubihsm.generate-key — GENERATE_ASYMMETRIC_KEY with the label, ID, domains and the capabilities the policy gives,
 * then reads the object back at once: a key that differs from the request is deleted and the step fails. A retry
 * first looks for a key of this label that the interrupted attempt made and keeps it only if it is exactly what was
 * asked, otherwise deletes it; the journal says which. A lost session is opened again with the password typed on the
 * retry (input `password`, params.authKeyId). params as yubihsm.keygen-preflight, and authKeyId.
 */
export const generate: ActionDefinition = {
  description: 'Generates the key inside the YubiHSM and reads it back against the policy.',
  async run(ctx, params, inputs) {
    const request = yubihsmKeyRequestOf(params);
    const client = yubihsmClient(ctx);
    return onKeygenSession(ctx, params, inputs, async (handle) => {
      let id: number | undefined;
      let found = 'generated now';
      // The preflight found no key of this label: one there now was made by an interrupted attempt of this step.
      const earlier = await keyLabelled(ctx, handle.sessionKey, request);
      if (earlier) {
        if (objectProblems(earlier, request, earlier.id).length === 0 && (!request.keyId || earlier.id === request.keyId)) {
          id = earlier.id;
          found = 'made by the interrupted attempt, kept: it is what was asked';
          await ctx.log(`Kept asymmetric key ${earlier.id} “${earlier.label}”, made by an interrupted attempt: it is what the script asks.`, {
            keptKeyId: earlier.id,
          });
        } else {
          await client.deleteObject(handle.sessionKey, earlier.id, ASYMMETRIC_KEY);
          await ctx.log(`Deleted asymmetric key ${earlier.id} “${earlier.label}”, left by an interrupted attempt and not what was asked.`, {
            deletedKeyId: earlier.id,
          });
        }
      }
      if (id === undefined) {
        id = (
          await client.generateAsymmetricKey(handle.sessionKey, {
            id: request.keyId,
            label: request.base.label,
            domains: request.domains,
            capabilities: request.capabilities,
            algorithm: request.algorithmId,
          })
        ).id;
      }
      const info = await promisedKey(
        ctx,
        handle,
        id,
        request,
        (problems) => `The YubiHSM made a key that is not what the script promised: ${problems} It was deleted.`,
      );
      const publicKey = await client.publicKey(handle.sessionKey, id);
      const result: JsonObject = {
        keyId: id,
        found,
        ...objectFacts(info),
        attributesText: attributesLines(info, request),
        publicKeySha256: createHash('sha256').update(publicKey.spki).digest('hex'),
      };
      return { publicResult: result };
    });
  },
};
