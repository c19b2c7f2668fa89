/** What a page shows for data it loads: still loading, the answer, or why it failed. */
export type Resource<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly data: T }
  | { readonly status: 'error'; readonly message: string };

export const LOADING: Resource<never> = { status: 'loading' };
