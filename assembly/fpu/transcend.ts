// The x87's transcendental functions computed to nearly correct rounding:
// sin, cos, tan (with an exact reduction by pi/2), atan2, 2^x - 1 and
// y * log2(x) / y * log2(1 + x). Each result is rounded once by float80's
// roundPackTo in the rounding control's direction, to 64 bits (the
// precision control does not apply to these instructions: wround below),
// with PE, UE, OE and C1 ("rounded up") from that one rounding.
//
// Method. Every intermediate value is a "wide" float: a sign, an exponent
// and a 128-bit significand (value = sig * 2^(exp - 127), sig in [2^127,
// 2^128)), or a 128-bit fixed-point fraction for polynomial evaluation.
// Products keep the top 128 bits of the 256-bit product, sums are formed
// in 192 bits, and bits shifted out are or'd into the lowest one ("jam"),
// so a result that is exactly a 64-bit value plus or minus a far smaller
// correction (sin x = x - x^3/6 for tiny x, cos x = 1 - x^2/2) still rounds
// the right way in the directed rounding modes. Each function is a short
// table lookup (atan(j/64), ln(1 + j/64), 2^(j/32) - 1) and a Taylor
// series in a small remaining argument, written as "leading term plus
// correction"; the error of each is a few units of 2^-124 relative, so
// the one rounding to 64 bits is correct except when the exact value lies
// that close to a rounding boundary (and then 1 ulp at most). No f64 math
// function is used for a value (f64 only picks a table index).
//
// Argument reduction for fsin/fcos/fsincos/fptan is Payne-Hanek with 512
// bits of 2/pi, so x mod pi/2 is right to ~128 bits for every |x| < 2^63:
// the mathematically correct result. Real x87s reduce with a 66-bit
// (Intel) or similar approximation of pi and so differ far from 0 (by
// many ulps near multiples of pi); we choose the exact value.
//
// Nothing here allocates: the wide values live in a static block of
// "registers", the constants in static data (generated and checked by
// test/helpers/x87-tables.ts).
import {
  roundPackTo, setResult, invalid, pickNaN, classify, isNaNClass, raiseExc, finiteExp, finiteSig, div128, divRem,
  SIGN, BIAS, EXP_MAX, J, DE, ZE, PE, ZERO, FINITE, INF, BAD, rSE, rM,
} from "./float80";

// ---- 128-bit arithmetic ---------------------------------------------------------

// The 128-bit product of two u64 in m1:m0.
let m1: u64 = 0, m0: u64 = 0;
// @ts-ignore: decorator
@inline function mul64(a: u64, b: u64): void {
  const a0 = a & 0xffffffff, a1 = a >> 32, b0 = b & 0xffffffff, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  m0 = (mid << 32) | (p00 & 0xffffffff);
  m1 = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

// The 256-bit product of (ah:al) and (bh:bl) in p3:p2:p1:p0.
let p3: u64 = 0, p2: u64 = 0, p1: u64 = 0, p0: u64 = 0;
function mul256(ah: u64, al: u64, bh: u64, bl: u64): void {
  mul64(al, bl); const ll1 = m1; p0 = m0;
  mul64(al, bh); const lh1 = m1, lh0 = m0;
  mul64(ah, bl); const hl1 = m1, hl0 = m0;
  mul64(ah, bh); const hh1 = m1, hh0 = m0;
  let t = ll1 + lh0;
  let c = <u64>(t < lh0);
  t += hl0;
  c += <u64>(t < hl0);
  p1 = t;
  let u = lh1 + c;
  let c2 = <u64>(u < c);
  u += hl1;
  c2 += <u64>(u < hl1);
  u += hh0;
  c2 += <u64>(u < hh0);
  p2 = u;
  p3 = hh1 + c2;
}

// (hi:lo:0) >> n with what falls off or'd into the lowest bit: sh:sl:sx.
let sh: u64 = 0, sl: u64 = 0, sx: u64 = 0;
function shr3(hi: u64, lo: u64, n: i32): void {
  if (n <= 0) { sh = hi; sl = lo; sx = 0; }
  else if (n < 64) {
    const k = <u64>n, r = <u64>(64 - n);
    sx = lo << r; sl = (hi << r) | (lo >> k); sh = hi >> k;
  } else if (n == 64) { sx = lo; sl = hi; sh = 0; }
  else if (n < 128) {
    const k = <u64>(n - 64), r = <u64>(128 - n);
    sx = (hi << r) | (lo >> k) | <u64>((lo << r) != 0); sl = hi >> k; sh = 0;
  } else if (n == 128) { sx = hi | <u64>(lo != 0); sl = 0; sh = 0; }
  else if (n < 192) {
    const k = <u64>(n - 128), r = <u64>(192 - n);
    sx = (hi >> k) | <u64>((hi << r) != 0 || lo != 0); sl = 0; sh = 0;
  } else { sx = <u64>((hi | lo) != 0); sl = 0; sh = 0; }
}

// ---- Wide values ------------------------------------------------------------------

// Registers of 32 bytes: significand hi (0), lo (8), exponent (16), sign (20).
// A zero has hi = 0.
const REGS = memory.data(32 * 16, 16);
const RA: usize = REGS, RB: usize = REGS + 32, RC: usize = REGS + 64, RD: usize = REGS + 96;
const RE: usize = REGS + 128, RF: usize = REGS + 160, RG: usize = REGS + 192, RH: usize = REGS + 224;
const RI: usize = REGS + 256, RJ: usize = REGS + 288, RK: usize = REGS + 320, RL: usize = REGS + 352;
const RM: usize = REGS + 384, RN: usize = REGS + 416, RO: usize = REGS + 448, RP: usize = REGS + 480;

// @ts-ignore: decorator
@inline function H(r: usize): u64 { return load<u64>(r); }
// @ts-ignore: decorator
@inline function L(r: usize): u64 { return load<u64>(r, 8); }
// @ts-ignore: decorator
@inline function E(r: usize): i32 { return load<i32>(r, 16); }
// @ts-ignore: decorator
@inline function S(r: usize): u32 { return load<u32>(r, 20); }
// @ts-ignore: decorator
@inline function isZ(r: usize): bool { return load<u64>(r) == 0; }

function wset(r: usize, sign: u32, exp: i32, hi: u64, lo: u64): void {
  store<u64>(r, hi); store<u64>(r, lo, 8); store<i32>(r, exp, 16); store<u32>(r, sign, 20);
}
function wzero(r: usize): void { wset(r, 0, 0, 0, 0); }
// (hi:lo) * 2^(exp - 127), normalized.
function wnorm(r: usize, sign: u32, exp: i32, hi: u64, lo: u64): void {
  if (hi == 0) {
    if (lo == 0) { wzero(r); return; }
    hi = lo; lo = 0; exp -= 64;
  }
  const n = <i32>clz<u64>(hi);
  if (n) { hi = (hi << <u64>n) | (lo >> <u64>(64 - n)); lo <<= <u64>n; exp -= n; }
  wset(r, sign, exp, hi, lo);
}
function wcopy(d: usize, a: usize): void { wset(d, S(a), E(a), H(a), L(a)); }
function wneg(r: usize): void { store<u32>(r, S(r) ^ SIGN, 20); }
// An x87 value (finite, nonzero): exact.
function wfrom80(r: usize, se: u32, m: u64): void {
  wset(r, se & SIGN, finiteExp(se, m) - BIAS, finiteSig(se, m), 0);
}
// A small integer, exact.
function wint(r: usize, v: i32): void {
  wnorm(r, v < 0 ? SIGN : 0, 127, 0, <u64>(v < 0 ? -v : v));
}
// Table entry i of [hi, lo, sign << 32 | exp] rows.
function wtable(r: usize, table: usize, i: i32): void {
  const p = table + <usize>(i * 24);
  const se = load<u64>(p, 16);
  wset(r, (se >> 32) != 0 ? SIGN : 0, <i32>(<u32>se), load<u64>(p), load<u64>(p, 8));
}

// d = a * b (d may be a or b).
function wmul(d: usize, a: usize, b: usize): void {
  if (isZ(a) || isZ(b)) { wzero(d); return; }
  const sign = S(a) ^ S(b);
  let exp = E(a) + E(b);
  mul256(H(a), L(a), H(b), L(b));
  let hi = p3, lo = p2, rest = p1 | p0;
  if ((hi >> 63) == 0) {
    hi = (hi << 1) | (lo >> 63);
    lo = (lo << 1) | (p1 >> 63);
    rest = (p1 << 1) | p0;
  } else exp++;
  wset(d, sign, exp, hi, lo | <u64>(rest != 0));
}

// Whether the last wadd dropped nonzero bits.
let addInexact = false;
// d = a + b, or a - b when negB (d may be a or b).
function wadd(d: usize, a: usize, b: usize, negB: bool): void {
  let sa = S(a), sb = S(b) ^ (negB ? SIGN : 0);
  addInexact = false;
  if (isZ(b)) { wset(d, sa, E(a), H(a), L(a)); return; }
  if (isZ(a)) { wset(d, sb, E(b), H(b), L(b)); return; }
  let ea = E(a), ah = H(a), al = L(a), eb = E(b), bh = H(b), bl = L(b);
  if (eb > ea || (eb == ea && (bh > ah || (bh == ah && bl > al)))) {
    let t = ea; ea = eb; eb = t;
    let u = ah; ah = bh; bh = u;
    u = al; al = bl; bl = u;
    const s = sa; sa = sb; sb = s;
  }
  shr3(bh, bl, ea - eb);
  let h: u64, l: u64, x: u64 = sx;
  if (sa == sb) {
    l = al + sl;
    const c = <u64>(l < sl);
    h = ah + sh;
    let carry = h < ah;
    const h2 = h + c;
    carry = carry || h2 < h;
    h = h2;
    if (carry) {
      x = (x >> 1) | (l << 63) | (x & 1);
      l = (l >> 1) | (h << 63);
      h = (h >> 1) | J;
      ea++;
    }
  } else {
    x = 0 - sx;
    const b0 = <u64>(sx != 0);
    l = al - sl - b0;
    const b1 = <u64>(al < sl || (al - sl) < b0);
    h = ah - sh - b1;
    if (h == 0 && l == 0 && x == 0) { wzero(d); return; }
    // normalize the 192 bits
    if (h == 0) { h = l; l = x; x = 0; ea -= 64; }
    if (h == 0) { h = l; l = 0; ea -= 64; }
    const n = <i32>clz<u64>(h);
    if (n) {
      const k = <u64>n, r = <u64>(64 - n);
      h = (h << k) | (l >> r); l = (l << k) | (x >> r); x <<= k;
      ea -= n;
    }
  }
  addInexact = x != 0;
  wset(d, sa, ea, h, l | <u64>(x != 0));
}

// d = a / b for b nonzero, to within 2 units of 2^-127 (d may be a or b).
// A 64-bit reciprocal estimate of b's significand from div128, a quotient
// from it, and two corrections by the exact remainder.
let qh: u64 = 0, ql: u64 = 0, r3: u64 = 0, r2: u64 = 0, r1: u64 = 0;
// r3:r2:r1:(r0) = A * 2^127 - B * (qh:ql), known to be >= 0 (r0 unused).
function residual(ah: u64, al: u64, bh: u64, bl: u64): void {
  mul256(bh, bl, qh, ql);
  const a3 = ah >> 1, a2 = (ah << 63) | (al >> 1), a1 = al << 63;
  const c0 = <u64>(p0 != 0);
  r1 = a1 - p1 - c0;
  const c1 = <u64>(a1 < p1 || (a1 - p1) < c0);
  r2 = a2 - p2 - c1;
  const c2 = <u64>(a2 < p2 || (a2 - p2) < c1);
  r3 = a3 - p3 - c2;
}
function wdiv(d: usize, a: usize, b: usize): void {
  if (isZ(a)) { wzero(d); return; }
  const sign = S(a) ^ S(b), exp = E(a) - E(b);
  const ah = H(a), al = L(a), bh = H(b), bl = L(b);
  // y0 <= 2^191 / B, within 2^-62
  const y0 = bh == 0xffffffffffffffff ? J : div128(0x7fffffffffffffff, 0xffffffffffffffff, bh + 1);
  // q0 = A * y0 / 2^64 <= A * 2^127 / B
  mul64(al, y0); const t1 = m1;
  mul64(ah, y0);
  ql = m0 + t1;
  qh = m1 + <u64>(ql < t1);
  // first correction: R < 2^194 (R <= A 2^65 + B); (R >> 66) * y0 >> 125
  residual(ah, al, bh, bl);
  const rh = (r3 << 62) | (r2 >> 2), rl = (r2 << 62) | (r1 >> 2);
  mul64(rl, y0); const u1 = m1;
  mul64(rh, y0);
  const w1 = m0 + u1, w2 = m1 + <u64>(m0 + u1 < u1);
  // (w2:w1:*) >> 125 = (w2:w1) >> 61
  let cl = (w1 >> 61) | (w2 << 3), ch = w2 >> 61;
  ql += cl;
  qh += ch + <u64>(ql < cl);
  // second correction: R < 2^133; (R >> 69) * y0 >> 122
  residual(ah, al, bh, bl);
  const rr = (r2 << 59) | (r1 >> 5);
  mul64(rr, y0);
  cl = m1 >> 58;
  ql += cl;
  qh += <u64>(ql < cl);
  wnorm(d, sign, exp, qh, ql);
}

// Rounds a wide value once, in the rounding control's direction, to 64
// bits whatever the precision control: the SDM (vol. 1, 8.1.5.2) lists
// the instructions PC applies to (add, subtract, multiply, divide, square
// root), and the transcendentals are not among them; the AMD host rounds
// them to 64 bits under PC 24 and 53 alike. An inexact (irrational)
// result gets a sticky bit so that PE and the directed modes see it.
function wround(r: usize, inexact: bool): void {
  if (isZ(r)) { setResult(S(r), 0); return; }
  const exp = E(r) + BIAS;
  roundPackTo(S(r), exp < -0x10000 ? -0x10000 : exp > 0x10000 ? 0x10000 : exp, H(r), L(r) | <u64>inexact, 64, EXP_MAX);
}

// ---- Fixed point and series ----------------------------------------------------------

// 128-bit fractions in [0, 1): fh:fl.
let fh: u64 = 0, fl: u64 = 0;
// A wide value in [0, 1) as a fraction (truncated; 0 when far below).
function toFixed(r: usize): void {
  const n = -1 - E(r);
  if (isZ(r) || n >= 128) { fh = 0; fl = 0; return; }
  shr3(H(r), L(r), n);
  fh = sh; fl = sl;
}
// -log2 of coefficient k (its leading bit's position below the point).
function coefScale(table: usize, k: i32): i32 {
  const hi = load<u64>(table + <usize>(k << 4)), lo = load<u64>(table + <usize>(k << 4), 8);
  if (hi != 0) return <i32>clz<u64>(hi) + 1;
  if (lo != 0) return 64 + <i32>clz<u64>(lo) + 1;
  return 256;
}
// sum over k < n of (+-z)^k * c_k for z = zh:zl, |z| < 2^ez, by Horner's
// rule in fixed point: terms are taken until the next is below 2^-132.
// alternate: the signs alternate (z stands for -z). Result in fh:fl.
const COEFS: i32 = 18;
function poly(table: usize, zh: u64, zl: u64, ez: i32, alternate: bool): void {
  let n = 1;
  while (n < COEFS && ez * n - coefScale(table, n) >= -132) n++;
  let ph = load<u64>(table + <usize>((n - 1) << 4)), pl = load<u64>(table + <usize>((n - 1) << 4), 8);
  for (let k = n - 2; k >= 0; k--) {
    mul256(zh, zl, ph, pl);
    const th = p3, tl = p2;
    const ch = load<u64>(table + <usize>(k << 4)), cl = load<u64>(table + <usize>(k << 4), 8);
    if (alternate) { pl = cl - tl; ph = ch - th - <u64>(cl < tl); }
    else { pl = cl + tl; ph = ch + th + <u64>(pl < tl); }
  }
  fh = ph; fl = pl;
}
// d = the fraction fh:fl as a wide value.
function wfromFixed(d: usize): void { wnorm(d, 0, -1, fh, fl); }

// ---- Tables (test/helpers/x87-tables.ts) ----------------------------------------------------

// 2/pi to 512 bits, most significant word first (truncated)
const TWO_OVER_PI = memory.data<u64>([
  0xa2f9836e4e441529, 0xfc2757d1f534ddc0, 0xdb6295993c439041, 0xfe5163abdebbc561,
  0xb7246e3a424dd2e0, 0x06492eea09d1921c, 0xfe1deb1cb129a73e, 0xe88235f52ebb4484,
]);

// pi/2, pi, pi/4, 3pi/4, ln 2, log2(e) as wide values
const CONSTS = memory.data<u64>([
  0xc90fdaa22168c234, 0xc4c6628b80dc1cd1, 0x0000000000000000,
  0xc90fdaa22168c234, 0xc4c6628b80dc1cd1, 0x0000000000000001,
  0xc90fdaa22168c234, 0xc4c6628b80dc1cd1, 0x00000000ffffffff,
  0x96cbe3f9990e91a7, 0x9394c9e8a0a5159c, 0x0000000000000001,
  0xb17217f7d1cf79ab, 0xc9e3b39803f2f6af, 0x00000000ffffffff,
  0xb8aa3b295c17f0bb, 0xbe87fed0691d3e88, 0x0000000000000000,
]);

// 1/(2k+3)!
const SIN_P = memory.data<u64>([
  0x2aaaaaaaaaaaaaaa, 0xaaaaaaaaaaaaaaaa,
  0x0222222222222222, 0x2222222222222222,
  0x000d00d00d00d00d, 0x00d00d00d00d00d0,
  0x00002e3bc74aad8e, 0x671f5583911ca002,
  0x0000006b99159fd5, 0x138e3f9d1f92e0df,
  0x00000000b092309d, 0x43684be51c198e91,
  0x0000000000d73f9f, 0x399dc0f88ec32b58,
  0x000000000000ca96, 0x3b81856a53593028,
  0x0000000000000097, 0xa4da340a0ab92650,
  0x0000000000000000, 0x5c6e3bdb73d5c62f,
  0x0000000000000000, 0x002ec368262c7033,
  0x0000000000000000, 0x000013f3ccdd165f,
  0x0000000000000000, 0x0000000746ac70b7,
  0x0000000000000000, 0x00000000024b3f31,
  0x0000000000000000, 0x000000000000a1a6,
  0x0000000000000000, 0x0000000000000027,
  0x0000000000000000, 0x0000000000000000,
  0x0000000000000000, 0x0000000000000000,
]);

// 1/(2k+2)!
const COS_Q = memory.data<u64>([
  0x8000000000000000, 0x0000000000000000,
  0x0aaaaaaaaaaaaaaa, 0xaaaaaaaaaaaaaaaa,
  0x005b05b05b05b05b, 0x05b05b05b05b05b0,
  0x0001a01a01a01a01, 0xa01a01a01a01a01a,
  0x0000049f93edde27, 0xd71cbbc05b4fa999,
  0x00000008f76c77fc, 0x6c4bdaa26d4c3d67,
  0x000000000c9cba54, 0x603e4e905d6f8a2e,
  0x00000000000d73f9, 0xf399dc0f88ec32b5,
  0x0000000000000b41, 0x3c31dcbecbbdd802,
  0x0000000000000007, 0x950ae900808941ea,
  0x0000000000000000, 0x04338e5b6dfe14a5,
  0x0000000000000000, 0x0001f2cf01972f57,
  0x0000000000000000, 0x000000c4742fe352,
  0x0000000000000000, 0x0000000042862898,
  0x0000000000000000, 0x000000000013932c,
  0x0000000000000000, 0x000000000000050d,
  0x0000000000000000, 0x0000000000000001,
  0x0000000000000000, 0x0000000000000000,
]);

// (2k+2)/(2k+3)!
const TAN_U = memory.data<u64>([
  0x5555555555555555, 0x5555555555555555,
  0x0888888888888888, 0x8888888888888888,
  0x004e04e04e04e04e, 0x04e04e04e04e04e0,
  0x000171de3a556c73, 0x38faac1c88e50017,
  0x00000433fad83e52, 0xc38e7c233bbcc8ba,
  0x0000000846da475f, 0x28e38ebd5132aed6,
  0x000000000bc57ab5, 0x26a08d97ceac5ed6,
  0x00000000000ca963, 0xb81856a53593028c,
  0x0000000000000aa9, 0x9757a8b4c104b1b1,
  0x0000000000000007, 0x389cad250cb37bba,
  0x0000000000000000, 0x0404caf347d1a471,
  0x0000000000000000, 0x0001dedb34ba18f7,
  0x0000000000000000, 0x000000bd2d83729b,
  0x0000000000000000, 0x00000000403ae967,
  0x0000000000000000, 0x000000000012f185,
  0x0000000000000000, 0x00000000000004e6,
  0x0000000000000000, 0x0000000000000001,
  0x0000000000000000, 0x0000000000000000,
]);

// 1/(2k+3)
const ODD_INV = memory.data<u64>([
  0x5555555555555555, 0x5555555555555555,
  0x3333333333333333, 0x3333333333333333,
  0x2492492492492492, 0x4924924924924924,
  0x1c71c71c71c71c71, 0xc71c71c71c71c71c,
  0x1745d1745d1745d1, 0x745d1745d1745d17,
  0x13b13b13b13b13b1, 0x3b13b13b13b13b13,
  0x1111111111111111, 0x1111111111111111,
  0x0f0f0f0f0f0f0f0f, 0x0f0f0f0f0f0f0f0f,
  0x0d79435e50d79435, 0xe50d79435e50d794,
  0x0c30c30c30c30c30, 0xc30c30c30c30c30c,
  0x0b21642c8590b216, 0x42c8590b21642c85,
  0x0a3d70a3d70a3d70, 0xa3d70a3d70a3d70a,
  0x097b425ed097b425, 0xed097b425ed097b4,
  0x08d3dcb08d3dcb08, 0xd3dcb08d3dcb08d3,
  0x0842108421084210, 0x8421084210842108,
  0x07c1f07c1f07c1f0, 0x7c1f07c1f07c1f07,
  0x0750750750750750, 0x7507507507507507,
  0x06eb3e45306eb3e4, 0x5306eb3e45306eb3,
]);

// 1/(k+2)!
const EXP_G = memory.data<u64>([
  0x8000000000000000, 0x0000000000000000,
  0x2aaaaaaaaaaaaaaa, 0xaaaaaaaaaaaaaaaa,
  0x0aaaaaaaaaaaaaaa, 0xaaaaaaaaaaaaaaaa,
  0x0222222222222222, 0x2222222222222222,
  0x005b05b05b05b05b, 0x05b05b05b05b05b0,
  0x000d00d00d00d00d, 0x00d00d00d00d00d0,
  0x0001a01a01a01a01, 0xa01a01a01a01a01a,
  0x00002e3bc74aad8e, 0x671f5583911ca002,
  0x0000049f93edde27, 0xd71cbbc05b4fa999,
  0x0000006b99159fd5, 0x138e3f9d1f92e0df,
  0x00000008f76c77fc, 0x6c4bdaa26d4c3d67,
  0x00000000b092309d, 0x43684be51c198e91,
  0x000000000c9cba54, 0x603e4e905d6f8a2e,
  0x0000000000d73f9f, 0x399dc0f88ec32b58,
  0x00000000000d73f9, 0xf399dc0f88ec32b5,
  0x000000000000ca96, 0x3b81856a53593028,
  0x0000000000000b41, 0x3c31dcbecbbdd802,
  0x0000000000000097, 0xa4da340a0ab92650,
]);

// atan(j/64), j = 0..64
const ATAN_T = memory.data<u64>([
  0x0000000000000000, 0x0000000000000000, 0x0000000000000000,
  0xfffaaadddb94d5bb, 0xe78c564015f76048, 0x00000000fffffff9,
  0xffeaaddd4bb12542, 0x779d776dda8c6213, 0x00000000fffffffa,
  0xbfdc0c2186d14fcf, 0x220e10d61df56ec7, 0x00000000fffffffb,
  0xffaaddb967ef4e36, 0xcb2792dc0e2e0d51, 0x00000000fffffffb,
  0x9facf873e2aceb58, 0x99c50bbf08e6cdf6, 0x00000000fffffffc,
  0xbf70c13017887460, 0x93567e784cf83676, 0x00000000fffffffc,
  0xdf1cf5f3783e1bef, 0x71e5340b30e5d9ee, 0x00000000fffffffc,
  0xfeadd4d5617b6e32, 0xc897989f3e888ef7, 0x00000000fffffffc,
  0x8f0fd7d821b93725, 0xbd37592983a0af99, 0x00000000fffffffd,
  0x9eb77746331362c3, 0x47619d250360fe85, 0x00000000fffffffd,
  0xae4c08f1f6134efa, 0xb54d3fef0c2de994, 0x00000000fffffffd,
  0xbdcbda5e72d81134, 0x7b0b4f881c9c7487, 0x00000000fffffffd,
  0xcd35474b643130e7, 0xb00f3da1a46eeb3a, 0x00000000fffffffd,
  0xdc86ba9493051022, 0xf621a5c1cb552f02, 0x00000000fffffffd,
  0xebbeaef902b9b38c, 0x91a2a68b2fbd78e7, 0x00000000fffffffd,
  0xfadbafc96406eb15, 0x6dc79ef5f7a217e5, 0x00000000fffffffd,
  0x84ee2cbec31b12c5, 0xc8e721970cabd3a2, 0x00000000fffffffe,
  0x8c5fad185f8bc130, 0xca4748b1bf88298d, 0x00000000fffffffe,
  0x93c1b902bf7a2df1, 0x064592406fe1447a, 0x00000000fffffffe,
  0x9b13b9b83f5e5e69, 0xc5abb498d27af328, 0x00000000fffffffe,
  0xa25521b615784d45, 0x4378754988b8d9e3, 0x00000000fffffffe,
  0xa9856cca8e6a4eda, 0x99b7f77bf7d9e8c1, 0x00000000fffffffe,
  0xb0a420184e7f0cb1, 0xb51d51dc200a0fc2, 0x00000000fffffffe,
  0xb7b0ca0f26f78473, 0x8aa32122dcfe4483, 0x00000000fffffffe,
  0xbeab025b1d9fbad3, 0x910b856493411026, 0x00000000fffffffe,
  0xc59269ca50d92b6d, 0xa1746e91f50a28dd, 0x00000000fffffffe,
  0xcc66aa2a6b58c33c, 0xd9311fa14ed9b7c3, 0x00000000fffffffe,
  0xd327761e611fe5b6, 0x427c95e9001e7136, 0x00000000fffffffe,
  0xd9d488ed32e3635c, 0x30f6394a0806345d, 0x00000000fffffffe,
  0xe06da64a764f7c67, 0xc631ed96798cb803, 0x00000000fffffffe,
  0xe6f29a19609a84ba, 0x60b77ce1ca6dc2c8, 0x00000000fffffffe,
  0xed63382b0dda7b45, 0x6fe445ecbc3a8d03, 0x00000000fffffffe,
  0xf3bf5bf8bad1a21c, 0xa7b837e686adf3fa, 0x00000000fffffffe,
  0xfa06e85aa0a0be5c, 0x66d23c7d5dc8ecc2, 0x00000000fffffffe,
  0x801ce39e0d205c99, 0xa6d6c6c54d938596, 0x00000000ffffffff,
  0x832bf4a6d9867e2a, 0x4b6a09cb61a515c0, 0x00000000ffffffff,
  0x8630a2dada1ed065, 0xd3e84ed5013ca37d, 0x00000000ffffffff,
  0x892aecdfde9547b5, 0x094478fc472b4afb, 0x00000000ffffffff,
  0x8c1ad445f3e09b8c, 0x439d801860205920, 0x00000000ffffffff,
  0x8f005d5ef7f59f9b, 0x5c835e1665c43747, 0x00000000ffffffff,
  0x91db8f1664f350e2, 0x10e4f9c1126e021f, 0x00000000ffffffff,
  0x94ac72c9847186f6, 0x18c4f393f78a32f8, 0x00000000ffffffff,
  0x97731420365e538b, 0xabd3fe19f1aeb6b2, 0x00000000ffffffff,
  0x9a2f80e671bdda20, 0x4226f8e2204ff3bc, 0x00000000ffffffff,
  0x9ce1c8e6a0b8cdb9, 0xf799c4e8174cf11c, 0x00000000ffffffff,
  0x9f89fdc4f4b7a1ec, 0xf8b492644f0701df, 0x00000000ffffffff,
  0xa22832dbcadaae08, 0x92fe9c08637af0e5, 0x00000000ffffffff,
  0xa4bc7d1934f70924, 0x19a87f2a457dac9e, 0x00000000ffffffff,
  0xa746f2ddb7602294, 0x67b7d66f2d74e019, 0x00000000ffffffff,
  0xa9c7abdc4830f5c8, 0x916a84b5be7933f5, 0x00000000ffffffff,
  0xac3ec0fb997dd6a1, 0xa36273a56afa8ef4, 0x00000000ffffffff,
  0xaeac4c38b4d8c080, 0x14725e2f3e52070a, 0x00000000ffffffff,
  0xb110688aebdc6f6a, 0x43d65788b9f6a7b5, 0x00000000ffffffff,
  0xb36b31c91f043691, 0x590141744462f939, 0x00000000ffffffff,
  0xb5bcc49059ecc4af, 0xf8f3cee75e3907d5, 0x00000000ffffffff,
  0xb8053e2bc2319e73, 0xcb2da55210a4443d, 0x00000000ffffffff,
  0xba44bc7dd470782f, 0x654c2cb10942e386, 0x00000000ffffffff,
  0xbc7b5deae98af280, 0xd4113006e80fb290, 0x00000000ffffffff,
  0xbea94144fd049aac, 0x1043c5e755282e7d, 0x00000000ffffffff,
  0xc0ce85b8ac526640, 0x89dd62c46e92fa24, 0x00000000ffffffff,
  0xc2eb4abb661628b5, 0xb373fe45c61bb9fa, 0x00000000ffffffff,
  0xc4ffaffabf8fbd54, 0x8cb43d10bc9e0221, 0x00000000ffffffff,
  0xc70bd54ce602ee13, 0xe7d54fbd09f2be38, 0x00000000ffffffff,
  0xc90fdaa22168c234, 0xc4c6628b80dc1cd1, 0x00000000ffffffff,
]);

// ln(1 + j/64), j = 0..64
const LN_T = memory.data<u64>([
  0x0000000000000000, 0x0000000000000000, 0x0000000000000000,
  0xfe054587e01f1e7c, 0xf6d3a69bd5eab6fa, 0x00000000fffffff9,
  0xfc14d873c1980267, 0xc7e09e3de453f5d5, 0x00000000fffffffa,
  0xbba2c7b196e7e231, 0xa7950f7252c163c9, 0x00000000fffffffb,
  0xf85186008b15330b, 0xe64b8b775997898d, 0x00000000fffffffb,
  0x9a0ebcb0de8e8494, 0xcc1bb082689ba810, 0x00000000fffffffc,
  0xb78694572b5a5cdf, 0x24cdcf68cdb20672, 0x00000000fffffffc,
  0xd49369d256ab1b28, 0x5e9154e1d5263cd4, 0x00000000fffffffc,
  0xf1383b7157972f4f, 0x543fff0ff4f0aaed, 0x00000000fffffffc,
  0x86bbf3e68472cb34, 0xbb8bd20615747121, 0x00000000fffffffd,
  0x94aa97c0ffa91a60, 0x2ee3880fb7d34427, 0x00000000fffffffd,
  0xa2695b665be8f33e, 0x9eca87c3f0f0620b, 0x00000000fffffffd,
  0xaff983853c9e9e43, 0x9f105039091dd7f3, 0x00000000fffffffd,
  0xbd5c481086c848df, 0x1b596b503040323f, 0x00000000fffffffd,
  0xca92d4e7a2b5a3b2, 0x0983a9c5c4b3b132, 0x00000000fffffffd,
  0xd79e4a7405ff96c6, 0x7300c9be67ae5d9d, 0x00000000fffffffd,
  0xe47fbe3cd4d10d61, 0x2ec0f797fdcd1257, 0x00000000fffffffd,
  0xf1383b7157972f4f, 0x543fff0ff4f0aaed, 0x00000000fffffffd,
  0xfdc8c36af1f1546a, 0xaa3361bca6965049, 0x00000000fffffffd,
  0x851927139c871afb, 0x9fbd00c38061c51b, 0x00000000fffffffe,
  0x8b3ae55d5d30701c, 0xe63eab883717047e, 0x00000000fffffffe,
  0x914a0fde7bcb2d12, 0x1429ed3aea197a5d, 0x00000000fffffffe,
  0x974715d708e984e1, 0x6648d42840d9e6f6, 0x00000000fffffffe,
  0x9d3262ab4a2f4e39, 0x79ae6ba06846fade, 0x00000000fffffffe,
  0xa30c5e10e2f613e8, 0x5bd9bd99e39a20ae, 0x00000000fffffffe,
  0xa8d56c396fc1684e, 0x49eb067d578c4753, 0x00000000fffffffe,
  0xae8dedfac04e5284, 0x6c707b8ffc22b3e7, 0x00000000fffffffe,
  0xb43640f4d8a57622, 0x15f080a71c34b25b, 0x00000000fffffffe,
  0xb9cebfb5de8034e7, 0x12629fd69f7bcb55, 0x00000000fffffffe,
  0xbf57c1dc157e1b25, 0x9d2f3da52a086e2c, 0x00000000fffffffe,
  0xc4d19c360a12d5ad, 0x38c40881e0ab67ff, 0x00000000fffffffe,
  0xca3ca0e108b7d5d2, 0x66e8a3e883757525, 0x00000000fffffffe,
  0xcf991f65fcc25f95, 0xb46bb37a02910c0c, 0x00000000fffffffe,
  0xd4e764d4d0424c6a, 0x427fa9792a1af7c2, 0x00000000fffffffe,
  0xda27bbde647b1465, 0xf76d574c70f1de40, 0x00000000fffffffe,
  0xdf5a6ced38dbdfbc, 0x30e9bd5de0d64b6a, 0x00000000fffffffe,
  0xe47fbe3cd4d10d61, 0x2ec0f797fdcd1257, 0x00000000fffffffe,
  0xe997f3f0075eab0e, 0xf6465f5f46dfa315, 0x00000000fffffffe,
  0xeea350260e2505f7, 0x313524e8edc3fd3e, 0x00000000fffffffe,
  0xf3a2130eb43c3f1b, 0xed1b79e5da376809, 0x00000000fffffffe,
  0xf8947afd7837659a, 0xe41d8898e7aeb9ea, 0x00000000fffffffe,
  0xfd7ac47bc798f6cd, 0x7d9f275435fd8da9, 0x00000000fffffffe,
  0x812a952d2e87f634, 0xe34aebf73ffe346e, 0x00000000ffffffff,
  0x8391f2e0e6fa0272, 0xbcb1c488b755b2b7, 0x00000000ffffffff,
  0x85f39721295415b4, 0xc4bdd99effe69b64, 0x00000000ffffffff,
  0x884f9cf16a64b7ef, 0x1f64d85bc8c5f241, 0x00000000ffffffff,
  0x8aa61e97a6af4d4c, 0x799d1cb2f14054ed, 0x00000000ffffffff,
  0x8cf735a33e4b7662, 0xe5eebbc0ef3d5710, 0x00000000ffffffff,
  0x8f42faf3820681ef, 0x62cd2f9f1e35f2e7, 0x00000000ffffffff,
  0x918986bdf5fa1416, 0xf1b439165240a471, 0x00000000ffffffff,
  0x93caf0944d88d75b, 0xc1f9edcb438ffc03, 0x00000000ffffffff,
  0x96074f6a24745dcb, 0xd4e18dd14f312a40, 0x00000000ffffffff,
  0x983eb99a7885f0fd, 0xac850fab36cdee18, 0x00000000ffffffff,
  0x9a7144ece70e98b7, 0x5c96c42e72757253, 0x00000000ffffffff,
  0x9c9f069ab150cd4e, 0x221301b6f8c38f62, 0x00000000ffffffff,
  0x9ec813538ab7d520, 0x2131e85693cf6b80, 0x00000000ffffffff,
  0xa0ec7f4233957323, 0x25e617a300bbca9c, 0x00000000ffffffff,
  0xa30c5e10e2f613e8, 0x5bd9bd99e39a20ae, 0x00000000ffffffff,
  0xa527c2ed81f5d811, 0x3dfa3d3761b6316e, 0x00000000ffffffff,
  0xa73ec08dbadd84e5, 0x84c2b22c2aee1a18, 0x00000000ffffffff,
  0xa9516932de2d5773, 0xbe4578ad97aea7be, 0x00000000ffffffff,
  0xab5fcead9f9cca08, 0xe310b9b1fe59cdc1, 0x00000000ffffffff,
  0xad6a0261acf967d9, 0x4d552f811cd40845, 0x00000000ffffffff,
  0xaf70154920b3ab86, 0xb04afe92103ef4c6, 0x00000000ffffffff,
  0xb17217f7d1cf79ab, 0xc9e3b39803f2f6af, 0x00000000ffffffff,
]);

// 2^(j/32) - 1, j = -32..32
const EXP2M1_T = memory.data<u64>([
  0x8000000000000000, 0x0000000000000000, 0x00000001ffffffff,
  0xfa64f2cea7a8bc51, 0x83ab7149735be801, 0x00000001fffffffe,
  0xf4aa7930676f09d6, 0x746d48e7bd567c9b, 0x00000001fffffffe,
  0xeecfe2feda4af5b1, 0x440e5126ce73153a, 0x00000001fffffffe,
  0xe8d47c382ae85232, 0x08373af14eb586df, 0x00000001fffffffe,
  0xe2b78ce97465587f, 0xa47fd766f0f85674, 0x00000001fffffffe,
  0xdc785918a9dc7993, 0xe0524e3ea34a6c4f, 0x00000001fffffffe,
  0xd61620ae0211ed3d, 0xa2ea0a5db55c4357, 0x00000001fffffffe,
  0xcf901f5ce48ead21, 0x72a5b9cfa37a1213, 0x00000001fffffffe,
  0xc8e58c8c5563558e, 0xbaafd0bab86781c1, 0x00000001fffffffe,
  0xc2159b3edcbddca4, 0xbeddc1ec288c045d, 0x00000001fffffffe,
  0xbb1f79f9e76d2fce, 0xc90bf620fe6042b0, 0x00000001fffffffe,
  0xb40252ac9d5d8e2b, 0xc685013bd1df1fc9, 0x00000001fffffffe,
  0xacbd4a962b07e20f, 0x57c3b627959c0b19, 0x00000001fffffffe,
  0xa54f822b7abd6a73, 0x6cfeae6e14cba277, 0x00000001fffffffe,
  0x9db814fc5aa7b4e0, 0xf05f902d25bd44e3, 0x00000001fffffffe,
  0x95f619980c4336f7, 0x4d04ec99156a82c1, 0x00000001fffffffe,
  0x8e08a1713a08c22d, 0xc8f0d10f532934bc, 0x00000001fffffffe,
  0x85eeb8c14fe79282, 0xaefdc09325e0a10b, 0x00000001fffffffe,
  0xfb4eccd6663daea6, 0x0eea0a996bfde12a, 0x00000001fffffffd,
  0xea6357baabe4948b, 0x0754bcda6c898322, 0x00000001fffffffd,
  0xd91909e647436175, 0xfc781b57ebba5a07, 0x00000001fffffffd,
  0xc76dcfab81edfc70, 0x7729f1c1a834e44a, 0x00000001fffffffd,
  0xb55f89b83b546e97, 0xb76dc6a0f086ff5e, 0x00000001fffffffd,
  0xa2ec0cd4a58a542f, 0x1965d119bf4b0087, 0x00000001fffffffd,
  0x901121a0943722ab, 0x09efca958759566e, 0x00000001fffffffd,
  0xf999089eab58f777, 0xcd3b57db916661ae, 0x00000001fffffffc,
  0xd237c8c41be5babf, 0x0d0b85ad8922789a, 0x00000001fffffffc,
  0xa9f9c8c116de3689, 0x7e9452647c8d5829, 0x00000001fffffffc,
  0x80da3321192851a5, 0xcd4f184b5b923769, 0x00000001fffffffc,
  0xada82eadb7933d38, 0x462f3851267f03c9, 0x00000001fffffffb,
  0xaf89a491babf98b0, 0x7b489d79d450066f, 0x00000001fffffffa,
  0x0000000000000000, 0x0000000000000000, 0x0000000000000000,
  0xb361a62b0ae875cf, 0x8a91d6d19482ffca, 0x00000000fffffffa,
  0xb5586cf9890f6298, 0xb92b71842a983642, 0x00000000fffffffb,
  0x8980e8092da85275, 0xdf8d76c98c67562e, 0x00000000fffffffc,
  0xb95c1e3ea8bd6e6f, 0xbe4628758a53c901, 0x00000000fffffffc,
  0xea4398b45cd53c02, 0xdc0144c8783d4c5a, 0x00000000fffffffc,
  0x8e1e9b9d588e19b0, 0x7eb6c70572d64ec0, 0x00000000fffffffd,
  0xa7a77d47f7b84b09, 0x7457d6892a8ef2a2, 0x00000000fffffffd,
  0xc1bf828c6dc54b7a, 0x356918c17217b7b2, 0x00000000fffffffd,
  0xdc69cdceaa72a9c5, 0x1540bd151e61f8f8, 0x00000000fffffffd,
  0xf7a993048d088d6d, 0x0488f84f5dcfee8b, 0x00000000fffffffd,
  0x89c10c0c3125a062, 0x6de813be033f7a9e, 0x00000000fffffffe,
  0x97fb5aa6c544e3a8, 0x72f5fd885c41c06c, 0x00000000fffffffe,
  0xa6856ad3a9f03be1, 0x507893b0d4c7e9cc, 0x00000000fffffffe,
  0xb560fba90a852b19, 0x2602a323d668bb11, 0x00000000fffffffe,
  0xc48fd6074ab0963e, 0x1f40dfa5b4857639, 0x00000000fffffffe,
  0xd413cccfe7799211, 0x65f626cdd52afa7c, 0x00000000fffffffe,
  0xe3eebd1d8bee7ba4, 0x6e1e5de159ad9686, 0x00000000fffffffe,
  0xf4228e7d6030dafa, 0xa2047ed9b43ebde8, 0x00000000fffffffe,
  0x82589994cce128ac, 0xf88afab34a010f6a, 0x00000000ffffffff,
  0x8ace5422aa0db5ba, 0x7c55a192c9bb3e6e, 0x00000000ffffffff,
  0x93737b0cdc5e4f45, 0x01c3f2540a22d2fc, 0x00000000ffffffff,
  0x9c49182a3f0901c7, 0xc46b071f2be58dda, 0x00000000ffffffff,
  0xa5503b23e255c8b4, 0x24491caf87bc8050, 0x00000000ffffffff,
  0xae89f995ad3ad5e8, 0x734d1773205a7fbc, 0x00000000ffffffff,
  0xb7f76f2fb5e46eaa, 0x7b081ab53c5354c8, 0x00000000ffffffff,
  0xc199bdd85529c222, 0x0cb12a091ba66794, 0x00000000ffffffff,
  0xcb720dcef9069150, 0x3cbd1e949db761d9, 0x00000000ffffffff,
  0xd5818dcfba48725d, 0xa05aeb66e0dca9f5, 0x00000000ffffffff,
  0xdfc97337b9b5eb96, 0x8cac39ed291b7225, 0x00000000ffffffff,
  0xea4afa2a490d9858, 0xf73a18f5db301f86, 0x00000000ffffffff,
  0xf50765b6e4540674, 0xf84b762862baff99, 0x00000000ffffffff,
  0x8000000000000000, 0x0000000000000000, 0x0000000000000000,
]);


// ---- Constants ------------------------------------------------------------------------
// Rows of CONSTS.
const C_PIO2 = 0, C_PI = 1, C_PIO4 = 2, C_3PIO4 = 3, C_LN2 = 4, C_LOG2E = 5;

// Registers by use.
const RR = RA, RZ = RB, RT = RC, RS = RD, RCO = RE, RU = RF, RX = RG, RY = RH;
const RV = RI, RK1 = RJ, RNUM = RK, RDEN = RL, RRES = RM, RW = RN, RT2 = RO, RL2 = RP;

// ---- sin, cos, tan --------------------------------------------------------------------

// The product of a significand and 2/pi: 9 words, the most significant first.
const PROD = memory.data(80, 8);

let quadrant: i32 = 0;
// |x| = m * 2^(e - 63) (e < 63) reduced by pi/2: RR = r, |r| <= pi/4, and the quadrant.
function reduce(e: i32, m: u64): void {
  if (e < -1 || (e == -1 && m <= 0xc90fdaa22168c234)) { // below pi/4 (whose tail is nonzero)
    wset(RR, 0, e, m, 0);
    quadrant = 0;
    return;
  }
  // x * 2/pi = (m * the 512 bits) * 2^(e - 575): only the integer part's
  // last two bits matter, and the fraction, which cannot come closer to 0
  // or 1 than about 2^-70 for an x87 operand, is kept to 192 bits.
  let carry: u64 = 0;
  for (let i = 7; i >= 0; i--) {
    mul64(m, load<u64>(TWO_OVER_PI + <usize>(i << 3)));
    const lo = m0 + carry;
    store<u64>(PROD + <usize>((i + 1) << 3), lo);
    carry = m1 + <u64>(lo < carry);
  }
  store<u64>(PROD, carry);
  const s = e + 1; // 0..63: the shift that puts the units bit just above word 0
  const w0 = load<u64>(PROD), w1 = load<u64>(PROD, 8), w2 = load<u64>(PROD, 16), w3 = load<u64>(PROD, 24);
  let ip: u64 = 0, f0 = w0, f1 = w1, f2 = w2;
  if (s != 0) {
    const k = <u64>s, r = <u64>(64 - s);
    ip = w0 >> r;
    f0 = (w0 << k) | (w1 >> r);
    f1 = (w1 << k) | (w2 >> r);
    f2 = (w2 << k) | (w3 >> r);
  }
  let q = <i32>(ip & 3);
  let sign: u32 = 0;
  if ((f0 >> 63) != 0) { // fraction >= 1/2: r = (f - 1) pi/2, one quadrant on
    f2 = ~f2 + 1;
    let c = <u64>(f2 == 0);
    f1 = ~f1 + c;
    c = c & <u64>(f1 == 0);
    f0 = ~f0 + c;
    q = (q + 1) & 3;
    sign = SIGN;
  }
  quadrant = q;
  // normalize the fraction to 128 bits
  let exp = -1;
  if (f0 == 0) { f0 = f1; f1 = f2; f2 = 0; exp -= 64; }
  if (f0 == 0) { f0 = f1; f1 = 0; exp -= 64; }
  const n = <i32>clz<u64>(f0);
  if (n) {
    const k = <u64>n, r = <u64>(64 - n);
    f0 = (f0 << k) | (f1 >> r);
    f1 = (f1 << k) | (f2 >> r);
    exp -= n;
  }
  wset(RR, sign, exp, f0, f1 | 1);
  wtable(RT, CONSTS, C_PIO2);
  wmul(RR, RR, RT);
}

// r^2 as a wide value (RZ) and as a fraction for the series.
let zH: u64 = 0, zL: u64 = 0, zE: i32 = 0;
function square(r: usize): void {
  wmul(RZ, r, r);
  toFixed(RZ);
  zH = fh; zL = fl;
  zE = isZ(RZ) ? -256 : E(RZ) + 1;
}
// d = sin r = r - r^3 P(r^2) (from RR, RZ).
function sinR(d: usize): void {
  poly(SIN_P, zH, zL, zE, true);
  wfromFixed(RT);
  wmul(RT, RT, RZ);
  wmul(RT, RT, RR);
  wadd(d, RR, RT, true);
}
// d = cos r = 1 - r^2 Q(r^2).
function cosR(d: usize): void {
  poly(COS_Q, zH, zL, zE, true);
  wfromFixed(RT);
  wmul(RT, RT, RZ);
  wint(RT2, 1);
  wadd(d, RT2, RT, true);
}

// Results of trig(): rSE/rM; for fsincos the sine there and the cosine in
// cosSE/cosM. outOfRange: |x| >= 2^63, nothing computed (C2).
export let outOfRange = false;
export let cosSE: u32 = 0;
export let cosM: u64 = 0;
export const T_SIN = 0, T_COS = 1, T_SINCOS = 2, T_TAN = 3;

function roundSigned(r: usize, neg: bool): void {
  if (neg) wneg(r);
  wround(r, true);
}

export function trig(se: u32, m: u64, which: i32): void {
  outOfRange = false;
  const c = classify(se, m);
  if (c == BAD || c == INF) invalid();
  else if (isNaNClass(c)) pickNaN(se, m, c, se, m, c);
  else if (c == ZERO) {
    if (which == T_COS) setResult(0x3fff, J);
    else setResult(se, 0);
    cosSE = 0x3fff; cosM = J;
    return;
  }
  if (c != FINITE) { cosSE = rSE; cosM = rM; return; }
  if ((se & 0x7fff) == 0) raiseExc(DE);
  const e = finiteExp(se, m) - BIAS;
  if (e >= 63) { outOfRange = true; return; }
  reduce(e, finiteSig(se, m));
  square(RR);
  const q = quadrant, xneg = (se & SIGN) != 0;
  if (which == T_TAN) {
    cosR(RCO);
    if (q & 1) { // -cot r
      sinR(RS);
      wdiv(RRES, RCO, RS);
      roundSigned(RRES, !xneg);
    } else { // r + r^3 U(r^2) / cos r, U = (sin r - r cos r) / r^3
      poly(TAN_U, zH, zL, zE, true);
      wfromFixed(RU);
      wmul(RU, RU, RZ);
      wmul(RU, RU, RR);
      wdiv(RU, RU, RCO);
      wadd(RRES, RR, RU, false);
      roundSigned(RRES, xneg);
    }
    return;
  }
  const needSin = which == T_SINCOS || (which == T_SIN) == ((q & 1) == 0);
  const needCos = which == T_SINCOS || (which == T_COS) == ((q & 1) == 0);
  if (needSin) sinR(RS);
  if (needCos) cosR(RCO);
  if (which != T_COS) { // sin x: S, C, -S, -C by quadrant
    wcopy(RRES, (q & 1) ? RCO : RS);
    roundSigned(RRES, ((q & 2) != 0) != xneg);
    if (which == T_SIN) return;
    cosSE = rSE; cosM = rM; // keep the sine while the cosine is rounded
  }
  // cos x: C, -S, -C, S
  wcopy(RRES, (q & 1) ? RS : RCO);
  roundSigned(RRES, q == 1 || q == 2);
  if (which == T_SINCOS) {
    const s = cosSE, sm = cosM;
    cosSE = rSE; cosM = rM;
    setResult(s, sm);
  }
}

// ---- atan2 ---------------------------------------------------------------------------

// A constant of CONSTS, signed, rounded (inexact: all are irrational).
function roundConst(row: i32, sign: u32): void {
  wtable(RT, CONSTS, row);
  store<u32>(RT, sign, 20);
  wround(RT, true);
}

// d = atan(RT) for |RT| <= about 1/64 (in [0, 2^-7) or a reduced argument):
// t - t^3 A(t^2).
function atanSmall(d: usize): void {
  wmul(RZ, RT, RT);
  toFixed(RZ);
  poly(ODD_INV, fh, fl, isZ(RZ) ? -256 : E(RZ) + 1, true);
  wfromFixed(RU);
  wmul(RU, RU, RZ);
  wmul(RU, RU, RT);
  wadd(d, RT, RU, true);
}

// atan2(y, x) (fpatan: ST(1) = atan2(ST(1), ST(0))), with the SDM's table
// for zeros and infinities.
export function atan2(yse: u32, ym: u64, xse: u32, xm: u64): void {
  const cy = classify(yse, ym), cx = classify(xse, xm);
  if (cy == BAD || cx == BAD) { invalid(); return; }
  if (isNaNClass(cy) || isNaNClass(cx)) { pickNaN(yse, ym, cy, xse, xm, cx); return; }
  if ((cy == FINITE && (yse & 0x7fff) == 0) || (cx == FINITE && (xse & 0x7fff) == 0)) raiseExc(DE);
  const ys = yse & SIGN, xneg = (xse & SIGN) != 0;
  if (cy == ZERO) { if (xneg) roundConst(C_PI, ys); else setResult(ys, 0); return; }
  if (cy == INF) { roundConst(cx == INF ? (xneg ? C_3PIO4 : C_PIO4) : C_PIO2, ys); return; }
  if (cx == ZERO) { roundConst(C_PIO2, ys); return; }
  if (cx == INF) { if (xneg) roundConst(C_PI, ys); else setResult(ys, 0); return; }
  const ey = finiteExp(yse, ym), my = finiteSig(yse, ym), ex = finiteExp(xse, xm), mx = finiteSig(xse, xm);
  // atan(N / D) with N <= D, then pi/2 - that when |y| > |x|
  const swap = ey > ex || (ey == ex && my > mx);
  const eN = swap ? ex : ey, mN = swap ? mx : my, eD = swap ? ey : ex, mD = swap ? my : mx;
  const d = eN - eD;
  let j = 0;
  if (d >= -8) { // the nearest j/64 (f64 only picks the table row)
    const t = (<f64>(mN >> 11) / <f64>(mD >> 11)) / <f64>(1 << -d);
    j = <i32>Math.floor(t * 64 + 0.5);
    if (j > 64) j = 64;
  }
  if (j == 0) {
    // t = N / D, truncated to 128 bits with a sticky remainder
    const q1 = div128(mN >> 1, mN << 63, mD);
    const q2 = div128(divRem, 0, mD);
    const sticky = <u64>(divRem != 0);
    wnorm(RT, 0, d, q1, q2);
    store<u64>(RT, L(RT) | sticky, 8);
    atanSmall(RRES);
  } else {
    // atan(t) = atan(c) + atan((N - cD) / (D + cN)), c = j/64: both exact
    mul64(mD, <u64>j);
    wnorm(RK1, 0, eD - BIAS + 58, m1, m0); // c D
    wset(RV, 0, eN - BIAS, mN, 0);
    wadd(RNUM, RV, RK1, true);
    mul64(mN, <u64>j);
    wnorm(RK1, 0, eN - BIAS + 58, m1, m0); // c N
    wset(RV, 0, eD - BIAS, mD, 0);
    wadd(RDEN, RV, RK1, false);
    wdiv(RT, RNUM, RDEN);
    atanSmall(RRES);
    wtable(RT2, ATAN_T, j);
    wadd(RRES, RT2, RRES, false);
  }
  if (swap) { wtable(RT2, CONSTS, C_PIO2); wadd(RRES, RT2, RRES, true); }
  if (xneg) { wtable(RT2, CONSTS, C_PI); wadd(RRES, RT2, RRES, true); }
  store<u32>(RRES, ys, 20);
  wround(RRES, true);
}

// ---- 2^x - 1 -----------------------------------------------------------------------------

// f2xm1. For |x| > 1, outside the instruction's range, the result is x
// itself with PE, as an AMD x87 (this project's reference machine) gives;
// -inf gives -1 and +inf +inf.
export function exp2m1(se: u32, m: u64): void {
  const c = classify(se, m);
  if (c == BAD) { invalid(); return; }
  if (isNaNClass(c)) { pickNaN(se, m, c, se, m, c); return; }
  if (c == ZERO) { setResult(se, 0); return; }
  const neg = (se & SIGN) != 0;
  if (c == INF) { if (neg) setResult(SIGN | 0x3fff, J); else setResult(se, m); return; }
  if ((se & 0x7fff) == 0) raiseExc(DE);
  const e = finiteExp(se, m) - BIAS, sig = finiteSig(se, m);
  if (e >= 0) {
    if (e == 0 && sig == J) { if (neg) setResult(SIGN | 0x3ffe, J); else setResult(0x3fff, J); } // exact: -1/2, 1
    else { setResult(se, m); raiseExc(PE); }
    return;
  }
  // 2^x - 1 = (2^(j/32) - 1) + 2^(j/32) (2^f - 1), f = x - j/32 exactly, |f| <= 1/64
  wfrom80(RX, se, m);
  let j = 0;
  if (e >= -6) {
    j = <i32>(((sig >> <u64>(57 - e)) + 1) >> 1);
    if (neg) j = -j;
  }
  if (j != 0) {
    wnorm(RT, neg ? SIGN : 0, 58, <u64>(neg ? -j : j), 0);
    wadd(RX, RX, RT, true);
  }
  // 2^f - 1 = expm1(w), w = f ln 2: w + w^2 G(w), G = sum w^k / (k+2)!
  wtable(RT, CONSTS, C_LN2);
  wmul(RW, RX, RT);
  wmul(RZ, RW, RW);
  toFixed(RW);
  poly(EXP_G, fh, fl, isZ(RW) ? -256 : E(RW) + 1, S(RW) != 0);
  wfromFixed(RT);
  wmul(RT, RT, RZ);
  wadd(RRES, RW, RT, false);
  if (j != 0) {
    wtable(RT2, EXP2M1_T, j + 32);
    wmul(RU, RT2, RRES);
    wadd(RRES, RRES, RU, false);
    wadd(RRES, RT2, RRES, false);
  }
  wround(RRES, true);
}

// ---- Logarithms -------------------------------------------------------------------------------

// 2 atanh(RU) into RU: 2 (u + u^3 H(u^2)), H = sum u^2k / (2k+3).
function twoAtanh(): void {
  if (isZ(RU)) return;
  wmul(RZ, RU, RU);
  toFixed(RZ);
  poly(ODD_INV, fh, fl, isZ(RZ) ? -256 : E(RZ) + 1, false);
  wfromFixed(RT);
  wmul(RT, RT, RZ);
  wmul(RT, RT, RU);
  wadd(RU, RU, RT, false);
  store<i32>(RU, E(RU) + 1, 16);
}

// RL2 = log2(z) for a wide z > 0; logExact when that is exact (z a power
// of two and exact itself).
let logExact = false;
function log2Wide(z: usize, exact: bool): void {
  let k = E(z);
  const hi = H(z), lo = L(z);
  // v = z's significand in [1, 2); c = 1 + j/64 nearest; from 2 - 1/128 up,
  // v/2 and c = 1 so that values just below a power of two keep their precision
  let j = <i32>(((hi - J) + (<u64>1 << 56)) >> 57);
  let vexp = 0;
  if (j == 64) { j = 0; k++; vexp = -1; }
  logExact = false;
  if (vexp == 0 && hi == J && lo == 0 && exact) { logExact = true; wint(RL2, k); return; }
  // ln v = ln c + 2 atanh((v - c) / (v + c))
  wset(RV, 0, vexp, hi, lo);
  wnorm(RK1, 0, 0, <u64>(64 + j) << 57, 0);
  wadd(RNUM, RV, RK1, true);
  wadd(RDEN, RV, RK1, false);
  wdiv(RU, RNUM, RDEN);
  twoAtanh();
  if (j != 0) { wtable(RT2, LN_T, j); wadd(RU, RT2, RU, false); }
  wtable(RT2, CONSTS, C_LOG2E);
  wmul(RL2, RU, RT2);
  if (k != 0) { wint(RT2, k); wadd(RL2, RT2, RL2, false); }
}

// fyl2x (plus1 false): ST(1) * log2(ST(0)); fyl2xp1: ST(1) * log2(ST(0) + 1),
// with the SDM's tables for zeros, infinities and invalid operands. For
// fyl2xp1 outside the documented |x| < 1 - sqrt(2)/2 the result is the
// mathematical one (log2(1 + x) for x > -1; x = -1 as log2(0); below,
// invalid), as an AMD x87 computes for x > -1.
export function yl2x(yse: u32, ym: u64, xse: u32, xm: u64, plus1: bool): void {
  const cy = classify(yse, ym), cx = classify(xse, xm);
  if (cy == BAD || cx == BAD) { invalid(); return; }
  if (isNaNClass(cy) || isNaNClass(cx)) { pickNaN(xse, xm, cx, yse, ym, cy); return; }
  const ys = yse & SIGN, xs = xse & SIGN;
  const yDen = cy == FINITE && (yse & 0x7fff) == 0, xDen = cx == FINITE && (xse & 0x7fff) == 0;
  // log2 of the operand is -inf (0, or -1 for fyl2xp1)
  const xMinus1 = plus1 && cx == FINITE && xs != 0 && finiteExp(xse, xm) == BIAS && finiteSig(xse, xm) == J;
  if ((!plus1 && cx == ZERO) || xMinus1) {
    if (cy == ZERO) { invalid(); return; }
    // divide-by-zero outranks a denormal y (SDM vol. 1, 8.7.1), which then
    // goes unreported, as on the AMD host
    if (cy != INF) raiseExc(ZE);
    setResult((ys ^ SIGN) | 0x7fff, J);
    return;
  }
  if (plus1 && cx == ZERO) {
    if (cy == INF) { invalid(); return; }
    if (yDen) raiseExc(DE);
    setResult(ys ^ xs, 0);
    return;
  }
  // the operand (x, or 1 + x) is below 0: invalid
  if (xs != 0 && (!plus1 || cx == INF || finiteExp(xse, xm) >= BIAS)) { invalid(); return; }
  if (cx == INF) {
    if (cy == ZERO) { invalid(); return; }
    if (yDen) raiseExc(DE);
    setResult(ys | 0x7fff, J);
    return;
  }
  // x finite; the logarithm's sign
  const e = finiteExp(xse, xm) - BIAS;
  const lneg: u32 = plus1 ? xs : (e < 0 ? SIGN : 0);
  const one = !plus1 && e == 0 && finiteSig(xse, xm) == J;
  if (one) { // log2(1) = +0
    if (cy == INF) { invalid(); return; }
    if (yDen) raiseExc(DE);
    setResult(ys, 0);
    return;
  }
  if (yDen || xDen) raiseExc(DE);
  if (cy == ZERO) { setResult(ys ^ lneg, 0); return; }
  if (cy == INF) { setResult((ys ^ lneg) | 0x7fff, J); return; }
  wfrom80(RX, xse, xm);
  if (!plus1) log2Wide(RX, true);
  else if (e < -7) {
    // |x| < 1/128: ln(1 + x) = 2 atanh(x / (2 + x))
    wint(RT2, 2);
    wadd(RDEN, RT2, RX, false);
    wdiv(RU, RX, RDEN);
    twoAtanh();
    wtable(RT2, CONSTS, C_LOG2E);
    wmul(RL2, RU, RT2);
    logExact = false;
  } else {
    // 1 + x: exact unless x is far above 1 (then log2 is irrational anyway)
    wint(RT2, 1);
    wadd(RW, RT2, RX, false);
    log2Wide(RW, !addInexact);
  }
  wfrom80(RY, yse, ym);
  wmul(RRES, RY, RL2);
  wround(RRES, !logExact);
}
