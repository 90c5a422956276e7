export { Router, UserFacingError, toApiError, type CallerContext, type HandlerMap, type ChannelHandler } from './router';
// The built renderer's files as the window gets them (Electron's app:// protocol and the browser host), and their CSP.
export { CONTENT_SECURITY_POLICY, readRendererFile, resolveRendererPath } from '../page-files';
// The app context every host builds (Electron, browser host, CLI, tests) and the services the router answers with.
export { configuredModules, createAppContext, devicesPresent } from './app-context';
export type { AppContext, AppContextOptions, HostCapabilities } from './context';
export { CeremonyService, writeTranscript } from './ceremonies';
export { createHandlers } from './handlers';
export { APP_NAME, APP_VERSION } from './version';
