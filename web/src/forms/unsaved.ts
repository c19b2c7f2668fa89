/**
 * Typed work is never thrown away without a question (issue 20, point 8). Each form with changes
 * not yet sent registers here (useForm does it); while any has, leaving asks first:
 *  - reloading, closing the tab or leaving MedVault: the browser's own "Leave site?" (beforeunload);
 *  - a link or Back inside the app (the hash changes): "Leave this page?"; staying puts the
 *    address back, and the page, with what was typed, is never unmounted;
 *  - logging out (AppShell asks through {@link confirmLeave}).
 * A page that moves on by itself after a successful save uses `navigate()`, which is not asked.
 * Nothing typed is kept anywhere (no browser storage): the question is the whole protection.
 */

const dirtyForms = new Set<string>();

export const LEAVE_QUESTION = 'You have changes that are not saved. Leave this page and lose them?';

/** Marks one form (by a stable id) as having unsent changes, or not. */
export function setUnsaved(formId: string, unsaved: boolean): void {
  if (unsaved) dirtyForms.add(formId);
  else dirtyForms.delete(formId);
}

export function hasUnsavedChanges(): boolean {
  return dirtyForms.size > 0;
}

/** True when nothing is unsaved, or the user agrees to lose it. */
export function confirmLeave(): boolean {
  return !hasUnsavedChanges() || window.confirm(LEAVE_QUESTION);
}

let programmatic = false;

/** Lets the next hash change through unasked: the app moves on by itself (after a save). */
export function allowNextNavigation(): void {
  programmatic = true;
}

/**
 * Installed when this module loads, before React subscribes to the hash (routes.ts imports it
 * first), so a refused navigation is put back and stopped before any view hears of it.
 */
function guardHashChanges(): void {
  window.addEventListener('hashchange', (event) => {
    if (programmatic) {
      programmatic = false;
      return;
    }
    if (confirmLeave()) return;
    event.stopImmediatePropagation();
    const previous = new URL(event.oldURL);
    history.replaceState(history.state, '', previous.hash || '#/');
  });
  window.addEventListener('beforeunload', (event) => {
    if (!hasUnsavedChanges()) return;
    event.preventDefault();
    event.returnValue = ''; // older Chromium needs it set to show the question
  });
}

if (typeof window !== 'undefined') guardHashChanges();
