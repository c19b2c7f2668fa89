import type { StatisticsAnswer } from '../../api/analytics.js';

const WIDTH = 640;
const HEIGHT = 300;
const MARGIN = { left: 64, right: 16, top: 20, bottom: 56 };

/** About five round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step / 1e6; t += step)
    out.push(Number(t.toPrecision(12)));
  return out;
}

export const formatValue = (x: number): string =>
  Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: 2 });

const shorten = (text: string, max = 22): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Bars of noisy answers with their 95% intervals as error bars, in plain SVG (no chart library:
 * nothing to load, nothing for the CSP to allow). The table beside it carries the same numbers
 * for screen readers; the SVG has a text summary.
 */
export function StatisticsChart(props: {
  readonly results: readonly StatisticsAnswer[];
  readonly title: string;
}) {
  const shown = props.results.filter((r) => r.value !== null);
  if (shown.length === 0) return null;
  const lows = shown.map((r) => r.interval95?.low ?? (r.value as number));
  const highs = shown.map((r) => r.interval95?.high ?? (r.value as number));
  let lo = Math.min(0, ...lows);
  let hi = Math.max(0, ...highs);
  if (hi === lo) hi = lo + 1;
  const pad = (hi - lo) * 0.05;
  lo = lo < 0 ? lo - pad : lo;
  hi += pad;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = (v: number): number => MARGIN.top + ((hi - v) / (hi - lo)) * plotH;
  const band = plotW / shown.length;
  const barW = Math.min(72, band * 0.6);
  const summary = shown
    .map(
      (r) =>
        `${r.cohortLabel}: ${formatValue(r.value as number)}${r.interval95 ? ` (95% ${formatValue(r.interval95.low)} to ${formatValue(r.interval95.high)})` : ''}`,
    )
    .join('; ');
  return (
    <figure className="stats-figure">
      <svg
        className="stats-chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`${props.title}. ${summary}`}
      >
        <title>{props.title}</title>
        {ticks(lo, hi).map((t) => (
          <g key={t} className="stats-tick">
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(t)} y2={y(t)} />
            <text x={MARGIN.left - 8} y={y(t)} dy="0.32em" textAnchor="end">
              {formatValue(t)}
            </text>
          </g>
        ))}
        <line className="stats-axis" x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(0)} y2={y(0)} />
        {shown.map((r, i) => {
          const cx = MARGIN.left + band * (i + 0.5);
          const v = r.value as number;
          const top = Math.min(y(v), y(0));
          return (
            <g key={i} className="stats-bar-group" data-cohort={r.cohortLabel}>
              <rect
                className="stats-bar"
                x={cx - barW / 2}
                y={top}
                width={barW}
                height={Math.max(1, Math.abs(y(v) - y(0)))}
              />
              {r.interval95 && (
                <g className="stats-error-bar" data-low={r.interval95.low} data-high={r.interval95.high}>
                  <line x1={cx} x2={cx} y1={y(r.interval95.low)} y2={y(r.interval95.high)} />
                  <line x1={cx - 8} x2={cx + 8} y1={y(r.interval95.low)} y2={y(r.interval95.low)} />
                  <line x1={cx - 8} x2={cx + 8} y1={y(r.interval95.high)} y2={y(r.interval95.high)} />
                </g>
              )}
              <text className="stats-bar-label" x={cx} y={HEIGHT - MARGIN.bottom + 18} textAnchor="middle">
                {shorten(r.cohortLabel)}
              </text>
              <text className="stats-bar-value" x={cx} y={HEIGHT - MARGIN.bottom + 36} textAnchor="middle">
                {formatValue(v)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">
        Bars: noisy answers. Whiskers: 95% intervals for the true value.
      </figcaption>
    </figure>
  );
}
