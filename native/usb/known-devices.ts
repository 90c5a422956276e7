/**
 * USB devices a key ceremony is likely to meet, by vendor and product id, each with what a custodian needs installed
 * to use it. Ids are the devices' own (lsusb); the module paths are the usual Debian/Ubuntu locations.
 */
export interface KnownUsbDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly name: string;
  readonly kind: 'hsm' | 'smartcard-hsm' | 'security-key' | 'token';
  /** How Custodian talks to it. */
  readonly access: 'pkcs11' | 'yubihsm-native';
  /** The PKCS#11 module (or driver) the user needs, in words and as a usual path. */
  readonly module: { readonly name: string; readonly path?: string; readonly package?: string };
}

const OPENSC = { name: 'OpenSC PKCS#11 module', path: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', package: 'opensc (and pcscd)' } as const;

export const KNOWN_USB_DEVICES: readonly KnownUsbDevice[] = [
  {
    vendorId: 0x1050,
    productId: 0x0030,
    name: 'YubiHSM 2',
    kind: 'hsm',
    access: 'yubihsm-native',
    module: {
      name: "Custodian speaks its protocol directly; Yubico's yubihsm_pkcs11.so with yubihsm-connector also works",
      path: '/usr/lib/x86_64-linux-gnu/pkcs11/yubihsm_pkcs11.so',
      package: 'yubihsm-shell',
    },
  },
  {
    vendorId: 0x1050,
    productId: 0x0407,
    name: 'YubiKey 5 (OTP+FIDO+CCID)',
    kind: 'security-key',
    access: 'pkcs11',
    module: { name: 'Yubico PIV module (ykcs11)', path: '/usr/lib/x86_64-linux-gnu/libykcs11.so', package: 'ykcs11 (and pcscd)' },
  },
  {
    vendorId: 0x1050,
    productId: 0x0406,
    name: 'YubiKey 5 (FIDO+CCID)',
    kind: 'security-key',
    access: 'pkcs11',
    module: { name: 'Yubico PIV module (ykcs11)', path: '/usr/lib/x86_64-linux-gnu/libykcs11.so', package: 'ykcs11 (and pcscd)' },
  },
  { vendorId: 0x20a0, productId: 0x4230, name: 'Nitrokey HSM 2', kind: 'smartcard-hsm', access: 'pkcs11', module: OPENSC },
  { vendorId: 0x04e6, productId: 0x5817, name: 'SmartCard-HSM (CardContact) USB token', kind: 'smartcard-hsm', access: 'pkcs11', module: OPENSC },
  { vendorId: 0x20a0, productId: 0x42b2, name: 'Nitrokey 3', kind: 'security-key', access: 'pkcs11', module: OPENSC },
  { vendorId: 0x20a0, productId: 0x4108, name: 'Nitrokey Pro 2', kind: 'token', access: 'pkcs11', module: OPENSC },
  { vendorId: 0x20a0, productId: 0x4211, name: 'Nitrokey Start', kind: 'token', access: 'pkcs11', module: OPENSC },
  { vendorId: 0x096e, productId: 0x0807, name: 'Feitian ePass2003', kind: 'token', access: 'pkcs11', module: OPENSC },
  {
    vendorId: 0x0529,
    productId: 0x0620,
    name: 'SafeNet eToken 5110',
    kind: 'token',
    access: 'pkcs11',
    module: {
      name: 'SafeNet Authentication Client (libeTPkcs11.so)',
      path: '/usr/lib/libeTPkcs11.so',
      package: 'SafeNet Authentication Client (vendor download)',
    },
  },
];

export function identify(vendorId: number, productId: number): KnownUsbDevice | undefined {
  return KNOWN_USB_DEVICES.find((d) => d.vendorId === vendorId && d.productId === productId);
}

export function usbId(vendorId: number, productId: number): string {
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return `${hex(vendorId)}:${hex(productId)}`;
}
