/**
 * Seeded randomness for tests, so a failure can be replayed: each test file
 * that draws random numbers logs its seed, and `TEST_SEED=<seed>` replays it.
 * Never for keys or nonces (those use node:crypto).
 */

/** mulberry32: a small, fast generator, good enough for delays and shuffles. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator seeded from TEST_SEED, else from a fresh seed; `label` names the file in the log line. */
export function seededRandom(label: string): { seed: number; random: () => number } {
  const given = process.env['TEST_SEED'];
  const seed = given === undefined || given === '' ? Math.floor(Math.random() * 2 ** 32) : Number(given) >>> 0;
  console.log(`  ${label}: random seed ${seed} (replay with TEST_SEED=${seed})`);
  return { seed, random: mulberry32(seed) };
}
