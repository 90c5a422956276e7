import { describeDevice, type UsbDeviceInfo } from './device-list';
import type { UsbBackend, UsbConnectionEventLike } from './usb-backend';

/**
 * Hot-plug: 'usb.attach' and 'usb.detach' events, where the platform reports them. A token pulled during a ceremony
 * must show up on screen at once, not at the next failed call.
 */
export type UsbEventSink = (event: 'usb.attach' | 'usb.detach', payload: UsbDeviceInfo) => void;

export function watchUsb(backend: UsbBackend, sink: UsbEventSink): () => void {
  const onConnect = (event: UsbConnectionEventLike) => sink('usb.attach', describeDevice(event.device));
  const onDisconnect = (event: UsbConnectionEventLike) => sink('usb.detach', describeDevice(event.device));
  backend.addEventListener('connect', onConnect);
  backend.addEventListener('disconnect', onDisconnect);
  return () => {
    backend.removeEventListener('connect', onConnect);
    backend.removeEventListener('disconnect', onDisconnect);
  };
}
