import { useEffect, useRef } from 'react';

/**
 * The heading of a view that replaces a sign-in form (set a new PIN, activate an account, accept
 * an invite), focused when it opens so the switch is announced.
 */
export function PanelHeading(props: { readonly text: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <h2 className="panel-title" ref={heading} tabIndex={-1}>
      {props.text}
    </h2>
  );
}
