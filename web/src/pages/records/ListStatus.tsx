import type { PagedList } from './usePagedList.js';

/** Loading, error-with-retry and "Load more" for a paged list; the caller renders the items. */
export function ListStatus<T>(props: {
  readonly list: PagedList<T>;
  readonly what: string;
  readonly moreLabel: string;
}) {
  const { list } = props;
  return (
    <>
      {list.loading && (
        <p className="muted" role="status">
          Loading {props.what}…
        </p>
      )}
      {list.error && (
        <div className="alert alert-error load-error" role="alert">
          <span>
            Could not load {props.what}: {list.error}
          </span>
          <button type="button" className="button button-secondary button-small" onClick={list.retry}>
            Retry
          </button>
        </div>
      )}
      {list.hasMore && !list.loading && !list.error && (
        <div className="button-row pager">
          <button type="button" className="button button-secondary" onClick={list.loadMore}>
            {props.moreLabel}
          </button>
        </div>
      )}
    </>
  );
}
