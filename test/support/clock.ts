/**
 * The one test clock: time that moves only when a test says so (`advance`), from a fixed start,
 * or — `new TestClock('system')` — the real time plus whatever the test added. Hand `read` to
 * anything that takes a clock (the composition root passes it to every service).
 */
export class TestClock {
  private offset = 0;

  constructor(
    private readonly start: number | 'system' = Date.UTC(2030, 0, 1),
    /** Added after every read (a log whose entries must have distinct times). */
    private readonly tickMs = 0,
  ) {}

  /** The time now, in epoch milliseconds (without ticking). */
  get now(): number {
    return (this.start === 'system' ? Date.now() : this.start) + this.offset;
  }

  readonly read = (): number => {
    const now = this.now;
    this.offset += this.tickMs;
    return now;
  };

  advance(ms: number): void {
    this.offset += ms;
  }
}
