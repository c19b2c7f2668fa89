import { useEffect, useState } from 'react';
import {
  attachmentPath,
  fetchAttachmentBlob,
  INLINE_IMAGE_TYPES,
  type Attachment,
} from '../../api/attachments.js';
import { describeError } from '../../messages.js';
import { formatBytes } from './bytes.js';

/**
 * One attachment: a PNG or JPEG is fetched with the session cookie and shown from a blob: URL
 * (allowed by the CSP's img-src, revoked when the view goes) with zoom and invert controls;
 * anything else (DICOM) is offered as a download. The frame keeps its size while the image loads, so the page does not jump.
 */
export function AttachmentView(props: { readonly attachment: Attachment; readonly altPrefix: string }) {
  const { attachment } = props;
  const inline = INLINE_IMAGE_TYPES.includes(attachment.contentType);
  const details = [attachment.contentType, formatBytes(attachment.size)].filter(Boolean).join(', ');
  return (
    <figure className="attachment">
      {inline ? (
        <InlineImage attachment={attachment} alt={`${props.altPrefix}: ${attachment.fileName}`} />
      ) : (
        <div className="attachment-download">
          <p>
            {attachment.contentType === 'application/dicom'
              ? 'DICOM images open in a DICOM viewer.'
              : 'This file cannot be shown here.'}
          </p>
          <a
            className="button button-secondary"
            href={attachmentPath(attachment.recordId, attachment.id)}
            download={attachment.fileName}
          >
            Download {attachment.fileName}
          </a>
        </div>
      )}
      <figcaption>
        <span className="attachment-name">{attachment.fileName}</span>
        <span className="cell-note">{details}</span>
      </figcaption>
    </figure>
  );
}

type ImageState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly url: string }
  | { readonly status: 'error'; readonly message: string };

function InlineImage(props: { readonly attachment: Attachment; readonly alt: string }) {
  const { recordId, id } = props.attachment;
  const [state, setState] = useState<ImageState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    let url: string | undefined;
    setState({ status: 'loading' });
    fetchAttachmentBlob(recordId, id).then(
      (blob) => {
        if (controller.signal.aborted) return;
        url = URL.createObjectURL(blob);
        setState({ status: 'ready', url });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', message: describeError(error) });
      },
    );
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [recordId, id, attempt]);

  return (
    <div className="image-frame" aria-busy={state.status === 'loading'}>
      {state.status === 'loading' && (
        <p className="muted" role="status">
          Loading image…
        </p>
      )}
      {state.status === 'error' && (
        <div className="alert alert-error load-error" role="alert">
          <span>Could not load the image: {state.message}</span>
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => setAttempt((n) => n + 1)}
          >
            Retry
          </button>
        </div>
      )}
      {state.status === 'ready' && <ImageViewer url={state.url} alt={props.alt} />}
    </div>
  );
}

/** Zoom steps: fitted to the frame, then the image's own pixels times 1, 2 and 4. */
const ZOOMS = ['fit', '1', '2', '4'] as const;
type Zoom = (typeof ZOOMS)[number];
const ZOOM_LABEL: Readonly<Record<Zoom, string>> = { fit: 'Fit', '1': '100%', '2': '200%', '4': '400%' };

/**
 * The image with the controls a reader of an X-ray expects: zoom (fit, 100–400%, scrolled to pan)
 * and invert (bright bone on dark, or the reverse). Sizes and the filter are CSS classes, so the
 * strict CSP (no inline styles) holds.
 */
function ImageViewer(props: { readonly url: string; readonly alt: string }) {
  const [zoom, setZoom] = useState<Zoom>('fit');
  const [inverted, setInverted] = useState(false);
  const step = ZOOMS.indexOf(zoom);
  const classes = ['attachment-image', `zoom-${zoom}`, inverted ? 'inverted' : ''].filter(Boolean).join(' ');
  return (
    <>
      <div className="image-tools" role="toolbar" aria-label="Image view">
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={step === 0}
          onClick={() => setZoom(ZOOMS[step - 1] ?? 'fit')}
        >
          Zoom out
        </button>
        <span className="image-zoom" aria-live="polite">
          {ZOOM_LABEL[zoom]}
        </span>
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={step === ZOOMS.length - 1}
          onClick={() => setZoom(ZOOMS[step + 1] ?? '4')}
        >
          Zoom in
        </button>
        <button
          type="button"
          className="button button-secondary button-small"
          aria-pressed={inverted}
          onClick={() => setInverted((v) => !v)}
        >
          Invert
        </button>
        <a className="button button-secondary button-small" href={props.url} target="_blank" rel="noopener">
          Open full size
        </a>
      </div>
      <div className={zoom === 'fit' ? 'image-pan' : 'image-pan image-pan-zoomed'}>
        <img src={props.url} alt={props.alt} className={classes} />
      </div>
    </>
  );
}
