import { useEffect, useState } from 'react';
import { describeError } from '../../messages.js';
import { medicineLabel, searchMedicines, type Medicine } from '../../api/medicines.js';

/**
 * Medicine search over the catalog: type part of a generic name, pick one result. The search
 * runs as the doctor types (debounced); the choice is what the signed payload names.
 */
export function PrescribeMedicineSearch(props: {
  readonly selected: Medicine | undefined;
  readonly onSelect: (medicine: Medicine) => void;
  readonly error: string | undefined;
}) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<readonly Medicine[]>([]);
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      searchMedicines(query, 12)
        .then((found) => {
          if (current) {
            setResults(found);
            setFailure(undefined);
          }
        })
        .catch((error: unknown) => current && setFailure(describeError(error)));
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);

  return (
    <fieldset className={props.error ? 'fieldset field-invalid' : 'fieldset'}>
      <legend>Medicine</legend>
      <div className="field">
        <label htmlFor="rx-medicine-search">Search medicines</label>
        <input
          id="rx-medicine-search"
          type="text"
          inputMode="search"
          value={query}
          maxLength={100}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="e.g. amoxicillin"
          spellCheck={false}
        />
      </div>
      {failure && <p className="field-error">{failure}</p>}
      {results.length === 0 && !failure && <p className="muted">No medicine matches.</p>}
      <div className="choice-grid" role="radiogroup" aria-label="Matching medicines">
        {results.map((m) => (
          <label key={m.id} className="choice">
            <input
              type="radio"
              name="rx-medicine"
              value={m.id}
              checked={props.selected?.id === m.id}
              onChange={() => props.onSelect(m)}
            />
            <span>
              {medicineLabel(m)}
              {m.schedule && <span className="type-badge"> Schedule {m.schedule}</span>}
            </span>
          </label>
        ))}
      </div>
      {props.selected && (
        <p className="field-hint" role="status">
          Selected: <strong>{medicineLabel(props.selected)}</strong> ({props.selected.route})
        </p>
      )}
      {props.error && <p className="field-error">{props.error}</p>}
    </fieldset>
  );
}
