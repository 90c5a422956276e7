import type { Locator, Page } from 'playwright-core';

/** How the driver acts on a control: with the mouse and Playwright's fill, or with the keyboard alone. */
export interface Hands {
  press(target: Locator): Promise<void>;
  fill(target: Locator, value: string): Promise<void>;
  choose(target: Locator, value: string): Promise<void>;
  check(target: Locator, checked: boolean): Promise<void>;
}

export const mouse: Hands = {
  press: (target) => target.click(),
  fill: (target, value) => target.fill(value),
  choose: async (target, value) => void (await target.selectOption(value)),
  check: (target, checked) => target.setChecked(checked),
};

const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/**
 * Moves the focus to the control with Tab alone (Shift+Tab when `backwards`), as someone without a mouse does; fails,
 * naming the control, when it cannot be reached within `limit` presses (a missing or trapped focus target).
 */
export async function tabTo(page: Page, target: Locator, { limit = 150, backwards = false } = {}): Promise<void> {
  await target.waitFor();
  for (let i = 0; i < limit; i++) {
    if (await isFocused(target)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  if (await isFocused(target)) return;
  throw new Error(`${String(target)} cannot be reached with ${backwards ? 'Shift+' : ''}Tab in ${limit} presses`);
}

/** The keyboard alone: Tab to each control, Enter to press a button, Space to tick a box, arrow keys in a list. */
export function keyboard(page: Page): Hands {
  return {
    async press(target) {
      await tabTo(page, target);
      await page.keyboard.press('Enter');
    },
    async fill(target, value) {
      await tabTo(page, target);
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.type(value);
    },
    async choose(target, value) {
      await tabTo(page, target);
      const options = await target.locator('option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
      const wanted = options.indexOf(value);
      if (wanted < 0) throw new Error(`${String(target)} has no option ${value} (it has ${options.join(', ')})`);
      await page.keyboard.press('Home');
      for (let i = 0; i < wanted; i++) await page.keyboard.press('ArrowDown');
      const chosen = await target.evaluate((el) => (el as HTMLSelectElement).value);
      if (chosen !== value) throw new Error(`${String(target)}: the arrow keys chose ${chosen}, not ${value}`);
    },
    async check(target, checked) {
      await tabTo(page, target);
      if ((await target.isChecked()) !== checked) await page.keyboard.press('Space');
    },
  };
}
