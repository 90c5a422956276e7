// The key-generation ceremony as the e2e tests of issue 24 start it: the room of two (administrator and witness, by
// name), the template chosen on the Ceremonies screen with an EC-P256 key, and what is typed on its steps.
import type { Page } from 'playwright-core';
import type { CeremonyPlan } from './ceremony-driver';

export const ADMIN_AND_WITNESS: CeremonyPlan['checkIns'] = [
  { participant: 'administrator', name: 'Ada Lovelace', identityCheck: 'Passport checked against the roster', checkedBy: 'witness-1' },
  { participant: 'witness-1', name: 'Wendy Okafor', identityCheck: 'Passport checked against the roster', checkedBy: 'administrator' },
];

/** Ceremonies → key-generation → an EC-P256 key (labelled `label` when given) → Start; returns once the ceremony shows. */
export async function startKeyGeneration(page: Page, label?: string): Promise<void> {
  await page.getByRole('button', { name: 'Ceremonies' }).click();
  await page.locator('button[data-template="key-generation"]').click();
  const form = page.locator('[data-testid="new-ceremony"]');
  await form.locator('select[name="algorithm"]').selectOption('EC-P256');
  if (label) await form.locator('input[name="label"]').fill(label);
  await page.getByRole('button', { name: 'Start the ceremony' }).click();
  await page.locator('[data-testid="ceremony"]').waitFor();
}

/** What the administrator types: the user PIN at login, no PIN on the steps after it, the medium's folder at export. */
export function keyGenerationInputs(userPin: string, medium: string): NonNullable<CeremonyPlan['inputs']> {
  const none = { by: 'administrator', values: {} };
  return {
    login: { by: 'administrator', values: { pin: userPin } },
    generate: none,
    'read-back': none,
    certify: none,
    export: { by: 'administrator', values: { destination: medium } },
  };
}
