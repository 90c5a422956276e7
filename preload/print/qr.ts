import QRCode from 'qrcode';

/**
 * How every share card's QR code is drawn. Error correction M survives a crease or a smudge; the quiet zone of
 * four modules is what the QR standard asks for, so phone-free offline readers find the code reliably.
 */
export const SHARE_QR_OPTIONS = { type: 'svg', errorCorrectionLevel: 'M', margin: 4 } as const;

/**
 * The QR code of `payload` as SVG text. qrcode's callback form renders synchronously (in Node and in the browser
 * build alike), which lets a React component draw it during render; if a future version ever called back later,
 * this throws rather than print a card without its code.
 */
export function qrSvg(payload: string): string {
  let svg: string | undefined;
  let failure: unknown;
  QRCode.toString(payload, SHARE_QR_OPTIONS, (error, text) => {
    if (error) failure = error;
    else svg = text;
  });
  if (failure) throw failure;
  if (svg === undefined) throw new Error('The QR code could not be drawn synchronously.');
  return svg;
}

/** The SVG as a data: URI for an <img> (the app's CSP allows img-src data:). */
export function svgDataUri(svg: string): string {
  // btoa takes Latin-1 only; qrcode's SVG is plain ASCII, but encode as UTF-8 first to be safe.
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

export function qrDataUri(payload: string): string {
  return svgDataUri(qrSvg(payload));
}
