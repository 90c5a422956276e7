import '../../../x509'; // first: it prepares what @peculiar/x509 needs
import * as x509 from '@peculiar/x509';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex, type CsrFacts } from '../../../x509';
import { withLoggedInSession } from '../pkcs11';
import type { ActionDefinition, JsonObject } from '../registry';
import { refuse } from './errors';
import { profileOf } from './profile-params';
import { issuedFacts, issueToOutputs, rootSummary } from './root';
import { groupHex } from '../../../fingerprint';

/** an output's file name as the certify step writes it: no folder, no ".." */
const isSafeOutputName = (name: string) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name);

/** The new root's self-signed certificate, as this ceremony's certify step wrote it to the outputs. */
async function newRootOf(dir: string, name: unknown): Promise<x509.X509Certificate> {
  if (typeof name !== 'string' || !isSafeOutputName(name)) {
    throw refuse('The new root certificate has not been made in this ceremony: cross-signing needs “self-signed root” on.');
  }
  let pem: string;
  try {
    pem = await readFile(join(dir, name), 'utf8');
  } catch {
    throw refuse(`The new root certificate ${name} is not in this ceremony's outputs.`);
  }
  return new x509.X509Certificate(pem);
}

/**
 * ca.cross-sign — during a root's rotation, before the old key is retired: the old root key signs a certificate for
 * the new root's key and name (a cross-certificate), so relying parties that trust the old root reach the new one.
 * Issued under the profile the script fixes, checked against the old root before and after signing, written to the
 * outputs with its SHA-256.
 */
export const crossSign: ActionDefinition = {
  description: 'Signs a cross-certificate for the new root with the old root key inside the HSM.',
  async run(ctx, params, inputs) {
    const profile = profileOf(params);
    const newRoot = await newRootOf(ctx.outputs.dir, params.newRootCertificateFile);
    const spki = new Uint8Array(newRoot.publicKey.rawData);
    if (typeof params.expectedPublicKeySha256 === 'string' && sha256Hex(spki) !== params.expectedPublicKeySha256) {
      throw refuse('The new root certificate is not for the key read back and fingerprinted earlier. Stop and investigate.');
    }
    const subject: CsrFacts = { subject: newRoot.subject, spki, publicKeySha256: sha256Hex(spki), keyAlgorithm: '', pem: '' };
    const publicResult = await withLoggedInSession(ctx, params, inputs, async (sessionKey): Promise<JsonObject> => {
      const name = 'cross-certificate.pem';
      const { root: oldRoot, made } = await issueToOutputs(ctx, params, sessionKey, subject, profile, name);
      return {
        ...issuedFacts(name, made),
        issuedBy: rootSummary(oldRoot),
        summary: [
          `Cross-certificate for:  ${made.subject}`,
          `Issued by the old root: ${made.issuer}`,
          `Serial number:          ${made.serialNumber}`,
          `Valid from:             ${made.notBefore}`,
          `Valid until:            ${made.notAfter}`,
          `SHA-256:                ${groupHex(made.sha256, 4, Infinity)}`,
        ].join('\n'),
      };
    });
    return { publicResult };
  },
};
