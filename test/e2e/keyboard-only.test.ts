import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../main/hosts/browser';
import { checkScreen, type AxeFinding } from './axe';
import { driveCeremony } from './ceremony-driver';
import { keyboard, tabTo } from './keyboard';
import { expectStepFirstInTabOrder, expectWordsNumbered, UTC_WITH_LOCAL } from './screen-checks';
import { DEMO_PEOPLE as PEOPLE, openBrowserHost, tempHome } from '../fixtures/harness';

describe('a whole rehearsal ceremony with the keyboard alone', () => {
  let host: BrowserHost;
  const zone = process.env.TZ;
  beforeAll(async () => {
    // the workstation's clock is not on UTC (5 h behind in December), so UTC and local time differ on screen
    process.env.TZ = 'America/New_York';
    // each die takes this long, like a slow device, so the running step's "n of 3 dice rolled" is on screen a while
    process.env.CUSTODIAN_DEMO_DELAY_MS = '700';
    host = await openBrowserHost(tempHome('keyboard'));
  });
  afterAll(async () => {
    await host?.close();
    process.env.CUSTODIAN_DEMO_DELAY_MS = '0';
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('runs the dry-run demo from Home to the transcript with Tab, Shift+Tab, Enter, Space and arrow keys: no pointer event, axe clean on every screen', async () => {
    const { page } = host;
    const findings: AxeFinding[] = [];
    await page.locator('[data-testid="modules-panel"]').waitFor();
    findings.push(...(await checkScreen(page, 'keyboard-home')));
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
    const firstStops: Record<string, string> = {};
    let shownWords: string[] = [];
    await keys.press(page.getByRole('button', { name: 'Ceremonies' }));
    const template = page.locator('button[data-template="dry-run-demo"]');
    await keys.press(template);
    const start = page.getByRole('button', { name: 'Start the ceremony' });
    await start.waitFor();
    findings.push(...(await checkScreen(page, 'keyboard-ceremonies')));
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
        firstStops[stepId] = await expectStepFirstInTabOrder(page);
        if (stepId === 'show-fingerprint') shownWords = await expectWordsNumbered(page.locator('[data-testid="show-words"]'));
        findings.push(...(await checkScreen(page, `keyboard-${stepId}`)));
      },
      screenshotPrefix: 'e2e-keyboard',
    });
    expect(result.status).toBe('completed');
    expect(result.revealed['reveal-secret']).toMatch(/[0-9a-f]{4}/);
    findings.push(...(await checkScreen(page, 'keyboard-closing')));
    // every step was reached, each one's first Tab stop its own control (Abort… after it)
    expect(Object.keys(firstStops)).toEqual(result.stepsSeen);
    expect(result.stepsSeen).toHaveLength(11);
    expect(firstStops['roll-dice']).toMatch(/^BUTTON .* confirms$/);
    expect(firstStops['enter-phrase']).toMatch(/^(INPUT|SELECT) /);
    // the fingerprint's words and the chain head's words are numbered as on paper
    expect(shownWords).toHaveLength(24);
    await expectWordsNumbered(page.locator('[data-testid="chain-head-words"]'));

    // the list of ceremonies gives the moment in UTC, with New York's local time beside it
    const id = (await page.getAttribute('[data-testid="ceremony"]', 'data-ceremony'))!;
    await keys.press(page.getByRole('button', { name: 'Ceremonies' }));
    const when = (await page.locator(`tr[data-ceremony="${id}"] [data-testid="updated-at"]`).innerText()).trim();
    const [, , hh, mm, localH, localM] = UTC_WITH_LOCAL.exec(when) ?? [];
    expect(when, when).toMatch(UTC_WITH_LOCAL);
    expect((Number(hh) - Number(localH) + 24) % 24).toBe(5);
    expect(localM).toBe(mm);
    expect(Math.abs(Date.parse(`${when.slice(0, 16).replace(' ', 'T')}:59Z`) - Date.now())).toBeLessThan(10 * 60_000);
    findings.push(...(await checkScreen(page, 'keyboard-ceremonies-after')));

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
