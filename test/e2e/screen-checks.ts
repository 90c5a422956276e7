import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/**
 * On a step just reached: the focus is on the step (its title, or the field it asks for first), the next Tab stop is
 * one of the step's own controls, and Abort… comes after the step in the Tab order. Returns what that Tab reached.
 */
export async function expectStepFirstInTabOrder(page: Page): Promise<string> {
  const inStep = () => page.evaluate(() => Boolean(document.querySelector('[data-testid="current-step"]')?.contains(document.activeElement)));
  await expect.poll(inStep, { timeout: 10_000 }).toBe(true);
  const onTitle = await page.evaluate(() => document.activeElement?.id === 'step-title');
  if (onTitle) await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const step = document.querySelector('[data-testid="current-step"]');
    const abort = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Abort…');
    return {
      inStep: Boolean(step?.contains(el)),
      what: `${el?.tagName ?? ''} ${el?.getAttribute('name') ?? el?.textContent ?? ''}`.trim(),
      // DOCUMENT_POSITION_FOLLOWING (4): Abort… stands after the step, so Tab reaches it only after the step's controls
      abortAfter: !abort || Boolean(step && step.compareDocumentPosition(abort) & Node.DOCUMENT_POSITION_FOLLOWING),
    };
  });
  expect(first.inStep, `the first Tab stop of the step is ${first.what}, outside the step`).toBe(true);
  expect(first.abortAfter, 'Abort… comes before the step in the Tab order').toBe(true);
  return first.what;
}

/** The words under a digest read as on paper: "1. word", "2. word", … in order, and `count` of them. */
export async function expectWordsNumbered(words: Locator, count = 24): Promise<string[]> {
  const cells = await words.locator('td').allInnerTexts();
  expect(cells).toHaveLength(count);
  cells.forEach((cell, i) => expect(cell.trim()).toMatch(new RegExp(`^${i + 1}\\. [a-z]+$`)));
  return cells.map((c) => c.trim().replace(/^\d+\. /, ''));
}

/** "2026-12-07 07:45 UTC (02:45 local)": the UTC moment first, the local time beside it. */
export const UTC_WITH_LOCAL = /^(\d{4}-\d\d-\d\d) (\d\d):(\d\d)(?::\d\d)? UTC \((?:\d{4}-\d\d-\d\d )?(\d\d):(\d\d)(?::\d\d)? local\)$/;
