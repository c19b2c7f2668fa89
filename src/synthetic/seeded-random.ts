import { createHash, createHmac } from 'node:crypto';

const KEY_LABEL = 'medvault/demo-seed/v1';

/**
 * A deterministic pseudo-random generator for synthetic demo data (never for keys, salts or
 * anything secret): HMAC-SHA256 in counter mode, keyed by SHA-256 of the seed text. The same
 * seed always gives the same stream, so `medvault seed --seed S` is reproducible.
 *
 * `fork(label)` derives an independent generator (its key is an HMAC of the label), so each
 * patient draws from a stream of their own and the data does not depend on the order in which
 * concurrent work happens to run.
 */
export class SeededRandom {
  private block = Buffer.alloc(0);
  private offset = 0;
  private counter = 0n;

  private constructor(private readonly key: Buffer) {}

  static fromSeed(seed: string): SeededRandom {
    return new SeededRandom(
      createHash('sha256').update(KEY_LABEL).update(Buffer.of(0)).update(seed).digest(),
    );
  }

  /** An independent generator for `label` (same parent and label: same stream). */
  fork(label: string): SeededRandom {
    return new SeededRandom(
      createHmac('sha256', this.key).update('fork').update(Buffer.of(0)).update(label).digest(),
    );
  }

  /** `n` bytes of the stream. */
  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    let filled = 0;
    while (filled < n) {
      if (this.offset === this.block.length) this.refill();
      const take = Math.min(n - filled, this.block.length - this.offset);
      this.block.copy(out, filled, this.offset, this.offset + take);
      this.offset += take;
      filled += take;
    }
    return out;
  }

  private refill(): void {
    const ctr = Buffer.alloc(8);
    ctr.writeBigUInt64BE(this.counter++);
    this.block = createHmac('sha256', this.key).update(ctr).digest();
    this.offset = 0;
  }

  uint32(): number {
    return this.bytes(4).readUInt32BE(0);
  }

  /** Uniform integer in [0, max), without modulo bias; max ≤ 2^32. */
  int(max: number): number {
    if (!Number.isSafeInteger(max) || max < 1 || max > 2 ** 32) throw new RangeError('max out of range');
    const limit = 2 ** 32 - (2 ** 32 % max);
    for (;;) {
      const x = this.uint32();
      if (x < limit) return x % max;
    }
  }

  /** Uniform integer in [min, max] (inclusive). */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** Uniform in [0, 1) with 53 bits. */
  float(): number {
    const b = this.bytes(8);
    return ((b.readUInt32BE(0) >>> 11) * 2 ** 32 + b.readUInt32BE(4)) / 2 ** 53;
  }

  /** Normal(mean, sd) by Box–Muller. */
  normal(mean: number, sd: number): number {
    const u = 1 - this.float();
    const v = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** One of the items, each with its weight. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let x = this.float() * total;
    for (const [item, w] of items) {
      if (x < w) return item;
      x -= w;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }

  /** `k` distinct items in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, Math.min(k, copy.length));
  }
}
