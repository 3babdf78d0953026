// Segment-register loads: the selector and its descriptor cache.
//
// Real mode: base = selector * 16; the limit and attributes are kept, as the
// hardware does. Protected mode: the descriptor is read from the GDT or LDT.
// This is the plain path; the full privilege and type checks of SDM vol. 3
// chapter 5 belong to the system-architecture work and hook in here.
import {
  GDTR_BASE, GDTR_LIMIT, LDTR_BASE, LDTR_LIMIT, CODE32, STACK32, CPL, EFLAGS, SEG_SEL, SEG_BASE,
} from "../layout";
import { readLin } from "../mmu/memory";
import { setSegCache, segLimit, segFlags, protectedMode, raiseCode, faulted, GP, NP, SSF, CS, SS } from "./state";
import { VM } from "./flags";
import { invalidateFetch } from "./decode";

// Descriptor bits 40..55 as stored in SEG_FLAGS.
export const SEGF_PRESENT: u32 = 1 << 7;
export const SEGF_DB: u32 = 1 << 14;
export const SEGF_G: u32 = 1 << 15;

// The two dwords of a descriptor, read by readDescriptor.
export let descLo: u32 = 0;
export let descHi: u32 = 0;

// Reads the descriptor for sel; raises #GP(sel) when it is outside its table.
export function readDescriptor(sel: u32): bool {
  let base: u32, limit: u32;
  if (sel & 4) { base = load<u32>(LDTR_BASE); limit = load<u32>(LDTR_LIMIT); }
  else { base = load<u32>(GDTR_BASE); limit = load<u32>(GDTR_LIMIT); }
  const index = sel & 0xfff8;
  if (index + 7 > limit) { raiseCode(GP, sel & 0xfffc); return false; }
  descLo = readLin<u32>(base + index);
  descHi = readLin<u32>(base + index + 4);
  return !faulted();
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

// Loads a segment register as mov/pop/lds and far transfers do.
// Returns false (with a fault raised) when the load is refused.
export function loadSeg(s: u32, sel: u32): bool {
  sel &= 0xffff;
  if (!protectedMode() || (load<u32>(EFLAGS) & VM)) {
    loadSegReal(s, sel);
    return true;
  }
  if ((sel & 0xfffc) == 0) {
    if (s == CS || s == SS) { raiseCode(GP, 0); return false; }
    setSegCache(s, sel, 0, 0, 0); // the null selector: any use faults
    return true;
  }
  if (!readDescriptor(sel)) return false;
  const flags = (descHi >>> 8) & 0xf0ff;
  if ((flags & SEGF_PRESENT) == 0) {
    raiseCode(s == SS ? SSF : NP, sel & 0xfffc);
    return false;
  }
  setSegCache(s, sel, descBase(descLo, descHi), descLimit(descLo, descHi), flags);
  segChanged(s);
  return true;
}

// A far transfer's CS load: CPL becomes the new code segment's privilege.
export function loadCS(sel: u32): bool {
  if (!loadSeg(CS, sel)) return false;
  if (protectedMode() && !(load<u32>(EFLAGS) & VM)) {
    // Conforming code keeps the caller's CPL; otherwise CPL is the selector's RPL.
    if ((segFlags(CS) & 0x1c) != 0x1c) store<u32>(CPL, sel & 3);
  }
  return true;
}

export function setSegNull(s: u32): void { setSegCache(s, 0, 0, 0, 0); }

export { segLimit };
