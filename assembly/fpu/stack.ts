// The x87 register stack and its status: ST(i) is physical register
// (TOP + i) & 7; the tag word is kept as a bit per physical register that
// is empty, and the full two-bit tags are worked out from the contents
// when an environment is stored (fpu/env.ts).
import { FPU_ST, FPU_CW, FPU_SW, FPU_TOP, FPU_EMPTY } from "../layout";
import { IE, SF, NAN_SE, NAN_M } from "./float80";

// Status word bits (TOP, bits 13:11, lives in FPU_TOP).
export const SW_ES: u32 = 0x80, SW_C0: u32 = 0x100, SW_C1: u32 = 0x200, SW_C2: u32 = 0x400, SW_C3: u32 = 0x4000;
export const SW_B: u32 = 0x8000;
export const SW_CC: u32 = SW_C0 | SW_C1 | SW_C2 | SW_C3;

// @ts-ignore: decorator
@inline export function top(): u32 { return load<u32>(FPU_TOP); }
// @ts-ignore: decorator
@inline function slot(i: u32): usize { return FPU_ST + (((top() + i) & 7) << 4); }
// @ts-ignore: decorator
@inline export function stSE(i: u32): u32 { return load<u16>(slot(i), 8); }
// @ts-ignore: decorator
@inline export function stM(i: u32): u64 { return load<u64>(slot(i)); }
// @ts-ignore: decorator
@inline export function isEmpty(i: u32): bool { return ((load<u32>(FPU_EMPTY) >> ((top() + i) & 7)) & 1) != 0; }

export function setST(i: u32, se: u32, m: u64): void {
  const p = slot(i);
  store<u64>(p, m);
  store<u16>(p, <u16>se, 8);
  store<u32>(FPU_EMPTY, load<u32>(FPU_EMPTY) & ~(1 << ((top() + i) & 7)));
}
export function setEmpty(i: u32): void {
  store<u32>(FPU_EMPTY, load<u32>(FPU_EMPTY) | (1 << ((top() + i) & 7)));
}
export function pop(): void {
  setEmpty(0);
  store<u32>(FPU_TOP, (top() + 1) & 7);
}
// TOP moves down; the new ST(0) is whatever the register held.
export function decTop(): void { store<u32>(FPU_TOP, (top() - 1) & 7); }
export function incTop(): void { store<u32>(FPU_TOP, (top() + 1) & 7); }

// ---- Control and status ---------------------------------------------------------

// @ts-ignore: decorator
@inline export function controlWord(): u32 { return load<u32>(FPU_CW); }
// Bits 7 and 13..15 are reserved (read as 0), bit 6 reads as 1; bit 12 is
// the 287's infinity control, kept but without effect.
export function setControlWord(v: u32): void { store<u32>(FPU_CW, (v & 0x1f3f) | 0x40); }
export function statusWord(): u32 { return (load<u32>(FPU_SW) & ~0x3800) | (top() << 11); }
export function setStatusWord(v: u32): void {
  store<u32>(FPU_SW, v & ~0x3800);
  store<u32>(FPU_TOP, (v >> 11) & 7);
}
// Condition codes C3..C0 replaced by cc (SW_C* bits).
export function setCC(cc: u32): void { store<u32>(FPU_SW, (load<u32>(FPU_SW) & ~SW_CC) | cc); }

// Records exceptions (IE..PE, SF) in the status word; an unmasked one
// sets ES and B, so that the next waiting instruction reports it (#MF).
// Returns the unmasked ones.
export function recordExceptions(bits: u32): u32 {
  if (bits == 0) return 0;
  const unmasked = bits & ~controlWord() & 0x3f;
  let sw = load<u32>(FPU_SW) | bits;
  if (unmasked) sw |= SW_ES | SW_B;
  store<u32>(FPU_SW, sw);
  return unmasked;
}

// Stack faults (IE with SF): C1 says which. Returns whether IE is masked,
// i.e. whether the instruction goes on with the default NaN.
export function stackUnderflow(): bool {
  setCC(load<u32>(FPU_SW) & (SW_C0 | SW_C2 | SW_C3));
  return recordExceptions(IE | SF) == 0;
}
export function stackOverflow(): bool {
  setCC((load<u32>(FPU_SW) & (SW_C0 | SW_C2 | SW_C3)) | SW_C1);
  return recordExceptions(IE | SF) == 0;
}

// Pushes a value: on a full stack, a stack overflow, and the default NaN
// when it is masked. False when nothing was pushed.
export function push(se: u32, m: u64): bool {
  if (!isEmpty(7)) {
    if (!stackOverflow()) return false;
    se = NAN_SE; m = NAN_M;
  }
  decTop();
  setST(0, se, m);
  return true;
}

// finit's state (and reset's, as QEMU's): all registers empty, the
// exceptions masked, 64-bit precision, round to nearest.
export function fpuInit(): void {
  store<u32>(FPU_CW, 0x37f);
  store<u32>(FPU_SW, 0);
  store<u32>(FPU_TOP, 0);
  store<u32>(FPU_EMPTY, 0xff);
}
