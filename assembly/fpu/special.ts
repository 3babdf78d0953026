// The x87's own exact operations: fscale, fxtract, fprem and fprem1
// (SDM vol. 2). Results in rSE/rM (and xSE/xM for fxtract's exponent).
import {
  classify, isNaNClass, setResult, invalid, pickNaN, roundPack, roundPackTo, raiseExc, finiteExp, finiteSig,
  denormalOperand, div128, divRem, rSE, rM, SIGN, BIAS, J, ZE, ZERO, FINITE, INF, BAD, EXP_MAX,
} from "./float80";
import { fromInt } from "./convert";

// ST(0) * 2^trunc(ST(1)).
export function scale(ase: u32, am: u64, bse: u32, bm: u64): void {
  const ca = classify(ase, am), cb = classify(bse, bm);
  if (ca == BAD || cb == BAD) { invalid(); return; }
  if (isNaNClass(ca) || isNaNClass(cb)) { pickNaN(ase, am, ca, bse, bm, cb); return; }
  denormalOperand(ase, am);
  denormalOperand(bse, bm);
  if (cb == INF) {
    if ((bse & SIGN) == 0) {
      if (ca == ZERO) { invalid(); return; }
      setResult((ase & SIGN) | 0x7fff, J);
    } else {
      if (ca == INF) { invalid(); return; }
      setResult(ase & SIGN, 0);
    }
    return;
  }
  if (ca != FINITE) { setResult(ase, am); return; }
  // trunc(ST(1)), clamped where the result over/underflows anyway.
  let n: i32 = 0;
  if (cb == FINITE) {
    const e = finiteExp(bse, bm) - BIAS;
    if (e > 16) n = 0x10000;
    else if (e >= 0) n = <i32>(finiteSig(bse, bm) >> <u64>(63 - e));
    if ((bse & SIGN) != 0) n = -n;
  }
  // The precision control does not apply (SDM vol. 1, 8.1.5.2).
  roundPackTo(ase & SIGN, finiteExp(ase, am) + n, finiteSig(ase, am), 0, 64, EXP_MAX);
}

// fxtract: the exponent (as a value, to ST(1)) and the significand with
// the sign and exponent 0 (to ST(0)).
export let xSE: u32 = 0;
export let xM: u64 = 0;
export function extract(ase: u32, am: u64): void {
  const c = classify(ase, am);
  if (c == BAD) { invalid(); xSE = rSE; xM = rM; return; }
  if (isNaNClass(c)) { pickNaN(ase, am, c, ase, am, c); xSE = rSE; xM = rM; return; }
  if (c == ZERO) { raiseExc(ZE); xSE = SIGN | 0x7fff; xM = J; setResult(ase, am); return; }
  if (c == INF) { xSE = 0x7fff; xM = J; setResult(ase, am); return; }
  denormalOperand(ase, am);
  fromInt(<i64>(finiteExp(ase, am) - BIAS));
  xSE = rSE; xM = rM;
  setResult((ase & SIGN) | <u32>BIAS, finiteSig(ase, am));
}

// fprem (truncating quotient) and fprem1 (nearest): the exact remainder,
// or when the exponents are 64 or more apart a partial one (C2), reduced
// by 32 to 63 bits at a time as AMD documents and Intel parts do.
export let remQuotient: u32 = 0; // the quotient's low three bits
export let remPartial: bool = false;
export function remainder(ase: u32, am: u64, bse: u32, bm: u64, nearest: bool): void {
  remQuotient = 0;
  remPartial = false;
  const ca = classify(ase, am), cb = classify(bse, bm);
  if (ca == BAD || cb == BAD) { invalid(); return; }
  if (isNaNClass(ca) || isNaNClass(cb)) { pickNaN(ase, am, ca, bse, bm, cb); return; }
  if (ca == INF || cb == ZERO) { invalid(); return; }
  denormalOperand(ase, am);
  denormalOperand(bse, bm);
  if (ca == ZERO) { setResult(ase, am); return; }
  let sign = ase & SIGN;
  const ea = finiteExp(ase, am), eb = finiteExp(bse, bm);
  const A = finiteSig(ase, am), B = finiteSig(bse, bm);
  if (cb == INF) { roundPackTo(sign, ea, A, 0, 64, EXP_MAX); return; } // a, canonical
  let d = ea - eb;
  let exp = eb; // the exponent of R's top bit when R has the integer bit
  if (d < 0) {
    if (nearest && d == -1 && A > B) {
      // |a| > |b| / 2: the quotient rounds to 1, the remainder is a - b.
      remQuotient = 1;
      sign ^= SIGN;
      normalizeExact(sign, eb, B - (A >> 1) - (A & 1), (A & 1) << 63);
      return;
    }
    setResult(ase, am);
    if ((ase & 0x7fff) == 0) roundPackTo(sign, ea, A, 0, 64, EXP_MAX);
    return;
  }
  let partial = false;
  if (d >= 64) {
    partial = true;
    const n = 32 + d % 32;
    exp = eb + d - n;
    d = n;
  }
  const q = div128(d == 0 ? 0 : A >> <u64>(64 - d), A << <u64>d, B);
  let r = divRem;
  let quotient = q;
  if (nearest && !partial && (r > B - r || (r == B - r && (q & 1) != 0))) {
    quotient++;
    r = B - r;
    sign ^= SIGN;
  }
  remPartial = partial;
  if (!partial) remQuotient = <u32>(quotient & 7);
  if (r == 0) { setResult(ase & SIGN, 0); return; }
  normalizeExact(sign, exp, r, 0);
}

// An exact result r:ext * 2^(exp - BIAS - 63) (r nonzero), packed without
// the precision control.
function normalizeExact(sign: u32, exp: i32, r: u64, ext: u64): void {
  const n = <i32>clz<u64>(r);
  if (n) { r = (r << <u64>n) | (ext >> <u64>(64 - n)); ext <<= <u64>n; }
  roundPackTo(sign, exp - n, r, ext, 64, EXP_MAX);
}
