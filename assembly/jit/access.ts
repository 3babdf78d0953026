// Inline memory access for translated code: the common case of
// cpu/decode.ts's readSeg/writeSeg (a flat segment, no page crossing, a TLB
// hit with the right, or paging off; RAM; for writes a page without decoded
// code) in WebAssembly, anything else through the core's helper, which
// then does the whole check and may fault. Both paths give the same result.
import { SEG_CHECK, SEG_BASE, CR0, TLB, RAM_SIZE, RAM_BASE, CODE_MASK, TLB_ENTRIES, STACK32 } from "../layout";
import * as W from "./emit";

// Locals the access code owns (see translate.ts for the others).
export const M_OFF: u32 = 20, M_LIN: u32 = 21, M_PHYS: u32 = 22, M_VAL: u32 = 23;
export const R_READ: u32 = 24, R_WRITE: u32 = 25, M_DATA: u32 = 26, P_V: u32 = 27, P_SP: u32 = 28;
// Loaded on entry (rightsPrologue) and again after each INTERP entry
// (reloadMachineState): the RAM's size, whether SS is 32-bit, and DS's and
// SS's check byte and base. Translated code and its helpers never change
// them; a write to SS, a far transfer and a task switch end blocks; the
// interpreter's handler for an INTERP entry may (pop ds, lds). (29 held
// CR0 before paging was fixed at translation: see `paged`.)
export const C_RAM: u32 = 30, C_STACK32: u32 = 31;
const C_DS_CHECK: u32 = 32, C_DS_BASE: u32 = 33, C_SS_CHECK: u32 = 34, C_SS_BASE: u32 = 35;
export const ACCESS_LOCALS: u32 = 16;
const DS: u32 = 3, SS: u32 = 2;

// What the function is translated for, from the machine's state when it is
// translated (assumeFromState), which its entry checks (stateDiffers):
// paging on or off (nothing inside a translated function changes CR0: a
// write to it ends the block), and whether DS and SS are flat (base 0,
// nothing to check: their accesses then add no base and test nothing). An
// INTERP entry may load DS (pop ds, lds): the function checks again after
// each and leaves when DS or SS is no longer what it assumed.
let paged: bool = true;
let flatDS: bool = false, flatSS: bool = false;
// @ts-ignore: decorator
@inline function isFlat(seg: u32): bool {
  return load<u8>(SEG_CHECK + seg) == 0 && load<u32>(SEG_BASE + seg * 4) == 0;
}
let flatAllowed: bool = true;
export function assumeFlatSegments(allowed: bool): void { flatAllowed = allowed; }
export function assumeFromState(): void {
  paged = (load<u32>(CR0) >>> 31) != 0;
  flatDS = flatAllowed && isFlat(DS);
  flatSS = flatAllowed && isFlat(SS);
}

// Pushes 1 when DS or SS is not flat where the function assumed it is.
export function segmentsDiffer(): void {
  W.i32c(0);
  if (flatDS) { segmentNotFlat(DS); W.op(W.OR); }
  if (flatSS) { segmentNotFlat(SS); W.op(W.OR); }
}
function segmentNotFlat(seg: u32): void {
  W.load8At(SEG_CHECK + seg);
  W.loadAt(SEG_BASE + seg * 4); W.op(W.OR);
}

// Pushes 1 when the machine is not in the state the function was
// translated for.
export function stateDiffers(): void {
  W.loadAt(CR0); W.i32c(31); W.op(W.SHR_U); W.i32c(paged ? 1 : 0); W.op(W.NE);
  segmentsDiffer(); W.op(W.OR);
}

// The rights a TLB entry needs at the CPL the function runs at (mmu/tlb.ts:
// supervisor read 1, write 2; user read 4, write 8). CPL cannot change
// inside a block.
export function rightsPrologue(cplAddr: u32): void {
  W.i32c(4); W.i32c(1); W.loadAt(cplAddr); W.i32c(3); W.op(W.EQ); W.byte(0x1b); W.set(R_READ);
  W.i32c(8); W.i32c(2); W.loadAt(cplAddr); W.i32c(3); W.op(W.EQ); W.byte(0x1b); W.set(R_WRITE);
  reloadMachineState();
}

export function reloadMachineState(): void {
  W.loadAt(RAM_SIZE); W.set(C_RAM);
  W.loadAt(STACK32); W.set(C_STACK32);
  W.load8At(SEG_CHECK + DS); W.set(C_DS_CHECK);
  W.load8At(SEG_CHECK + SS); W.set(C_SS_CHECK);
  W.loadAt(SEG_BASE + DS * 4); W.set(C_DS_BASE);
  W.loadAt(SEG_BASE + SS * 4); W.set(C_SS_BASE);
}

// With the offset in M_OFF: leaves the physical address in M_PHYS, or
// branches out of the enclosing block (depth 0 here = the slow path).
function physOf(seg: u32, size: u32, write: bool): void {
  if ((seg == DS && flatDS) || (seg == SS && flatSS)) {
    W.get(M_OFF); W.tee(M_LIN);
  } else {
    if (seg == DS) W.get(C_DS_CHECK);
    else if (seg == SS) W.get(C_SS_CHECK);
    else W.load8At(SEG_CHECK + seg);
    W.brIf(0);
    if (seg == DS) W.get(C_DS_BASE);
    else if (seg == SS) W.get(C_SS_BASE);
    else W.loadAt(SEG_BASE + seg * 4);
    W.get(M_OFF); W.op(W.ADD); W.tee(M_LIN);
  }
  W.i32c(0xfff); W.op(W.AND); W.i32c(0x1000 - size); W.op(W.GT_U);
  W.brIf(0);
  if (paged) {
    W.get(M_LIN); W.i32c(12); W.op(W.SHR_U); W.i32c(TLB_ENTRIES - 1); W.op(W.AND); W.i32c(3); W.op(W.SHL);
    W.i32c(TLB); W.op(W.ADD); W.tee(M_PHYS); // the entry's address, for now
    W.byte(0x28); W.byte(2); W.byte(0); // tag
    W.tee(M_VAL);
    W.get(M_LIN); W.op(W.XOR); W.i32c(0xfffff000); W.op(W.AND);
    W.brIf(0);
    W.get(M_VAL); W.get(write ? R_WRITE : R_READ); W.op(W.AND); W.op(W.EQZ);
    W.brIf(0);
    W.get(M_PHYS); W.byte(0x28); W.byte(2); W.byte(4); // the physical page
    W.get(M_LIN); W.i32c(0xfff); W.op(W.AND); W.op(W.OR);
  } else {
    W.get(M_LIN);
  }
  // In RAM: phys <= ramSize - size (not phys + size, which can wrap).
  W.tee(M_PHYS);
  W.get(C_RAM); W.i32c(size); W.op(W.SUB); W.op(W.GT_U);
  W.brIf(0);
  if (write) {
    // Any decoded code in the page: the helper makes the exact check.
    W.get(M_PHYS); W.i32c(12); W.op(W.SHR_U); W.i32c(1); W.op(W.SHL);
    W.byte(0x2f); W.byte(1); W.uleb(CODE_MASK); // i32.load16_u
    W.brIf(0);
  }
}

const LOAD: u32[] = [0, 0x2d, 0x2f, 0, 0x28]; // i32.load8_u, load16_u, -, load
const STORE: u32[] = [0, 0x3a, 0x3b, 0, 0x36]; // i32.store8, store16, -, store
const ALIGN: u32[] = [0, 0, 1, 0, 2];

// [offset] -> [value]; slowFn(seg, off) is the helper. The caller checks
// for a fault after it, as after the helper alone (the fast path has none).
export function emitRead(seg: u32, size: u32, slowFn: u32, forWrite: bool): void {
  W.set(M_OFF);
  W.byte(0x02); W.byte(W.I32); // block (result i32): the value
  W.block();
  physOf(seg, size, forWrite);
  W.get(M_PHYS); W.byte(unchecked(LOAD[size])); W.byte(unchecked(ALIGN[size])); W.uleb(RAM_BASE);
  W.br(1);
  W.end();
  W.i32c(seg); W.get(M_OFF); W.call(slowFn);
  W.end();
}

// [offset, value] -> [status: 0, 1 decoded code written, 2 fault].
export function emitWrite(seg: u32, size: u32, slowFn: u32): void {
  W.set(M_DATA);
  W.set(M_OFF);
  W.byte(0x02); W.byte(W.I32);
  W.block();
  physOf(seg, size, true);
  W.get(M_PHYS); W.get(M_DATA); W.byte(unchecked(STORE[size])); W.byte(unchecked(ALIGN[size])); W.uleb(RAM_BASE);
  W.i32c(0);
  W.br(1);
  W.end();
  W.i32c(seg); W.get(M_OFF); W.get(M_DATA); W.call(slowFn);
  W.end();
}
