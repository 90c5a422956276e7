export const APP_SCHEME = 'app';
export const APP_HOST = 'custodian';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True only for URLs of Custodian's own renderer. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}
