/**
 * The text `medvault keys handovers` prints and outside verifiers read (`audit verify-proof
 * --handovers`, `witness serve --handovers`): the log's first checkpoint key, then every handover
 * statement (src/crypto/key-handover.ts), oldest first, each after an empty line:
 *
 * ```
 * first key: medvault/1a2b3c4d+…+…
 *
 * medvault/key-handover
 * medvault/1a2b3c4d
 * generation 2
 * …
 *
 * — medvault/1a2b3c4d …
 * — medvault/1a2b3c4d …
 * ```
 *
 * Parsing checks the shape only; whether the statements form a chain from the first key is
 * CheckpointKeyChain.follow's to say (a broken chain is evidence, not a typing mistake).
 */
import { parseHandover } from '../../crypto/key-handover.js';
import { IntegrityError } from '../../crypto/errors.js';
import { invalidInput } from '../errors.js';

export interface HandoverFile {
  /** The log's first checkpoint key (signed-note verifier key). */
  readonly firstKey: string;
  /** The statements as signed, oldest first. */
  readonly statements: readonly string[];
}

const FIRST_KEY = 'first key: ';
/** One statement: the header line, body lines, an empty line, one or more signature lines. */
const STATEMENT = /\n(medvault\/key-handover\n(?:[^\n]+\n)+\n(?:\u2014 [^\n]+\n)+)/y;

/** Writes the file (what `medvault keys handovers` prints). */
export function formatHandoverFile(file: HandoverFile): string {
  return `${FIRST_KEY}${file.firstKey}\n${file.statements.map((s) => `\n${s}`).join('')}`;
}

/**
 * Reads the file. Line ends may be CRLF; trailing empty lines are ignored.
 * @throws AppError invalid_handover_file naming the first problem.
 */
export function parseHandoverFile(text: string): HandoverFile {
  const normalised = `${text.replace(/\r\n/g, '\n').replace(/\n+$/, '')}\n`;
  const newline = normalised.indexOf('\n');
  const first = normalised.slice(0, newline);
  if (!first.startsWith(FIRST_KEY) || first.length === FIRST_KEY.length)
    bad(`its first line must be "${FIRST_KEY}<verifier key>"`);
  const firstKey = first.slice(FIRST_KEY.length).trim();
  const statements: string[] = [];
  let at = newline + 1;
  while (at < normalised.length) {
    STATEMENT.lastIndex = at;
    const m = STATEMENT.exec(normalised);
    if (m === null)
      bad(
        `after ${statements.length === 0 ? 'the first key' : `statement ${statements.length}`} comes something ` +
          'that is not an empty line and a handover statement (medvault/key-handover …, signatures)',
      );
    const statement = m[1] as string;
    try {
      parseHandover(statement);
    } catch (err) {
      if (!(err instanceof IntegrityError)) throw err;
      bad(`statement ${statements.length + 1} is not a handover statement (${err.reason})`);
    }
    statements.push(statement);
    at = STATEMENT.lastIndex;
  }
  return { firstKey, statements };
}

function bad(problem: string): never {
  throw invalidInput(
    `not a key handovers file (the output of \`medvault keys handovers\`): ${problem}`,
    'invalid_handover_file',
  );
}
