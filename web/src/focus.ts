/**
 * After a form's checks fail, moves focus to the first field marked invalid, so keyboard and
 * screen-reader users land on what to fix (WCAG 3.3.1). Runs after React has rendered the
 * error state.
 */
export function focusFirstInvalid(form: HTMLFormElement): void {
  requestAnimationFrame(() => {
    const field = form.querySelector<HTMLElement>('[aria-invalid="true"], .field-invalid input');
    field?.focus();
  });
}
