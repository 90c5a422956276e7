export type { Transport, TransportKind } from './types';
export { MemoryTransport } from './memory';
export { HttpTransport, connectHttp, DEFAULT_CONNECTOR_URL } from './http';
export type { HttpTransportOptions, ConnectorStatus } from './http';
export { UsbTransport, listUsbYubiHsms, openUsbYubiHsm, USB_ENDPOINT, USB_PACKET_SIZE, USB_READ_SIZE } from './usb';
export type { UsbLikeDevice, UsbModuleLike, UsbListing, UsbTransportOptions } from './usb';
export { isLoopbackHost } from './loopback';
