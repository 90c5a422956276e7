import type { InputRequest } from './model';

/**
 * `journal: commitment` records a hash of what was typed. Over a PIN or a password that hash is a way to test
 * guesses offline, so it is allowed only on a share field: a secret input of a `shares.accept` step, the field that
 * action reads (params.field, `share` by default). The engine then journals the share commitment of FORMAT.md
 * (domain, set id, index, share bytes) — the value the backup recorded — never a hash of the raw text.
 */
export const SHARE_ACTION = 'shares.accept';

/** The name of the field a share-accepting action reads, or undefined when the action takes no share. */
export function shareFieldOf(action: string | undefined, params: Record<string, unknown> | undefined): string | undefined {
  if (action !== SHARE_ACTION) return undefined;
  const field = params?.field;
  return typeof field === 'string' && field ? field : 'share';
}

/** For each field asking for `journal: commitment` that is not the step's share field: the index and why not. */
export function commitmentRuleIssues(request: InputRequest, shareField: string | undefined): { index: number; message: string }[] {
  const issues: { index: number; message: string }[] = [];
  request.fields.forEach((field, index) => {
    if (field.journal !== 'commitment' || !field.secret) return;
    if (shareField === undefined || field.name !== shareField) {
      issues.push({
        index,
        message: `"journal: commitment" is only for a share typed into ${SHARE_ACTION} (its "${shareField ?? 'share'}" field); a PIN or password is never journaled, not even hashed`,
      });
    }
  });
  return issues;
}
