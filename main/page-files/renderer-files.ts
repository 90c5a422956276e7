import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Maps a request path to a file inside the built renderer, refusing anything that would escape it
 * ("..", encoded separators, absolute paths). Shared by the Electron app:// protocol and the browser host.
 */
export function resolveRendererPath(rendererDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded.replace(/^\/+/, '') || 'index.html';
  const root = resolve(rendererDir);
  const full = resolve(root, relative);
  if (full !== root && !full.startsWith(root + sep)) return null;
  return full;
}

export async function readRendererFile(rendererDir: string, urlPath: string): Promise<{ status: number; body: Buffer; contentType: string }> {
  const file = resolveRendererPath(rendererDir, urlPath);
  if (!file) return { status: 403, body: Buffer.from('Forbidden'), contentType: 'text/plain' };
  try {
    return { status: 200, body: await readFile(file), contentType: TYPES[extname(file)] ?? 'application/octet-stream' };
  } catch {
    return { status: 404, body: Buffer.from('Not found'), contentType: 'text/plain' };
  }
}
