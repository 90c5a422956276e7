import type { Page } from 'playwright-core';
import { screenshotPath } from '../fixtures/harness';
import { keyboard, mouse } from './keyboard';

export interface CeremonyPlan {
  checkIns: Array<{ participant: string; name: string; identityCheck: string; checkedBy: string }>;
  /** per step id: who enters and the field values */
  inputs?: Record<string, { by: string; values: Record<string, string> }>;
  /** per step id: who confirms (default: whoever is eligible, in order, until the quorum is met) */
  confirmations?: Record<string, string[]>;
  /** per step id: the PIN typed when a restart took a login away (default: that step's planned pin input) */
  relogins?: Record<string, string>;
  /** called when a step is reached, before anything is done on it (for assertions or extra clicks) */
  onStep?: (stepId: string, kind: string, page: Page) => Promise<void>;
  screenshotPrefix?: string;
  /** Tab, Shift+Tab, Enter, Space and arrow keys only: no click, no fill */
  keyboardOnly?: boolean;
}

export interface DriveResult {
  stepsSeen: string[];
  revealed: Record<string, string>;
  status: string;
}

async function events(page: Page): Promise<number> {
  return Number(await page.getAttribute('[data-testid="ceremony"]', 'data-events'));
}

/**
 * Clicks, then waits until the ceremony's journal has grown (the command was applied) and the screen is idle again
 * (a confirm that completes a confirm step runs it in the same action), or an error is shown.
 */
async function act(page: Page, click: () => Promise<void>): Promise<void> {
  const before = await events(page);
  await click();
  await page.waitForFunction(
    (n) => {
      const el = document.querySelector('[data-testid="ceremony"]');
      const applied = el && Number(el.getAttribute('data-events')) > n && el.getAttribute('data-busy') !== 'true';
      return applied || document.querySelector('[data-testid="ceremony-error"]');
    },
    before,
    { timeout: 120_000 },
  );
  const error = page.locator('[data-testid="ceremony-error"]');
  if (await error.count()) throw new Error(`The ceremony showed an error: ${await error.innerText()}`);
}

/** Drives a ceremony through the UI the way the people in the room would, one step at a time. */
export async function driveCeremony(page: Page, plan: CeremonyPlan): Promise<DriveResult> {
  const result: DriveResult = { stepsSeen: [], revealed: {}, status: '' };
  const hands = plan.keyboardOnly ? keyboard(page) : mouse;
  const ceremony = page.locator('[data-testid="ceremony"]');
  await ceremony.waitFor();
  for (const c of plan.checkIns) {
    const panel = page.locator('[data-testid="check-in"]');
    await panel.waitFor();
    await hands.choose(panel.locator('select[name="participant"]'), c.participant);
    await hands.fill(panel.locator('input[name="name"]'), c.name);
    await hands.fill(panel.locator('input[name="identityCheck"]'), c.identityCheck);
    await hands.choose(panel.locator('select[name="checkedBy"]'), c.checkedBy);
    // the button names the person by the name just typed; the seat is only its data
    const submit = panel.locator(`[data-testid="check-in-submit"][data-participant="${c.participant}"]`);
    await act(page, () => hands.press(submit));
  }
  let shot = 0;
  for (let guard = 0; guard < 200; guard++) {
    const status = await ceremony.getAttribute('data-status');
    const step = page.locator('[data-testid="current-step"]');
    if (status !== 'open' || (await step.count()) === 0) {
      result.status = status ?? '';
      return result;
    }
    const stepId = (await step.getAttribute('data-step'))!;
    const kind = (await step.getAttribute('data-kind'))!;
    if (result.stepsSeen.at(-1) !== stepId) {
      result.stepsSeen.push(stepId);
      if (plan.screenshotPrefix)
        await page.screenshot({ path: screenshotPath(`${plan.screenshotPrefix}-${String(++shot).padStart(2, '0')}-${stepId}`), fullPage: true });
      await plan.onStep?.(stepId, kind, page);
      // onStep may have acted on the step itself: look at the screen again before acting
      continue;
    }
    // one action at a time: a login a restart took away comes first, alone
    const relogin = step.locator('[data-testid="relogin"]');
    if (await relogin.count()) {
      const pin = plan.relogins?.[stepId] ?? plan.inputs?.[stepId]?.values.pin;
      if (!pin) throw new Error(`No PIN planned for the login made again at step ${stepId}`);
      await hands.fill(relogin.locator('input[name="pin"]'), pin);
      await act(page, () => hands.press(relogin.locator('[data-testid="relogin-submit"]')));
      continue;
    }
    const inputs = step.locator('[data-testid="inputs"]');
    if (await inputs.count()) {
      const planned = plan.inputs?.[stepId];
      if (!planned) throw new Error(`No inputs planned for step ${stepId}`);
      const by = inputs.locator('select[name="by"]');
      if (await by.count()) await hands.choose(by, planned.by);
      for (const [name, value] of Object.entries(planned.values)) {
        const field = inputs.locator(`[name="${name}"]`);
        const kind = await field.evaluate((el) => (el.tagName === 'INPUT' ? (el as HTMLInputElement).type : el.tagName));
        if (kind === 'SELECT') await hands.choose(field, value);
        else if (kind === 'checkbox') await hands.check(field, value === 'true');
        else await hands.fill(field, value);
      }
      // typing and pressing Enter is one action: the values go in and the step runs when nothing else is needed
      await act(page, () => hands.press(inputs.locator('[data-testid="submit-input"]')));
      await page.waitForFunction(() => !document.querySelector('[data-testid="progress"]'), undefined, { timeout: 120_000 });
      const error = page.locator('[data-testid="ceremony-error"]');
      if (await error.count()) throw new Error(`The ceremony showed an error: ${await error.innerText()}`);
      continue;
    }
    const privacy = step.locator('[data-testid="privacy-screen"]');
    if (await privacy.count()) {
      await act(page, () => hands.press(privacy.getByRole('button')));
      const value = step.locator('[data-testid="revealed-value"]');
      await value.waitFor();
      result.revealed[stepId] = await value.innerText();
      await act(page, () => hands.press(step.getByRole('button', { name: /I have it/ })));
      continue;
    }
    const confirm = step.locator('[data-testid="confirm"]');
    if (await confirm.count()) {
      const wanted = plan.confirmations?.[stepId];
      const buttons = confirm.locator('button[data-confirm][data-confirmed="false"]');
      const ids = await buttons.evaluateAll((els) => els.map((e) => e.getAttribute('data-confirm')!));
      const next = wanted ? wanted.find((id) => ids.includes(id)) : ids[0];
      const met = (await confirm.innerText()).includes('— met');
      if (next && !met) {
        await act(page, () => hands.press(confirm.locator(`button[data-confirm="${next}"]`)));
        continue;
      }
    }
    const run = step.locator('[data-testid="run-step"]');
    if (!(await run.count()) || !(await run.isEnabled())) {
      const blockers = await step
        .locator('[data-testid="blockers"]')
        .innerText()
        .catch(() => '');
      const problem = await step
        .locator('[data-testid="step-problem"]')
        .innerText()
        .catch(() => '');
      throw new Error(`Step ${stepId} (${await step.getAttribute('data-phase')}) cannot run: ${blockers}${problem}`);
    }
    await act(page, () => hands.press(run));
  }
  throw new Error('The ceremony did not finish within 200 actions');
}
