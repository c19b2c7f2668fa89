import type { Resource } from '../data/resource.js';

/**
 * What a list shows while loading or after a failed load, with a retry. Renders nothing once
 * the data is ready: the caller renders that.
 */
export function LoadState<T>(props: {
  readonly resource: Resource<T>;
  readonly what: string;
  readonly onRetry: () => void;
}) {
  if (props.resource.status === 'loading') {
    return (
      <p className="muted" role="status">
        Loading {props.what}…
      </p>
    );
  }
  if (props.resource.status === 'error') {
    return (
      <div className="alert alert-error load-error" role="alert">
        <span>
          Could not load {props.what}: {props.resource.message}
        </span>
        <button type="button" className="button button-secondary button-small" onClick={props.onRetry}>
          Retry
        </button>
      </div>
    );
  }
  return null;
}
