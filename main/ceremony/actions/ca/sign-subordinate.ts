import { inspectCsr } from '../../../x509';
import { withLoggedInSession } from '../pkcs11';
import type { ActionDefinition, JsonObject } from '../registry';
import { asRefusal, refuse } from './errors';
import { profileOf } from './profile-params';
import { issuedFacts, issueToOutputs, rootSummary } from './root';
import { groupHex } from '../../../fingerprint';

/**
 * ca.sign-subordinate — the subordinate CA certificate for the CSR read earlier, under the profile the script fixes,
 * checked against the issuing root before the HSM signs, signed with the root key, checked again, and written with its
 * SHA-256 and the chain (subordinate, then root) to the outputs.
 */
export const signSubordinate: ActionDefinition = {
  description: 'Signs the subordinate CA certificate with the root key inside the HSM.',
  async run(ctx, params, inputs) {
    const profile = profileOf(params);
    if (typeof params.csrPem !== 'string') throw refuse('The CSR has not been read (csrPem is missing).');
    const csr = await inspectCsr(params.csrPem).catch(asRefusal);
    if (typeof params.expectedPublicKeySha256 === 'string' && params.expectedPublicKeySha256 !== csr.publicKeySha256) {
      throw refuse('The CSR is not the one whose fingerprint the witness compared. Stop and investigate.');
    }
    const publicResult = await withLoggedInSession(ctx, params, inputs, async (sessionKey): Promise<JsonObject> => {
      const { root, made } = await issueToOutputs(ctx, params, sessionKey, csr, profile, 'subordinate.pem');
      await ctx.outputs.write('chain.pem', made.pem + root.pem);
      return {
        ...issuedFacts('subordinate.pem', made),
        pathLength: profile.pathLength,
        policyOids: [...profile.policyOids],
        root: rootSummary(root),
        certificatePem: made.pem,
        summary: [
          `Subject:        ${made.subject}`,
          `Issuer:         ${made.issuer}`,
          `Serial number:  ${made.serialNumber}`,
          `Valid from:     ${made.notBefore}`,
          `Valid until:    ${made.notAfter}`,
          `Path length:    ${profile.pathLength}`,
          `SHA-256:        ${groupHex(made.sha256, 4, Infinity)}`,
        ].join('\n'),
      };
    });
    return { publicResult };
  },
};
