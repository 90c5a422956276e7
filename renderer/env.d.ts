import type { CustodianApi } from '../preload/api';

declare global {
  interface Window {
    custodian: CustodianApi;
  }
}
export {};
