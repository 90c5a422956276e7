// Issue 24 item 2 on screen: one wrong user PIN reads as what the token said, not as a lock-out. SoftHSM2 gives no
// count of tries left (it sets COUNT_LOW after the first wrong PIN), so the screen gives no number of tries left and
// no "final try" (the token's FINAL_TRY flag is not set); the counter line read aloud on the same screen says the
// same thing as the notice, and the right PIN then goes on. The token's own flags are read with OpenSC's pkcs11-tool.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { filesContaining, screenshotPath, useBrowserHost } from '../fixtures/harness';
import { driveCeremony } from './ceremony-driver';
import { ADMIN_AND_WITNESS, startKeyGeneration } from './keygen-room';

const WRONG_PIN = '97531246';

/** Thrown by onStep to stop driving at a step. */
class Stop extends Error {}

/** The rehearsal token's PIN flags as OpenSC's pkcs11-tool reports them, independently of Custodian. */
function tokenFlags(rehearsal: { modulePath: string; softhsmConf: string; tokenLabel: string }): string {
  const slots = execFileSync('pkcs11-tool', ['--module', rehearsal.modulePath, '--list-token-slots'], {
    env: { ...process.env, SOFTHSM2_CONF: rehearsal.softhsmConf },
    encoding: 'utf8',
  }).split(/\nSlot /);
  return /token flags\s*:\s*(.*)/.exec(slots.find((s) => s.includes(rehearsal.tokenLabel))!)![1];
}

describe('a wrong user PIN on screen, in Chromium on SoftHSM2', () => {
  const browser = useBrowserHost('wrong-pin');

  it('says "Wrong PIN" and only what the token flags say, once and in agreement with the counter line, then logs in with the right PIN', async () => {
    const rehearsal = browser.host.context.rehearsal!;
    const page = browser.host.page;
    expect(tokenFlags(rehearsal)).not.toMatch(/count low|final try|locked/i);

    await startKeyGeneration(page);

    const seen: Record<string, string> = {};
    const result = await driveCeremony(page, {
      checkIns: ADMIN_AND_WITNESS,
      inputs: { login: { by: 'administrator', values: { pin: rehearsal.pins.user } } },
      onStep: async (stepId) => {
        const step = page.locator('[data-testid="current-step"]');
        if (stepId === 'login') {
          seen.before = await step.locator('.read-aloud').innerText();
          const inputs = step.locator('[data-testid="inputs"]');
          await inputs.locator('input[name="pin"]').fill(WRONG_PIN);
          await inputs.locator('[data-testid="submit-input"]').click();
          await step.locator('[data-testid="rejection"]').waitFor({ timeout: 60_000 });
          await page.screenshot({ path: screenshotPath('e2e-wrong-pin'), fullPage: true });
          seen.notices = String(await page.locator('[role="alert"]').count());
          seen.rejection = await step.locator('[data-testid="rejection"]').innerText();
          seen.after = await step.locator('.read-aloud').innerText();
          seen.page = await page.locator('main').innerText();
          seen.flags = tokenFlags(rehearsal);
          // the step waits for its holder to type again: the form is back, empty
          expect(await step.getAttribute('data-step')).toBe('login');
          expect(await step.locator('input[name="pin"]').inputValue()).toBe('');
        }
        if (stepId === 'generate') throw new Stop();
      },
    }).catch((e: unknown) => {
      if (!(e instanceof Stop)) throw e;
      return null;
    });
    expect(result).toBeNull();

    // the token counted one wrong try and is neither at its final try nor locked
    expect(seen.flags).toMatch(/user PIN count low/);
    expect(seen.flags).not.toMatch(/final try|locked/i);
    // before the try the counter line said the counter was clean
    expect(seen.before).toContain('PIN counters: The user PIN counter is clean.');
    // after it: one notice, "Wrong PIN", no number of tries left (the token gives none), no final try, no lock
    expect(seen.notices).toBe('1');
    const [message, detail] = seen.rejection.split('\n').filter((l) => l.trim());
    expect(message).toBe('Wrong PIN. The token has counted a wrong try (it does not say how many are left).');
    expect(detail).toBe('1 try was refused; each is recorded. Type it again below.');
    expect(seen.rejection).not.toMatch(/final try|lock/i);
    // (the step's own text says what happens "if the token says FINAL TRY"; nothing says it is so, or counts tries)
    for (const said of [seen.rejection, seen.after, seen.page]) expect(said).not.toMatch(/\d+ tries left|\b1 try left|locks it|is locked|locked it/i);
    expect(seen.after.replace(/If the token says FINAL TRY[^.]*\./, '')).not.toMatch(/final try/i);
    // the counter line on the same screen now says what the notice says, and no longer that it is clean
    expect(seen.after).toContain('PIN counters: The token has counted a wrong user PIN (it does not say how many tries are left).');
    expect(seen.page).not.toContain('counter is clean');

    // the right PIN went on: the login is done, the next step is current, and the wrong PIN is nowhere on disk
    const login = page.locator('[data-testid="step-list"] li[data-step="login"]');
    expect(await login.getAttribute('data-status')).toBe('completed');
    expect(await page.locator('[data-testid="current-step"]').getAttribute('data-step')).toBe('generate');
    expect(filesContaining(browser.home, [WRONG_PIN])).toEqual([]);
  });
});
