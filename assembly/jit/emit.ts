// Writes WebAssembly binary code into the JIT buffer in core memory: bytes,
// LEB128 numbers, and the instructions the translator uses. Sizes of
// sections and bodies are patched in afterwards (a 5-byte padded LEB128).
import { JIT_BUF, JIT_BUF_SIZE } from "../layout";

let at: usize = JIT_BUF;
let overflow: bool = false;

export function emitReset(): void { at = JIT_BUF; overflow = false; }
export function emitPos(): usize { return at; }
export function emitLength(): u32 { return <u32>(at - JIT_BUF); }
// True when a module ran past the buffer: it is not compiled.
export function emitOverflowed(): bool { return overflow; }

export function byte(b: u32): void {
  if (at >= <usize>JIT_BUF + JIT_BUF_SIZE) { overflow = true; return; }
  store<u8>(at++, <u8>b);
}

export function uleb(v: u32): void {
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v != 0) b |= 0x80;
    byte(b);
  } while (v != 0);
}

export function sleb(v: i32): void {
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0)) { byte(b); return; }
    byte(b | 0x80);
  }
}

// A size to be filled in later: five bytes of padded LEB128.
export function sizeSlot(): usize {
  const p = at;
  for (let i = 0; i < 4; i++) byte(0x80);
  byte(0);
  return p;
}

export function patchSize(p: usize): void {
  if (overflow) return;
  let v = <u32>(at - p - 5);
  for (let i: usize = 0; i < 4; i++) { store<u8>(p + i, <u8>((v & 0x7f) | 0x80)); v >>>= 7; }
  store<u8>(p + 4, <u8>(v & 0x7f));
}

export function name(s: string): void {
  uleb(s.length);
  for (let i = 0; i < s.length; i++) byte(s.charCodeAt(i));
}

// ---- Instructions ------------------------------------------------------------
export const I32: u32 = 0x7f;
export const VOID: u32 = 0x40;

export function i32c(v: u32): void { byte(0x41); sleb(<i32>v); }
export function get(l: u32): void { byte(0x20); uleb(l); }
export function set(l: u32): void { byte(0x21); uleb(l); }
export function tee(l: u32): void { byte(0x22); uleb(l); }
export function call(f: u32): void { byte(0x10); uleb(f); }
export function br(depth: u32): void { byte(0x0c); uleb(depth); }
export function brIf(depth: u32): void { byte(0x0d); uleb(depth); }
export function block(): void { byte(0x02); byte(VOID); }
export function loop(): void { byte(0x03); byte(VOID); }
export function ifThen(): void { byte(0x04); byte(VOID); }
export function elseThen(): void { byte(0x05); }
export function end(): void { byte(0x0b); }
export function drop(): void { byte(0x1a); }
// i32.load / i32.store at a constant address (align 2, offset 0).
export function loadAt(addr: u32): void { i32c(addr); byte(0x28); byte(2); byte(0); }
// i32.load8_u from a constant address.
export function load8At(addr: u32): void { i32c(addr); byte(0x2d); byte(0); byte(0); }
// i32.store: the address, then the value, are on the stack.
export function store32(): void { byte(0x36); byte(2); byte(0); }

export const EQZ: u32 = 0x45, EQ: u32 = 0x46, NE: u32 = 0x47, LT_S: u32 = 0x48, LT_U: u32 = 0x49;
export const GT_S: u32 = 0x4a, GT_U: u32 = 0x4b, LE_S: u32 = 0x4c, LE_U: u32 = 0x4d, GE_S: u32 = 0x4e, GE_U: u32 = 0x4f;
export const ADD: u32 = 0x6a, SUB: u32 = 0x6b, MUL: u32 = 0x6c, AND: u32 = 0x71, OR: u32 = 0x72, XOR: u32 = 0x73;
export const SHL: u32 = 0x74, SHR_S: u32 = 0x75, SHR_U: u32 = 0x76;
export const EXTEND8_S: u32 = 0xc0, EXTEND16_S: u32 = 0xc1;
export const I64_EXTEND_S: u32 = 0xac, I64_MUL: u32 = 0x7e, I64_NE: u32 = 0x52;
export function op(o: u32): void { byte(o); }
