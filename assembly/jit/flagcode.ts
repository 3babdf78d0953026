// The lazy flags in translated code: the record of the last flag-setting
// entry kept in locals (LA, LB, LRES) and stored only where something can
// see it, and conditions tested straight from those locals when the
// producer is known (else through the record in memory, as the core does).
import { EFLAGS, LF_OP, LF_RES, LF_A, LF_B, LF_BITS, LF_MASK } from "../layout";
import { ARITH, CF, PF, ZF, SF, Op } from "../cpu/flags";
import * as W from "./emit";
import { LA, LB, LRES, L_OP, L_PEND, F_JCC, T0, T1, T2, T3 } from "./frame";

// What the last flag-setting entry was, when its operands are in LA/LB/LRES.
export const P_NONE: u32 = 0, P_ADD32: u32 = 1, P_SUB32: u32 = 2, P_LOGIC32: u32 = 3, P_INCDEC32: u32 = 4;
export const P_ADD8: u32 = 5, P_SUB8: u32 = 6, P_LOGIC8: u32 = 7;
// A shift or a multiply: CF and OF are in EFLAGS already, the record (RESULT)
// has ZF, SF and PF of the result in LRES.
export const P_RESULT32: u32 = 8;
// adc/sbb: the operation (ADD or SUB, plus the carry in) is in L_OP; only
// the result-based conditions are tested from locals.
export const P_CARRY32: u32 = 9;
export const P_ADD16: u32 = 10, P_SUB16: u32 = 11, P_LOGIC16: u32 = 12;

// The last producer's operand width in bits.
function width(): u32 {
  if (producer >= P_ADD8 && producer <= P_LOGIC8) return 8;
  return producer >= P_ADD16 && producer <= P_LOGIC16 ? 16 : 32;
}
// Narrows the value on the stack to the producer's width, zero- or sign-extended.
function zeroExtend(w: u32): void { if (w < 32) { W.i32c(w == 8 ? 0xff : 0xffff); W.op(W.AND); } }
function signExtend(w: u32): void { if (w < 32) W.op(w == 8 ? W.EXTEND8_S : W.EXTEND16_S); }

export let producer: u32 = P_NONE;
export function setProducer(p: u32): void { producer = p; }

export function storeConst(addr: u32, v: u32): void { W.i32c(addr); W.i32c(v); W.store32(); }
export function storeLocal(addr: u32, l: u32): void { W.i32c(addr); W.get(l); W.store32(); }

// The lazy record of a flag-setting entry whose inputs are in a, b and
// result in res: kept in LA/LB/LRES and stored only where something can
// see it (at every exit, before a helper that reads or replaces the record,
// and at a loop's back edge), so a run of flag-setting entries stores once.
export let pend: bool = false;
// Whether L_PEND may be non-zero here: from a member's start (a transfer
// leaves the record in locals, packed in L_PEND) until the record is
// stored. While pend is false it then says where the record is: in the
// locals when L_PEND is non-zero, else in memory.
let pendRuntime: bool = false;
let pendOp: u32 = 0, pendBits: u32 = 0, pendMask: u32 = 0;
let pendOpInLocal: bool = false; // the operation is in L_OP, not pendOp

export function record(op: Op, a: u32, b: u32, res: u32, bits: u32, mask: u32, p: u32): void {
  W.get(a); W.set(LA);
  W.get(b); W.set(LB);
  W.get(res); W.set(LRES);
  pend = true;
  pendOpInLocal = p == P_CARRY32;
  pendOp = op;
  pendBits = bits;
  pendMask = mask;
  producer = p;
}

// Stores the pending record (on this path only: the state is unchanged).
export function storeRecord(): void {
  if (!pend) return;
  if (pendOpInLocal) storeLocal(LF_OP, L_OP); else storeConst(LF_OP, pendOp);
  storeLocal(LF_RES, LRES);
  storeLocal(LF_A, LA);
  storeLocal(LF_B, LB);
  storeConst(LF_BITS, pendBits);
  storeConst(LF_MASK, pendMask);
}

// On a path out of the function or to another member: the pending record
// goes along packed in L_PEND (its operation, width and mask, constants
// here: operation | (width - 1) << 8 | mask << 16, operation 0x80 for the
// one in L_OP) with its operands in LA, LB and LRES. The exit tail stores
// it once (storeExitRecord) for all of a function's exits; a member keeps
// it in the locals until something needs it in memory (flush), so a jump
// between members stores nothing. L_PEND is 0 on entry.
const PEND_OP_IN_LOCAL: u32 = 0x80;
export function exitRecord(): void {
  if (!pend) return; // L_PEND already says where the record is
  W.i32c((pendOpInLocal ? PEND_OP_IN_LOCAL : pendOp) | (pendBits << 8) | (pendMask << 16));
  W.set(L_PEND);
}

// A member starts: the record is wherever L_PEND says.
export function memberStart(): void {
  pend = false;
  producer = P_NONE;
  pendRuntime = true;
}

// The fields of the record L_PEND carries, pushed: its operation, its
// width - 1, its mask.
function pendOpField(): void {
  W.get(L_OP); W.get(L_PEND); W.i32c(0x7f); W.op(W.AND);
  W.get(L_PEND); W.i32c(PEND_OP_IN_LOCAL); W.op(W.AND);
  W.byte(0x1b); // select: L_OP when the flag is set
}
function pendBitsField(): void { W.get(L_PEND); W.i32c(8); W.op(W.SHR_U); W.i32c(0xff); W.op(W.AND); }
function pendMaskField(): void { W.get(L_PEND); W.i32c(16); W.op(W.SHR_U); }

// Stores the record L_PEND carries, if any (the exit tail; flush).
export function storeExitRecord(): void {
  W.get(L_PEND);
  W.ifThen();
  W.i32c(LF_OP); pendOpField(); W.store32();
  storeLocal(LF_RES, LRES);
  storeLocal(LF_A, LA);
  storeLocal(LF_B, LB);
  W.i32c(LF_BITS); pendBitsField(); W.store32();
  W.i32c(LF_MASK); pendMaskField(); W.store32();
  W.end();
}

// Stores it for good, before a helper that works on the record in memory.
export function flush(): void {
  if (pend) storeRecord();
  else if (pendRuntime) storeExitRecord();
  if (pendRuntime) { W.i32c(0); W.set(L_PEND); }
  pend = false;
  pendRuntime = false;
}

// Nothing known about the record: where it is, L_PEND says.
export function dropRecord(): void { pend = false; producer = P_NONE; pendRuntime = true; }

// ---- Conditions ----------------------------------------------------------------

// Pushes 1 when condition cc holds, from the last producer's operands when
// it is known, else through the lazy record in memory.
export function cond(cc: u32): void {
  const c = cc >> 1, neg = (cc & 1) != 0;
  let done = true;
  const logic = producer == P_LOGIC32 || producer == P_LOGIC8 || producer == P_LOGIC16;
  const sub = producer == P_SUB32 || producer == P_SUB8 || producer == P_SUB16;
  const w = width();
  if (producer != P_NONE && (c == 2 || c == 4)) {
    if (c == 2) { // ZF
      W.get(LRES); zeroExtend(w);
      W.op(W.EQZ);
    } else { // SF
      W.get(LRES);
      W.i32c(w - 1); W.op(W.SHR_U); W.i32c(1); W.op(W.AND);
    }
  } else if (producer == P_RESULT32) {
    if (c == 0) { W.loadAt(EFLAGS); W.i32c(11); W.op(W.SHR_U); W.i32c(1); W.op(W.AND); }
    else if (c == 1) { W.loadAt(EFLAGS); W.i32c(1); W.op(W.AND); }
    else if (c == 3) { W.loadAt(EFLAGS); W.i32c(1); W.op(W.AND); W.get(LRES); W.op(W.EQZ); W.op(W.OR); }
    else if (c == 6 || c == 7) {
      W.get(LRES); W.i32c(31); W.op(W.SHR_U);
      W.loadAt(EFLAGS); W.i32c(11); W.op(W.SHR_U); W.i32c(1); W.op(W.AND);
      W.op(W.XOR);
      if (c == 7) { W.get(LRES); W.op(W.EQZ); W.op(W.OR); }
    } else done = false;
  } else if (sub) {
    if (c == 1 || c == 3) { // CF, CF|ZF: unsigned compares of the operands
      W.get(LA); W.get(LB); W.op(c == 1 ? W.LT_U : W.LE_U);
    } else if (c == 6 || c == 7) { // SF != OF, or ZF too: signed compares
      W.get(LA); signExtend(w);
      W.get(LB); signExtend(w);
      W.op(c == 6 ? W.LT_S : W.LE_S);
    } else done = false;
  } else if (logic) { // CF = OF = 0
    if (c == 0 || c == 1) W.i32c(0);
    else if (c == 3) { W.get(LRES); zeroExtend(w); W.op(W.EQZ); }
    else if (c == 6 || c == 7) {
      W.get(LRES); signExtend(w);
      W.i32c(0); W.op(c == 6 ? W.LT_S : W.LE_S);
    } else done = false;
  } else if (producer == P_ADD32 && c == 1) {
    W.get(LRES); W.get(LA); W.op(W.LT_U);
  } else done = false;
  if (!done) { flush(); W.i32c(cc & ~1); W.call(F_JCC); }
  if (neg) W.op(W.EQZ);
}

// INC/DEC keep CF: make it concrete first, from the known producer when
// there is one (the record in memory then says the same).
export function keepCF(): void {
  // Their records leave CF out already (a RESULT's CF is in EFLAGS).
  if (producer == P_INCDEC32 || producer == P_RESULT32) return;
  const logic = producer == P_LOGIC32 || producer == P_LOGIC8 || producer == P_LOGIC16;
  const sub = producer == P_SUB32 || producer == P_SUB8 || producer == P_SUB16;
  if (!logic && !sub && producer != P_ADD32 && producer != P_ADD8 && producer != P_ADD16) {
    if (!pend && pendRuntime) {
      // A member's start (a loop's dec ecx): the record is in the locals
      // when L_PEND says so, else in memory; neither needs storing first.
      W.get(L_PEND);
      W.ifThen(); keepCFFromRecord(true);
      W.elseThen(); keepCFFromRecord(false);
      W.end();
      return;
    }
    flush();
    keepCFFromRecord(false);
    return;
  }
  W.i32c(EFLAGS);
  W.loadAt(EFLAGS); W.i32c(~CF); W.op(W.AND);
  if (logic) W.i32c(0);
  else if (sub) { W.get(LA); W.get(LB); W.op(W.LT_U); }
  else if (producer == P_ADD32) { W.get(LRES); W.get(LA); W.op(W.LT_U); }
  else { W.get(LRES); zeroExtend(width()); W.get(LA); W.op(W.LT_U); } // P_ADD8, P_ADD16
  W.op(W.OR);
  W.store32();
}

// With the producer unknown (a member's first entries, after a helper): the
// core's keepCF (cpu/flags.ts lazyCF) on the record, inline,
// since a loop or a return point that starts with inc or dec would call it
// on every pass. Uses T0..T3, which the callers set only after it.
// inLocals: the record L_PEND carries (its constants packed there, its
// operands in LA, LB, LRES), else the record in memory.
function keepCFFromRecord(inLocals: bool): void {
  if (inLocals) pendMaskField(); else W.loadAt(LF_MASK);
  W.i32c(CF); W.op(W.AND);
  W.ifThen();
  W.i32c(0xffffffff); W.i32c(31);
  if (inLocals) pendBitsField(); else W.loadAt(LF_BITS);
  W.op(W.SUB); W.op(W.SHR_U); W.set(T3); // the width's mask
  if (inLocals) W.get(LRES); else W.loadAt(LF_RES);
  W.get(T3); W.op(W.AND); W.set(T2);
  if (inLocals) W.get(LA); else W.loadAt(LF_A);
  W.get(T3); W.op(W.AND); W.set(T0);
  if (inLocals) W.get(LB); else W.loadAt(LF_B);
  W.get(T3); W.op(W.AND); W.set(T1);
  if (inLocals) pendOpField(); else W.loadAt(LF_OP);
  W.set(T3);
  W.i32c(EFLAGS);
  W.loadAt(EFLAGS); W.i32c(~CF); W.op(W.AND);
  W.get(T2); W.get(T0); W.op(W.LT_U); W.get(T2); W.get(T0); W.op(W.LE_U); W.get(T3); W.i32c(Op.ADD); W.op(W.EQ); W.byte(0x1b); // add, addc
  W.get(T0); W.get(T1); W.op(W.LT_U); W.get(T0); W.get(T1); W.op(W.LE_U); W.get(T3); W.i32c(Op.SUB); W.op(W.EQ); W.byte(0x1b); // sub, subb
  W.get(T3); W.i32c(Op.SUB); W.op(W.LT_U); W.byte(0x1b);
  W.i32c(0); W.get(T3); W.i32c(Op.LOGIC); W.op(W.LT_U); W.byte(0x1b); // logic, result: 0
  W.op(W.OR);
  W.store32();
  W.end();
}

// A shift's or a multiply's flags (shift.ts, muldiv.ts: setResultFlags): CF
// and OF (cf, ovf: 0 or 1, in locals) go straight into EFLAGS, AF is cleared, and
// the record says RESULT for ZF, SF and PF of res. zero: a local holding 0
// (the record's unused operands, as the core stores them).
export function resultFlags(res: u32, cf: u32, ovf: u32, zero: u32): void {
  W.i32c(EFLAGS);
  W.loadAt(EFLAGS); W.i32c(~ARITH); W.op(W.AND);
  W.get(cf); W.op(W.OR);
  W.get(ovf); W.i32c(11); W.op(W.SHL); W.op(W.OR);
  W.store32();
  record(Op.RESULT, zero, zero, res, 31, PF | ZF | SF, P_RESULT32);
}
