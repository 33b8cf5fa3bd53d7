/**
 * A small seeded PRNG for tests, so the noisy SLO series is the same on every
 * machine. mulberry32 for uniforms, Box–Muller for normals: neither is
 * cryptographic, both are fully deterministic and need no dependency.
 */

/** Uniform draws in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` draws from N(mean, sd²), seeded. */
export function normalSeries(seed: number, count: number, mean: number, sd: number): number[] {
  const uniform = mulberry32(seed);
  const out: number[] = [];
  while (out.length < count) {
    // 1 − u keeps the log's argument in (0, 1], never log(0).
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    out.push(mean + sd * radius * Math.cos(angle));
    if (out.length < count) out.push(mean + sd * radius * Math.sin(angle));
  }
  return out;
}
