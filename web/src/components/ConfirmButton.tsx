import { useState } from 'react';

export interface ConfirmButtonProps {
  /** e.g. "Disable" */
  readonly label: string;
  /** e.g. "Disable dr.house" (what a screen reader hears for the first button). */
  readonly accessibleLabel: string;
  /** Shown beside the confirming buttons, e.g. "Disable dr.house? Their sessions end now." */
  readonly question: string;
  readonly confirmLabel: string;
  readonly busy: boolean;
  readonly disabled?: boolean;
  /** "danger" (disable, revoke: the default) or "primary" (approve: a change someone asked for). */
  readonly tone?: 'danger' | 'primary';
  readonly onConfirm: () => void;
}

/**
 * A destructive action in two steps, without a modal (window.confirm cannot be styled and
 * blocks the page): the first press asks, "Confirm" acts, "Cancel" steps back.
 */
export function ConfirmButton(props: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const tone = `button button-${props.tone ?? 'danger'} button-small`;
  if (!asking || props.busy) {
    return (
      <button
        type="button"
        className={tone}
        onClick={() => setAsking(true)}
        disabled={props.busy || props.disabled}
        aria-label={props.busy ? undefined : props.accessibleLabel}
      >
        {props.busy ? 'Working…' : props.label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={props.question}>
      <span className="confirm-question">{props.question}</span>
      <button
        type="button"
        className={tone}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
        autoFocus
      >
        {props.confirmLabel}
      </button>
      <button type="button" className="button button-secondary button-small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
