import { svgDataUri } from './qr';

// The watermark is drawn as strokes, not as text: a text watermark would be extracted with the page's text and
// break up what a verifier (or pdftotext) reads. Each letter is drawn on a 10 × 14 grid.
const LETTER_PATHS: Record<string, string> = {
  R: 'M0 14V0H6Q10 0 10 3.5Q10 7 6 7H0M5 7L10 14',
  E: 'M10 0H0V14H10M0 7H8',
  H: 'M0 0V14M10 0V14M0 7H10',
  A: 'M0 14L5 0L10 14M2 8.5H8',
  S: 'M10 2Q8 0 5 0Q0 0 0 3.5Q0 7 5 7Q10 7 10 10.5Q10 14 5 14Q2 14 0 12',
  L: 'M0 0V14H10',
};
const ADVANCE = 15;

function watermarkSvg(word: string): string {
  const paths = [...word].map((letter, i) => `<path transform="translate(${2 + i * ADVANCE} 2)" d="${LETTER_PATHS[letter]}"/>`).join('');
  const width = word.length * ADVANCE + 2;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} 18">` +
    `<g fill="none" stroke="#000" stroke-opacity="0.11" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${paths}</g></svg>`
  );
}

const WATERMARK_URI = svgDataUri(watermarkSvg('REHEARSAL'));

/**
 * The REHEARSAL mark. In print it is position: fixed, which Chromium repeats on every printed page; on screen it
 * stays inside the preview. The printer's footer says REHEARSAL in text on every page as well.
 */
export function RehearsalWatermark() {
  return <img className="print-watermark" src={WATERMARK_URI} alt="" aria-hidden="true" data-watermark="REHEARSAL" />;
}

export function RehearsalNotice({ what }: { what: string }) {
  return (
    <p className="print-rehearsal-notice">
      REHEARSAL — this {what} was made on rehearsal hardware (SoftHSM2 or the YubiHSM simulator). It protects no real key.
    </p>
  );
}
