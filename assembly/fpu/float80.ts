// Exact 80-bit extended-precision arithmetic, as the x87 computes it: one
// rounding of the infinitely precise result to the precision control's 24,
// 53 or 64 bits with the 15-bit exponent, in the rounding control's
// direction. Operands and results are a sign/exponent word (se: bit 15
// sign, bits 14:0 biased exponent) and a 64-bit significand with an
// explicit integer bit (m). Results go to rSE/rM and the exceptions to
// exc, so nothing is allocated; the instruction layer (fpu/ops.ts) sets
// the controls, clears exc, and turns exc into status-word bits.
//
// Encodings (SDM vol. 1, 8.2.2 and 4.8.3.8): exponent 0 is zero or a
// denormal (a pseudo-denormal when the integer bit is set: its value is
// that of exponent 1); exponents 1..7ffe need the integer bit (without it,
// an unnormal); 7fff with the integer bit is infinity or a NaN (without,
// pseudo-infinity/pseudo-NaN). Unnormals and the pseudo forms are invalid
// operands: IE and the default NaN, as on every x87 since the 387.

export const IE: u32 = 1, DE: u32 = 2, ZE: u32 = 4, OE: u32 = 8, UE: u32 = 16, PE: u32 = 32, SF: u32 = 64;

export const SIGN: u32 = 0x8000;
export const EXP_MAX: i32 = 0x7fff;
export const BIAS: i32 = 0x3fff;
export const J: u64 = 0x8000000000000000; // the integer bit
const QUIET: u64 = 0x4000000000000000;
// The "real indefinite": what a masked invalid operation produces.
export const NAN_SE: u32 = 0xffff;
export const NAN_M: u64 = 0xc000000000000000;

// The controls, set from FCW before an operation.
export let precision: i32 = 64; // 24, 53 or 64 significand bits
export let rounding: u32 = 0; // 0 nearest-even, 1 down, 2 up, 3 toward zero
// Raised by the operation: IE..PE (and SF from the stack layer).
export let exc: u32 = 0;
// The result's magnitude was rounded up (the status word's C1 after an
// inexact result).
export let roundedUp: bool = false;
// The result.
export let rSE: u32 = 0;
export let rM: u64 = 0;

// Unmasked overflow/underflow: a register result keeps its significand and
// its exponent wraps by 0x6000 (SDM vol. 1, 4.9.1.4-5; measured on this
// host's x87), instead of infinity or a denormal.
let wrapOverflow = false, wrapUnderflow = false;

export function setControls(cw: u32): void {
  rounding = (cw >> 10) & 3;
  wrapOverflow = (cw & OE) == 0;
  wrapUnderflow = (cw & UE) == 0;
  const pc = (cw >> 8) & 3;
  precision = pc == 0 ? 24 : pc == 2 ? 53 : 64; // 01 is reserved: taken as 64
  exc = 0;
  roundedUp = false;
}
export function raiseExc(bits: u32): void { exc |= bits; }
export function setExc(bits: u32): void { exc = bits; }
export function markRoundedUp(): void { roundedUp = true; }
export function clearRoundedUp(): void { roundedUp = false; }
export function clearExc(): void { exc = 0; roundedUp = false; }

// ---- Classes ----------------------------------------------------------------

export const ZERO: i32 = 0, FINITE: i32 = 1, INF: i32 = 2, QNAN: i32 = 3, SNAN: i32 = 4, BAD: i32 = 5;

export function classify(se: u32, m: u64): i32 {
  const e = se & 0x7fff;
  if (e == 0x7fff) {
    if ((m & J) == 0) return BAD;
    if ((m << 1) == 0) return INF;
    return (m & QUIET) != 0 ? QNAN : SNAN;
  }
  if (e == 0) return m == 0 ? ZERO : FINITE;
  return (m & J) != 0 ? FINITE : BAD;
}
// @ts-ignore: decorator
@inline export function isNaNClass(c: i32): bool { return c == QNAN || c == SNAN; }
// A finite operand with exponent 0: a denormal or pseudo-denormal (DE).
// @ts-ignore: decorator
@inline export function isDenormal(se: u32, m: u64): bool { return (se & 0x7fff) == 0 && m != 0; }

export function setResult(se: u32, m: u64): void { rSE = se; rM = m; }
export function defaultNaN(): void { rSE = NAN_SE; rM = NAN_M; }
export function invalid(): void { exc |= IE; defaultNaN(); }

// The unpacked finite operands: exponent (may go below 1 for denormals,
// which are normalized) and significand with the integer bit set.
let aE: i32 = 0, bE: i32 = 0;
let aM: u64 = 0, bM: u64 = 0;

// @ts-ignore: decorator
@inline function unpackExp(se: u32, m: u64): i32 {
  const e = <i32>(se & 0x7fff);
  return e == 0 ? 1 - <i32>clz<u64>(m) : e;
}
// @ts-ignore: decorator
@inline function unpackSig(se: u32, m: u64): u64 {
  return (se & 0x7fff) == 0 ? m << clz<u64>(m) : m;
}

// x87 NaN propagation (SDM vol. 1, table 4-7): an SNaN with a QNaN gives
// the QNaN; two of a kind give the larger significand (the positive one on
// a tie); a NaN with a number gives the NaN; SNaNs raise IE and come out
// quiet.
export function pickNaN(ase: u32, am: u64, ca: i32, bse: u32, bm: u64, cb: i32): void {
  if (ca == SNAN || cb == SNAN) exc |= IE;
  let takeA: bool;
  if (!isNaNClass(cb)) takeA = true;
  else if (!isNaNClass(ca)) takeA = false;
  else if (ca != cb) takeA = ca == QNAN;
  else if ((am << 1) != (bm << 1)) takeA = (am << 1) > (bm << 1);
  else takeA = (ase & SIGN) == 0 || (bse & SIGN) != 0;
  if (takeA) setResult(ase, am | QUIET);
  else setResult(bse, bm | QUIET);
}

// ---- Rounding -----------------------------------------------------------------

// Tininess (for UE) is detected after rounding, as QEMU and this host's x87
// do (a result that rounds up to the smallest normal is not tiny).
const TININESS_AFTER: bool = true;

// @ts-ignore: decorator
@inline function increment(sign: u32, odd: bool, round: bool, sticky: bool): bool {
  switch (rounding) {
    case 0: return round && (sticky || odd);
    case 1: return sign != 0 && (round || sticky);
    case 2: return sign == 0 && (round || sticky);
    default: return false;
  }
}

// Shifts (hi:lo) right by n, or-ing what falls off into bit 0.
let s0: u64 = 0, s1: u64 = 0;
function shiftRightJam(hi: u64, lo: u64, n: i32): void {
  if (n <= 0) { s0 = hi; s1 = lo; }
  else if (n < 64) {
    s1 = (hi << <u64>(64 - n)) | (lo >> <u64>n) | <u64>((lo << <u64>(64 - n)) != 0);
    s0 = hi >> <u64>n;
  } else if (n == 64) { s1 = hi | <u64>(lo != 0); s0 = 0; }
  else if (n < 128) { s1 = (hi >> <u64>(n - 64)) | <u64>(((hi << <u64>(128 - n)) | lo) != 0); s0 = 0; }
  else { s1 = <u64>((hi | lo) != 0); s0 = 0; }
}

// Rounds sign * (sig:ext) * 2^(exp - BIAS - 63) to the precision control,
// sig normalized (integer bit set) or, for an exact zero, 0. ext holds the
// bits below sig's last.
export function roundPack(sign: u32, exp: i32, sig: u64, ext: u64): void {
  roundPackTo(sign, exp, sig, ext, precision, EXP_MAX);
}

// The same for any binary format: `bits` of significand and biased
// exponents below expLimit (0x7fff, or 0xff and 0x7ff for single and
// double precision, whose results the caller repacks).
export function roundPackTo(sign: u32, exp: i32, sig: u64, ext: u64, bits: i32, expLimit: i32): void {
  if (sig == 0) { setResult(sign, 0); return; }
  // Kept bits: the top `bits` of sig; the round bit below them, then sticky.
  const drop = <u64>(64 - bits);
  const roundMask: u64 = bits == 64 ? 0 : (<u64>1 << drop) - 1;
  let tiny = false;
  const wrap = expLimit == EXP_MAX;
  if (exp <= 0 && exp + 0x6000 > 0 && wrap && wrapUnderflow) {
    // Rounded as if the exponent went on down; UE even when exact.
    exc |= UE;
    exp += 0x6000;
  } else if (exp <= 0) {
    if (TININESS_AFTER) {
      tiny = exp < 0 || !carriesOut(sign, sig, ext, bits);
    } else tiny = true;
    shiftRightJam(sig, ext, 1 - exp);
    sig = s0; ext = s1;
    exp = 0;
  }
  let round: bool, sticky: bool;
  if (bits == 64) {
    round = (ext >> 63) != 0;
    sticky = (ext << 1) != 0;
  } else {
    round = ((sig >> (drop - 1)) & 1) != 0;
    sticky = (sig & (roundMask >> 1)) != 0 || ext != 0;
  }
  const inexact = round || sticky;
  sig &= ~roundMask;
  if (increment(sign, ((sig >> drop) & 1) != 0, round, sticky)) {
    roundedUp = true;
    const before = sig;
    sig += <u64>1 << drop;
    if (sig < before) { sig = J; exp++; } // carried out of the top
    else if (exp == 0 && (sig & J) != 0) exp = 1; // a denormal rounded up to the smallest normal
  }
  if (inexact) {
    exc |= PE;
    if (tiny) exc |= UE;
  }
  if (exp >= expLimit) {
    if (!(wrap && wrapOverflow) || exp - 0x6000 >= expLimit) { overflow(sign, roundMask, expLimit); return; }
    exc |= OE;
    exp -= 0x6000;
  }
  setResult(sign | <u32>exp, sig);
}

// Whether rounding sig:ext to `bits` carries out of the top: with the
// exponent unbounded, the result reaches the next power of two.
function carriesOut(sign: u32, sig: u64, ext: u64, bits: i32): bool {
  const drop = <u64>(64 - bits);
  const roundMask: u64 = bits == 64 ? 0 : (<u64>1 << drop) - 1;
  let round: bool, sticky: bool;
  if (bits == 64) { round = (ext >> 63) != 0; sticky = (ext << 1) != 0; }
  else { round = ((sig >> (drop - 1)) & 1) != 0; sticky = (sig & (roundMask >> 1)) != 0 || ext != 0; }
  if (!increment(sign, ((sig >> drop) & 1) != 0, round, sticky)) return false;
  return (sig | roundMask) == 0xffffffffffffffff;
}

// Masked overflow: infinity, or the largest finite value of the precision
// when the rounding direction is toward zero for this sign.
function overflow(sign: u32, roundMask: u64, expLimit: i32): void {
  exc |= OE | PE;
  const toInf = rounding == 0 || (rounding == 1 && sign != 0) || (rounding == 2 && sign == 0);
  if (toInf) { roundedUp = true; setResult(sign | <u32>expLimit, J); }
  else setResult(sign | <u32>(expLimit - 1), ~roundMask);
}

// ---- Add and subtract -------------------------------------------------------------

// a + b, or a - b when sub. NaNs keep their own signs.
export function add(ase: u32, am: u64, bse: u32, bm: u64, sub: bool): void {
  const ca = classify(ase, am), cb = classify(bse, bm);
  if (ca == BAD || cb == BAD) { invalid(); return; }
  if (isNaNClass(ca) || isNaNClass(cb)) { pickNaN(ase, am, ca, bse, bm, cb); return; }
  const as = ase & SIGN, bs = (bse & SIGN) ^ (sub ? SIGN : 0);
  if (ca == INF || cb == INF) {
    if (ca == INF && cb == INF && as != bs) { invalid(); return; }
    setResult((ca == INF ? as : bs) | 0x7fff, J);
    return;
  }
  denormalCheck(ase, am, ca);
  denormalCheck(bse, bm, cb);
  if (ca == ZERO && cb == ZERO) {
    setResult(as == bs ? as : rounding == 1 ? SIGN : 0, 0);
    return;
  }
  if (cb == ZERO) { roundPack(as, unpackExp(ase, am), unpackSig(ase, am), 0); return; }
  if (ca == ZERO) { roundPack(bs, unpackExp(bse, bm), unpackSig(bse, bm), 0); return; }
  aE = unpackExp(ase, am); aM = unpackSig(ase, am);
  bE = unpackExp(bse, bm); bM = unpackSig(bse, bm);
  if (as == bs) addMagnitudes(as);
  else subMagnitudes(as, bs);
}

// @ts-ignore: decorator
@inline function denormalCheck(se: u32, m: u64, c: i32): void {
  if (c == FINITE && (se & 0x7fff) == 0) exc |= DE;
}

function addMagnitudes(sign: u32): void {
  // Align the smaller to the larger's exponent; 64 extra bits and a
  // sticky bit keep the sum exact enough for one rounding.
  let exp = aE, hi = aM, lo: u64 = 0;
  if (aE >= bE) { shiftRightJam(bM, 0, aE - bE); }
  else { exp = bE; hi = bM; shiftRightJam(aM, 0, bE - aE); }
  let sum = hi + s0;
  let ext = s1;
  if (sum < hi) { // carry: the sum has 65 bits
    ext = (ext >> 1) | (ext & 1) | (sum << 63);
    sum = (sum >> 1) | J;
    exp++;
  }
  lo = ext;
  roundPack(sign, exp, sum, lo);
}

function subMagnitudes(as: u32, bs: u32): void {
  // |a| - |b| with the larger first; the result's sign is the larger's.
  let sign = as, exp = aE, hi = aM, lo: u64 = 0;
  if (aE > bE || (aE == bE && aM >= bM)) {
    if (aE == bE && aM == bM) { setResult(rounding == 1 ? SIGN : 0, 0); return; }
    shiftRightJam(bM, 0, aE - bE);
  } else {
    sign = bs; exp = bE; hi = bM;
    shiftRightJam(aM, 0, bE - aE);
  }
  // (hi:0) - (s0:s1)
  lo = 0 - s1;
  hi = hi - s0 - <u64>(s1 != 0);
  // Normalize: a cancellation leaves leading zeros.
  if (hi == 0) { hi = lo; lo = 0; exp -= 64; }
  const n = <i32>clz<u64>(hi);
  if (n) {
    hi = (hi << <u64>n) | (lo >> <u64>(64 - n));
    lo <<= <u64>n;
    exp -= n;
  }
  roundPack(sign, exp, hi, lo);
}

// ---- Multiply -------------------------------------------------------------------

export let mulHi: u64 = 0, mulLo: u64 = 0;
// The 128-bit product of two 64-bit values, from 32-bit halves.
export function mul128(a: u64, b: u64): void {
  const a0 = a & 0xffffffff, a1 = a >> 32, b0 = b & 0xffffffff, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  mulLo = (mid << 32) | (p00 & 0xffffffff);
  mulHi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

export function mul(ase: u32, am: u64, bse: u32, bm: u64): void {
  const ca = classify(ase, am), cb = classify(bse, bm);
  if (ca == BAD || cb == BAD) { invalid(); return; }
  if (isNaNClass(ca) || isNaNClass(cb)) { pickNaN(ase, am, ca, bse, bm, cb); return; }
  const sign = (ase ^ bse) & SIGN;
  if (ca == INF || cb == INF) {
    if (ca == ZERO || cb == ZERO) { invalid(); return; }
    setResult(sign | 0x7fff, J);
    return;
  }
  denormalCheck(ase, am, ca);
  denormalCheck(bse, bm, cb);
  if (ca == ZERO || cb == ZERO) { setResult(sign, 0); return; }
  mulFinite(sign, unpackExp(ase, am), unpackSig(ase, am), unpackExp(bse, bm), unpackSig(bse, bm));
}

export function mulFinite(sign: u32, ae: i32, am: u64, be: i32, bm: u64): void {
  mul128(am, bm);
  let exp = ae + be - BIAS + 1;
  let hi = mulHi, lo = mulLo;
  if ((hi & J) == 0) { hi = (hi << 1) | (lo >> 63); lo <<= 1; exp--; }
  roundPack(sign, exp, hi, lo);
}

// ---- Divide -------------------------------------------------------------------------

// (u1:u0) / v for u1 < v and v normalized: the 64-bit quotient, and the
// remainder in divRem (Knuth's algorithm D with 32-bit digits).
export let divRem: u64 = 0;
const B32: u64 = 0x100000000;
export function div128(u1: u64, u0: u64, v: u64): u64 {
  const vn1 = v >> 32, vn0 = v & 0xffffffff;
  const un1 = u0 >> 32, un0 = u0 & 0xffffffff;
  let q1 = u1 / vn1;
  let rhat = u1 - q1 * vn1;
  while (q1 >= B32 || q1 * vn0 > ((rhat << 32) | un1)) {
    q1--;
    rhat += vn1;
    if (rhat >= B32) break;
  }
  const un21 = (u1 << 32) + un1 - q1 * v;
  let q0 = un21 / vn1;
  rhat = un21 - q0 * vn1;
  while (q0 >= B32 || q0 * vn0 > ((rhat << 32) | un0)) {
    q0--;
    rhat += vn1;
    if (rhat >= B32) break;
  }
  divRem = (un21 << 32) + un0 - q0 * v;
  return (q1 << 32) | q0;
}

export function div(ase: u32, am: u64, bse: u32, bm: u64): void {
  const ca = classify(ase, am), cb = classify(bse, bm);
  if (ca == BAD || cb == BAD) { invalid(); return; }
  if (isNaNClass(ca) || isNaNClass(cb)) { pickNaN(ase, am, ca, bse, bm, cb); return; }
  const sign = (ase ^ bse) & SIGN;
  if (ca == INF) {
    if (cb == INF) { invalid(); return; }
    denormalCheck(bse, bm, cb);
    setResult(sign | 0x7fff, J);
    return;
  }
  if (cb == INF) { denormalCheck(ase, am, ca); setResult(sign, 0); return; }
  if (cb == ZERO) {
    if (ca == ZERO) { invalid(); return; }
    exc |= ZE; // not DE for a denormal dividend: ZE alone, as this host's x87 reports it
    setResult(sign | 0x7fff, J);
    return;
  }
  denormalCheck(ase, am, ca);
  denormalCheck(bse, bm, cb);
  if (ca == ZERO) { setResult(sign, 0); return; }
  divFinite(sign, unpackExp(ase, am), unpackSig(ase, am), unpackExp(bse, bm), unpackSig(bse, bm));
}

export function divFinite(sign: u32, ae: i32, am: u64, be: i32, bm: u64): void {
  let exp = ae - be + BIAS - 1;
  let u1 = am, u0: u64 = 0;
  if (am >= bm) { u1 = am >> 1; u0 = am << 63; exp++; }
  const q = div128(u1, u0, bm);
  const q2 = div128(divRem, 0, bm);
  roundPack(sign, exp, q, q2 | <u64>(divRem != 0));
}

// ---- Square root ----------------------------------------------------------------------

// floor(sqrt(hi:lo)) for 2^126 <= hi:lo < 2^128, and the remainder (at
// most 65 bits) in sqrtRemHi:sqrtRemLo: a double's estimate (52 good
// bits), one Newton step through the 128-by-64 division (the error squares
// to well under one), then exact corrections against the square.
let sqrtRemHi: u64 = 0, sqrtRemLo: u64 = 0;
function squareAbove(r: u64, hi: u64, lo: u64): bool {
  mul128(r, r);
  return mulHi > hi || (mulHi == hi && mulLo > lo);
}
function isqrt128(hi: u64, lo: u64): u64 {
  const est = Math.sqrt(<f64>hi) * 4294967296.0;
  let r: u64 = est >= 18446744073709549568.0 ? 0xfffffffffffff800 : <u64>est;
  if (r < J) r = J;
  if (hi < r) {
    const q = div128(hi, lo, r);
    r = (r >> 1) + (q >> 1) + (r & q & 1);
  } else r = 0xffffffffffffffff;
  // r*r > R: step down; (r+1)^2 <= R: step up.
  while (squareAbove(r, hi, lo)) r--;
  while (r != 0xffffffffffffffff && !squareAbove(r + 1, hi, lo)) r++;
  mul128(r, r);
  sqrtRemLo = lo - mulLo;
  sqrtRemHi = hi - mulHi - <u64>(lo < mulLo);
  return r;
}

export function sqrt(ase: u32, am: u64): void {
  const c = classify(ase, am);
  if (c == BAD) { invalid(); return; }
  if (isNaNClass(c)) { pickNaN(ase, am, c, ase, am, c); return; }
  if (c == ZERO) { setResult(ase, 0); return; }
  if ((ase & SIGN) != 0) { invalid(); return; }
  if (c == INF) { setResult(ase, am); return; }
  denormalCheck(ase, am, c);
  const e = unpackExp(ase, am) - BIAS;
  const m = unpackSig(ase, am);
  // sqrt(m * 2^e) with m read as 1.63: the radicand m * 2^63 (even e) or
  // m * 2^64 (odd e) has a 64-bit root with the integer bit set.
  const odd = (e & 1) != 0;
  const root = odd ? isqrt128(m, 0) : isqrt128(m >> 1, m << 63);
  const exp = ((e - (odd ? 1 : 0)) >> 1) + BIAS;
  // The fraction below the root: over one half exactly when the remainder
  // exceeds the root ((r + 1/2)^2 = r^2 + r + 1/4), never exactly one half.
  const rem0 = sqrtRemHi == 0 && sqrtRemLo == 0;
  const overHalf = sqrtRemHi != 0 || sqrtRemLo > root;
  roundPack(0, exp, root, (overHalf ? J : 0) | <u64>!rem0);
}

// ---- Compare ------------------------------------------------------------------------

export const LESS: i32 = -1, EQUAL: i32 = 0, GREATER: i32 = 1, UNORDERED: i32 = 2;

// a against b. quiet: only SNaNs raise IE (fucom); otherwise any NaN does.
export function compare(ase: u32, am: u64, bse: u32, bm: u64, quiet: bool): i32 {
  const ca = classify(ase, am), cb = classify(bse, bm);
  if (ca == BAD || cb == BAD) { exc |= IE; return UNORDERED; }
  if (isNaNClass(ca) || isNaNClass(cb)) {
    if (!quiet || ca == SNAN || cb == SNAN) exc |= IE;
    return UNORDERED;
  }
  denormalCheck(ase, am, ca);
  denormalCheck(bse, bm, cb);
  if (ca == ZERO && cb == ZERO) return EQUAL;
  const an = (ase & SIGN) != 0, bn = (bse & SIGN) != 0;
  if (ca == ZERO) return bn ? GREATER : LESS;
  if (cb == ZERO) return an ? LESS : GREATER;
  if (an != bn) return an ? LESS : GREATER;
  // Same sign: compare magnitudes (infinity above every finite value).
  const ae = ca == INF ? 0x8000 : unpackExp(ase, am), be = cb == INF ? 0x8000 : unpackExp(bse, bm);
  const as = ca == INF ? J : unpackSig(ase, am), bs = cb == INF ? J : unpackSig(bse, bm);
  let r = ae != be ? (ae > be ? GREATER : LESS) : as != bs ? (as > bs ? GREATER : LESS) : EQUAL;
  return an ? -r : r;
}

// The unpacked exponent and significand of a finite nonzero value, for the
// x87's special instructions (fpu/special.ts).
export function finiteExp(se: u32, m: u64): i32 { return unpackExp(se, m); }
export function finiteSig(se: u32, m: u64): u64 { return unpackSig(se, m); }
export function denormalOperand(se: u32, m: u64): void { denormalCheck(se, m, classify(se, m)); }
