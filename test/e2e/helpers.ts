// The e2e folder's names for the harness's folders (test/fixtures/harness), kept for the driver and axe files.
export { RESULTS, ROOT, screenshotPath, tempHome } from '../fixtures/harness';
