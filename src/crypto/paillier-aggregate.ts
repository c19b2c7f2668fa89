/**
 * Homomorphic aggregation: the product of many Paillier ciphertexts modulo n² (E(Σm) = ΠE(m)),
 * across the machine's cores with worker_threads.
 *
 * Input is what the store holds: fixed-width big-endian ciphertexts, concatenated. Each worker
 * takes a contiguous slice, range-checks every ciphertext (0 < c < n²) and multiplies; the slices'
 * products are multiplied here. Coprimality with n is checked once, on the total, by the caller
 * (gcd(Πc, n) = 1 exactly when every gcd(c, n) = 1, because n's only factors are p and q).
 *
 * Measured (docs/analytics.md): at 3072 bits one multiplication modulo n² costs ~40 µs in V8
 * BigInt whatever the reduction (plain %, Montgomery or Barrett all measured equal), and
 * multiplying groups of 4–32 ciphertexts before one reduction is slower, not faster (V8's
 * big multiplications do not amortise the way GMP's do), so a worker reduces after every
 * product; the speed-up comes from the cores.
 *
 * The worker program is {@link productOfBytes} and {@link serveProducts} below, passed to the
 * Worker as their own source text (`eval: true`): a constant program of this module, never data,
 * so it runs the same from TypeScript sources under the test runner and from the build.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { invalidCiphertext } from './paillier.js';

/** Below this many ciphertexts the product is computed on the calling thread. */
const INLINE_BELOW = 2048;

interface ProductRequest {
  readonly id: number;
  readonly n2: bigint;
  readonly bytes: Uint8Array;
  readonly width: number;
}
type ProductReply =
  { readonly id: number; readonly product: bigint } | { readonly id: number; readonly bad: number };

/**
 * Π c_i mod n² of `bytes.length / width` big-endian ciphertexts; the index of the first one out of
 * (0, n²) as a negative number −(i + 1) instead. Self-contained: it also runs in the workers.
 */
export function productOfBytes(n2: bigint, bytes: Uint8Array, width: number): bigint | number {
  const count = bytes.length / width;
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
  let acc = 1n;
  for (let i = 0; i < count; i++) {
    const c = BigInt('0x' + hex.slice(i * 2 * width, (i + 1) * 2 * width));
    if (c <= 0n || c >= n2) return -(i + 1);
    acc = (acc * c) % n2;
  }
  return acc;
}

interface ReplyPort {
  on(event: 'message', listener: (msg: ProductRequest) => void): void;
  postMessage(msg: ProductReply): void;
}

/** The worker's main loop (self-contained but for productOfBytes). */
function serveProducts(port: ReplyPort): void {
  port.on('message', (msg: ProductRequest) => {
    const out = productOfBytes(msg.n2, msg.bytes, msg.width);
    port.postMessage(typeof out === 'number' ? { id: msg.id, bad: -out - 1 } : { id: msg.id, product: out });
  });
}

const WORKER_SOURCE = `${productOfBytes.toString()}\n(${serveProducts.toString()})(require('node:worker_threads').parentPort);\n`;

interface Pending {
  resolve(value: bigint): void;
  reject(err: Error): void;
  offset: number;
}

/** A small pool of product workers (one per core, at most `threads`), started on first use. */
export class CiphertextAggregator {
  private readonly workers: Array<Worker | undefined> = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  readonly threads: number;

  constructor(options: { threads?: number } = {}) {
    this.threads = Math.max(1, Math.min(options.threads ?? os.availableParallelism(), 8));
  }

  /**
   * Π c_i mod n² of the concatenated fixed-width ciphertexts.
   * @throws IntegrityError naming the first ciphertext out of range.
   */
  async product(n2: bigint, bytes: Uint8Array, width: number): Promise<bigint> {
    if (width <= 0 || bytes.length % width !== 0) throw invalidCiphertext('batch of the wrong length');
    const count = bytes.length / width;
    if (count < INLINE_BELOW || this.threads === 1) return checked(productOfBytes(n2, bytes, width), 0);
    const per = Math.ceil(count / this.threads);
    const parts: Array<Promise<bigint>> = [];
    for (let t = 0; t * per < count; t++) {
      const from = t * per;
      const to = Math.min(count, from + per);
      // A copy of the slice (its buffer is transferred to the worker, never the caller's).
      parts.push(this.run(t, n2, new Uint8Array(bytes.subarray(from * width, to * width)), width, from));
    }
    let acc = 1n;
    for (const part of await Promise.all(parts)) acc = (acc * part) % n2;
    return acc;
  }

  /** Ends the workers. */
  async close(): Promise<void> {
    const workers = this.workers.splice(0).filter((w): w is Worker => w !== undefined);
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private run(slot: number, n2: bigint, bytes: Uint8Array, width: number, offset: number): Promise<bigint> {
    const worker = this.worker(slot);
    const id = this.nextId++;
    return new Promise<bigint>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, offset });
      const request: ProductRequest = { id, n2, bytes, width };
      worker.postMessage(request, [bytes.buffer as ArrayBuffer]);
    });
  }

  private worker(slot: number): Worker {
    const existing = this.workers[slot];
    if (existing !== undefined) return existing;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', (reply: ProductReply) => {
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      this.pending.delete(reply.id);
      if ('product' in reply) waiting.resolve(reply.product);
      else waiting.reject(invalidCiphertext(`number ${waiting.offset + reply.bad} out of range`));
    });
    worker.on('error', (err) => this.fail(slot, err));
    worker.on('exit', () => this.fail(slot, new Error('aggregation worker exited')));
    this.workers[slot] = worker;
    return worker;
  }

  /** A worker died: every pending product fails (the caller may retry; a new worker starts). */
  private fail(slot: number, err: Error): void {
    this.workers[slot] = undefined;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(err);
    }
  }
}

function checked(out: bigint | number, offset: number): bigint {
  if (typeof out === 'number') throw invalidCiphertext(`number ${offset - out - 1} out of range`);
  return out;
}
