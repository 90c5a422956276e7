import type { HandlerContext, HandlerTable } from '../host';
import { listUsbDevices } from './device-list';
import { watchUsb } from './hot-plug';
import { KNOWN_USB_DEVICES } from './known-devices';
import { realUsbBackend, type UsbBackend } from './usb-backend';

export interface UsbHandlerOptions {
  /** Substitute the `usb` package (tests). */
  readonly backend?: UsbBackend;
}

/**
 * 'usb.list' lists devices ({ available: false, reason } when USB cannot be read) and starts hot-plug events the first
 * time it is called; 'usb.watch' turns them on or off explicitly; 'usb.known' returns the known-device table.
 */
export function createUsbHandlers(options: UsbHandlerOptions = {}): HandlerTable {
  const resolved = options.backend ? { backend: options.backend } : realUsbBackend();
  let stopWatching: (() => void) | undefined;

  const startWatching = (ctx: HandlerContext | undefined): boolean => {
    if (stopWatching || !resolved.backend || !ctx?.emit) return stopWatching !== undefined;
    try {
      stopWatching = watchUsb(resolved.backend, (event, payload) => ctx.emit(event, payload));
      return true;
    } catch {
      // Platforms without hot-plug support: listing still works, the UI refreshes on demand.
      return false;
    }
  };

  return {
    'usb.list': async (_params: unknown, ctx: HandlerContext) => {
      const listing = await listUsbDevices(resolved.backend, resolved.reason);
      if (listing.available) startWatching(ctx);
      return listing;
    },
    'usb.watch': (params: { enable?: boolean } | undefined, ctx: HandlerContext) => {
      if (params?.enable === false) {
        stopWatching?.();
        stopWatching = undefined;
        return { watching: false };
      }
      return { watching: startWatching(ctx) };
    },
    'usb.known': () => KNOWN_USB_DEVICES,
  };
}
