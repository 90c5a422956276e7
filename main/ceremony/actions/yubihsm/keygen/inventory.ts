import { createPublicKey, X509Certificate } from 'node:crypto';
import { HostError, YUBIHSM_OBJECT } from '../../../../devices';
import { writeOutputOnce } from '../../pkcs11/keygen';
import type { ActionContext, ActionDefinition, JsonObject } from '../../registry';
import { objectFacts } from '../describe';
import { sessionNamed, translateHostError, yubihsmClient, type SessionHandle } from '../device';
import { anchorsFor, DEVICE_CERTIFICATE, verifyChain } from './attest';
import { attestedClaims } from './attestation-claims';
import { pemOf, sha256Hex } from './read-back';
import { groupHex } from '../../../../fingerprint';

/** "EC P-256", "RSA 3072", "Ed25519" — read from the public key itself, not from the device's algorithm number. */
function keyKind(spki: Uint8Array): string {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec')
    return `EC ${({ prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' } as Record<string, string>)[d.namedCurve ?? ''] ?? d.namedCurve}`;
  if (key.asymmetricKeyType === 'rsa') return `RSA ${d.modulusLength}`;
  return key.asymmetricKeyType === 'ed25519' ? 'Ed25519' : String(key.asymmetricKeyType);
}

interface Attestation {
  status: 'verified' | 'not attested';
  detail: string;
  file?: string;
  sha256?: string;
}

/** The device's attestation of one asymmetric key, verified against the device chain; what the device said when it cannot attest. */
async function attestationOf(
  ctx: ActionContext,
  handle: SessionHandle,
  keyId: number,
  spki: Uint8Array,
  chain: { device: X509Certificate; anchors: X509Certificate[] },
): Promise<Attestation> {
  let der: Uint8Array;
  try {
    der = await yubihsmClient(ctx).attest(handle.sessionKey, keyId, 0);
  } catch (error) {
    if (error instanceof HostError) return { status: 'not attested', detail: `the device did not attest it (${error.code}: ${error.message})` };
    throw error;
  }
  const certificate = new X509Certificate(Buffer.from(der));
  const path = verifyChain(certificate, chain.device, chain.anchors);
  if (!Buffer.from(certificate.publicKey.export({ type: 'spki', format: 'der' })).equals(Buffer.from(spki))) {
    return { status: 'not attested', detail: 'the attestation certificate carries a different public key: investigate' };
  }
  const claims = attestedClaims(der);
  if (claims.objectId !== undefined && claims.objectId !== keyId) return { status: 'not attested', detail: `the attestation names object ${claims.objectId}` };
  const file = await writeOutputOnce(ctx, `yubihsm-${handle.serial}-key-${keyId}.attestation.pem`, pemOf('CERTIFICATE', der));
  const origin = claims.origin === 1 ? 'generated on the device' : claims.origin === 2 ? 'imported' : `origin ${claims.origin}`;
  return { status: 'verified', detail: `${origin}; chain ${path.map((p) => `“${p}”`).join(' → ')}`, file: file.name, sha256: sha256Hex(der) };
}

/**
 * yubihsm.inventory — every object the session can see, as audit evidence: its type, ID, label, domains,
 * capabilities, origin; for an asymmetric key also its kind, public-key fingerprint and the device's attestation
 * certificate, verified against the device certificate (opaque object 0) and the attestation root
 * (params.attestationRoots, or the simulator's simulated root in rehearsal). Written as
 * yubihsm-<serial>-inventory.json (and each attestation as PEM) to the outputs. params { session, attestationRoots? }
 */
export const inventory: ActionDefinition = {
  description: 'Lists every object on the YubiHSM with its policy, and has the device attest each asymmetric key.',
  async run(ctx, params) {
    const handle = sessionNamed(ctx, params);
    const client = yubihsmClient(ctx);
    try {
      const listed = await client.listObjects(handle.sessionKey);
      const asymmetric = listed.some((o) => o.type === YUBIHSM_OBJECT.ASYMMETRIC_KEY);
      const chain = asymmetric
        ? {
            device: new X509Certificate(Buffer.from(await client.getOpaque(handle.sessionKey, DEVICE_CERTIFICATE))),
            anchors: (await anchorsFor(ctx, handle, params)).certificates,
          }
        : null;
      const objects: JsonObject[] = [];
      const lines: string[] = [];
      for (const entry of [...listed].sort((a, b) => a.type - b.type || a.id - b.id)) {
        const info = await client.objectInfo(handle.sessionKey, entry.id, entry.type);
        const facts = objectFacts(info);
        let extra: JsonObject = {};
        let line = `${String(facts.type).padEnd(18)} ${String(info.id).padStart(5)}  “${info.label}”`;
        if (info.type === YUBIHSM_OBJECT.ASYMMETRIC_KEY) {
          const { spki } = await client.publicKey(handle.sessionKey, info.id);
          const fingerprint = sha256Hex(spki);
          const attestation = await attestationOf(ctx, handle, info.id, spki, chain!);
          extra = { keyKind: keyKind(spki), publicKeySha256: fingerprint, attestation: { ...attestation } };
          line += `  ${keyKind(spki)}\n      public key SHA-256 ${groupHex(fingerprint, 4, Infinity)}\n      attestation: ${attestation.status} — ${attestation.detail}`;
        }
        objects.push({ ...facts, ...extra });
        lines.push(line);
      }
      const file = await ctx.outputs.write(
        `yubihsm-${handle.serial}-inventory.json`,
        `${JSON.stringify({ format: 'custodian-yubihsm-inventory/1', serial: handle.serial, takenAt: new Date().toISOString(), objects }, null, 2)}\n`,
      );
      const attested = objects.filter((o) => (o.attestation as { status?: string } | undefined)?.status === 'verified').length;
      const keys = objects.filter((o) => o.publicKeySha256 !== undefined).length;
      return {
        publicResult: {
          serial: handle.serial,
          count: objects.length,
          asymmetricKeys: keys,
          attested,
          objects,
          file: file.name,
          fileSha256: file.sha256,
          summary: [`YubiHSM 2 serial ${handle.serial}: ${objects.length} objects, ${keys} asymmetric keys, ${attested} attested and verified`, ...lines].join(
            '\n',
          ),
        },
      };
    } catch (error) {
      if (error instanceof HostError) return translateHostError(error);
      throw error;
    }
  },
};
