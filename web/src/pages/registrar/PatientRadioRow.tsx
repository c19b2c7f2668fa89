import type { ReactNode } from 'react';

/**
 * The table of a patient picker: a selection column, the name, then `columns` (the headers of
 * the cells each {@link PatientRadioRow} adds); the rows are `children`.
 */
export function PatientRadioTable(props: {
  readonly columns: readonly string[];
  readonly children: ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table className="table table-selectable">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Selected</span>
            </th>
            <th scope="col">Name</th>
            {props.columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

/**
 * One patient as a row of a table of radio buttons (the registrar's two pickers): the radio,
 * the name as its label, then the cells that tell this patient apart (`children`). The radio's
 * id is `${group}-${patientId}`; `name` groups the radios of one table.
 */
export function PatientRadioRow(props: {
  readonly group: string;
  readonly name: string;
  readonly patientId: string;
  readonly fullName: string;
  readonly selected: string | undefined;
  readonly onSelect: (patientId: string) => void;
  readonly children: ReactNode;
}) {
  const inputId = `${props.group}-${props.patientId}`;
  const checked = props.selected === props.patientId;
  return (
    <tr className={checked ? 'row-selected' : undefined}>
      <td className="cell-select">
        <input
          id={inputId}
          type="radio"
          name={props.name}
          value={props.patientId}
          checked={checked}
          onChange={() => props.onSelect(props.patientId)}
        />
      </td>
      <td>
        <label htmlFor={inputId}>{props.fullName}</label>
      </td>
      {props.children}
    </tr>
  );
}
