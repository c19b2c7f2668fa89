import type { AuditServices } from '../../app/audit/index.js';

type Verification = Awaited<ReturnType<AuditServices['verification']['verify']>>;

/** The lines `audit verify` prints about the checkpoints outside the database and the witnesses. */
export function describeOutside(result: Verification): string[] {
  const lines = result.outside.map(
    (o) =>
      `Outside the database: ${o.source}: ` +
      (o.treeSize === null ? 'no checkpoint' : `newest checkpoint covers ${o.treeSize} entries`) +
      (o.problem === null ? '.' : ` (${o.problem}).`),
  );
  if (result.witnessed.length === 0) {
    lines.push('Witnessed: by no witness (configure MEDVAULT_WITNESSES).');
  } else {
    const best = Math.max(...result.witnessed.map((w) => w.treeSize));
    lines.push(`Witnessed up to ${best} entries.`);
    for (const w of result.witnessed) {
      lines.push(
        `  ${w.witness} cosigned ${w.treeSize} entries at ${new Date(w.timestamp * 1000).toISOString()}.`,
      );
    }
  }
  return lines;
}
