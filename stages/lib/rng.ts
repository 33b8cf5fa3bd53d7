/**
 * A small seeded PRNG (mulberry32) for the synthetic data generators.
 *
 * Why not Math.random: every byte a snapshot stage writes must be the same on
 * every run and machine, so randomness comes from an explicit 32-bit state.
 * mulberry32 is tiny, passes the usual statistical batteries well enough for
 * synthetic data, and only uses 32-bit integer maths (Math.imul), which is
 * exact in every JavaScript engine.
 */

/** A seeded random source; every draw advances one 32-bit state. */
export class Rng {
  #state: number;

  /** @param seed any integer; equal seeds give equal streams. */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /**
   * Standard normal draw (Box-Muller). One value per call: caching the
   * second value would make the stream depend on call parity.
   */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next(); // (0, 1]: log never sees 0
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error("Rng.pick: empty array");
    return item;
  }

  /** Index drawn with probability proportional to `weights`. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** A shuffled copy (Fisher-Yates); the input is left alone. */
  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

/**
 * Derives an independent seed for a named sub-stream, so adding draws to one
 * part of a generator (say, weather) does not shift every later draw (scans).
 * FNV-1a over the label, mixed with the base seed.
 */
export function subSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A generator for the sub-stream `label` of `seed`. */
export function rngFor(seed: number, label: string): Rng {
  return new Rng(subSeed(seed, label));
}
