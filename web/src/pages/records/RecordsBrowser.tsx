import { useCallback, useState } from 'react';
import { listPatientRecords, type RecordSummary } from '../../api/records.js';
import { ListStatus } from './ListStatus.js';
import { RecordList } from './RecordList.js';
import { RECORD_TYPES, typePluralLabel } from './record-types.js';
import { usePagedList } from './usePagedList.js';

const PAGE_SIZE = 50;

/**
 * One patient's records, newest first, grouped by type, with a type filter (asked of the server,
 * so a long history is not fetched to show one type) and "Load more".
 */
export function RecordsBrowser(props: {
  readonly patientId: string;
  readonly hrefOf: (record: RecordSummary) => string;
  /** What to say when there are no records at all. */
  readonly emptyText: string;
  readonly idPrefix: string;
  /** Heading level of the type groups: h2 when the page has no section heading above them. */
  readonly groupHeading?: 'h2' | 'h3';
}) {
  const { patientId } = props;
  const [type, setType] = useState('');
  const load = useCallback(
    async (cursor: string | undefined) => {
      const page = await listPatientRecords(patientId, { type: type || undefined, cursor, limit: PAGE_SIZE });
      return { items: page.records, next: page.nextCursor };
    },
    [patientId, type],
  );
  const list = usePagedList(load, (record) => record.id);
  const filterId = `${props.idPrefix}-type-filter`;
  return (
    <div className="stack">
      <div className="toolbar toolbar-tight">
        <div className="field">
          <label htmlFor={filterId}>Show</label>
          <select id={filterId} value={type} onChange={(event) => setType(event.target.value)}>
            <option value="">All kinds of record</option>
            {RECORD_TYPES.map((value) => (
              <option key={value} value={value}>
                {typePluralLabel(value)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {list.loaded && list.items.length === 0 && !list.error && (
        <p className="empty-state">{type ? `No ${typePluralLabel(type).toLowerCase()}.` : props.emptyText}</p>
      )}
      {list.items.length > 0 && (
        <RecordList records={list.items} hrefOf={props.hrefOf} grouped groupHeading={props.groupHeading} />
      )}
      <ListStatus list={list} what="records" moreLabel="Load more records" />
    </div>
  );
}
