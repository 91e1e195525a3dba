/**
 * The fast path of the ziggurat normal sampler of src/random/ziggurat.ts (its
 * TypeScript twin, which holds the full algorithm and its documentation).
 *
 * The uniform source is seedrandom's alea, stepped here as what it is: a
 * multiply-with-carry generator, x ← (2091639·x₋₃ + c) mod 2³², c ← its carry,
 * exact in u64 (alea computes the same integers in doubles). A draw takes two
 * words a, b: layer i = a & 255, sign = bit 8 of a, u = (a ≫ 11 : b)·2⁻⁵³ (53
 * bits disjoint from the layer's and the sign's), x = u·X[i]; it is accepted
 * when x < X[i+1] (inside the layer's rectangle), 98.5% of draws.
 *
 * Any other draw (a wedge or the tail: they need exp and log) is left to the
 * TypeScript twin: the loop stops *before* that draw, with the generator's state
 * as it was before the draw's two words, and returns how many it wrote. The
 * caller lets the twin make that one draw from the same state and calls again.
 * So every value this writes is the twin's value bit for bit (the same IEEE
 * products of the same exact integers), and there is one implementation of the
 * rare paths.
 *
 * `state` points at four u32: s0, s1, s2 (the last three words) and c (the
 * carry); `X` at the 257 f64 layer edges of ziggurat.ts; `out` at len f64.
 */

/** Draw up to len normals ·scale into out; returns how many (< len: the next draw needs the twin). */
export function normalFill(state: usize, X: usize, out: usize, len: i32, scale: f64): i32 {
  let s0 = load<u32>(state);
  let s1 = load<u32>(state, 4);
  let s2 = load<u32>(state, 8);
  let c = load<u32>(state, 12);
  let j = 0;
  for (; j < len; j++) {
    const t1 = <u64>2091639 * <u64>s0 + <u64>c;
    const a = <u32>t1;
    const t2 = <u64>2091639 * <u64>s1 + (t1 >> 32);
    const b = <u32>t2;
    const i = <usize>(a & 255);
    const u = <f64>((<u64>(a >>> 11) << 32) | <u64>b) * 1.1102230246251565e-16;
    const x = u * load<f64>(X + (i << 3));
    if (!(x < load<f64>(X + (i << 3), 8))) break;
    s0 = s2;
    s1 = a;
    s2 = b;
    c = <u32>(t2 >> 32);
    store<f64>(out + (<usize>j << 3), scale * ((a & 256) != 0 ? -x : x));
  }
  store<u32>(state, s0);
  store<u32>(state, s1, 4);
  store<u32>(state, s2, 8);
  store<u32>(state, c, 12);
  return j;
}
