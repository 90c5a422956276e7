import type { ReactNode } from 'react';

/**
 * The on-screen frame around a printed document in the app. Its styles are print.css's `.print-preview` rules: the
 * renderer's page links that stylesheet (renderer/index.html), so no module here imports CSS, which Node cannot load.
 */
export function PrintPreview({ children, label }: { children: ReactNode; label: string }) {
  return (
    <div className="print-preview" role="document" aria-label={label}>
      {children}
    </div>
  );
}
