export { Router, UserFacingError, toApiError, type CallerContext, type HandlerMap, type ChannelHandler } from './router';
// The built renderer's files as the window gets them (Electron's app:// protocol and the browser host), and their CSP.
export { CONTENT_SECURITY_POLICY, readRendererFile, resolveRendererPath } from './renderer-files';
