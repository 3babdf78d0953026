// Conversions between the 80-bit format and the x87's memory formats:
// single and double precision, 16/32/64-bit integers and packed BCD, and
// rounding to an integer in the same format (frndint).
import {
  classify, isNaNClass, setResult, invalid, pickNaN, roundPackTo, raiseExc, exc, rSE, rM, ZERO, FINITE, INF, BAD, SNAN,
  SIGN, BIAS, J, IE, DE, PE, rounding, markRoundedUp, clearRoundedUp, setExc,
} from "./float80";

// Whether a denormal memory operand raises DE when loaded (as on hardware).
const LOAD_DENORMAL_DE: bool = true;

// ---- Loads: exact ------------------------------------------------------------

// A binary32/binary64 value (fracBits 23/52, expBits 8/11) into rSE/rM;
// quiet: an SNaN comes out quiet with IE (a load), else it stays an SNaN.
export function fromBinary(bits: u64, fracBits: i32, expBits: i32, quiet: bool): void {
  const sign = <u32>(bits >> <u64>(fracBits + expBits)) & 1 ? SIGN : 0;
  const expMax = (1 << expBits) - 1;
  const bias = expMax >> 1;
  const e = <i32>(bits >> <u64>fracBits) & expMax;
  const f = bits & ((<u64>1 << <u64>fracBits) - 1);
  if (e == expMax) {
    if (f == 0) { setResult(sign | 0x7fff, J); return; }
    const signalling = (f & (<u64>1 << <u64>(fracBits - 1))) == 0;
    if (signalling && quiet) raiseExc(IE);
    setResult(sign | 0x7fff, J | (quiet ? 0x4000000000000000 : 0) | (f << <u64>(63 - fracBits)));
    return;
  }
  if (e == 0) {
    if (f == 0) { setResult(sign, 0); return; }
    if (LOAD_DENORMAL_DE) raiseExc(DE);
    const n = <i32>clz<u64>(f);
    setResult(sign | <u32>(63 - n - fracBits - bias + 1 + BIAS), f << <u64>n);
    return;
  }
  setResult(sign | <u32>(e - bias + BIAS), J | (f << <u64>(63 - fracBits)));
}

export function fromInt(v: i64): void {
  if (v == 0) { setResult(0, 0); return; }
  const sign: u32 = v < 0 ? SIGN : 0;
  const mag: u64 = v < 0 ? <u64>(-v) : <u64>v;
  const n = clz<u64>(mag);
  setResult(sign | <u32>(BIAS + 63 - <i32>n), mag << n);
}

// ---- Stores: rounded by the rounding control, not the precision control ----------

// The 80-bit value rounded to binary32/binary64; IE, OE, UE, PE as raised.
export function toBinary(se: u32, m: u64, fracBits: i32, expBits: i32): u64 {
  const expMax = (1 << expBits) - 1;
  const bias = expMax >> 1;
  const signBit: u64 = (se & SIGN) ? <u64>1 << <u64>(fracBits + expBits) : 0;
  const infBits: u64 = <u64>expMax << <u64>fracBits;
  const quiet: u64 = <u64>1 << <u64>(fracBits - 1);
  const fracMask: u64 = (<u64>1 << <u64>fracBits) - 1;
  const c = classify(se, m);
  switch (c) {
    case BAD: raiseExc(IE); return (<u64>1 << <u64>(fracBits + expBits)) | infBits | quiet;
    case ZERO: return signBit;
    case INF: return signBit | infBits;
    case FINITE: break;
    default: // NaN: the top of the significand, quiet
      if (c == SNAN) raiseExc(IE);
      return signBit | infBits | quiet | ((m >> <u64>(63 - fracBits)) & fracMask);
  }
  const e = <i32>(se & 0x7fff);
  const exp = (e == 0 ? 1 - <i32>clz<u64>(m) : e) - BIAS + bias;
  const sig = e == 0 ? m << clz<u64>(m) : m;
  roundPackTo(se & SIGN, exp, sig, 0, fracBits + 1, expMax);
  return signBit | (<u64>(rSE & 0x7fff) << <u64>fracBits) | ((rM >> <u64>(63 - fracBits)) & fracMask);
}

// The value rounded to an integer of `bits` bits (16, 32, 64); out of
// range, NaN or infinity: IE and the integer indefinite (the most negative
// value). truncate: round toward zero whatever the rounding control.
export function toInt(se: u32, m: u64, bits: i32, truncate: bool): i64 {
  const indefinite: i64 = <i64>(<u64>1 << <u64>(bits - 1)) << (64 - bits) >> (64 - bits);
  const c = classify(se, m);
  if (c == ZERO) return 0;
  if (c != FINITE) { raiseExc(IE); return indefinite; }
  const sign = (se & SIGN) != 0;
  const e = <i32>(se & 0x7fff);
  const exp = (e == 0 ? 1 - <i32>clz<u64>(m) : e) - BIAS;
  const sig = e == 0 ? m << clz<u64>(m) : m;
  if (exp > 63) { raiseExc(IE); return indefinite; }
  let ip: u64, round: bool, sticky: bool;
  if (exp < 0) { ip = 0; round = exp == -1; sticky = exp == -1 ? (sig << 1) != 0 : true; }
  else if (exp == 63) { ip = sig; round = false; sticky = false; }
  else {
    ip = sig >> <u64>(63 - exp);
    const frac = sig << <u64>(exp + 1);
    round = (frac >> 63) != 0;
    sticky = (frac << 1) != 0;
  }
  let up = false;
  if (!truncate && roundsUp(sign, (ip & 1) != 0, round, sticky)) {
    ip++;
    up = true;
    if (ip == 0) { raiseExc(IE); return indefinite; }
  }
  const limit: u64 = <u64>1 << <u64>(bits - 1); // magnitude of the most negative value
  if (sign ? ip > limit : ip >= limit) { raiseExc(IE); return indefinite; }
  if (round || sticky) { raiseExc(PE); if (up) markRoundedUp(); }
  return sign ? -<i64>ip : <i64>ip;
}

function roundsUp(negative: bool, odd: bool, round: bool, sticky: bool): bool {
  switch (rounding) {
    case 0: return round && (sticky || odd);
    case 1: return negative && (round || sticky);
    case 2: return !negative && (round || sticky);
    default: return false;
  }
}

// frndint: the value rounded to an integer by the rounding control, in the
// 80-bit format.
export function roundToInt(se: u32, m: u64): void {
  const c = classify(se, m);
  if (c == BAD) { invalid(); return; }
  if (isNaNClass(c)) { pickNaN(se, m, c, se, m, c); return; }
  if (c != FINITE) { setResult(se, m); return; }
  if ((se & 0x7fff) == 0) raiseExc(DE);
  const sign = se & SIGN;
  const e = <i32>(se & 0x7fff);
  const exp = (e == 0 ? 1 - <i32>clz<u64>(m) : e) - BIAS;
  const sig = e == 0 ? m << clz<u64>(m) : m;
  if (exp >= 63) { setResult(se, m); return; }
  let ip: u64, round: bool, sticky: bool;
  if (exp < 0) { ip = 0; round = exp == -1; sticky = exp == -1 ? (sig << 1) != 0 : true; }
  else {
    ip = sig >> <u64>(63 - exp);
    const frac = sig << <u64>(exp + 1);
    round = (frac >> 63) != 0;
    sticky = (frac << 1) != 0;
  }
  if (round || sticky) {
    raiseExc(PE);
    if (roundsUp(sign != 0, (ip & 1) != 0, round, sticky)) { ip++; markRoundedUp(); }
  }
  if (ip == 0) { setResult(sign, 0); return; }
  const n = clz<u64>(ip);
  setResult(sign | <u32>(BIAS + 63 - <i32>n), ip << n);
}

// ---- Packed BCD: 18 digits in bytes 0..8 (low digit first), sign in byte 9 ----

export function fromBCD(lo: u64, hi: u32): void {
  let v: i64 = 0;
  for (let i = 8; i >= 0; i--) {
    const byte = i == 8 ? <i64>(hi & 0xff) : <i64>((lo >> <u64>(i * 8)) & 0xff);
    v = v * 100 + (byte >> 4) * 10 + (byte & 15);
  }
  fromInt(v);
  if ((hi & 0x8000) != 0) setResult(rSE | SIGN, rM);
}

export let bcdHi: u32 = 0; // bytes 8 and 9 of the last toBCD result
// The value rounded to an integer as packed BCD; beyond 18 digits: IE and
// the BCD indefinite (ffff c000 0000 0000 0000).
export function toBCD(se: u32, m: u64): u64 {
  const before = exc;
  const v = toInt(se, m, 64, false);
  const mag: u64 = v < 0 ? <u64>(-v) : <u64>v;
  if ((exc & IE) != (before & IE) || mag > 999999999999999999) {
    setExc(before | IE);
    clearRoundedUp();
    bcdHi = 0xffff;
    return 0xc000000000000000;
  }
  let lo: u64 = 0, rest = mag;
  for (let i = 0; i < 8; i++) {
    const d = rest % 100;
    rest /= 100;
    lo |= (((d / 10) << 4) | (d % 10)) << <u64>(i * 8);
  }
  bcdHi = <u32>(((rest / 10) << 4) | (rest % 10)) | ((se & SIGN) ? 0x8000 : 0);
  return lo;
}
