/**
 * The form-level error region. It is always in the DOM (empty when there is nothing to say) so
 * screen readers, which watch live regions that already exist, announce the message when it
 * appears.
 */
export function FormAlert(props: { readonly title: string; readonly message: string | undefined }) {
  return (
    <div className="form-alert-region" role="alert" aria-live="assertive" aria-atomic="true">
      {props.message && (
        <div className="alert alert-error">
          <strong>{props.title}</strong> <span className="alert-message">{props.message}</span>
        </div>
      )}
    </div>
  );
}
