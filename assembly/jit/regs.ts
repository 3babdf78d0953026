// Guest registers in translated code: EAX..EDI live in locals for the
// whole function. This module keeps, while a function is emitted, which
// registers were written (stored at its exit) and which may differ from
// memory at the point being emitted (stored before a helper that reads
// them there).
import { REGS } from "../layout";
import * as W from "./emit";
import { L_R0, T3 } from "./frame";

let written: u32 = 0;
// Registers whose local may differ from memory at this point of a member's
// straight-line code (all of them at its start, none right after an INTERP
// entry, which stores them and reloads them all).
let dirty: u32 = 0;

export function resetRegs(): void { written = 0; dirty = 0; }
export function regsWritten(): u32 { return written; }
export function regsDirty(): u32 { return dirty; }
export function allDirty(): void { dirty = 0xff; }
export function allClean(): void { dirty = 0; }

export function getR(r: u32): void { W.get(L_R0 + r); }
// The value is on the stack.
export function setR(r: u32): void {
  W.set(L_R0 + r);
  written |= 1 << r;
  dirty |= 1 << r;
}
export function getR16(r: u32): void { getR(r); W.i32c(0xffff); W.op(W.AND); }
// The value is on the stack; the register's high word stays.
export function setR16(r: u32): void {
  W.i32c(0xffff); W.op(W.AND); W.set(T3);
  getR(r); W.i32c(0xffff0000); W.op(W.AND); W.get(T3); W.op(W.OR);
  setR(r);
}
export function getR8(r: u32): void {
  W.get(L_R0 + (r & 3));
  if (r >= 4) { W.i32c(8); W.op(W.SHR_U); }
  W.i32c(0xff); W.op(W.AND);
}
export function setR8(r: u32): void {
  W.i32c(0xff); W.op(W.AND);
  if (r >= 4) { W.i32c(8); W.op(W.SHL); }
  W.set(T3);
  const reg = r & 3;
  W.get(L_R0 + reg);
  W.i32c(r >= 4 ? 0xffff00ff : 0xffffff00); W.op(W.AND);
  W.get(T3); W.op(W.OR);
  W.set(L_R0 + reg);
  written |= 1 << reg;
  dirty |= 1 << reg;
}

// Around a helper that works on register r in memory (ESP for the 16-bit
// stack, EAX and EDX for mul and div): it goes there first and comes back after.
export function toMemory(r: u32): void {
  if ((dirty & (1 << r)) != 0) { W.i32c(REGS + r * 4); W.get(L_R0 + r); W.store32(); }
}
export function fromMemory(r: u32): void { W.loadAt(REGS + r * 4); W.set(L_R0 + r); }
export function espToMemory(): void { toMemory(4); }
export function espFromMemory(): void { fromMemory(4); }
