import { CeremonyError, CeremonyErrorCode } from '../../../errors';

/** A refusal of the CA ceremonies: names the field and the limit, and is raised before anything is signed. */
export const refuse = (message: string) => new CeremonyError(CeremonyErrorCode.ActionFailed, message);

/** X509Error (code + sentence) from main/x509 becomes a ceremony refusal with the same sentence. */
export function asRefusal(error: unknown): never {
  const e = error as { name?: string; message?: string };
  if (e?.name === 'X509Error') throw refuse(e.message ?? 'The certificate could not be made.');
  throw error;
}
