// The x87 instructions' semantics on the register stack (SDM vol. 2),
// bound to encodings by the x87 table (isa/x87.mjs). Memory operands are
// read before any state changes and stores are checked whole before the
// first byte is written, so a fault leaves the FPU as it was.
import { FPU_CW, FPU_SW, FPU_IP, FPU_CS, FPU_OP, FPU_DP, FPU_DS } from "../layout";
import { faulted, raise, reg32, setReg16, EAX } from "../cpu/state";
import { readMem, readMemAt, eaSeg, eaOffset, eaLin, insnStart, modrm } from "../cpu/decode";
import { segAccess } from "../cpu/segcheck";
import { readLinForWrite, writeLin } from "../mmu/memory";
import { getFlags, putFlag, testCC, CF, ZF, PF, OF, SF as SFLAG, AF } from "../cpu/flags";
import {
  setControls, exc, roundedUp, rSE, rM, add, mul, div, sqrt, compare, setResult, classify, raiseExc, setExc, clearRoundedUp, SF,
  IE, DE, ZE, SIGN, J, NAN_SE, NAN_M, LESS, EQUAL, GREATER, UNORDERED, ZERO, FINITE, INF, BAD, QNAN, SNAN, rounding,
} from "./float80";
import { fromBinary, fromInt, toBinary, toInt, roundToInt, fromBCD, toBCD, bcdHi } from "./convert";
import { scale, extract, xSE, xM, remainder, remQuotient, remPartial } from "./special";
import {
  stSE, stM, isEmpty, setST, setEmpty, pop, push, decTop, incTop, controlWord, statusWord, setCC, recordExceptions,
  stackUnderflow, fpuInit, setControlWord, SW_C0, SW_C1, SW_C2, SW_C3,
} from "./stack";

// ---- Results -----------------------------------------------------------------------

// Records the operation's exceptions and C1 (rounded up); false when an
// unmasked IE, DE or ZE means the destination must stay as it was.
function finish(): bool {
  denormalFirst();
  const unmasked = recordExceptions(exc);
  setCC((load<u32>(FPU_SW) & (SW_C0 | SW_C2 | SW_C3)) | (roundedUp ? SW_C1 : 0));
  return (unmasked & (IE | DE | ZE)) == 0;
}
// An unmasked DE stops the instruction before it computes anything: DE is
// reported alone, without the PE, UE or C1 of the result it would have had
// (as this host's x87 does).
function denormalFirst(): void {
  if ((exc & DE) != 0 && (controlWord() & DE) == 0) {
    setExc(exc & (IE | DE | SF));
    clearRoundedUp();
  }
}
// For stores to memory, any unmasked exception but PE keeps memory as it was.
function finishStore(): bool {
  denormalFirst();
  const unmasked = recordExceptions(exc);
  setCC((load<u32>(FPU_SW) & (SW_C0 | SW_C2 | SW_C3)) | (roundedUp ? SW_C1 : 0));
  return (unmasked & 0x1f) == 0;
}
function begin(): void { setControls(controlWord()); }

// ---- Memory operands -------------------------------------------------------------

let memLo: u64 = 0;
let memHi: u32 = 0;
function read64(): u64 {
  const lo = readMem<u32>();
  if (faulted()) return 0;
  const hi = readMemAt<u32>(4);
  return (<u64>hi << 32) | lo;
}
// An 80-bit operand into memLo (bytes 0..7) and memHi (bytes 8..9).
function read80(): bool {
  memLo = read64();
  if (faulted()) return false;
  memHi = readMemAt<u16>(8);
  return !faulted();
}
// True when n bytes at the operand may be written: segment, then the first
// and the last byte's pages (n <= 4096, so those are all the pages).
export function writable(n: u32): bool {
  if (!segAccess(eaSeg, eaOffset, n, true)) return false;
  readLinForWrite<u8>(eaLin);
  if (faulted()) return false;
  readLinForWrite<u8>(eaLin + n - 1);
  return !faulted();
}
export function put16(at: u32, v: u32): void { writeLin<u16>(eaLin + at, v); }
export function put32(at: u32, v: u32): void { writeLin<u32>(eaLin + at, v); }
export function put64(at: u32, v: u64): void { put32(at, <u32>v); put32(at + 4, <u32>(v >> 32)); }

// Memory operand kinds of the arithmetic rows: D8 m32fp, DA m32int,
// DC m64fp, DE m16int.
export const M_F32: u32 = 0, M_I32: u32 = 1, M_F64: u32 = 2, M_I16: u32 = 3;

// Reads and converts a memory operand into (opSE, opM); false on a fault.
// An operand of arithmetic or a compare stays signalling if it was (the
// operation raises IE and picks between NaNs as for register operands:
// an SNaN with a QNaN gives the QNaN, as hardware does); a load quiets it.
let opSE: u32 = 0;
let opM: u64 = 0;
function loadOperand(kind: u32, quiet: bool = false): bool {
  switch (kind) {
    case M_F32: { const v = readMem<u32>(); if (faulted()) return false; fromBinary(<u64>v, 23, 8, quiet); break; }
    case M_F64: { const v = read64(); if (faulted()) return false; fromBinary(v, 52, 11, quiet); break; }
    case M_I32: { const v = readMem<u32>(); if (faulted()) return false; fromInt(<i64><i32>v); break; }
    default: { const v = readMem<u16>(); if (faulted()) return false; fromInt(<i64><i16>v); break; }
  }
  opSE = rSE;
  opM = rM;
  return true;
}

// ---- Arithmetic --------------------------------------------------------------------

// The reg field of D8/DC: 0 add, 1 mul, 4 sub, 5 subr, 6 div, 7 divr, on
// a = the destination, b = the other operand.
function compute(r: u32, ase: u32, am: u64, bse: u32, bm: u64): void {
  switch (r) {
    case 0: add(ase, am, bse, bm, false); break;
    case 1: mul(ase, am, bse, bm); break;
    case 4: add(ase, am, bse, bm, true); break;
    case 5: add(bse, bm, ase, am, true); break;
    case 6: div(ase, am, bse, bm); break;
    default: div(bse, bm, ase, am); break;
  }
}

// ST(dst) = ST(dst) op ST(src), then a pop for the p forms.
export function arithReg(r: u32, dst: u32, src: u32, andPop: bool): void {
  begin();
  if (isEmpty(dst) || isEmpty(src)) {
    if (!stackUnderflow()) return;
    setST(dst, NAN_SE, NAN_M);
  } else {
    compute(r, stSE(dst), stM(dst), stSE(src), stM(src));
    if (!finish()) return;
    setST(dst, rSE, rM);
  }
  if (andPop) pop();
}

// ST(0) = ST(0) op memory.
export function arithMem(r: u32, kind: u32): void {
  begin();
  if (!loadOperand(kind)) return;
  if (isEmpty(0)) {
    if (stackUnderflow()) setST(0, NAN_SE, NAN_M);
    return;
  }
  compute(r, stSE(0), stM(0), opSE, opM);
  if (finish()) setST(0, rSE, rM);
}

// ---- Compares ------------------------------------------------------------------------

// The condition codes for a compare result: C3 C2 C0.
function ccFor(rel: i32): u32 {
  switch (rel) {
    case LESS: return SW_C0;
    case EQUAL: return SW_C3;
    case GREATER: return 0;
    default: return SW_C3 | SW_C2 | SW_C0;
  }
}

// The condition codes (or ZF PF CF) are set even when an unmasked IE
// follows, as hardware and QEMU do; only the pops are skipped then.
function compareResult(rel: i32, eflags: bool): void {
  recordExceptions(exc);
  if (eflags) {
    const cc = ccFor(rel);
    putFlag(ZF, (cc & SW_C3) != 0);
    putFlag(PF, (cc & SW_C2) != 0);
    putFlag(CF, (cc & SW_C0) != 0);
    putFlag(OF, false);
    putFlag(SFLAG, false);
    putFlag(AF, false);
    setCC(load<u32>(FPU_SW) & (SW_C0 | SW_C2 | SW_C3));
  } else setCC(ccFor(rel));
}

// fcom/fucom ST(i) (pops: 0, 1, 2), fcomi/fucomi (eflags).
export function compareReg(i: u32, quiet: bool, pops: u32, eflags: bool): void {
  begin();
  if (isEmpty(0) || isEmpty(i)) {
    if (!stackUnderflow()) return;
    compareResultMasked(eflags);
  } else {
    compareResult(compare(stSE(0), stM(0), stSE(i), stM(i), quiet), eflags);
    if ((exc & ~controlWord() & (IE | DE)) != 0) return;
  }
  for (let k: u32 = 0; k < pops; k++) pop();
}
function compareResultMasked(eflags: bool): void {
  if (eflags) {
    putFlag(ZF, true); putFlag(PF, true); putFlag(CF, true);
    putFlag(OF, false); putFlag(SFLAG, false); putFlag(AF, false);
  } else setCC(SW_C3 | SW_C2 | SW_C0);
}

export function compareMem(kind: u32, andPop: bool): void {
  begin();
  if (!loadOperand(kind)) return;
  if (isEmpty(0)) {
    if (!stackUnderflow()) return;
    compareResultMasked(false);
  } else {
    compareResult(compare(stSE(0), stM(0), opSE, opM, false), false);
    if ((exc & ~controlWord() & (IE | DE)) != 0) return;
  }
  if (andPop) pop();
}

export function ftst(): void {
  begin();
  if (isEmpty(0)) { if (stackUnderflow()) compareResultMasked(false); return; }
  compareResult(compare(stSE(0), stM(0), 0, 0, false), false);
}

// fxam: C3 C2 C0 = the class, C1 = the sign; no exceptions, empty included.
export function fxam(): void {
  const se = stSE(0), m = stM(0);
  let cc: u32;
  if (isEmpty(0)) cc = SW_C3 | SW_C0;
  else {
    const c = classify(se, m);
    if (c == BAD) cc = 0;
    else if (c == QNAN || c == SNAN) cc = SW_C0;
    else if (c == INF) cc = SW_C2 | SW_C0;
    else if (c == ZERO) cc = SW_C3;
    else if ((se & 0x7fff) == 0) cc = SW_C3 | SW_C2;
    else cc = SW_C2;
  }
  if ((se & SIGN) != 0) cc |= SW_C1;
  setCC(cc);
}

// ---- Loads and stores ------------------------------------------------------------------

export function fldReg(i: u32): void {
  begin();
  if (isEmpty(i)) {
    if (!stackUnderflow()) return;
    push(NAN_SE, NAN_M);
    return;
  }
  setCC(load<u32>(FPU_SW) & (SW_C0 | SW_C2 | SW_C3));
  push(stSE(i), stM(i));
}

// fld m32/m64 (converted: an SNaN raises IE), fild, fld m80, fbld.
export function fldMem(kind: u32): void {
  begin();
  switch (kind) {
    case 4: if (!read80()) return; setResult(memHi & 0xffff, memLo); break; // m80fp
    case 5: { const v = read64(); if (faulted()) return; fromInt(<i64>v); break; } // m64int
    case 6: if (!read80()) return; fromBCD(memLo, memHi); break; // m80bcd
    default: if (!loadOperand(kind, true)) return; setResult(opSE, opM); break;
  }
  const se = rSE, m = rM;
  if (!finish()) return;
  push(se, m);
}

// fst/fstp ST(i): a copy, no rounding.
export function fstReg(i: u32, andPop: bool): void {
  begin();
  if (isEmpty(0)) {
    if (!stackUnderflow()) return;
    setST(i, NAN_SE, NAN_M);
  } else {
    setCC(load<u32>(FPU_SW) & (SW_C0 | SW_C2 | SW_C3));
    setST(i, stSE(0), stM(0));
  }
  if (andPop) pop();
}

// Stores of ST(0): 0 m32fp, 2 m64fp, 4 m80fp, 1 m32int, 3 m16int, 5
// m64int, 6 m80bcd.
export function fstMem(kind: u32, andPop: bool): void {
  begin();
  const size: u32 = kind == 0 || kind == 1 ? 4 : kind == 3 ? 2 : kind == 4 || kind == 6 ? 10 : 8;
  if (!writable(size)) return;
  let se = stSE(0), m = stM(0);
  if (isEmpty(0)) {
    if (!stackUnderflow()) return;
    se = NAN_SE; m = NAN_M;
  }
  let lo: u64 = 0, hi: u32 = 0;
  switch (kind) {
    case 0: lo = toBinary(se, m, 23, 8); break;
    case 2: lo = toBinary(se, m, 52, 11); break;
    case 4: lo = m; hi = se; break;
    case 1: lo = <u64>toInt(se, m, 32, false); break;
    case 3: lo = <u64>toInt(se, m, 16, false); break;
    case 5: lo = <u64>toInt(se, m, 64, false); break;
    default: lo = toBCD(se, m); hi = bcdHi; break;
  }
  if (!isEmpty(0) && !finishStore()) return;
  switch (size) {
    case 2: put16(0, <u32>lo); break;
    case 4: put32(0, <u32>lo); break;
    case 8: put64(0, lo); break;
    default: put64(0, lo); put16(8, hi); break;
  }
  if (andPop) pop();
}

// ---- One-operand instructions on ST(0) -----------------------------------------------------

// fchs, fabs: the sign only; no exceptions but a stack underflow.
export function signOp(abs: bool): void {
  begin();
  if (isEmpty(0)) { if (stackUnderflow()) setST(0, NAN_SE, NAN_M); return; }
  setCC(load<u32>(FPU_SW) & (SW_C0 | SW_C2 | SW_C3));
  setST(0, abs ? stSE(0) & ~SIGN : stSE(0) ^ SIGN, stM(0));
}

// fsqrt (0), frndint (1).
export function unaryOp(which: u32): void {
  begin();
  if (isEmpty(0)) { if (stackUnderflow()) setST(0, NAN_SE, NAN_M); return; }
  if (which == 0) sqrt(stSE(0), stM(0));
  else roundToInt(stSE(0), stM(0));
  if (finish()) setST(0, rSE, rM);
}

export function fscale(): void {
  begin();
  if (isEmpty(0) || isEmpty(1)) { if (stackUnderflow()) setST(0, NAN_SE, NAN_M); return; }
  scale(stSE(0), stM(0), stSE(1), stM(1));
  if (finish()) setST(0, rSE, rM);
}

export function fxtract(): void {
  begin();
  if (isEmpty(0)) {
    if (!stackUnderflow()) return;
    setST(0, NAN_SE, NAN_M);
    push(NAN_SE, NAN_M);
    return;
  }
  if (!isEmpty(7)) {
    // The stack would overflow: ST(0) and the new ST(0) become NaNs.
    if (!stackOverflowKeep()) return;
    setST(0, NAN_SE, NAN_M);
    decTop();
    setST(0, NAN_SE, NAN_M);
    return;
  }
  extract(stSE(0), stM(0));
  if (!finish()) return;
  setST(0, xSE, xM);
  decTop();
  setST(0, rSE, rM);
}
function stackOverflowKeep(): bool {
  setCC((load<u32>(FPU_SW) & (SW_C0 | SW_C2 | SW_C3)) | SW_C1);
  return recordExceptions(IE | 64) == 0;
}

export function fprem(nearest: bool): void {
  begin();
  if (isEmpty(0) || isEmpty(1)) { if (stackUnderflow()) setST(0, NAN_SE, NAN_M); return; }
  remainder(stSE(0), stM(0), stSE(1), stM(1), nearest);
  const unmasked = recordExceptions(exc);
  if ((unmasked & (IE | DE)) != 0) return;
  const q = remQuotient;
  let cc: u32 = 0;
  if (remPartial) cc = SW_C2;
  else {
    if (q & 4) cc |= SW_C0;
    if (q & 2) cc |= SW_C3;
    if (q & 1) cc |= SW_C1;
  }
  setCC(cc);
  setST(0, rSE, rM);
}

// ---- Constants ----------------------------------------------------------------------------

// fld1, fldl2t, fldl2e, fldpi, fldlg2, fldln2, fldz (rm 0..6 of D9 /5).
// The irrational ones are the 64-bit significand nearest the true value,
// or the one below it when the rounding control says so (SDM vol. 1,
// 8.3.8): the tail of each decides which way "nearest" went.
export function loadConstant(rm: u32): void {
  begin();
  let se: u32 = 0, m: u64 = 0, upNearest = false, upUp = true;
  switch (rm) {
    case 0: se = 0x3fff; m = J; upUp = false; break;
    case 1: se = 0x4000; m = 0xd49a784bcd1b8afe; upNearest = false; break; // log2(10), tail .29
    case 2: se = 0x3fff; m = 0xb8aa3b295c17f0bb; upNearest = true; break; // log2(e), tail .74
    case 3: se = 0x4000; m = 0xc90fdaa22168c234; upNearest = true; break; // pi, tail .77
    case 4: se = 0x3ffd; m = 0x9a209a84fbcff798; upNearest = true; break; // log10(2), tail .56
    case 5: se = 0x3ffe; m = 0xb17217f7d1cf79ab; upNearest = true; break; // ln(2), tail .79
    default: se = 0; m = 0; upUp = false; break;
  }
  if ((rounding == 0 && upNearest) || (rounding == 2 && upUp)) m++;
  setCC(load<u32>(FPU_SW) & (SW_C0 | SW_C2 | SW_C3));
  push(se, m);
}

// ---- Register and stack housekeeping ---------------------------------------------------------

export function fxch(i: u32): void {
  begin();
  if (isEmpty(0) || isEmpty(i)) {
    if (!stackUnderflow()) return;
    if (isEmpty(0)) setST(0, NAN_SE, NAN_M);
    if (isEmpty(i)) setST(i, NAN_SE, NAN_M);
  } else setCC(load<u32>(FPU_SW) & (SW_C0 | SW_C2 | SW_C3));
  const se = stSE(0), m = stM(0);
  setST(0, stSE(i), stM(i));
  setST(i, se, m);
}

export function ffree(i: u32, andPop: bool): void {
  setEmpty(i);
  if (andPop) incTop();
}

export function stepTop(up: bool): void {
  if (up) incTop(); else decTop();
  setCC(load<u32>(FPU_SW) & (SW_C0 | SW_C2 | SW_C3));
}

// fcmovcc: ST(0) = ST(i) when the condition (the Jcc encoding's) holds.
export function fcmov(cc: u32, i: u32): void {
  begin();
  if (isEmpty(i)) {
    if (!stackUnderflow()) return;
    if (testCC(cc)) setST(0, NAN_SE, NAN_M);
    return;
  }
  setCC(load<u32>(FPU_SW) & (SW_C0 | SW_C2 | SW_C3));
  if (testCC(cc)) setST(0, stSE(i), stM(i));
}

// ---- Status and control -----------------------------------------------------------------------

export function fnstsw(toAX: bool): void {
  if (toAX) { setReg16(EAX, statusWord()); return; }
  if (!writable(2)) return;
  put16(0, statusWord());
}
export function fnstcw(): void {
  if (!writable(2)) return;
  put16(0, controlWord());
}
export function fldcw(): void {
  const v = readMem<u16>();
  if (faulted()) return;
  setControlWord(v);
  updateSummary();
}
// ES and B follow the exceptions flagged and unmasked now (after fldcw,
// fldenv, frstor).
export function updateSummary(): void {
  let sw = load<u32>(FPU_SW);
  if ((sw & ~controlWord() & 0x3f) != 0) sw |= 0x8080;
  else sw &= ~0x8080;
  store<u32>(FPU_SW, sw);
}
export function fninit(): void {
  fpuInit();
  store<u32>(FPU_IP, 0);
  store<u32>(FPU_CS, 0);
  store<u32>(FPU_OP, 0);
  store<u32>(FPU_DP, 0);
  store<u32>(FPU_DS, 0);
}
export function fnclex(): void {
  store<u32>(FPU_SW, load<u32>(FPU_SW) & 0x7f00);
}
