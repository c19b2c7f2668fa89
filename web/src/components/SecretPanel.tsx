import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * The frame of something shown once (a secret, a private key to download): a section named by
 * its heading, which takes focus when it appears (keyboard and screen-reader users land on it),
 * what to do with it, then the caller's body (the secret, warnings, buttons).
 */
export function SecretPanel(props: {
  readonly title: string;
  /** What to do with it. */
  readonly instructions: ReactNode;
  readonly children: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="secret-panel" aria-labelledby={titleId}>
      <h2 id={titleId} ref={heading} tabIndex={-1}>
        {props.title}
      </h2>
      <div className="secret-instructions">{props.instructions}</div>
      {props.children}
    </section>
  );
}
