// Shamir recombination over GF(2⁸) with the polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D), the field of the
// rusty_secrets 0.0.2 crate that Yubico's yubihsm-setup splits wrap keys with (FORMAT.md §7). shamir-secret-sharing
// (the AES field, 0x11B) cannot combine these: the same bytes mean other field elements.

const EXP = new Uint8Array(510);
const LOG = new Uint8Array(256);
{
  let value = 1;
  for (let power = 0; power < 255; power++) {
    EXP[power] = value;
    LOG[value] = power;
    value <<= 1;
    if (value & 0x100) value ^= 0x11d;
  }
  for (let power = 255; power < 510; power++) EXP[power] = EXP[power - 255];
}

function multiply(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a] + LOG[b]];
}

function divide(a: number, b: number): number {
  if (b === 0) throw new RangeError('division by zero in GF(256)');
  return a === 0 ? 0 : EXP[LOG[a] + 255 - LOG[b]];
}

/**
 * The secret (the polynomials' values at x = 0) from shares given as their x coordinates and y bytes (all the same
 * length, x distinct and non-zero). Lagrange interpolation byte by byte, as rusty_secrets' recover_secret does.
 */
export function combineGf256x11d(xs: readonly number[], ys: readonly Uint8Array[]): Uint8Array {
  if (xs.length !== ys.length || xs.length < 1) throw new RangeError('one x coordinate per share');
  if (new Set(xs).size !== xs.length || xs.some((x) => !Number.isInteger(x) || x < 1 || x > 255))
    throw new RangeError('x coordinates must be distinct, 1..255');
  const length = ys[0].length;
  if (ys.some((y) => y.length !== length)) throw new RangeError('shares of one secret have one length');
  // the Lagrange basis at 0 depends only on the x coordinates: compute it once
  const basis = xs.map((xi, i) => {
    let l = 1;
    xs.forEach((xj, j) => {
      if (j !== i) l = multiply(l, divide(xj, xj ^ xi));
    });
    return l;
  });
  const secret = new Uint8Array(length);
  for (let b = 0; b < length; b++) {
    let sum = 0;
    for (let i = 0; i < ys.length; i++) sum ^= multiply(basis[i], ys[i][b]);
    secret[b] = sum;
  }
  return secret;
}

/** The share value at x of the polynomial with these coefficients (constant term first), for making test shares. */
export function evaluateGf256x11d(coefficients: Uint8Array, x: number): number {
  let acc = 0;
  let factor = 1;
  for (const c of coefficients) {
    acc ^= multiply(factor, c);
    factor = multiply(factor, x);
  }
  return acc;
}
