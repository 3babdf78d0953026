// Lazy arithmetic flags.
//
// A flag-setting instruction records what it did (operation, result, operands,
// width) and marks the flags it defines as lazy in LF_MASK; the flags are
// computed only when something reads them. Flags an instruction sets eagerly
// (shifts' CF/OF, for instance) go straight into EFLAGS and are left out of
// the mask.
import { EFLAGS, LF_MASK, LF_OP, LF_RES, LF_A, LF_B, LF_BITS, EVENTS } from "../layout";
import { EV_IRQ, updateAlignmentCheck } from "./state";

export const CF: u32 = 1 << 0;
export const PF: u32 = 1 << 2;
export const AF: u32 = 1 << 4;
export const ZF: u32 = 1 << 6;
export const SF: u32 = 1 << 7;
export const TF: u32 = 1 << 8;
export const IF: u32 = 1 << 9;
export const DF: u32 = 1 << 10;
export const OF: u32 = 1 << 11;
export const IOPL: u32 = 3 << 12;
export const NT: u32 = 1 << 14;
export const RF: u32 = 1 << 16;
export const VM: u32 = 1 << 17;
export const AC: u32 = 1 << 18;
export const ID: u32 = 1 << 21;

export const ARITH: u32 = CF | PF | AF | ZF | SF | OF;
// Bit 1 always reads as 1; these are the bits software can ever see set.
export const FLAGS_FIXED: u32 = 1 << 1;

// What the last lazy operation was. ADC/SBB are recorded as ADDC/SUBB only
// when the carry in was 1 (res = a + b + 1), otherwise as ADD/SUB. INC/DEC
// are ADD/SUB of 1 with CF left out of the mask. RESULT defines only ZF, SF
// and PF from the result; the other flags were set eagerly.
export const enum Op {
  ADD = 0, ADDC = 1, SUB = 2, SUBB = 3, LOGIC = 4, RESULT = 5,
}

// @ts-ignore: decorator
@inline export function setLazy(op: Op, res: u32, a: u32, b: u32, bits: u32, mask: u32): void {
  store<u32>(LF_OP, op);
  store<u32>(LF_RES, res);
  store<u32>(LF_A, a);
  store<u32>(LF_B, b);
  store<u32>(LF_BITS, bits);
  store<u32>(LF_MASK, mask);
}

// Before an instruction defines only some flags lazily, the flags it leaves
// alone must be made concrete (INC/DEC keep CF, for instance).
export function materialize(keep: u32): void {
  const lazy = load<u32>(LF_MASK);
  if ((lazy & keep) == 0) return;
  const f = load<u32>(EFLAGS);
  store<u32>(EFLAGS, (f & ~lazy) | computeLazy());
  store<u32>(LF_MASK, 0);
}

// INC and DEC keep CF: make it concrete before their record replaces the
// one it depends on. (The other flags are all redefined by the new record.)
// @ts-ignore: decorator
@inline export function keepCF(): void {
  if (load<u32>(LF_MASK) & CF) store<u32>(EFLAGS, (load<u32>(EFLAGS) & ~CF) | lazyCF());
}

// @ts-ignore: decorator
@inline function sizeMask(bits: u32): u32 { return (<u32>0xffffffff) >>> (31 - bits); }

function lazyCF(): u32 {
  const op = load<u32>(LF_OP);
  const m = sizeMask(load<u32>(LF_BITS));
  const res = load<u32>(LF_RES) & m;
  const a = load<u32>(LF_A) & m;
  const b = load<u32>(LF_B) & m;
  switch (op) {
    case Op.ADD: return <u32>(res < a);
    case Op.ADDC: return <u32>(res <= a);
    case Op.SUB: return <u32>(a < b);
    case Op.SUBB: return <u32>(a <= b);
    default: return 0;
  }
}

function lazyOF(): u32 {
  const op = load<u32>(LF_OP);
  const bits = load<u32>(LF_BITS);
  const res = load<u32>(LF_RES);
  const a = load<u32>(LF_A);
  const b = load<u32>(LF_B);
  switch (op) {
    case Op.ADD: case Op.ADDC:
      return (((a ^ res) & (b ^ res)) >>> bits) & 1;
    case Op.SUB: case Op.SUBB:
      return (((a ^ b) & (a ^ res)) >>> bits) & 1;
    default: return 0;
  }
}

function lazyAF(): u32 {
  const op = load<u32>(LF_OP);
  if (op == Op.LOGIC || op == Op.RESULT) return 0;
  return ((load<u32>(LF_A) ^ load<u32>(LF_B) ^ load<u32>(LF_RES)) >>> 4) & 1;
}

// @ts-ignore: decorator
@inline function lazyZF(): u32 {
  return <u32>((load<u32>(LF_RES) & sizeMask(load<u32>(LF_BITS))) == 0);
}
// @ts-ignore: decorator
@inline function lazySF(): u32 {
  return (load<u32>(LF_RES) >>> load<u32>(LF_BITS)) & 1;
}
// @ts-ignore: decorator
@inline function lazyPF(): u32 {
  // PF is set when the low byte has an even number of 1 bits.
  return (~popcnt<u32>(load<u32>(LF_RES) & 0xff)) & 1;
}

// All six arithmetic flags as the lazy record defines them, in EFLAGS positions.
export function computeLazy(): u32 {
  return lazyCF() | (lazyPF() << 2) | (lazyAF() << 4) | (lazyZF() << 6) |
    (lazySF() << 7) | (lazyOF() << 11);
}

export function getFlags(): u32 {
  const lazy = load<u32>(LF_MASK);
  const f = load<u32>(EFLAGS);
  if (lazy == 0) return f;
  return (f & ~lazy) | (computeLazy() & lazy);
}

// Replace the whole EFLAGS image (popf, iret, sahf...). The caller has
// already applied privilege rules to which bits may change.
export function setFlags(v: u32): void {
  store<u32>(EFLAGS, (v & 0x003f7fd5) | FLAGS_FIXED);
  store<u32>(LF_MASK, 0);
  // With IF set a pending interrupt may now be taken (popf, iret).
  if (v & IF) store<u32>(EVENTS, load<u32>(EVENTS) | EV_IRQ);
  updateAlignmentCheck();
}

// @ts-ignore: decorator
@inline export function getCF(): bool {
  if (load<u32>(LF_MASK) & CF) return lazyCF() != 0;
  return (load<u32>(EFLAGS) & CF) != 0;
}
// @ts-ignore: decorator
@inline export function getZF(): bool {
  if (load<u32>(LF_MASK) & ZF) return lazyZF() != 0;
  return (load<u32>(EFLAGS) & ZF) != 0;
}
// @ts-ignore: decorator
@inline export function getSF(): bool {
  if (load<u32>(LF_MASK) & SF) return lazySF() != 0;
  return (load<u32>(EFLAGS) & SF) != 0;
}
// @ts-ignore: decorator
@inline export function getOF(): bool {
  if (load<u32>(LF_MASK) & OF) return lazyOF() != 0;
  return (load<u32>(EFLAGS) & OF) != 0;
}
// @ts-ignore: decorator
@inline export function getPF(): bool {
  if (load<u32>(LF_MASK) & PF) return lazyPF() != 0;
  return (load<u32>(EFLAGS) & PF) != 0;
}
export function getAF(): bool {
  if (load<u32>(LF_MASK) & AF) return lazyAF() != 0;
  return (load<u32>(EFLAGS) & AF) != 0;
}

// Set or clear one concrete flag; the flag stops being lazy.
export function putFlag(flag: u32, on: bool): void {
  if (load<u32>(LF_MASK) & flag) materialize(flag);
  const f = load<u32>(EFLAGS);
  store<u32>(EFLAGS, on ? f | flag : f & ~flag);
}

// Condition codes 0..15 as encoded in jcc/setcc/cmovcc. Inlined so that
// the constant condition of each jcc opcode folds the switch away.
// @ts-ignore: decorator
@inline export function testCC(cc: u32): bool {
  let r: bool;
  switch (cc >> 1) {
    case 0: r = getOF(); break;
    case 1: r = getCF(); break;
    case 2: r = getZF(); break;
    case 3: r = getCF() || getZF(); break;
    case 4: r = getSF(); break;
    case 5: r = getPF(); break;
    case 6: r = getSF() != getOF(); break;
    default: r = getZF() || (getSF() != getOF()); break;
  }
  return (cc & 1) ? !r : r;
}

// Shifts, rotates and multiplies set CF and OF from their own rules; ZF, SF
// and PF (where defined) follow the result. AF is left 0 as QEMU does.
export function setResultFlags(res: u32, bits: u32, cf: u32, ovf: u32): void {
  store<u32>(EFLAGS, (load<u32>(EFLAGS) & ~ARITH) | (cf & 1) | ((ovf & 1) << 11));
  setLazy(Op.RESULT, res, 0, 0, bits, PF | ZF | SF);
}

// Rotates change only CF and OF.
export function setCarryOverflow(cf: u32, ovf: u32): void {
  materialize(ARITH);
  store<u32>(EFLAGS, (load<u32>(EFLAGS) & ~(CF | OF)) | (cf & 1) | ((ovf & 1) << 11));
}
