/**
 * Precomputed Paillier obfuscators (r^n mod n²), so an online encryption is one multiplication
 * modulo n² (tens of microseconds at 3072 bits) instead of an exponentiation (milliseconds).
 *
 * The pool refills in the background, one obfuscator per macrotask turn (a few milliseconds at
 * 3072 bits with the CRT), so a request never waits behind a whole refill; its timers are unref'd
 * and never keep a process alive. An empty pool still answers: it computes one on the spot (the
 * "cold" path). Each obfuscator is handed out once and forgotten: reusing r would let two
 * ciphertexts be compared.
 */
export interface ObfuscatorSource {
  /** A fresh r^n mod n² for uniform r. */
  obfuscator(): bigint;
}

export interface PoolOptions {
  /** Obfuscators kept ready (default 64). */
  readonly size?: number;
  /** Refill starts when fewer remain (default half the size). */
  readonly lowWater?: number;
}

export class ObfuscatorPool {
  private readonly ready: bigint[] = [];
  private readonly size: number;
  private readonly lowWater: number;
  private refilling: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly source: ObfuscatorSource,
    options: PoolOptions = {},
  ) {
    this.size = Math.max(1, options.size ?? 64);
    this.lowWater = Math.min(this.size, Math.max(0, options.lowWater ?? Math.floor(this.size / 2)));
  }

  /** Obfuscators ready now. */
  get available(): number {
    return this.ready.length;
  }

  /** One obfuscator: precomputed when there is one, else computed now. Starts a refill if low. */
  take(): bigint {
    const obfuscator = this.ready.pop() ?? this.source.obfuscator();
    if (this.ready.length <= this.lowWater) this.refill();
    return obfuscator;
  }

  /** Starts filling the pool in the background (idempotent). */
  refill(): void {
    if (this.stopped || this.refilling !== undefined) return;
    const step = (): void => {
      this.refilling = undefined;
      if (this.stopped || this.ready.length >= this.size) return;
      this.ready.push(this.source.obfuscator());
      this.refilling = setTimeout(step, 0).unref();
    };
    this.refilling = setTimeout(step, 0).unref();
  }

  /** Fills the pool now (blocking): for start-up warm-up and benchmarks. */
  fill(): void {
    while (this.ready.length < this.size) this.ready.push(this.source.obfuscator());
  }

  /** Stops refilling and forgets every precomputed obfuscator. */
  stop(): void {
    this.stopped = true;
    if (this.refilling !== undefined) clearTimeout(this.refilling);
    this.refilling = undefined;
    this.ready.length = 0;
  }
}
