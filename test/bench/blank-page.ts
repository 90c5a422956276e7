// Shared by the benchmarks that compare a start-up with Chromium's own floor (not a benchmark itself: no .bench.ts).
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../main/hosts/browser';

/** Milliseconds for playwright-core to launch headless Chromium and paint about:blank once: the floor to compare with. */
export async function blankPage(): Promise<number> {
  const started = performance.now();
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage();
  await page.goto('about:blank');
  await page.evaluate(() => new Promise(requestAnimationFrame));
  const elapsed = performance.now() - started;
  await browser.close();
  return elapsed;
}
