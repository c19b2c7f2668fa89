import { useEffect } from 'react';

/** The window's title for a page heading: "Prescription queue — MedVault". */
export function pageTitle(heading: string | undefined): string {
  const text = heading?.replace(/\s+/g, ' ').trim();
  return text ? `${text} — MedVault` : 'MedVault';
}

/** How long a page may take to draw its heading (data it waits for) before we give up on focus. */
const HEADING_WAIT_MS = 5000;

/**
 * After each navigation (a new `routeKey`), the page says where the user is (WCAG 2.4.2, 2.4.3):
 * the window's title follows the page's `<h1>` (and keeps following it while its data loads,
 * "Patient" becoming the patient's name), and focus moves to that heading, so a screen reader
 * reads the new page and Tab starts from it, not from the link that was pressed. A view that
 * already put focus inside the page (a record's own heading, search results) keeps it, and so
 * does a user who moved focus themselves before the heading appeared.
 */
export function usePageArrival(main: () => HTMLElement | null, routeKey: string): void {
  useEffect(() => {
    const container = main();
    if (!container) return;
    const focusedAtArrival = document.activeElement;
    let focused = false;
    const started = Date.now();

    const update = (): void => {
      const heading = container.querySelector('h1');
      document.title = pageTitle(heading?.textContent ?? undefined);
      if (focused || !heading) return;
      focused = true;
      if (Date.now() - started > HEADING_WAIT_MS) return;
      const active = document.activeElement;
      const viewTookFocus = active !== null && active !== document.body && container.contains(active);
      const userMoved = active !== focusedAtArrival && active !== document.body && active !== null;
      if (viewTookFocus || userMoved) return;
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus();
    };

    update();
    const observer = new MutationObserver(update);
    observer.observe(container, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [main, routeKey]);
}
