// Segment-register loads: the selector and its descriptor cache.
//
// Real mode and virtual-8086 mode: base = selector * 16; the limit and
// attributes are kept, as the hardware does. Protected mode: the descriptor
// is read from the GDT or LDT and checked as SDM vol. 3 chapter 5 says,
// faulting with the selector as the error code; loading it sets the
// descriptor's accessed bit.
import {
  GDTR_BASE, GDTR_LIMIT, LDTR_BASE, LDTR_LIMIT, CODE32, STACK32, CPL, EFLAGS, SEG_SEL, SEG_BASE,
} from "../layout";
import { readSys, writeSys } from "../mmu/memory";
import { setSegCache, segLimit, segFlags, protectedMode, raiseCode, faulted, GP, NP, SSF, CS, SS } from "./state";
import { VM } from "./flags";
import { invalidateFetch } from "./decode";

// Descriptor bits 40..55 as stored in SEG_FLAGS.
export const SEGF_ACCESSED: u32 = 1 << 0;
export const SEGF_PRESENT: u32 = 1 << 7;
export const SEGF_DB: u32 = 1 << 14;
export const SEGF_G: u32 = 1 << 15;

// The two dwords of a descriptor, read by readDescriptor.
export let descLo: u32 = 0;
export let descHi: u32 = 0;

// Descriptor fields of descHi.
// @ts-ignore: decorator
@inline export function descDpl(hi: u32): u32 { return (hi >>> 13) & 3; }
// @ts-ignore: decorator
@inline export function descPresent(hi: u32): bool { return (hi & 0x8000) != 0; }
// S = 1: code or data. Then bit 11 = code, bit 10 = conforming (code) or
// expand-down (data), bit 9 = readable (code) or writable (data).
// @ts-ignore: decorator
@inline export function isCodeOrData(hi: u32): bool { return (hi & 0x1000) != 0; }
// @ts-ignore: decorator
@inline export function isCode(hi: u32): bool { return (hi & 0x1800) == 0x1800; }
// @ts-ignore: decorator
@inline export function isData(hi: u32): bool { return (hi & 0x1800) == 0x1000; }
// @ts-ignore: decorator
@inline export function isConforming(hi: u32): bool { return (hi & 0x1c00) == 0x1c00; }
// @ts-ignore: decorator
@inline export function systemType(hi: u32): u32 { return (hi >>> 8) & 0xf; }

// Where the descriptor for sel is, or 0xffffffff (with #GP(sel) raised)
// when it lies outside its table.
function descriptorAddress(sel: u32): u32 {
  let base: u32, limit: u32;
  if (sel & 4) { base = load<u32>(LDTR_BASE); limit = load<u32>(LDTR_LIMIT); }
  else { base = load<u32>(GDTR_BASE); limit = load<u32>(GDTR_LIMIT); }
  const index = sel & 0xfff8;
  if (index + 7 > limit) { raiseCode(GP, sel & 0xfffc); return 0xffffffff; }
  return base + index;
}

// Reads the descriptor for sel into descLo/descHi; raises #GP(sel) when it
// is outside its table (or whatever the read itself raises).
export function readDescriptor(sel: u32): bool {
  const at = descriptorAddress(sel);
  if (at == 0xffffffff) return false;
  descLo = readSys<u32>(at);
  descHi = readSys<u32>(at + 4);
  return !faulted();
}

// The processor marks a segment descriptor accessed when it loads it.
export function markAccessed(sel: u32, hi: u32): void {
  if (hi & 0x100) return;
  const at = descriptorAddress(sel);
  if (at == 0xffffffff) return;
  writeSys<u32>(at + 4, hi | 0x100);
}

// @ts-ignore: decorator
@inline export function descBase(lo: u32, hi: u32): u32 {
  return (lo >>> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000);
}
// @ts-ignore: decorator
@inline export function descLimit(lo: u32, hi: u32): u32 {
  const l = (lo & 0xffff) | (hi & 0xf0000);
  return (hi & (1 << 23)) ? (l << 12) | 0xfff : l;
}

// Called whenever CS or SS changes so that the decoder and the stack code
// see the new default sizes.
export function segChanged(s: u32): void {
  if (s == CS) {
    store<u32>(CODE32, (segFlags(CS) & SEGF_DB) != 0 ? 1 : 0);
    invalidateFetch();
  } else if (s == SS) {
    store<u32>(STACK32, (segFlags(SS) & SEGF_DB) != 0 ? 1 : 0);
  }
}

export function loadSegReal(s: u32, sel: u32): void {
  store<u32>(SEG_SEL + (s << 2), sel & 0xffff);
  store<u32>(SEG_BASE + (s << 2), (sel & 0xffff) << 4);
  if (s == CS) invalidateFetch();
}

// Entering virtual-8086 mode (iret, a task switch): the real-mode base, a
// 64 KiB limit and ring 3 data rights, whatever the register.
export function loadSegV86(s: u32, sel: u32): void {
  sel &= 0xffff;
  setSegCache(s, sel, sel << 4, 0xffff, 0xf3);
  segChanged(s);
}

// @ts-ignore: decorator
@inline function plainSegments(): bool { return !protectedMode() || (load<u32>(EFLAGS) & VM) != 0; }

// Fills segment register s from a descriptor (marked accessed).
export function cacheDescriptor(s: u32, sel: u32, lo: u32, hi: u32): void {
  hi |= 0x100;
  setSegCache(s, sel, descBase(lo, hi), descLimit(lo, hi), (hi >>> 8) & 0xf0ff);
  segChanged(s);
}

// Loads a data segment register (DS ES FS GS) or SS as mov, pop and
// lds/les/lfs/lgs/lss do. Returns false with the fault raised when the
// selector is refused; nothing changes then.
export function loadSeg(s: u32, sel: u32): bool {
  return loadSegAt(s, sel, load<u32>(CPL));
}

// The same at a given privilege: a return to an outer ring checks the new SS
// against the ring being returned to.
export function loadSegAt(s: u32, sel: u32, cpl: u32): bool {
  sel &= 0xffff;
  if (plainSegments()) {
    loadSegReal(s, sel);
    return true;
  }
  const rpl = sel & 3;
  if ((sel & 0xfffc) == 0) {
    if (s == SS) { raiseCode(GP, 0); return false; }
    setSegCache(s, sel, 0, 0, 0); // the null selector: any use faults
    return true;
  }
  if (!readDescriptor(sel)) return false;
  const hi = descHi;
  const dpl = descDpl(hi);
  const err = sel & 0xfffc;
  if (s == SS) {
    // A writable data segment at exactly the current privilege.
    if (rpl != cpl || !isData(hi) || (hi & 0x200) == 0 || dpl != cpl) { raiseCode(GP, err); return false; }
    if (!descPresent(hi)) { raiseCode(SSF, err); return false; }
  } else {
    // Data, or readable code; unless conforming code, no more privileged
    // than both CPL and RPL.
    if (!isCodeOrData(hi) || (isCode(hi) && (hi & 0x200) == 0)) { raiseCode(GP, err); return false; }
    if (!isConforming(hi) && (rpl > dpl || cpl > dpl)) { raiseCode(GP, err); return false; }
    if (!descPresent(hi)) { raiseCode(NP, err); return false; }
  }
  markAccessed(sel, hi);
  if (faulted()) return false;
  cacheDescriptor(s, sel, descLo, hi);
  return true;
}

// Checks sel as the target code segment of a direct far jmp/call/ret at
// privilege cpl (for a return, cpl is the ring returned to), reading its
// descriptor into descLo/descHi. Non-conforming code must be exactly at cpl;
// conforming code at cpl or more privileged.
export function checkCodeSeg(sel: u32, cpl: u32): bool {
  if ((sel & 0xfffc) == 0) { raiseCode(GP, 0); return false; }
  if (!readDescriptor(sel)) return false;
  const hi = descHi;
  const err = sel & 0xfffc;
  if (!isCode(hi)) { raiseCode(GP, err); return false; }
  const dpl = descDpl(hi);
  if (isConforming(hi) ? dpl > cpl : dpl != cpl) { raiseCode(GP, err); return false; }
  if (!descPresent(hi)) { raiseCode(NP, err); return false; }
  return true;
}

// Makes a checked code descriptor the code segment, running at cpl (the
// selector's RPL becomes cpl).
export function enterCode(sel: u32, cpl: u32, lo: u32, hi: u32): void {
  markAccessed(sel, hi);
  cacheDescriptor(CS, (sel & 0xfffc) | cpl, lo, hi);
  store<u32>(CPL, cpl);
}

// A far transfer's CS load in real or virtual-8086 mode.
export function loadCSReal(sel: u32): void {
  loadSegReal(CS, sel);
}

export function setSegNull(s: u32): void { setSegCache(s, 0, 0, 0, 0); }

export { segLimit };
