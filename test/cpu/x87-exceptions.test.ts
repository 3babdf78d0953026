// x87 results where QEMU 7.2 is not a reference (it has no unmasked
// overflow/underflow response and never flags a denormal operand), so the
// expectations were measured on this project's development host's own x87
// (an AMD EPYC, through a native program with the same operands and
// control words: fldcw, fldt, fldt, fmulp, fnstsw) and agree with the SDM
// (vol. 1, 4.9.1.4-5, 8.5.2): an unmasked overflow or underflow keeps the
// rounded significand and wraps the exponent by 0x6000; UE unmasked is
// raised by a tiny result even when it is exact; C1 says "rounded up".
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Machine } from "../../host/machine.js";
import { coreModule } from "../helpers/machine.js";
import { CODE_AT } from "../helpers/code.js";

interface F80 { se: number; m: bigint }

// fninit ; fldcw [0x20000] ; fld tword [0x20010] ; fld tword [0x20020] ;
// fmulp st(1),st ; fnstsw ax ; fnclex ; fstp tword [0x20030] ; hlt
const FMUL = [0xdb, 0xe3, 0xd9, 0x2d, 0, 0, 2, 0, 0xdb, 0x2d, 0x10, 0, 2, 0, 0xdb, 0x2d, 0x20, 0, 2, 0, 0xde, 0xc9,
  0xdf, 0xe0, 0xdb, 0xe2, 0xdb, 0x3d, 0x30, 0, 2, 0, 0xf4];

async function fmul(cw: number, a: F80, b: F80, op = 0xc9) {
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2 });
  const view = new DataView(m.ram.buffer, m.ram.byteOffset);
  m.ram.set(FMUL, CODE_AT);
  m.ram[CODE_AT + 21] = op; // DE C9 fmulp, DE F9 fdivp (ST(1) = ST(1) / ST(0))
  view.setUint16(0x20000, cw, true);
  for (const [at, v] of [[0x20010, a], [0x20020, b]] as const) {
    view.setBigUint64(at, v.m, true);
    view.setUint16(at + 8, v.se, true);
  }
  m.bootFlat(CODE_AT);
  const outcome = await m.runUntilDone({ maxInstructions: 100 });
  assert.is(outcome.reason, "halted");
  return { sw: m.registers().eax & 0xffff, se: view.getUint16(0x20038, true), m: view.getBigUint64(0x20030, true) };
}

const big: F80 = { se: 0x7ff0, m: 0xc000000000000001n };
const small: F80 = { se: 0x0010, m: 0xc000000000000001n };
const minNormal: F80 = { se: 0x0001, m: 0x8000000000000000n };
const half: F80 = { se: 0x3ffe, m: 0x8000000000000000n };

const denormal: F80 = { se: 0x0000, m: 0x0000000000000123n };
const oneAndHalf: F80 = { se: 0x3fff, m: 0xc000000000000000n };
const zero: F80 = { se: 0, m: 0n };

const cases: [string, number, F80, F80, number, number, bigint, number?][] = [
  // name, control word, a, b, then the host x87's status word and result
  ["overflow, masked: infinity, OE PE C1", 0x037f, big, big, 0x3a28, 0x7fff, 0x8000000000000000n],
  ["overflow, unmasked: exponent - 0x6000", 0x0377, big, big, 0xbaa8, 0x5fe2, 0x9000000000000002n],
  ["overflow, unmasked, 24-bit precision", 0x0077, big, big, 0xb8a8, 0x5fe2, 0x9000000000000000n],
  ["underflow, masked: zero, UE PE", 0x037f, small, small, 0x3830, 0x0000, 0x0000000000000000n],
  ["underflow, unmasked: exponent + 0x6000", 0x036f, small, small, 0xbab0, 0x2022, 0x9000000000000002n],
  ["an exact tiny result, UE unmasked: UE", 0x036f, minNormal, half, 0xb890, 0x6000, 0x8000000000000000n],
  ["an exact tiny result, masked: a denormal, no UE", 0x037f, minNormal, half, 0x3800, 0x0000, 0x4000000000000000n],
  // DE unmasked stops the instruction: DE alone, no pop (TOP 6: ST(0) is
  // still 1.5), nothing stored.
  ["a denormal operand, DE unmasked: DE alone, nothing stored", 0x037d, denormal, oneAndHalf, 0xb082, 0x3fff, 0xc000000000000000n],
  // A denormal divided by zero: ZE alone (not DE), infinity.
  ["a denormal divided by zero: ZE, not DE", 0x037f, denormal, zero, 0x3804, 0x7fff, 0x8000000000000000n, 0xf9],
];

for (const [name, cw, a, b, sw, se, m, op] of cases) {
  test(name, async () => {
    const r = await fmul(cw, a, b, op);
    assert.is(r.sw.toString(16), sw.toString(16), "status word");
    assert.is(r.se.toString(16), se.toString(16), "sign and exponent");
    assert.is(r.m.toString(16), m.toString(16), "significand");
  });
}

test.run();
