import { useEffect, useState } from 'react';
import { dismissNotice, myNotices, type AccountNotice } from '../api/reenrolment.js';
import { formatDateTime } from '../format.js';

/**
 * What the signed-in user must be told at their next sign-in (their account was re-enrolled, when
 * and at whose request), shown until they dismiss it. A failed load shows nothing: the notice
 * stays on the server for the next page load.
 */
export function NoticeBanner() {
  const [notices, setNotices] = useState<readonly AccountNotice[]>([]);
  useEffect(() => {
    let live = true;
    myNotices().then(
      (n) => live && setNotices(n),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  async function dismiss(id: string): Promise<void> {
    await dismissNotice(id).catch(() => undefined);
    setNotices((all) => all.filter((n) => n.id !== id));
  }

  return (
    <>
      {notices.map((n) => (
        <div key={n.id} className="alert alert-warning" data-testid="account-notice">
          Your account was re-enrolled on {formatDateTime(n.occurredAt)}
          {n.requestedByName ? ` at the request of ${n.requestedByName}` : ''}. If you did not ask for this,
          tell the hospital at once.{' '}
          <button type="button" className="button button-secondary" onClick={() => void dismiss(n.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </>
  );
}
