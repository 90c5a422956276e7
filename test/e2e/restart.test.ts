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

  it('asks the administrator, by name, to log in again before the next step runs, then finishes', async () => {
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
    // before anything runs: who logs in again, by name; the step cannot run until then
    const relogin = step.locator('[data-testid="relogin"]');
    await relogin.waitFor();
    expect(await relogin.innerText()).toMatch(/Ada Lovelace logs in again first/);
    const run = step.locator('[data-testid="run-step"]');
    expect((await run.count()) === 0 || !(await run.isEnabled())).toBe(true);
    expect(await step.locator('[data-testid="inputs"] input[name="pin"]').count()).toBe(1);
    findings.push(...(await checkScreen(page, 'restart-relogin')));

    const result = await driveCeremony(page, {
      checkIns: [],
      inputs: { generate: { by: 'administrator', values: { pin } } },
    });
    expect(result.status).toBe('completed');
    expect(result.stepsSeen[0]).toBe('generate');
    findings.push(...(await checkScreen(page, 'restart-closing')));
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });
});
