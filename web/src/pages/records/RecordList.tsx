import type { RecordSummary } from '../../api/records.js';
import { formatDateTime } from '../../format.js';
import { typeLabel, typeOrder, typePluralLabel } from './record-types.js';

export interface RecordListProps {
  readonly records: readonly RecordSummary[];
  readonly hrefOf: (record: RecordSummary) => string;
  /** Group into one table per type (a patient's records), or one table (recent records). */
  readonly grouped: boolean;
  /** Heading level of the type groups. */
  readonly groupHeading?: 'h2' | 'h3';
  /** Extra column with the patient's name (a doctor's recent records). */
  readonly patientNameOf?: (record: RecordSummary) => string;
  /** The "By" column (off for a doctor's own records). */
  readonly showAuthor?: boolean;
}

/** Records as tables of links: title, type, when, by whom. Newest first, as the server sends. */
export function RecordList(props: RecordListProps) {
  if (!props.grouped) return <RecordTable {...props} caption="Records" showType={false} />;
  const Heading = props.groupHeading ?? 'h3';
  return (
    <div className="record-groups">
      {typeOrder(props.records.map((r) => r.type)).map((type) => {
        const records = props.records.filter((r) => r.type === type);
        const headingId = `records-${type}`;
        return (
          <section key={type} className="record-group" aria-labelledby={headingId}>
            <Heading id={headingId} className="subheading">
              {typePluralLabel(type)} <span className="count">({records.length})</span>
            </Heading>
            <RecordTable {...props} records={records} caption={typePluralLabel(type)} showType={false} />
          </section>
        );
      })}
    </div>
  );
}

function RecordTable(props: RecordListProps & { readonly caption: string; readonly showType: boolean }) {
  return (
    <div className="table-scroll">
      <table className="table table-stack record-table">
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Record</th>
            {props.showType && <th scope="col">Type</th>}
            {props.patientNameOf && <th scope="col">Patient</th>}
            <th scope="col">Written</th>
            {props.showAuthor !== false && <th scope="col">By</th>}
          </tr>
        </thead>
        <tbody>
          {props.records.map((record) => (
            <tr key={record.id}>
              <th scope="row">
                <a href={props.hrefOf(record)}>{record.title ?? typeLabel(record.type)}</a>
              </th>
              {props.showType && <td data-label="Type">{typeLabel(record.type)}</td>}
              {props.patientNameOf && <td data-label="Patient">{props.patientNameOf(record)}</td>}
              <td data-label="Written">{formatDateTime(record.createdAt)}</td>
              {props.showAuthor !== false && (
                <td data-label="By">{record.authorName ?? <span className="muted">—</span>}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
