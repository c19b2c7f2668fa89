import { ERROR_CATALOGUE, ERROR_CODES, statusOf, type ErrorArea } from './errors.js';

const SECTIONS: ReadonlyArray<[ErrorArea, string]> = [
  ['general', 'Any route'],
  ['identity', 'Identity: logins, accounts, keys, patients'],
  ['records', 'Records, attachments and statistics'],
  ['prescriptions', 'Prescriptions (docs/prescriptions.md)'],
  ['audit', 'Audit ledger (docs/architecture.md)'],
];

const escapeCell = (text: string): string => text.replaceAll('|', '\\|');

/** docs/errors.md, rendered from the catalogue (`npm run docs:errors` writes it; a test compares). */
export function renderErrorsDoc(): string {
  const lines = [
    '# Errors',
    '',
    '<!-- Generated from src/contract/errors.ts by `npm run docs:errors`; edit the catalogue, not this file. -->',
    '',
    'Every error answer has the shape `{"error": {"code": "…", "message": "…"}}`. The code is stable',
    'and meant for programs; the message is for people and never contains secrets or patient data.',
    'Every code comes from one closed catalogue, `src/contract/errors.ts`: services throw by code,',
    "the code's kind fixes the status, and `src/http/error-mapper.ts` is the one place that turns a",
    'kind into a status. The clients (web, CLI) read the same catalogue.',
    '',
    'Command-line errors are one line on standard error prefixed `medvault:`: exit code 2 for invalid',
    'configuration or usage, 1 for refusals (unsafe key file, wrong master key, unreachable',
    'database) and failed verifications.',
  ];
  for (const [area, title] of SECTIONS) {
    const codes = ERROR_CODES.filter((c) => ERROR_CATALOGUE[c].area === area).sort(
      (a, b) => statusOf(a) - statusOf(b) || a.localeCompare(b),
    );
    lines.push('', `## ${title}`, '', '| status | code | when |', '| --- | --- | --- |');
    for (const code of codes)
      lines.push(`| ${statusOf(code)} | \`${code}\` | ${escapeCell(ERROR_CATALOGUE[code].when)} |`);
  }
  return `${lines.join('\n')}\n`;
}
