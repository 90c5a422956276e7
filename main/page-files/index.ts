// The built renderer's files as the window gets them (Electron's app:// protocol and the browser host), and their
// CSP: a folder of its own, so the browser host serves its first page without loading the services (main/ipc).
export { CONTENT_SECURITY_POLICY, readRendererFile, resolveRendererPath } from './renderer-files';
