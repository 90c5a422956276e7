/** CSRs and self-signed CA certificates whose signatures are made inside the HSM (through a signer function). */
import './reflect-metadata';
export { createCsr, type CsrRequest, type CsrResult } from './csr';
export { createSelfSignedCa, serialFromRandom, type CaCertificateRequest, type CertificateResult } from './ca-certificate';
export { X509_ALGORITHMS, X509Error, type X509SignatureAlgorithm } from './algorithms';
export type { HsmSigner } from './hsm-crypto';
export {
  checkSubordinateCertificate,
  issuablePathLength,
  keyIdentifierOf,
  profileProblems,
  sha256Hex,
  validityProblems,
  type ProfileViolation,
  type SubordinateProfile,
} from './profile';
export { createSubordinateCa, inspectCsr, type CsrFacts, type SubordinateRequest, type SubordinateResult } from './subordinate';
export {
  createCrl,
  crlNumberOf,
  crlProblems,
  normaliseSerial,
  REVOCATION_REASONS,
  type CrlRequest,
  type CrlResult,
  type RevocationReason,
  type RevokedCertificate,
} from './crl';
