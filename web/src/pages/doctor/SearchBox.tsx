import { MAX_KEYWORD_LENGTH as KEYWORD_MAX } from '../../../../src/contract/vocabulary/records.js';
import { TextField } from '../../components/TextField.js';
import { useForm } from '../../forms/useForm.js';
import { href, navigate } from '../../routes.js';

/** A keyword box that opens the search page with the keyword in the route (so Back and links work). */
export function SearchBox(props: { readonly initial: string; readonly idPrefix: string }) {
  const form = useForm({
    unsavedWork: false, // not typed work: leaving never asks
    initial: { keyword: props.initial },
    validate: ({ keyword }) => {
      const trimmed = keyword.trim();
      return {
        keyword:
          trimmed === ''
            ? 'Enter a keyword, a diagnosis or an ICD-10 code.'
            : [...trimmed].length > KEYWORD_MAX
              ? `Use at most ${KEYWORD_MAX} characters.`
              : undefined,
      };
    },
    onSubmit: ({ keyword }) => navigate(href('search', { keyword: keyword.trim() })),
  });

  return (
    <form className="search-form" role="search" noValidate onSubmit={form.handleSubmit}>
      <TextField
        id={`${props.idPrefix}-keyword`}
        label="Keyword"
        {...form.field('keyword')}
        autoComplete="off"
        maxLength={KEYWORD_MAX}
        hint="A diagnosis (e.g. asthma), an ICD-10 code (e.g. J45) or a keyword. Case and accents do not matter."
      />
      <div className="button-row">
        <button type="submit" className="button button-primary">
          Search
        </button>
      </div>
    </form>
  );
}
