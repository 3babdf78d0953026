// What translated code calls back into the core for: memory operands
// (segment checks, TLB, page walks, faults), the stack, and the flag rules
// that need the lazy record in memory. Each does exactly what the block
// executor does for the same entry (cpu/blockexec.ts), with the same
// helpers, so translated and interpreted code cannot disagree. A fault is
// left in FAULT_VEC for the caller to see; writes return 1 when they hit a
// page with decoded code (the translated block must stop), 2 on a fault.
import { runX87 } from "../fpu/entry";
import { EIP, STACK32 } from "../layout";
import { setReg32, setReg16, faulted, ESP, SS } from "../cpu/state";
import { readSeg, readSegForWrite, writeSeg, setInsnStart } from "../cpu/decode";
import { codeDirty } from "../mmu/codepages";
import { push, pop, addSP } from "../cpu/stack";
import { alu } from "../cpu/alu";
import { keepCF, testCC } from "../cpu/flags";
import { shift } from "../cpu/shift";
import { imulTrunc, mulDiv32 } from "../cpu/muldiv";
import { shiftDouble32 } from "../cpu/forms0f";
import { interpFromJit } from "../cpu/midblock";

export function jr8(seg: u32, off: u32): u32 { return readSeg<u8>(seg, off); }
export function jr16(seg: u32, off: u32): u32 { return readSeg<u16>(seg, off); }
export function jr32(seg: u32, off: u32): u32 { return readSeg<u32>(seg, off); }

export function jrw8(seg: u32, off: u32): u32 { return readSegForWrite<u8>(seg, off); }
export function jrw16(seg: u32, off: u32): u32 { return readSegForWrite<u16>(seg, off); }
export function jrw32(seg: u32, off: u32): u32 { return readSegForWrite<u32>(seg, off); }

// @ts-ignore: decorator
@inline function status(): u32 { return faulted() ? 2 : codeDirty ? 1 : 0; }
export function jw8(seg: u32, off: u32, v: u32): u32 { writeSeg<u8>(seg, off, v); return status(); }
export function jw16(seg: u32, off: u32, v: u32): u32 { writeSeg<u16>(seg, off, v); return status(); }
export function jw32(seg: u32, off: u32, v: u32): u32 { writeSeg<u32>(seg, off, v); return status(); }
export function jpush(v: u32): u32 { push<u32>(v); return status(); }
export function jpop(): u32 { return pop<u32>(); }

// leave with EBP given: returns the new EBP; ESP is set in memory.
export function jleave(ebp: u32): u32 {
  const bp = load<u32>(STACK32) != 0 ? ebp : ebp & 0xffff;
  const v = readSeg<u32>(SS, bp);
  if (faulted()) return 0;
  if (load<u32>(STACK32) != 0) setReg32(ESP, bp + 4);
  else setReg16(ESP, bp + 4);
  return v;
}

export function jcc(cc: u32): u32 { return testCC(cc) ? 1 : 0; }
export function jkeepcf(): void { keepCF(); }
// adc and sbb (op 2 or 3), which read CF from the lazy record.
export function jalu32(op: u32, a: u32, b: u32): u32 { return alu<u32>(op, a, b); }
export function jalu8(op: u32, a: u32, b: u32): u32 { return alu<u8>(op, a, b); }
export function jalu16(op: u32, a: u32, b: u32): u32 { return alu<u16>(op, a, b); }
export function jshift32(op: u32, x: u32, count: u32): u32 { return shift<u32>(op, x, count); }
export function jshift16(op: u32, x: u32, count: u32): u32 { return shift<u16>(op, x, count); }
export function jimul32(a: u32, b: u32): u32 { return imulTrunc<u32>(a, b); }
// shld (bit 8 of how set) or shrd by how's low byte, flags through the record.
export function jshxd(dst: u32, src: u32, how: u32): u32 { return shiftDouble32((how & 0x100) != 0, dst, src, how & 0xff); }
// F7 /4../7 on EDX:EAX in memory; 1 when it raised #DE.
export function jmuldiv(op: u32, src: u32): u32 { return mulDiv32(op, src) ? 0 : 1; }

// The entry at ip faulted: the run loop delivers the exception from there.
export function jfault(ip: u32): void {
  setInsnStart(ip);
  store<u32>(EIP, ip);
}

// An INTERP entry: the interpreter runs it (cpu/midblock.ts); 1 when the
// block must stop there.
export function jinterp(ip: u32, n: u32, next: u32): u32 { return interpFromJit(ip, n, next); }

// An x87 entry (fpu/entry.ts runX87): 0 ran, 1 faulted, 2 stop after it.
export function jx87(how: u32, off: u32, ip: u32): u32 { return runX87(how, off, ip); }

// ret imm16: ESP moves past the arguments (16-bit stacks wrap).
export function jaddsp(n: u32): void { addSP(n); }
