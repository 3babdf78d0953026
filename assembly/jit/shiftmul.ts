// Shifts and multiplies emitted inline (shift.ts and muldiv.ts give the
// semantics): CF and OF go straight into EFLAGS and the record says RESULT,
// as setResultFlags does in the core.
import * as W from "./emit";
import { T0, T1, T2, T3 } from "./frame";
import { resultFlags, flush } from "./flagcode";
import { getR, setR } from "./regs";
import { SHL, SHR, SAL, SAR } from "../cpu/shift";

// shl/shr/sar of register d by a constant count (1..31) as shift.ts does
// them; false for the others (rotates, which keep the other flags, and a
// count of 0, which changes nothing) so the helper runs them.
export function shiftInline(d: u32, op: u32, count: u32): bool {
  if (count == 0 || (op != SHL && op != SAL && op != SHR && op != SAR)) return false;
  getR(d); W.set(T0);
  W.get(T0); W.i32c(count);
  W.op(op == SHR ? W.SHR_U : op == SAR ? W.SHR_S : W.SHL);
  W.set(T2);
  if (op == SHR || op == SAR) {
    // CF: the last bit shifted out; OF: the sign flipped (only shr by 1).
    W.get(T0); W.i32c(count - 1); W.op(op == SHR ? W.SHR_U : W.SHR_S); W.i32c(1); W.op(W.AND); W.set(T3);
    if (op == SHR && count == 1) { W.get(T0); W.i32c(31); W.op(W.SHR_U); } else W.i32c(0);
    W.set(T1);
  } else {
    W.get(T0); W.i32c(32 - count); W.op(W.SHR_U); W.i32c(1); W.op(W.AND); W.set(T3);
    W.get(T2); W.i32c(31); W.op(W.SHR_U); W.get(T3); W.op(W.XOR); W.set(T1);
  }
  W.i32c(0); W.set(T0);
  resultFlags(T2, T3, T1, T0);
  W.get(T2); setR(d);
  return true;
}

// shl/shr/sar of register d by CL (the record already in memory): nothing
// at all for a count of 0, else as shiftInline with the count in T1 and
// the record stored at once (it is set on one path only).
export function shiftByCL(d: u32, op: u32): bool {
  if (op != SHL && op != SAL && op != SHR && op != SAR) return false;
  getR(1); W.i32c(31); W.op(W.AND); W.tee(T1);
  W.ifThen(); // (nothing inside branches out)
  getR(d); W.set(T0);
  W.get(T0); W.get(T1); W.op(op == SHR ? W.SHR_U : op == SAR ? W.SHR_S : W.SHL); W.set(T2);
  if (op == SHR || op == SAR) {
    // before = x shifted by count - 1: CF its low bit, OF whether its sign and the result's differ.
    W.get(T0); W.get(T1); W.i32c(1); W.op(W.SUB); W.op(op == SHR ? W.SHR_U : W.SHR_S); W.set(T3);
    W.get(T3); W.get(T2); W.op(W.XOR); W.i32c(31); W.op(W.SHR_U); W.set(T1);
    W.get(T3); W.i32c(1); W.op(W.AND); W.set(T3);
  } else {
    W.get(T0); W.i32c(32); W.get(T1); W.op(W.SUB); W.op(W.SHR_U); W.i32c(1); W.op(W.AND); W.set(T3);
    W.get(T2); W.i32c(31); W.op(W.SHR_U); W.get(T3); W.op(W.XOR); W.set(T1);
  }
  W.i32c(0); W.set(T0);
  resultFlags(T2, T3, T1, T0);
  flush();
  W.get(T2); setR(d);
  W.end();
  return true;
}

// imul d, T0 * T1 truncated to 32 bits: CF = OF = the full product does not
// fit (muldiv.ts imulTrunc).
export function imul(d: u32): void {
  W.get(T0); W.get(T1); W.op(W.MUL); W.set(T2);
  W.get(T0); W.op(W.I64_EXTEND_S); W.get(T1); W.op(W.I64_EXTEND_S); W.op(W.I64_MUL);
  W.get(T2); W.op(W.I64_EXTEND_S);
  W.op(W.I64_NE); W.set(T3);
  W.i32c(0); W.set(T0);
  resultFlags(T2, T3, T3, T0);
  W.get(T2); setR(d);
}
