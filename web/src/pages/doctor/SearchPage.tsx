import { useCallback, useEffect, useRef } from 'react';
import { searchRecords } from '../../api/search.js';
import { formatDateTime } from '../../format.js';
import { reachablePatientsQuery } from '../../data/queries.js';
import { useQuery } from '../../data/useQuery.js';
import type { PageProps } from '../page-props.js';
import { ListStatus } from '../records/ListStatus.js';
import { typeLabel } from '../records/record-types.js';
import { href } from '../../routes.js';
import { usePagedList } from '../records/usePagedList.js';
import { SearchBox } from './SearchBox.js';

/**
 * Search by keyword over the encrypted index (`#/search?keyword=…`): only records this doctor
 * may read come back, and each hit is written to that patient's access history.
 */
export function SearchPage(props: PageProps & { readonly keyword: string }) {
  const { keyword } = props;
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">{props.item.summary}</p>
      <div className="stack">
        <section className="card" aria-labelledby="search-form-title">
          <h2 id="search-form-title" className="visually-hidden">
            Search by keyword
          </h2>
          <SearchBox key={keyword} initial={keyword} idPrefix="search" />
        </section>
        {keyword !== '' && <Results key={keyword} keyword={keyword} />}
      </div>
    </section>
  );
}

function Results(props: { readonly keyword: string }) {
  const { keyword } = props;
  // Names for the hits' patients: every hit is a patient this doctor may reach.
  const patients = useQuery(reachablePatientsQuery);
  const nameOf = (patientId: string): string =>
    (patients.resource.status === 'ready' &&
      patients.resource.data.find((p) => p.id === patientId)?.fullName) ||
    'Patient';
  const load = useCallback(
    async (cursor: string | undefined) => {
      const page = await searchRecords(keyword, cursor, 50);
      return { items: page.hits, next: page.nextCursor };
    },
    [keyword],
  );
  const list = usePagedList(load, (hit) => hit.recordId);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (list.loaded) heading.current?.focus();
  }, [list.loaded]);
  return (
    <section className="card" aria-labelledby="results-title">
      <h2 id="results-title" ref={heading} tabIndex={-1} className="panel-title">
        Results for “{keyword}”
        {list.loaded && (
          <span className="count">
            {' '}
            ({list.items.length}
            {list.hasMore ? '+' : ''})
          </span>
        )}
      </h2>
      {list.loaded && list.items.length === 0 && !list.error && (
        <p className="empty-state">No records you may read match “{keyword}”.</p>
      )}
      {list.items.length > 0 && (
        <div className="table-scroll">
          <table className="table table-stack">
            <caption className="visually-hidden">Records matching {keyword}</caption>
            <thead>
              <tr>
                <th scope="col">Record</th>
                <th scope="col">Type</th>
                <th scope="col">Written</th>
                <th scope="col">Patient</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((hit) => (
                <tr key={hit.recordId}>
                  <th scope="row">
                    <a href={href('patient-record', { patientId: hit.patientId, recordId: hit.recordId })}>
                      {hit.title}
                    </a>
                  </th>
                  <td data-label="Type">{typeLabel(hit.type)}</td>
                  <td data-label="Written">{formatDateTime(hit.createdAt)}</td>
                  <td data-label="Patient">
                    <a href={href('patient', { patientId: hit.patientId })}>{nameOf(hit.patientId)}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ListStatus list={list} what="search results" moreLabel="More results" />
    </section>
  );
}
