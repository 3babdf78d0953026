// High-precision reference values for the x87 transcendentals, in BigInt
// arithmetic: floating values m * 2^e with about PREC significant bits,
// series for sin, cos, atan, exp and atanh, pi from Machin's formula.
// Each function returns its value and a "tail": when the value held is
// exactly on the grid but the true result lies an infinitesimal step
// beside it (sin of a tiny x is x minus something), tail says which way,
// so that the rounding below can be exact. Then round() rounds to the
// x87's precision control and rounding control, as fpu/float80.ts would
// round the infinitely precise result, and encodes the 80-bit value.

export const PREC = 320;

export interface BF { m: bigint; e: number } // m * 2^e
export interface Ref { v: BF; tail: number; exact?: boolean } // true value = v + tail * (infinitesimal)

const abs = (x: bigint) => (x < 0n ? -x : x);
export function bitlen(x: bigint): number {
  x = abs(x);
  if (x === 0n) return 0;
  const s = x.toString(16);
  return (s.length - 1) * 4 + (32 - Math.clz32(parseInt(s[0], 16)));
}
export function bf(m: bigint, e = 0): BF {
  if (m === 0n) return { m: 0n, e: 0 };
  const n = bitlen(m);
  if (n > PREC) {
    const s = n - PREC;
    m = m < 0n ? -((-m) >> BigInt(s)) : m >> BigInt(s);
    e += s;
  }
  return { m, e };
}
export const ZERO: BF = { m: 0n, e: 0 };
export const ONE: BF = { m: 1n, e: 0 };
export const neg = (a: BF): BF => ({ m: -a.m, e: a.e });
export const mul = (a: BF, b: BF): BF => bf(a.m * b.m, a.e + b.e);
export const scale = (a: BF, n: number): BF => ({ m: a.m, e: a.e + n });
export function add(a: BF, b: BF): BF {
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const ta = bitlen(a.m) + a.e, tb = bitlen(b.m) + b.e;
  if (ta - tb > PREC + 8) return a;
  if (tb - ta > PREC + 8) return b;
  const e = Math.min(a.e, b.e);
  return bf((a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e)), e);
}
export const sub = (a: BF, b: BF): BF => add(a, neg(b));
export function div(a: BF, b: BF): BF {
  if (a.m === 0n) return ZERO;
  const sh = PREC + 8 + bitlen(b.m) - bitlen(a.m);
  return bf((a.m << BigInt(Math.max(sh, 0))) / b.m, a.e - b.e - Math.max(sh, 0));
}
export const fromInt = (n: number | bigint): BF => bf(BigInt(n));
export const sign = (a: BF) => (a.m > 0n ? 1 : a.m < 0n ? -1 : 0);
/** floor(log2 |a|) */
export const ilog2 = (a: BF) => bitlen(a.m) + a.e - 1;
export function cmp(a: BF, b: BF): number { return sign(sub(a, b)); }
export function toNumber(a: BF): number {
  if (a.m === 0n) return 0;
  const n = bitlen(a.m), s = Math.max(0, n - 60);
  return Number(a.m >> BigInt(s)) * 2 ** (a.e + s);
}

// ---- Constants ----------------------------------------------------------------

/** atan(1/k) * 2^bits, fixed point, by its series. */
function atanInvFixed(k: bigint, bits: number): bigint {
  const one = 1n << BigInt(bits);
  let term = one / k, sum = term, n = 1n;
  const k2 = k * k;
  while (term !== 0n) {
    term /= k2;
    n += 2n;
    const t = term / n;
    sum += (n % 4n === 3n ? -t : t);
  }
  return sum;
}
const PI_BITS = 1400;
// Machin: pi = 16 atan(1/5) - 4 atan(1/239)
const PI_FIXED = 16n * atanInvFixed(5n, PI_BITS + 16) - 4n * atanInvFixed(239n, PI_BITS + 16);
/** pi with about PI_BITS bits. */
export const PI: BF = { m: PI_FIXED >> 16n, e: -PI_BITS };
export const PI_P: BF = bf(PI.m, PI.e); // at PREC
/** ln 2 = 2 atanh(1/3) */
export const LN2: BF = bf(2n * atanhInvFixed(3n), -PREC);
function atanhInvFixed(k: bigint): bigint {
  // atanh(1/k) * 2^(PREC+16), fixed point, then scaled back by the caller
  const bits = PREC + 16, one = 1n << BigInt(bits);
  let term = one / k, sum = term, n = 1n;
  const k2 = k * k;
  while (term !== 0n) { term /= k2; n += 2n; sum += term / n; }
  return sum >> 16n;
}

// ---- Series ------------------------------------------------------------------------

/** sum over k of sgn^k z^k * c(k) * x, with x, z small enough that terms fall. */
function series(x: BF, z: BF, c: (k: number) => BF, alternate: boolean): BF {
  let sum = mul(x, c(0)), pw = x;
  for (let k = 1; k < 400; k++) {
    pw = mul(pw, z);
    let t = mul(pw, c(k));
    if (t.m === 0n || ilog2(t) < ilog2(sum) - PREC - 4) break;
    if (alternate && (k & 1)) t = neg(t);
    sum = add(sum, t);
  }
  return sum;
}
const factCache: bigint[] = [1n];
const fact = (n: number) => { for (let i = factCache.length; i <= n; i++) factCache[i] = factCache[i - 1] * BigInt(i); return factCache[n]; };
const inv = (n: bigint): BF => div(ONE, bf(n));

/** sin(r), cos(r) for |r| <= about pi/4 */
function sinSmall(r: BF): BF { return series(r, mul(r, r), (k) => inv(fact(2 * k + 1)), true); }
function cosSmall(r: BF): BF { return series(ONE, mul(r, r), (k) => inv(fact(2 * k)), true); }

/** x reduced by pi/2: r with |r| <= pi/4 and the quadrant mod 4. x exact. */
export function reduce(x: BF): { r: BF; q: number } {
  const halfPi = scale(PI, -1);
  // k = round(x / (pi/2)): the quotient with 64 fraction bits, rounded
  const sh = x.e - halfPi.e + 64;
  const k = (((x.m << BigInt(sh)) / halfPi.m) + (1n << 63n)) >> 64n;
  // r = x - k pi/2 with pi's full width (1400 bits: exact enough for |x| < 2^64)
  const e = Math.min(x.e, halfPi.e);
  const diff = (x.m << BigInt(x.e - e)) - ((k * halfPi.m) << BigInt(halfPi.e - e));
  return { r: bf(diff, e), q: Number(((k % 4n) + 4n) % 4n) };
}

const TINY = -(PREC / 2 + 10); // |x| below 2^TINY: the cubic term is out of reach

export function sinRef(x: BF): Ref {
  if (ilog2(x) < TINY) return { v: x, tail: -sign(x) };
  const { r, q } = reduce(x);
  const s = sinSmall(r), c = cosSmall(r);
  return { v: [s, c, neg(s), neg(c)][q], tail: 0 };
}
export function cosRef(x: BF): Ref {
  if (ilog2(x) < TINY) return { v: ONE, tail: -1 };
  const { r, q } = reduce(x);
  const s = sinSmall(r), c = cosSmall(r);
  return { v: [c, neg(s), neg(c), s][q], tail: 0 };
}
export function tanRef(x: BF): Ref {
  if (ilog2(x) < TINY) return { v: x, tail: sign(x) };
  const { r, q } = reduce(x);
  const s = sinSmall(r), c = cosSmall(r);
  return { v: q & 1 ? neg(div(c, s)) : div(s, c), tail: 0 };
}

/** atan(t) for any finite t */
function atanAny(t: BF): BF {
  if (t.m === 0n) return ZERO;
  if (sign(t) < 0) return neg(atanAny(neg(t)));
  if (cmp(t, ONE) > 0) return sub(scale(PI_P, -1), atanAny(div(ONE, t)));
  // halve the angle: atan(t) = 2 atan(t / (1 + sqrt(1 + t^2)))
  let halvings = 0;
  while (ilog2(t) > -8) {
    t = div(t, add(ONE, sqrtBF(add(ONE, mul(t, t)))));
    halvings++;
  }
  return scale(series(t, mul(t, t), (k) => inv(BigInt(2 * k + 1)), true), halvings);
}
export function sqrtBF(a: BF): BF {
  // sqrt(m 2^e): make e even and m wide
  let m = a.m, e = a.e;
  const want = 2 * PREC + 16 - bitlen(m);
  let sh = Math.max(0, want);
  if ((e - sh) % 2 !== 0) sh++;
  m <<= BigInt(sh); e -= sh;
  // integer square root
  let r = 1n << BigInt(Math.ceil(bitlen(m) / 2));
  for (;;) {
    const n = (r + m / r) >> 1n;
    if (n >= r) break;
    r = n;
  }
  return bf(r, e / 2);
}

/** atan2(y, x) for finite y, x, not both 0 (and the exact/tail of a tiny ratio). */
export function atan2Ref(y: BF, x: BF): Ref {
  if (y.m === 0n) return { v: sign(x) > 0 ? ZERO : PI_P, tail: 0 };
  if (x.m === 0n) return { v: sign(y) > 0 ? scale(PI_P, -1) : neg(scale(PI_P, -1)), tail: 0 };
  // the ratio, and whether it is exact
  const ay = { m: abs(y.m), e: y.e }, ax = { m: abs(x.m), e: x.e };
  const sh = PREC + 16 + bitlen(ax.m) - bitlen(ay.m);
  const n = ay.m << BigInt(sh);
  const t: BF = bf(n / ax.m, ay.e - ax.e - sh);
  const exact = n % ax.m === 0n;
  let a: BF, tail = 0;
  if (sign(x) > 0 && ilog2(t) < TINY) { a = t; tail = exact ? -1 : 1; }
  else {
    a = atanAny(t);
    if (sign(x) < 0) a = sub(PI_P, a);
  }
  return sign(y) < 0 ? { v: neg(a), tail: -tail } : { v: a, tail };
}

/** 2^x - 1 */
export function exp2m1Ref(x: BF): Ref {
  if (x.m === 0n) return { v: ZERO, tail: 0, exact: true };
  // integers are exact
  if (x.e >= 0 || x.m % (1n << BigInt(-x.e)) === 0n) {
    const n = Number(x.e >= 0 ? x.m << BigInt(x.e) : x.m >> BigInt(-x.e));
    if (Math.abs(n) < 20000) {
      const v = n >= 0 ? bf((1n << BigInt(n)) - 1n) : sub({ m: 1n, e: n }, ONE);
      return { v, tail: 0, exact: true };
    }
  }
  const w = mul(x, LN2);
  // expm1(w) = w * sum w^k/(k+1)!, after halving w until small:
  // expm1(2a) = expm1(a) * (expm1(a) + 2)
  let h = 0, v = w;
  while (ilog2(v) > -10) { v = scale(v, -1); h++; }
  let e = series(v, v, (k) => inv(fact(k + 1)), false);
  for (let i = 0; i < h; i++) e = mul(e, add(e, fromInt(2)));
  return { v: e, tail: 0 };
}

/** ln(a) for a > 0: exponent times ln2 plus 2 atanh((m-1)/(m+1)) of the significand in [0.75, 1.5). */
function lnAny(a: BF): BF {
  let k = ilog2(a);
  let m: BF = scale(a, -k); // [1, 2)
  if (cmp(m, { m: 3n, e: -1 }) > 0) { m = scale(m, -1); k++; }
  return add(mul(fromInt(k), LN2), lnNear1(sub(m, ONE)));
}
/** ln(1 + d) for d > -1, with relative precision when d is small */
function lnNear1(d: BF): BF {
  if (d.m === 0n) return ZERO;
  const u = div(d, add(fromInt(2), d));
  // halve u's size by square roots when it is large: ln(1+d) = 2 ln(sqrt(1+d))
  if (ilog2(u) > -6) {
    const s = sqrtBF(add(ONE, d));
    return scale(lnNear1(sub(s, ONE)), 1);
  }
  return scale(series(u, mul(u, u), (k) => inv(BigInt(2 * k + 1)), false), 1);
}

/** y * log2(x) for finite y, finite x > 0 */
export function yl2xRef(y: BF, x: BF): Ref {
  const k = ilog2(x);
  if (x.m === 1n << BigInt(bitlen(x.m) - 1) || (sign(x) > 0 && cmp(x, scale(ONE, k)) === 0)) {
    return { v: mul(y, fromInt(k)), tail: 0, exact: true };
  }
  return { v: mul(y, div(lnAny(x), LN2)), tail: 0 };
}
/** y * log2(1 + x) for finite y, finite x > -1 */
export function yl2xp1Ref(y: BF, x: BF): Ref {
  const z = add(ONE, x);
  const k = ilog2(z);
  if (cmp(z, scale(ONE, k)) === 0 && ilog2(x) > -PREC + 80) return { v: mul(y, fromInt(k)), tail: 0, exact: true };
  if (ilog2(x) < -4) return { v: mul(y, div(lnNear1(x), LN2)), tail: 0 };
  return { v: mul(y, div(lnAny(z), LN2)), tail: 0 };
}

// ---- Rounding to the x87's formats ---------------------------------------------------

export interface Rounded { se: number; m: bigint; inexact: boolean; up: boolean; overflow: boolean; tiny: boolean }

/** Rounds ref to `bits` significand bits (24, 53, 64) with the 15-bit exponent, rc 0..3 as FCW.RC. */
export function round(ref: Ref, bits: number, rc: number): Rounded {
  const v = ref.v;
  if (v.m === 0n) {
    // only exact zeros reach here (tails of zero are not used)
    return { se: 0, m: 0n, inexact: false, up: false, overflow: false, tiny: false };
  }
  const neg = v.m < 0n;
  const M = abs(v.m);
  const mt = neg ? -ref.tail : ref.tail; // the magnitude's tail
  // floor(log2 |true value|): one binade down when |v| is a power of two and the tail is below it
  const L = bitlen(M) + v.e - 1 - (mt < 0 && (M & (M - 1n)) === 0n ? 1 : 0);
  // |v| rounded at a unit of 2^ulpExp: the integer count and how it was rounded
  const roundAt = (ulpExp: number) => {
    let floorN: bigint, fracZero: boolean, cmpHalf: number;
    const shift = ulpExp - v.e;
    if (shift <= 0) { floorN = M << BigInt(-shift); fracZero = true; cmpHalf = -1; }
    else {
      floorN = M >> BigInt(shift);
      const rem = M - (floorN << BigInt(shift));
      const half = 1n << BigInt(shift - 1);
      fracZero = rem === 0n;
      cmpHalf = rem > half ? 1 : rem < half ? -1 : 0;
    }
    if (fracZero && mt < 0) { floorN -= 1n; fracZero = false; cmpHalf = 1; }
    else if (fracZero && mt > 0) { fracZero = false; cmpHalf = -1; }
    else if (cmpHalf === 0 && mt !== 0) cmpHalf = mt;
    const inexact = !fracZero;
    let up = false;
    if (inexact) {
      switch (rc) {
        case 0: up = cmpHalf > 0 || (cmpHalf === 0 && (floorN & 1n) === 1n); break;
        case 1: up = neg; break;
        case 2: up = !neg; break;
        default: up = false;
      }
    }
    return { n: floorN + (up ? 1n : 0n), inexact, up };
  };
  // Tininess after rounding, as fpu/float80.ts detects it (and this host's
  // x87): below 2^-16382 once rounded with the exponent unbounded.
  let tiny = false;
  if (L + 16383 < 1) tiny = L + 16383 < 0 || roundAt(L - (bits - 1)).n < (1n << BigInt(bits));
  const biased = Math.max(L + 16383, 1);
  const ulpExp = biased - 16383 - (bits - 1);
  const { n: rounded, inexact, up } = roundAt(ulpExp);
  const n = rounded;
  // value n * 2^ulpExp; encode
  let e = ulpExp;
  if (n === 0n) return { se: neg ? 0x8000 : 0, m: 0n, inexact, up, overflow: false, tiny };
  const nb = bitlen(n);
  const top = nb - 1 + e; // floor(log2 result)
  let se: number, m: bigint;
  if (top + 16383 >= 0x7fff) {
    // overflow
    const toInf = rc === 0 || (rc === 1 && neg) || (rc === 2 && !neg);
    if (toInf) return { se: (neg ? 0x8000 : 0) | 0x7fff, m: 1n << 63n, inexact: true, up: true, overflow: true, tiny: false };
    const maxM = ((1n << BigInt(bits)) - 1n) << BigInt(64 - bits);
    return { se: (neg ? 0x8000 : 0) | 0x7ffe, m: maxM, inexact: true, up: false, overflow: true, tiny: false };
  }
  if (top + 16383 >= 1) {
    se = top + 16383;
    m = n << BigInt(63 - (nb - 1));
  } else {
    se = 0;
    m = n << BigInt(e - (-16382 - 63)); // denormal: units of 2^-16445
  }
  void e;
  return { se: se | (neg ? 0x8000 : 0), m, inexact, up, overflow: false, tiny };
}

/** An 80-bit value as BF (finite only). */
export function fromF80(se: number, m: bigint): BF {
  const e = se & 0x7fff;
  const s = se & 0x8000 ? -1n : 1n;
  return bf(s * m, (e === 0 ? 1 : e) - 16383 - 63);
}
/** The error of an 80-bit result against ref, in ulps of `bits` at the exact value's magnitude. */
export function ulpError(se: number, m: bigint, ref: Ref, bits: number): number {
  const got = fromF80(se, m);
  const d = sub(got, ref.v);
  if (d.m === 0n) return 0;
  let biased = ilog2(ref.v) + 16383;
  if (biased < 1) biased = 1;
  const ulpExp = biased - 16383 - (bits - 1);
  return Math.abs(toNumber(scale(d, -ulpExp)));
}

/** Table text for the core: words of a constant at `words` * 64 bits (fixed point of a value < 1). */
export function fixedWords(v: BF, fracBits: number): bigint {
  const s = v.e + fracBits;
  return s >= 0 ? v.m << BigInt(s) : v.m >> BigInt(-s);
}
