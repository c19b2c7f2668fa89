import { useCallback } from 'react';
import { listAccessLog, type AccessEntry } from '../../api/access-log.js';
import { LoadState } from '../../components/LoadState.js';
import { formatDateTime, withArticle } from '../../format.js';
import { useResource } from '../../data/useQuery.js';
import { href } from '../../routes.js';
import { typeLabel } from '../records/record-types.js';

const SHOWN = 3;

/** Record accesses that matter to a patient at a glance: by someone else than themself. */
const RECORD_ACTIONS: Readonly<Record<string, string>> = {
  'record.create': 'wrote',
  'record.read': 'opened',
  'attachment.read': 'viewed an image of',
  'attachment.create': 'added an image to',
  'search.hit': 'found in a search',
  break_glass: 'used emergency access to',
  'patient.demographics_read': 'viewed',
};

/**
 * The dashboard's summary of the access history: the latest few times someone else opened,
 * wrote or found the patient's records (reading the history itself is not logged).
 */
export function RecentAccessCard(props: { readonly patientId: string }) {
  const { patientId } = props;
  const load = useCallback(() => listAccessLog(patientId, undefined, 50), [patientId]);
  const { resource, reload } = useResource(load);
  const recent =
    resource.status === 'ready'
      ? resource.data.entries
          .filter((e) => e.actorRole !== 'patient' && RECORD_ACTIONS[e.action])
          .slice(0, SHOWN)
      : [];
  return (
    <section className="card" aria-labelledby="recent-access-title">
      <h2 id="recent-access-title">Recent access to your records</h2>
      <LoadState resource={resource} what="your access history" onRetry={() => void reload()} />
      {resource.status === 'ready' &&
        (recent.length === 0 ? (
          <p className="muted">Nobody else has opened your records lately.</p>
        ) : (
          <ul className="plain-list recent-access">
            {recent.map((entry) => (
              <li key={entry.seq}>{sentence(entry)}</li>
            ))}
          </ul>
        ))}
      <p className="field-hint">
        See everything in your <a href={href('access-history')}>access history</a>.
      </p>
    </section>
  );
}

function sentence(entry: AccessEntry): string {
  const who = entry.actorName ?? 'Someone';
  const what =
    entry.action === 'break_glass'
      ? 'your records'
      : entry.action === 'patient.demographics_read'
        ? 'your details'
        : entry.recordType
          ? withArticle(typeLabel(entry.recordType).toLowerCase())
          : entry.action === 'record.read'
            ? 'the list of your records'
            : 'a record';
  const times = entry.count > 1 ? ` ${entry.count} times` : '';
  return `${who} ${RECORD_ACTIONS[entry.action] ?? entry.action} ${what}${times} — ${formatDateTime(entry.time)}`;
}
