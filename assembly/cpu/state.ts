// Register access over the state block in layout.ts.
import {
  REGS, EIP, SEG_SEL, SEG_BASE, SEG_LIMIT, SEG_FLAGS, FAULT_VEC, FAULT_CODE, FAULT_HAS_CODE,
  CR0, EFLAGS, EVENTS, STOP, INT_SHADOW, SEG_CHECK,
} from "../layout";

export const EAX: u32 = 0, ECX: u32 = 1, EDX: u32 = 2, EBX: u32 = 3, ESP: u32 = 4, EBP: u32 = 5, ESI: u32 = 6, EDI: u32 = 7;
export const ES: u32 = 0, CS: u32 = 1, SS: u32 = 2, DS: u32 = 3, FS: u32 = 4, GS: u32 = 5;

// @ts-ignore: decorator
@inline export function reg32(r: u32): u32 { return load<u32>(REGS + (r << 2)); }
// @ts-ignore: decorator
@inline export function setReg32(r: u32, v: u32): void { store<u32>(REGS + (r << 2), v); }
// @ts-ignore: decorator
@inline export function reg16(r: u32): u32 { return <u32>load<u16>(REGS + (r << 2)); }
// @ts-ignore: decorator
@inline export function setReg16(r: u32, v: u32): void { store<u16>(REGS + (r << 2), <u16>v); }

// AL CL DL BL are the low bytes of EAX..EBX; AH CH DH BH the second bytes.
// @ts-ignore: decorator
@inline export function reg8addr(r: u32): u32 { return REGS + ((r & 3) << 2) + (r >> 2); }
// @ts-ignore: decorator
@inline export function reg8(r: u32): u32 { return <u32>load<u8>(reg8addr(r)); }
// @ts-ignore: decorator
@inline export function setReg8(r: u32, v: u32): void { store<u8>(reg8addr(r), <u8>v); }

// Width-generic register access: T is u8, u16 or u32.
// @ts-ignore: decorator
@inline export function getReg<T>(r: u32): u32 {
  if (sizeof<T>() == 1) return reg8(r);
  if (sizeof<T>() == 2) return reg16(r);
  return reg32(r);
}
// @ts-ignore: decorator
@inline export function setReg<T>(r: u32, v: u32): void {
  if (sizeof<T>() == 1) setReg8(r, v);
  else if (sizeof<T>() == 2) setReg16(r, v);
  else setReg32(r, v);
}

// @ts-ignore: decorator
@inline export function eip(): u32 { return load<u32>(EIP); }
// @ts-ignore: decorator
@inline export function setEip(v: u32): void { store<u32>(EIP, v); }

// @ts-ignore: decorator
@inline export function segSel(s: u32): u32 { return load<u32>(SEG_SEL + (s << 2)); }
// @ts-ignore: decorator
@inline export function segBase(s: u32): u32 { return load<u32>(SEG_BASE + (s << 2)); }
// @ts-ignore: decorator
@inline export function segLimit(s: u32): u32 { return load<u32>(SEG_LIMIT + (s << 2)); }
// @ts-ignore: decorator
@inline export function segFlags(s: u32): u32 { return load<u32>(SEG_FLAGS + (s << 2)); }

export function setSegCache(s: u32, sel: u32, base: u32, limit: u32, flags: u32): void {
  store<u32>(SEG_SEL + (s << 2), sel & 0xffff);
  store<u32>(SEG_BASE + (s << 2), base);
  store<u32>(SEG_LIMIT + (s << 2), limit);
  store<u32>(SEG_FLAGS + (s << 2), flags);
  // Flat writable data needs no checks on access; everything else (code,
  // read-only, expand-down, a limit below 4 GiB, the null selector) does.
  const flat = limit == 0xffffffff && (flags & 0x1e) == 0x12;
  store<u8>(SEG_CHECK + s, (flat ? 0 : 1) | (load<u8>(SEG_CHECK + s) & 2));
}

// Alignment checking (CR0.AM and EFLAGS.AC both set) routes every access
// through the slow check; called when either bit may have changed.
export function updateAlignmentCheck(): void {
  const on: u32 = (load<u32>(CR0) & (1 << 18)) != 0 && (load<u32>(EFLAGS) & (1 << 18)) != 0 ? 2 : 0;
  for (let s: u32 = 0; s < 6; s++) store<u8>(SEG_CHECK + s, (load<u8>(SEG_CHECK + s) & 1) | on);
}

// @ts-ignore: decorator
@inline export function protectedMode(): bool { return (load<u32>(CR0) & 1) != 0; }

// ---- Faults ----------------------------------------------------------------
// An instruction that faults records the vector here and returns; it must not
// have changed any architectural state yet. The run loop rewinds EIP and
// delivers the exception.
export const DE: i32 = 0, DB: i32 = 1, BP: i32 = 3, OF: i32 = 4, BR: i32 = 5, UD: i32 = 6, NM: i32 = 7;
export const DF: i32 = 8, TS: i32 = 10, NP: i32 = 11, SSF: i32 = 12, GP: i32 = 13, PF: i32 = 14;

// @ts-ignore: decorator
@inline export function faulted(): bool { return load<i32>(FAULT_VEC) >= 0; }

export const EV_FAULT: u32 = 1;
export const EV_STOP: u32 = 2;
export const EV_HALT: u32 = 4; // HLT: the loop idles until an interrupt
export const EV_IRQ: u32 = 8; // look for an interrupt to take (the PIC raised one, or IF was set)
export const EV_TIMER: u32 = 16; // a device armed a timer sooner than the run loop's limit

export function raise(vec: i32): void {
  if (load<i32>(FAULT_VEC) >= 0) return; // the first fault of an instruction wins
  store<i32>(FAULT_VEC, vec);
  store<u32>(FAULT_HAS_CODE, 0);
  store<u32>(EVENTS, load<u32>(EVENTS) | EV_FAULT);
}

export function raiseCode(vec: i32, code: u32): void {
  if (load<i32>(FAULT_VEC) >= 0) return;
  store<i32>(FAULT_VEC, vec);
  store<u32>(FAULT_CODE, code);
  store<u32>(FAULT_HAS_CODE, 1);
  store<u32>(EVENTS, load<u32>(EVENTS) | EV_FAULT);
}

// Ends the current run() after this instruction with the given reason
// (Stop.* in dev/bus.ts).
export function requestStop(reason: u32): void {
  store<u32>(STOP, reason);
  store<u32>(EVENTS, load<u32>(EVENTS) | EV_STOP);
}

// Replaces the fault already raised by this instruction (a #GP found while
// reading a TSS's selectors is reported as #TS, for example).
export function reraiseCode(vec: i32, code: u32): void {
  store<i32>(FAULT_VEC, -1);
  raiseCode(vec, code);
}

// After STI, MOV SS and POP SS no interrupt is taken until one more
// instruction has run (so that "sti; hlt" and "mov ss; mov esp" are safe).
export function interruptShadow(): void {
  store<u32>(INT_SHADOW, 1);
  store<u32>(EVENTS, load<u32>(EVENTS) | EV_IRQ);
}
