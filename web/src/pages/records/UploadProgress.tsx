import { formatBytes } from './bytes.js';
import type { UploadState } from './uploads.js';

/**
 * A native `<progress>` (no inline style, so the CSP holds) with the file, the percentage and
 * the bytes sent. Screen readers hear the percentage through the element itself.
 */
export function UploadProgress(props: { readonly state: UploadState }) {
  const { state } = props;
  const percent = state.total > 0 ? Math.min(100, Math.round((state.loaded / state.total) * 100)) : 0;
  const id = 'upload-progress';
  return (
    <div className="upload-progress">
      <label htmlFor={id}>
        Uploading {state.count > 1 ? `image ${state.index} of ${state.count}: ` : ''}
        {state.filename}
      </label>
      <progress id={id} max={100} value={percent} aria-valuetext={`${percent}%`}>
        {percent}%
      </progress>
      <span className="cell-note" aria-hidden="true">
        {percent}% · {formatBytes(state.loaded)} of {formatBytes(state.total)}
      </span>
    </div>
  );
}
