/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: every line is a
 * HELP, a TYPE or a sample; every sample belongs to a metric whose TYPE came before it (a
 * histogram's `_bucket`, `_sum`, `_count`); names, label names, escapes and values are checked.
 * Throws naming the first line that is not right.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
// NaN and Inf in any case: Prometheus parses them with Go's ParseFloat, and prom-client writes
// "Nan" for a gauge with no sample yet (the event-loop lag before its first measurement).
const VALUE =
  '(?:[-+]?(?:\\d+\\.?\\d*(?:[eE][-+]?\\d+)?|\\.\\d+(?:[eE][-+]?\\d+)?)|[Nn][Aa][Nn]|[-+]?[Ii][Nn][Ff])';
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (${VALUE})(?: (-?\\d+))?$`);
const PAIR = new RegExp(`^(${LABEL})="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"(?:,|$)`);

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const m = PAIR.exec(rest);
    if (m === null) throw new Error(`line ${line}: bad labels {${text}}`);
    const [whole, name, raw] = m as unknown as [string, string, string];
    if (name in labels) throw new Error(`line ${line}: label ${name} twice`);
    labels[name] = raw.replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(whole.length);
  }
  return labels;
}

export function parsePrometheusText(text: string): Sample[] {
  if (!text.endsWith('\n')) throw new Error('the text does not end with a newline');
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, i) => {
      const n = i + 1;
      if (line === '') return;
      if (line.startsWith('#')) {
        const type = TYPE.exec(line);
        if (type !== null) {
          if (types.has(type[1] as string)) throw new Error(`line ${n}: second TYPE for ${type[1]}`);
          types.set(type[1] as string, type[2] as string);
          return;
        }
        if (HELP.test(line)) return;
        throw new Error(`line ${n}: unknown comment: ${line}`);
      }
      const m = SAMPLE.exec(line);
      if (m === null) throw new Error(`line ${n}: not a sample: ${line}`);
      const name = m[1] as string;
      const base = [name, name.replace(/_(bucket|sum|count)$/, '')].find((b) => types.has(b));
      if (base === undefined) throw new Error(`line ${n}: ${name} has no TYPE before it`);
      if (base !== name && types.get(base) !== 'histogram' && types.get(base) !== 'summary')
        throw new Error(`line ${n}: ${name} is not a sample of ${base}`);
      const labels = m[2] === undefined ? {} : parseLabels(m[2], n);
      if (name.endsWith('_bucket') && labels.le === undefined)
        throw new Error(`line ${n}: bucket without le`);
      const raw = m[3] as string;
      const value = /inf$/i.test(raw) ? (raw.startsWith('-') ? -Infinity : Infinity) : Number(raw);
      samples.push({ name, labels, value });
    });
  return samples;
}

/** The samples named `name` (optionally with these labels). */
export const samplesOf = (samples: readonly Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
