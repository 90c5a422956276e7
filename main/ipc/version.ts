// Only the version field, so the bundles do not carry the whole package.json.
import { version } from '../../package.json';

export const APP_NAME = 'Custodian';
export const APP_VERSION: string = version;
