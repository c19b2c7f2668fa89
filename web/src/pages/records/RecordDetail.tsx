import { useCallback } from 'react';
import { listAttachments } from '../../api/attachments.js';
import { getRecord, type RecordDetails } from '../../api/records.js';
import { LoadState } from '../../components/LoadState.js';
import { formatDateTime } from '../../format.js';
import { useResource } from '../../data/useQuery.js';
import { AttachmentUpload } from './AttachmentUpload.js';
import { AttachmentView } from './AttachmentView.js';
import { RecordBody } from './RecordBody.js';
import { typeLabel } from './record-types.js';
import { useFocusOnMount } from './useFocusOnMount.js';

export interface RecordDetailProps {
  readonly recordId: string;
  readonly backHref: string;
  readonly backLabel: string;
  /** Doctors may add images to imaging records. */
  readonly canUpload: boolean;
  /** A notice to show on arrival, e.g. "Record saved." */
  readonly notice?: string | undefined;
}

/**
 * One record: title, type, author and time, its body per type, keywords, and for imaging
 * studies the images. Opening it is a read the server writes to the patient's access history.
 */
export function RecordDetail(props: RecordDetailProps) {
  const { recordId } = props;
  const load = useCallback(() => getRecord(recordId), [recordId]);
  const { resource, reload } = useResource(load);
  const heading = useFocusOnMount<HTMLHeadingElement>(resource.status !== 'loading');

  return (
    <article className="stack record-detail" aria-labelledby="record-title">
      <p>
        <a href={props.backHref}>← {props.backLabel}</a>
      </p>
      {resource.status !== 'ready' && (
        <>
          <h2 id="record-title" className="panel-title" ref={heading} tabIndex={-1}>
            Record
          </h2>
          <LoadState resource={resource} what="the record" onRetry={() => void reload()} />
        </>
      )}
      {resource.status === 'ready' && (
        <>
          <header className="record-header">
            <span className="type-badge">{typeLabel(resource.data.type)}</span>
            <h2 id="record-title" className="record-title" ref={heading} tabIndex={-1}>
              {resource.data.title}
            </h2>
            <p className="muted">
              Written {formatDateTime(resource.data.createdAt)}
              {resource.data.authorName ? ` by ${resource.data.authorName}` : ''}
            </p>
          </header>
          {props.notice && (
            <p className="alert alert-success" role="status">
              {props.notice}
            </p>
          )}
          <section className="card" aria-label="Details">
            <RecordBody type={resource.data.type} body={resource.data.body} />
            {resource.data.keywords.length > 0 && (
              <div>
                <h3 className="subheading">Keywords</h3>
                <ul className="chip-list chip-list-small" aria-label="Keywords">
                  {resource.data.keywords.map((keyword) => (
                    <li key={keyword} className="chip">
                      {keyword}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </section>
          {resource.data.type === 'imaging' && <Images record={resource.data} canUpload={props.canUpload} />}
        </>
      )}
    </article>
  );
}

function Images(props: { readonly record: RecordDetails; readonly canUpload: boolean }) {
  const { record } = props;
  const load = useCallback(() => listAttachments(record.id), [record.id]);
  const { resource, reload } = useResource(load);
  return (
    <section className="card" aria-labelledby="images-title">
      <h3 id="images-title" className="panel-title">
        Images
      </h3>
      <LoadState resource={resource} what="the images" onRetry={() => void reload()} />
      {resource.status === 'ready' &&
        (resource.data.length === 0 ? (
          <p className="empty-state">No images are attached to this study.</p>
        ) : (
          <div className="attachment-grid">
            {resource.data.map((attachment) => (
              <AttachmentView key={attachment.id} attachment={attachment} altPrefix={record.title} />
            ))}
          </div>
        ))}
      {props.canUpload && <AttachmentUpload recordId={record.id} onUploaded={() => reload()} />}
    </section>
  );
}
