import type { ReactNode } from 'react';
import './print.css';

/**
 * The on-screen frame around a printed document (renderer only: it pulls print.css into the app's bundle, which
 * Node cannot load — so main imports the documents from index.ts, never this file).
 */
export function PrintPreview({ children, label }: { children: ReactNode; label: string }) {
  return (
    <div className="print-preview" role="document" aria-label={label}>
      {children}
    </div>
  );
}
