// mul, imul (one-, two- and three-operand forms), div and idiv.
import { EAX, EDX, reg8, reg16, reg32, setReg16, setReg32, raise, faulted, DE } from "./state";
import { bitsOf, maskOf } from "./alu";
import { setResultFlags } from "./flags";

// Unsigned multiply of the accumulator: AX, DX:AX or EDX:EAX.
// @ts-ignore: decorator
@inline export function mul<T>(src: u32): void {
  if (sizeof<T>() == 1) {
    const r = reg8(EAX) * src;
    setReg16(EAX, r);
    const hi = <u32>(r > 0xff);
    setResultFlags(r & 0xff, 7, hi, hi);
  } else if (sizeof<T>() == 2) {
    const r = reg16(EAX) * src;
    setReg16(EAX, r);
    setReg16(EDX, r >>> 16);
    const hi = <u32>(r > 0xffff);
    setResultFlags(r & 0xffff, 15, hi, hi);
  } else {
    const r: u64 = <u64>reg32(EAX) * <u64>src;
    setReg32(EAX, <u32>r);
    setReg32(EDX, <u32>(r >> 32));
    const hi = <u32>((r >> 32) != 0);
    setResultFlags(<u32>r, 31, hi, hi);
  }
}

// Signed multiply of the accumulator.
// @ts-ignore: decorator
@inline export function imul1<T>(src: u32): void {
  if (sizeof<T>() == 1) {
    const r = <i32><i8>reg8(EAX) * <i32><i8>src;
    setReg16(EAX, <u32>r);
    const ovf = <u32>(r != <i32><i8>r);
    setResultFlags(<u32>r & 0xff, 7, ovf, ovf);
  } else if (sizeof<T>() == 2) {
    const r = <i32><i16>reg16(EAX) * <i32><i16>src;
    setReg16(EAX, <u32>r);
    setReg16(EDX, <u32>r >>> 16);
    const ovf = <u32>(r != <i32><i16>r);
    setResultFlags(<u32>r & 0xffff, 15, ovf, ovf);
  } else {
    const r: i64 = <i64><i32>reg32(EAX) * <i64><i32>src;
    setReg32(EAX, <u32>r);
    setReg32(EDX, <u32>(r >> 32));
    const ovf = <u32>(r != <i64><i32>r);
    setResultFlags(<u32>r, 31, ovf, ovf);
  }
}

// Truncating signed multiply (imul r, r/m and imul r, r/m, imm).
// @ts-ignore: decorator
@inline export function imulTrunc<T>(a: u32, b: u32): u32 {
  const bits = bitsOf<T>();
  const sa: i64 = <i64>((<i32>(a << (31 - bits))) >> (31 - bits));
  const sb: i64 = <i64>((<i32>(b << (31 - bits))) >> (31 - bits));
  const r: i64 = sa * sb;
  const t = <u32>r & maskOf<T>();
  const st: i64 = <i64>((<i32>(t << (31 - bits))) >> (31 - bits));
  const ovf = <u32>(r != st);
  setResultFlags(t, bits, ovf, ovf);
  return t;
}

// Division raises #DE for a zero divisor or a quotient that does not fit.
// Flags are undefined; they are left unchanged as QEMU does.
// @ts-ignore: decorator
@inline export function div<T>(src: u32): void {
  if (src == 0) { raise(DE); return; }
  if (sizeof<T>() == 1) {
    const n = reg16(EAX);
    const q = n / src;
    if (q > 0xff) { raise(DE); return; }
    setReg16(EAX, ((n % src) << 8) | q);
  } else if (sizeof<T>() == 2) {
    const n = (reg16(EDX) << 16) | reg16(EAX);
    const q = n / src;
    if (q > 0xffff) { raise(DE); return; }
    setReg16(EAX, q);
    setReg16(EDX, n % src);
  } else {
    const n: u64 = (<u64>reg32(EDX) << 32) | <u64>reg32(EAX);
    const q: u64 = n / <u64>src;
    if (q > 0xffffffff) { raise(DE); return; }
    setReg32(EAX, <u32>q);
    setReg32(EDX, <u32>(n % <u64>src));
  }
}

// @ts-ignore: decorator
@inline export function idiv<T>(src: u32): void {
  if (src == 0) { raise(DE); return; }
  if (sizeof<T>() == 1) {
    const n = <i32><i16>reg16(EAX);
    const d = <i32><i8>src;
    const q = n / d;
    if (q != <i32><i8>q) { raise(DE); return; }
    setReg16(EAX, ((<u32>(n % d) & 0xff) << 8) | (<u32>q & 0xff));
  } else if (sizeof<T>() == 2) {
    const n = <i32>((reg16(EDX) << 16) | reg16(EAX));
    const d = <i32><i16>src;
    // -2^31 / -1 overflows i32 itself: it is a quotient overflow here too.
    if (n == i32.MIN_VALUE && d == -1) { raise(DE); return; }
    const q = n / d;
    if (q != <i32><i16>q) { raise(DE); return; }
    setReg16(EAX, <u32>q);
    setReg16(EDX, <u32>(n % d));
  } else {
    const n = <i64>((<u64>reg32(EDX) << 32) | <u64>reg32(EAX));
    const d = <i64><i32>src;
    if (n == i64.MIN_VALUE && d == -1) { raise(DE); return; }
    const q = n / d;
    if (q != <i64><i32>q) { raise(DE); return; }
    setReg32(EAX, <u32>q);
    setReg32(EDX, <u32>(n % d));
  }
}

// F7 /4../7 at 32 bits by the ModRM reg field (the block forms MULDIV_R and
// MULDIV_M); false when it raised #DE.
export function mulDiv32(op: u32, src: u32): bool {
  if (op == 4) mul<u32>(src);
  else if (op == 5) imul1<u32>(src);
  else if (op == 6) div<u32>(src);
  else idiv<u32>(src);
  return !faulted();
}
