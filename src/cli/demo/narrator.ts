/**
 * What the demo prints: headings, indented lines, timings, and one verdict per step or attack.
 * It keeps the verdicts so the runner can sum them up and choose the exit code. Lines are the
 * demo's own synthetic values only (its made-up patient, SSN, PIN, passwords): nothing else is
 * logged, and the server's own logs are off while the demo runs.
 */
export type Verdict = 'PASS' | 'FAIL' | 'SKIPPED';

export interface Outcome {
  readonly kind: 'step' | 'attack';
  readonly title: string;
  readonly verdict: Verdict;
  readonly detail: string;
  readonly ms: number;
}

export type Write = (text: string) => void;

export class Narrator {
  readonly outcomes: Outcome[] = [];
  private readonly started = performance.now();

  constructor(private readonly write: Write) {}

  /** A top-level heading (a section of the demo). */
  section(title: string): void {
    this.write(`\n${'='.repeat(78)}\n${title}\n${'='.repeat(78)}\n`);
  }

  /** A step's or attack's heading. */
  heading(title: string): void {
    this.write(`\n── ${title}\n`);
  }

  /** One indented line of narration. */
  say(line: string): void {
    this.write(`   ${line}\n`);
  }

  /** Records and prints a verdict. */
  verdict(kind: Outcome['kind'], title: string, verdict: Verdict, detail: string, ms: number): void {
    this.outcomes.push({ kind, title, verdict, detail, ms });
    const mark = verdict === 'PASS' ? '✔ PASS' : verdict === 'FAIL' ? '✘ FAIL' : '○ SKIPPED';
    this.write(`   ${mark}  ${detail}  (${seconds(ms)})\n`);
  }

  /** Seconds since the narrator was made. */
  elapsedMs(): number {
    return performance.now() - this.started;
  }

  failures(): Outcome[] {
    return this.outcomes.filter((o) => o.verdict === 'FAIL');
  }

  /** The closing table: every verdict, and the totals. */
  summary(): void {
    this.section('Summary');
    for (const o of this.outcomes) this.write(`   ${o.verdict.padEnd(7)} ${o.kind.padEnd(6)} ${o.title}\n`);
    const count = (kind: Outcome['kind'], v: Verdict): number =>
      this.outcomes.filter((o) => o.kind === kind && o.verdict === v).length;
    this.write(
      `\n   steps: ${count('step', 'PASS')} passed, ${count('step', 'FAIL')} failed, ${count('step', 'SKIPPED')} skipped;` +
        ` attacks: ${count('attack', 'PASS')} defended, ${count('attack', 'FAIL')} FAILED, ${count('attack', 'SKIPPED')} skipped` +
        ` — ${seconds(this.elapsedMs())} in all\n`,
    );
  }
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
