import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../main/hosts/browser';
import { checkScreen, type AxeFinding } from './axe';
import { driveCeremony } from './ceremony-driver';
import { openBrowserHost, tempHome } from '../fixtures/harness';

const PEOPLE = [
  { participant: 'administrator', name: 'Ada Lovelace', identityCheck: 'Passport checked against the roster', checkedBy: 'witness-1' },
  { participant: 'witness-1', name: 'Wendy Okafor', identityCheck: 'Passport checked against the roster', checkedBy: 'administrator' },
];

/** Thrown by onStep to stop driving at a step, as the workstation stops there. */
class Stop extends Error {}

describe('a restart in the middle of a key generation (browser host stopped and started on the same data folder)', () => {
  let host: BrowserHost | undefined;
  afterAll(async () => {
    await host?.close();
  });

  it('asks the administrator, by name, to log in again on a screen of its own, then the witness, then the step runs, and finishes', async () => {
    const home = tempHome('restart');
    const findings: AxeFinding[] = [];
    host = await openBrowserHost(home);
    const pin = host.context.rehearsal!.pins.user;
    let page = host.page;
    await page.getByRole('button', { name: 'Ceremonies' }).click();
    await page.locator('button[data-template="key-generation"]').click();
    const form = page.locator('[data-testid="new-ceremony"]');
    await form.locator('select[name="algorithm"]').selectOption('EC-P256');
    await form.locator('input[name="label"]').fill('restart-key');
    await page.getByRole('button', { name: 'Start the ceremony' }).click();
    // up to the step after the login, then the workstation stops
    await driveCeremony(page, {
      checkIns: PEOPLE,
      inputs: { login: { by: 'administrator', values: { pin } } },
      onStep: async (stepId) => {
        if (stepId === 'generate') throw new Stop();
      },
    }).catch((e: unknown) => {
      if (!(e instanceof Stop)) throw e;
    });
    const id = (await page.getAttribute('[data-testid="ceremony"]', 'data-ceremony'))!;
    await host.close();
    host = undefined;

    host = await openBrowserHost(home);
    page = host.page;
    const banner = page.locator('[data-testid="resume-banner"]');
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(/Ceremony in progress: Key generation, step \d+ of \d+ — Resume/);
    findings.push(...(await checkScreen(page, 'restart-resume-banner')));
    await banner.locator(`button[data-resume="${id}"]`).click();
    const step = page.locator('[data-testid="current-step"][data-step="generate"]');
    await step.waitFor();
    // one action on the screen: who logs in again, by name, and the PIN box; not the step, not the witness
    const relogin = step.locator('[data-testid="relogin"]');
    await relogin.waitFor();
    expect(await relogin.innerText()).toMatch(/Ada Lovelace logs in again first/);
    expect(await step.getAttribute('data-phase')).toBe('relogin');
    for (const other of ['run-step', 'confirm', 'inputs', 'step-problem', 'show', 'blockers'])
      expect(await step.locator(`[data-testid="${other}"]`).count(), `${other} beside the re-login`).toBe(0);
    expect(await step.locator('input').count()).toBe(1);
    expect(await step.locator('button').count()).toBe(1);
    expect(await step.innerText()).not.toMatch(/only when retrying/);
    findings.push(...(await checkScreen(page, 'restart-relogin')));

    // a wrong PIN is refused and the box stays, alone
    await relogin.locator('input[name="pin"]').fill('000000');
    await relogin.locator('[data-testid="relogin-submit"]').click();
    await page.locator('[data-testid="ceremony-error"]').waitFor();
    expect(await step.getAttribute('data-phase')).toBe('relogin');
    await page.locator('[data-testid="ceremony-error"] button').click();

    // then the step with its witness: the witness's confirm alone (no run button beside it) …
    await relogin.locator('input[name="pin"]').fill(pin);
    await relogin.locator('[data-testid="relogin-submit"]').click();
    await step.locator('[data-testid="confirm"]').waitFor();
    expect(await step.getAttribute('data-phase')).toBe('confirm');
    expect(await step.locator('[data-testid="relogin"]').count()).toBe(0);
    expect(await step.locator('[data-testid="run-step"]').count()).toBe(0);
    expect(await step.locator('[data-testid="confirm"] button').innerText()).toBe('Wendy Okafor confirms');
    findings.push(...(await checkScreen(page, 'restart-witness')));
    // … one click, pressed; then the step's own button
    await step.locator('[data-testid="confirm"] button').click();
    await step.locator('[data-testid="run-step"]').waitFor();
    expect(await step.locator('[data-testid="confirm"] button').getAttribute('aria-pressed')).toBe('true');
    expect(await step.locator('[data-testid="confirm"] button').innerText()).toBe('✔ Wendy Okafor confirmed');
    expect(await step.locator('[data-testid="run-step"]').isEnabled()).toBe(true);
    findings.push(...(await checkScreen(page, 'restart-run')));

    const result = await driveCeremony(page, {
      checkIns: [],
      inputs: { export: { by: 'administrator', values: { destination: tempHome('medium') } } },
    });
    expect(result.status).toBe('completed');
    expect(result.stepsSeen[0]).toBe('generate');
    findings.push(...(await checkScreen(page, 'restart-closing')));
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });
});
