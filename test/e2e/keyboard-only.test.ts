import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../main/hosts/browser';
import { checkScreen, type AxeFinding } from './axe';
import { driveCeremony } from './ceremony-driver';
import { keyboard, tabTo } from './keyboard';
import { DEMO_PEOPLE as PEOPLE, openBrowserHost, tempHome } from '../fixtures/harness';

describe('a whole rehearsal ceremony with the keyboard alone', () => {
  let host: BrowserHost;
  beforeAll(async () => {
    // each die takes this long, like a slow device, so the running step's "n of 3 dice rolled" is on screen a while
    process.env.CUSTODIAN_DEMO_DELAY_MS = '700';
    host = await openBrowserHost(tempHome('keyboard'));
  });
  afterAll(async () => {
    await host?.close();
    process.env.CUSTODIAN_DEMO_DELAY_MS = '0';
  });

  it('runs the dry-run demo with Tab, Shift+Tab, Enter, Space and arrow keys: no pointer event at all', async () => {
    const { page } = host;
    const findings: AxeFinding[] = [];
    await page.locator('[data-testid="modules-panel"]').waitFor();
    // every pointer event the page sees is counted, and every "n of N" the running step shows is kept
    await page.evaluate(() => {
      const w = window as unknown as { pointerEvents: number; counts: string[] };
      w.pointerEvents = 0;
      w.counts = [];
      for (const type of ['pointerdown', 'mousedown', 'touchstart']) addEventListener(type, () => w.pointerEvents++, true);
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="progress-count"]')?.textContent;
        if (text && w.counts.at(-1) !== text) w.counts.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const keys = keyboard(page);
    await keys.press(page.getByRole('button', { name: 'Ceremonies' }));
    const template = page.locator('button[data-template="dry-run-demo"]');
    await keys.press(template);
    const start = page.getByRole('button', { name: 'Start the ceremony' });
    await start.waitFor();
    // forward to Start, Shift+Tab back to the dice field, a value typed, then Start: the focus order runs both ways
    await tabTo(page, start);
    const dice = page.locator('[data-testid="new-ceremony"] input[name="dice"]');
    await tabTo(page, dice, { backwards: true });
    await keys.fill(dice, '3');
    await expect.poll(() => start.isEnabled()).toBe(true);
    await keys.press(start);
    await page.locator('[data-testid="check-in"]').waitFor();
    findings.push(...(await checkScreen(page, 'keyboard-check-in')));

    const result = await driveCeremony(page, {
      keyboardOnly: true,
      checkIns: PEOPLE,
      inputs: {
        'enter-phrase': { by: 'custodian-1', values: { phrase: 'correct horse battery staple' } },
        'make-secret': { by: 'custodian-1', values: { rehearsalPin: '246810' } },
      },
      onStep: async (stepId) => {
        if (['roll-dice', 'reveal-secret', 'quorum-check'].includes(stepId)) findings.push(...(await checkScreen(page, `keyboard-${stepId}`)));
      },
      screenshotPrefix: 'e2e-keyboard',
    });
    expect(result.status).toBe('completed');
    expect(result.revealed['reveal-secret']).toMatch(/[0-9a-f]{4}/);
    findings.push(...(await checkScreen(page, 'keyboard-closing')));

    const seen = await page.evaluate(() => {
      const w = window as unknown as { pointerEvents: number; counts: string[] };
      return { pointerEvents: w.pointerEvents, counts: [...w.counts] };
    });
    expect(seen.pointerEvents).toBe(0);
    // the dice step reported die by die while it ran: at least one "n of 3" before the last was on screen
    expect(seen.counts.length).toBeGreaterThan(0);
    for (const text of seen.counts) expect(text).toMatch(/^[0-3] of 3 dice rolled$/);
    expect(seen.counts.some((t) => t !== '3 of 3 dice rolled')).toBe(true);
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });
});
