import { useState, type FormEvent } from 'react';
import { TextField } from '../../components/TextField.js';
import { focusFirstInvalid } from '../../focus.js';
import { href, navigate } from '../../routes.js';

export const KEYWORD_MAX = 60;

/** A keyword box that opens the search page with the keyword in the route (so Back and links work). */
export function SearchBox(props: { readonly initial: string; readonly idPrefix: string }) {
  const [keyword, setKeyword] = useState(props.initial);
  const [error, setError] = useState<string>();

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const trimmed = keyword.trim();
    const problem =
      trimmed === ''
        ? 'Enter a keyword, a diagnosis or an ICD-10 code.'
        : [...trimmed].length > KEYWORD_MAX
          ? `Use at most ${KEYWORD_MAX} characters.`
          : undefined;
    setError(problem);
    if (problem) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    navigate(href('search', { keyword: trimmed }));
  }

  return (
    <form className="search-form" role="search" noValidate onSubmit={submit}>
      <TextField
        id={`${props.idPrefix}-keyword`}
        label="Keyword"
        value={keyword}
        onChange={setKeyword}
        autoComplete="off"
        maxLength={KEYWORD_MAX}
        hint="A diagnosis (e.g. asthma), an ICD-10 code (e.g. J45) or a keyword. Case and accents do not matter."
        error={error}
      />
      <div className="button-row">
        <button type="submit" className="button button-primary">
          Search
        </button>
      </div>
    </form>
  );
}
