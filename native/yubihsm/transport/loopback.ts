/**
 * The HTTP transport and the simulator server are the only network code in Custodian: both accept loopback
 * addresses only. The host name `localhost` is mapped to 127.0.0.1 rather than resolved, so /etc/hosts cannot
 * redirect it elsewhere.
 */
import { isIP } from 'node:net';

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/** The address to actually connect to or bind: `localhost` becomes 127.0.0.1. */
export function loopbackAddress(host: string): string {
  const h = host.replace(/^\[|\]$/g, '');
  return h.toLowerCase() === 'localhost' ? '127.0.0.1' : h;
}
