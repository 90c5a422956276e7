import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { RESULTS, screenshotPath } from '../fixtures/harness';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  screen: string;
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on the page as it is now (injected through the debugging protocol, so the app's CSP is untouched),
 * writes test-results/axe-<screen>.json, takes the screen's screenshot, and returns every violation, of any impact
 * (critical, serious, moderate and minor alike), and one finding of our own when the screen runs past the window's
 * width (a hash or a path that does not break makes the room scroll sideways to read it): a screen passes with none.
 */
export async function checkScreen(page: Page, screen: string): Promise<AxeFinding[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  const overflow = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, window: document.documentElement.clientWidth }));
  const violations = result.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, `axe-${screen}.json`), JSON.stringify(violations, null, 2));
  await page.screenshot({ path: screenshotPath(`ui-${screen}`), fullPage: true });
  const findings = violations.map((v) => ({ screen, id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  if (overflow.content > overflow.window)
    findings.push({
      screen,
      id: 'wider-than-window',
      impact: 'moderate',
      help: `the screen is ${overflow.content} px wide in a ${overflow.window} px window`,
      targets: [],
    });
  return findings;
}
