import type { FormEvent } from 'react';

/** A form's submit handler: the page is not reloaded, and `action` runs (a failure shows through the store). */
export function onSubmitted(action: () => Promise<unknown>): (e: FormEvent) => void {
  return (e) => {
    e.preventDefault();
    void action();
  };
}
