// The interpreter in the middle of a block: an INTERP entry (an
// instruction the block cache has no form for, which neither branches nor
// changes the CPU's mode) runs through the interpreter's own handler, and
// the block goes on after it when nothing else changed.
//
// Retiring: a block's instructions are retired when runBlocks leaves, but
// the interpreter must see the clock as it would (in, rdtsc), so what ran
// before an INTERP entry is retired first and counted as paid; every exit
// of runBlocks retires only what is not paid yet.
import { EIP, EVENTS, CPL } from "../layout";
import { retireN } from "../dev/clock";
import { codeDirty } from "../mmu/codepages";
import { segSel, CS } from "./state";
import { stepOne } from "./execute";

// Instructions of this runBlocks call already retired.
let paid: u32 = 0;
// Instructions runBlocks had run before the translated block it called.
let jitBase: u32 = 0;

export function resetPaid(): void { paid = 0; }
export function setJitBase(done: u32): void { jitBase = done; }

// Retires the instructions of this call up to done that are not yet.
export function settle(done: u32): void {
  retireN(done - paid);
  paid = done;
}

// Runs the instruction at ip, done instructions into this runBlocks call;
// 0 when the block goes on at next, 1 when it must stop (a fault, a
// transfer, a CS or CPL change, a pending event, a write to decoded code),
// with EIP where the instruction left it and everything through it retired.
export function interpAt(ip: u32, done: u32, next: u32): u32 {
  settle(done);
  const cs = segSel(CS), cpl = load<u32>(CPL);
  store<u32>(EIP, ip);
  stepOne();
  paid = done + 1;
  return load<u32>(EIP) != next || segSel(CS) != cs || load<u32>(CPL) != cpl || load<u32>(EVENTS) != 0 || codeDirty ? 1 : 0;
}

// The same from translated code, whose count n is from its own start.
export function interpFromJit(ip: u32, n: u32, next: u32): u32 {
  return interpAt(ip, jitBase + n, next);
}
