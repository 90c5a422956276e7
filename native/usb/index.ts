/** USB detection for the device host: known HSMs and tokens, listing, hot-plug events. */
export { createUsbHandlers, type UsbHandlerOptions } from './handlers';
export { KNOWN_USB_DEVICES, identify, usbId, type KnownUsbDevice } from './known-devices';
export { listUsbDevices, describeDevice, type UsbDeviceInfo, type UsbListing } from './device-list';
export { watchUsb, type UsbEventSink } from './hot-plug';
export type { UsbBackend, UsbDeviceLike } from './usb-backend';
