import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../main/hosts/browser';
import { checkScreen, type AxeFinding } from './axe';
import { driveCeremony } from './ceremony-driver';
import { DEMO_PEOPLE as PEOPLE, openBrowserHost, tempHome } from '../fixtures/harness';

// a seat id as the screen must not show it (the role as a word in brackets after a name is fine)
const SEAT_IDS = /\b(custodian-\d|witness-\d)\b|^administrator$/m;

/** Thrown by onStep to stop driving at a step. */
class Stop extends Error {}

describe('the room on screen: people by name at check-in, one click per confirm', () => {
  let host: BrowserHost;
  beforeAll(async () => {
    host = await openBrowserHost(tempHome('room-screens'));
  });
  afterAll(async () => {
    await host?.close();
  });

  it('names people at check-in (the seat only as a detail) and moves a confirm step on with the last confirm click', async () => {
    const { page } = host;
    const findings: AxeFinding[] = [];
    await page.getByRole('button', { name: 'Ceremonies' }).click();
    await page.locator('button[data-template="dry-run-demo"]').click();
    await page.locator('[data-testid="new-ceremony"] input[name="dice"]').fill('2');
    await page.getByRole('button', { name: 'Start the ceremony' }).click();
    const panel = page.locator('[data-testid="check-in"]');
    await panel.waitFor();

    // before anyone checks in: seats in words ("Witness 1"), never as ids
    expect(await panel.innerText()).not.toMatch(SEAT_IDS);
    const seats = await panel.locator('select[name="participant"] option').allInnerTexts();
    expect(seats).toContain('Witness 1');
    // the button names the person by the name typed
    await panel.locator('input[name="name"]').fill('Ada Lovelace');
    expect(await panel.locator('[data-testid="check-in-submit"]').innerText()).toBe('Check in Ada Lovelace');
    // the first two check in (the driver stops: check-in is not complete, so there is no step yet)
    expect((await driveCeremony(page, { checkIns: PEOPLE.slice(0, 2) })).stepsSeen).toEqual([]);
    // after two check-ins: they are listed by name first, the seat after it, and chosen by name as checkers
    const rows = await panel.locator('[data-testid="checked-in"] tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    expect(rows).toEqual([
      ['Ada Lovelace', 'Administrator', 'Passport checked against the roster — checked by Witness 1'],
      ['Carl Friedrich', 'Custodian 1', 'Driving licence checked — checked by Ada Lovelace'],
    ]);
    const checkers = await panel.locator('select[name="checkedBy"] option').allInnerTexts();
    expect(checkers).toContain('Ada Lovelace (administrator)');
    expect(await panel.innerText()).not.toMatch(SEAT_IDS);
    findings.push(...(await checkScreen(page, 'room-check-in')));

    const clicks: Record<string, number> = {};
    await driveCeremony(page, {
      checkIns: PEOPLE.slice(2),
      inputs: {
        'enter-phrase': { by: 'custodian-1', values: { phrase: 'correct horse battery staple' } },
        'make-secret': { by: 'custodian-1', values: { rehearsalPin: '246810' } },
      },
      onStep: async (stepId) => {
        if (stepId !== 'show-roll' && stepId !== 'quorum-check') return;
        const step = page.locator(`[data-testid="current-step"][data-step="${stepId}"]`);
        // a confirm step: only its confirm buttons, no "Next step" to press after them
        expect(await step.locator('[data-testid="run-step"]').count()).toBe(0);
        const buttons = step.locator('[data-testid="confirm"] button');
        const n = await buttons.count();
        for (let i = 0; i < n; i++) {
          const button = step.locator('[data-testid="confirm"] button[data-confirmed="false"]').first();
          const who = (await button.innerText()).replace(/ confirms$/, '');
          await button.click();
          clicks[stepId] = (clicks[stepId] ?? 0) + 1;
          if (i < n - 1) {
            // pressed: filled, ticked, named, and still in its place
            const pressed = step.locator('[data-testid="confirm"] button[aria-pressed="true"]', { hasText: who });
            await pressed.waitFor();
            expect(await pressed.innerText()).toBe(`✔ ${who} confirmed`);
            expect(await pressed.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(31, 122, 58)');
            findings.push(...(await checkScreen(page, `room-${stepId}-pressed`)));
          }
        }
        // the last click moved the ceremony on: the next step is current, and nothing else was pressed
        await page.locator(`[data-testid="current-step"]:not([data-step="${stepId}"])`).waitFor();
        expect(await page.locator(`[data-testid="step-list"] li[data-step="${stepId}"]`).getAttribute('data-status')).toBe('completed');
        if (stepId === 'quorum-check') throw new Stop();
      },
    }).catch((e: unknown) => {
      if (!(e instanceof Stop)) throw e;
    });
    // one click per person who confirms (the witness on show-roll; all three custodians and the witness on
    // quorum-check, in the order of their buttons), and not one click more
    expect(clicks).toEqual({ 'show-roll': 1, 'quorum-check': 4 });
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });
});
