// The block decoder's reading of guest code: a cursor over one page of
// RAM, and the operand forms it decodes into a block entry. What each
// opcode decodes to is generated from the instruction table
// (gen/blockdecode.ts).
import { REGS, ZERO_WORD } from "../layout";
import { DS, SS } from "./state";
import { K } from "./blockkinds";

// Where the decoder reads: a pointer into RAM, the end of the page, and
// whether an instruction ran past it.
let dp: usize = 0;
let dend: usize = 0;
let over: bool = false;

// Starts decoding at from; nothing may be read at or past end.
export function beginDecode(from: usize, end: usize): void { dp = from; dend = end; over = false; }
export function decodePtr(): usize { return dp; }
// Whether the last instruction ran past the end (it was not decoded).
export function overran(): bool { return over; }

export function next8(): u32 {
  if (dp >= dend) { over = true; return 0; }
  return <u32>load<u8>(dp++);
}
export function next32(): u32 {
  if (dp + 4 > dend) { over = true; return 0; }
  const v = load<u32>(dp);
  dp += 4;
  return v;
}
// @ts-ignore: decorator
@inline export function nextS8(): u32 { return <u32><i32><i8>next8(); }
export function next16(): u32 { return next8() | (next8() << 8); }

// @ts-ignore: decorator
@inline function regAddr(r: u32): u32 { return REGS + (r << 2); }

// The memory operand of ModRM byte m (mod != 3), 32-bit addressing, into
// the entry's address fields (as decodeEA in decode.ts computes it).
function memOperand(e: usize, m: u32): void {
  const mod = m >> 6;
  const rm = m & 7;
  let base = ZERO_WORD, index = ZERO_WORD, scale: u32 = 0, disp: u32 = 0, seg = DS;
  if (rm == 4) {
    const sib = next8();
    const b = sib & 7;
    const i = (sib >> 3) & 7;
    scale = sib >> 6;
    if (b == 5 && mod == 0) disp = next32();
    else {
      base = regAddr(b);
      if (b == 4 || b == 5) seg = SS;
    }
    if (i != 4) index = regAddr(i);
  } else if (rm == 5 && mod == 0) {
    disp = next32();
  } else {
    base = regAddr(rm);
    if (rm == 5) seg = SS;
  }
  if (mod == 1) disp += nextS8();
  else if (mod == 2) disp += next32();
  store<u8>(e, <u8>(seg | (scale << 4)), 3);
  store<u16>(e, <u16>base, 8);
  store<u16>(e, <u16>index, 10);
  store<u32>(e, disp, 12);
}

// @ts-ignore: decorator
@inline export function put(e: usize, kind: u32, d: u32, s: u32, imm: u32): void {
  store<u8>(e, <u8>kind);
  store<u8>(e, <u8>d, 2);
  store<u8>(e, <u8>s, 3);
  store<u32>(e, imm, 4);
}

// A ModRM form: register kind (d, s from the fields) or memory kind (d =
// reg field). regFirst: the reg field is the destination of the register form.
export function modrmForm(e: usize, regKind: u32, memKind: u32, regFirst: bool, imm: i32): void {
  const m = next8();
  const reg = (m >> 3) & 7;
  const rm = m & 7;
  if (m >= 0xc0) {
    if (regKind == K.GENERIC) { put(e, K.GENERIC, 0, 0, 0); return; }
    put(e, regKind, regFirst ? reg : rm, regFirst ? rm : reg, 0);
  } else {
    if (memKind == K.GENERIC) { put(e, K.GENERIC, 0, 0, 0); return; }
    store<u8>(e, <u8>memKind);
    store<u8>(e, <u8>reg, 2);
    memOperand(e, m);
  }
  // imm: 0 none, 1 an 8-bit immediate, -1 sign-extended 8-bit, 2 16-bit, 4 32-bit.
  if (imm == 1) store<u32>(e, next8(), 4);
  else if (imm == 2) store<u32>(e, next16(), 4);
  else if (imm == -1) store<u32>(e, nextS8(), 4);
  else if (imm == 4) store<u32>(e, next32(), 4);
}

// mov between the accumulator (d = 0) and a memory offset: the offset is
// the displacement, DS the segment (32-bit addressing, as in a block).
export function moffsForm(e: usize, memKind: u32): void {
  put(e, memKind, 0, DS, 0);
  store<u16>(e, <u16>ZERO_WORD, 8);
  store<u16>(e, <u16>ZERO_WORD, 10);
  store<u32>(e, next32(), 12);
}

export function peekModrm(): u32 { return dp < dend ? <u32>load<u8>(dp) : 0; }


// Consumes a ModRM byte and the SIB byte and displacement it calls for
// (32-bit addressing), for a form the decoder only needs the length of.
export function skipModrm(): void {
  const m = next8();
  const mod = m >> 6, rm = m & 7;
  if (mod == 3) return;
  if (rm == 4) {
    const sib = next8();
    if (mod == 0 && (sib & 7) == 5) skip(4);
  } else if (mod == 0 && rm == 5) {
    skip(4);
  }
  if (mod == 1) skip(1);
  else if (mod == 2) skip(4);
}

// Consumes n bytes.
export function skip(n: u32): void {
  for (let i: u32 = 0; i < n; i++) next8();
}
