/**
 * The REHEARSAL mark. In print it is position: fixed, which Chromium repeats on every printed page; on screen it
 * stays inside the preview. The printer's footer says REHEARSAL too, so the mark survives a page the CSS misses.
 */
export function RehearsalWatermark() {
  return (
    <div className="print-watermark" aria-hidden="true">
      REHEARSAL
    </div>
  );
}

export function RehearsalNotice({ what }: { what: string }) {
  return (
    <p className="print-rehearsal-notice">
      REHEARSAL — this {what} was made on rehearsal hardware (SoftHSM2 or the YubiHSM simulator). It protects no real key.
    </p>
  );
}
