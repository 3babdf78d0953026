// The eight classic ALU operations (add or adc sbb and sub xor cmp), inc,
// dec, neg, not and test, generic over the operand width T.
import { setLazy, keepCF, getCF, Op, ARITH, CF } from "./flags";

// @ts-ignore: decorator
@inline export function bitsOf<T>(): u32 { return <u32>sizeof<T>() * 8 - 1; }
// @ts-ignore: decorator
@inline export function maskOf<T>(): u32 { return sizeof<T>() == 4 ? 0xffffffff : (<u32>1 << (<u32>sizeof<T>() * 8)) - 1; }

// Operation numbers as in the opcode (bits 3..5 of 00..3F, the reg field of 80..83).
export const ADD: u32 = 0, OR: u32 = 1, ADC: u32 = 2, SBB: u32 = 3, AND: u32 = 4, SUB: u32 = 5, XOR: u32 = 6, CMP: u32 = 7;

// Returns the result, masked to the width. CMP returns it too; the caller
// does not store it.
// @ts-ignore: decorator
@inline export function alu<T>(op: u32, a: u32, b: u32): u32 {
  const bits = bitsOf<T>();
  let r: u32;
  switch (op) {
    case ADD: r = a + b; setLazy(Op.ADD, r, a, b, bits, ARITH); break;
    case OR: r = a | b; setLazy(Op.LOGIC, r, a, b, bits, ARITH); break;
    case ADC: {
      const c = getCF();
      r = a + b + <u32>c;
      setLazy(c ? Op.ADDC : Op.ADD, r, a, b, bits, ARITH);
      break;
    }
    case SBB: {
      const c = getCF();
      r = a - b - <u32>c;
      setLazy(c ? Op.SUBB : Op.SUB, r, a, b, bits, ARITH);
      break;
    }
    case AND: r = a & b; setLazy(Op.LOGIC, r, a, b, bits, ARITH); break;
    case XOR: r = a ^ b; setLazy(Op.LOGIC, r, a, b, bits, ARITH); break;
    default: r = a - b; setLazy(Op.SUB, r, a, b, bits, ARITH); break; // SUB, CMP
  }
  return r & maskOf<T>();
}

// INC and DEC leave CF as it was.
// @ts-ignore: decorator
@inline export function inc<T>(a: u32): u32 {
  keepCF();
  const r = a + 1;
  setLazy(Op.ADD, r, a, 1, bitsOf<T>(), ARITH & ~CF);
  return r & maskOf<T>();
}

// @ts-ignore: decorator
@inline export function dec<T>(a: u32): u32 {
  keepCF();
  const r = a - 1;
  setLazy(Op.SUB, r, a, 1, bitsOf<T>(), ARITH & ~CF);
  return r & maskOf<T>();
}

// NEG is 0 - a: CF is set unless the operand was 0.
// @ts-ignore: decorator
@inline export function neg<T>(a: u32): u32 {
  const r = 0 - a;
  setLazy(Op.SUB, r, 0, a, bitsOf<T>(), ARITH);
  return r & maskOf<T>();
}

// @ts-ignore: decorator
@inline export function test<T>(a: u32, b: u32): void {
  setLazy(Op.LOGIC, a & b, a, b, bitsOf<T>(), ARITH);
}
