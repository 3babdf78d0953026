// The stack in translated code (cpu/stack.ts gives the semantics): with a
// 32-bit SS, push, pop, leave and ret imm go inline through SS:ESP, ESP (a
// local, as the other registers) moving only when the access went through;
// a 16-bit stack goes to the core's helpers, with ESP passed through memory.
import { FAULT_VEC } from "../layout";
import * as W from "./emit";
import { emitRead, emitWrite, P_V, P_SP, C_STACK32 } from "./access";
import { F_JPUSH, F_JPOP, F_JW32, F_JR32, F_JLEAVE, F_JADDSP } from "./frame";
import { getR, setR, espToMemory, espFromMemory } from "./regs";

const SS_SEG: u32 = 2;
const ESP: u32 = 4, EBP: u32 = 5;

// if (a 32-bit stack), with an i32 result or none.
function if32(value: bool): void { W.get(C_STACK32); W.byte(0x04); W.byte(value ? W.I32 : 0x40); }

// [value] -> [status], as a write.
export function emitPush(): void {
  W.set(P_V);
  if32(true);
  getR(ESP); W.i32c(4); W.op(W.SUB); W.tee(P_SP);
  W.get(P_V);
  emitWrite(SS_SEG, 4, F_JW32);
  W.tee(P_V);
  W.i32c(2); W.op(W.NE);
  W.ifThen(); W.get(P_SP); setR(ESP); W.end();
  W.get(P_V);
  W.elseThen();
  espToMemory(); W.get(P_V); W.call(F_JPUSH); espFromMemory();
  W.end();
}

// [] -> [value]; the caller checks FAULT_VEC after it. leave (fromEbp)
// pops from EBP instead of ESP; the caller sets EBP to the value.
export function emitPop(fromEbp: bool): void {
  if32(true);
  getR(fromEbp ? EBP : ESP); W.tee(P_SP);
  emitRead(SS_SEG, 4, F_JR32, false);
  W.set(P_V);
  W.loadAt(FAULT_VEC); W.i32c(0); W.op(W.LT_S);
  W.ifThen(); W.get(P_SP); W.i32c(4); W.op(W.ADD); setR(ESP); W.end();
  W.get(P_V);
  W.elseThen();
  espToMemory();
  if (fromEbp) { getR(EBP); W.call(F_JLEAVE); } else W.call(F_JPOP);
  espFromMemory();
  W.end();
}

// ret imm16: ESP moves past the arguments (16-bit stacks wrap).
export function emitAddSP(n: u32): void {
  if32(false);
  getR(ESP); W.i32c(n); W.op(W.ADD); setR(ESP);
  W.elseThen();
  espToMemory(); W.i32c(n); W.call(F_JADDSP); espFromMemory();
  W.end();
}
