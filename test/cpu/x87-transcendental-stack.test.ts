// The transcendentals' stack faults, unmasked exceptions and C2, seen
// through fnsave (status, tags, every register). Expectations follow the
// SDM (vol. 1 8.5.1.1, vol. 2 per instruction) and, where it leaves the
// result of a masked fault open, what this project's AMD host's x87 does
// (measured with a native fninit / loads / op / fnsave program): a masked
// underflow or overflow of fptan or fsincos leaves two default NaNs
// (ST(0) and the pushed one), and fpatan/fyl2x/fyl2xp1 put the NaN in
// ST(1) and pop.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCode, CODE_AT, HLT } from "../helpers/code.js";
import { OPCODE, controlWord, hex80, J, type F80, type Op } from "../helpers/x87-trans.js";

const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const IE = 1, DE = 2, ZE = 4, SF = 0x40, ES = 0x80, C1 = 0x200, C2 = 0x400;
const NAN = "ffff:c000000000000000";
const ONE: F80 = { se: 0x3fff, m: J };
const TWO: F80 = { se: 0x4000, m: J };
const INF: F80 = { se: 0x7fff, m: J };
const ZERO: F80 = { se: 0, m: 0n };
const DEN: F80 = { se: 0, m: 0x123456789n };
const HUGE: F80 = { se: 0x403e, m: J }; // 2^63: out of fsin's range

interface State { sw: number; top: number; regs: { tag: number; v: string }[] }

/** fninit; fldcw; fld each value (the last ends in ST(0)); the op; fnstsw ax
 *  and fnsave (no-wait forms: an unmasked exception stays pending). */
async function run(op: Op, values: F80[], cw = controlWord(64, 0)): Promise<State> {
  const DATA = CODE_AT + 0x1000, OUT = CODE_AT + 0x2000;
  const code = [0xdb, 0xe3, 0xd9, 0x2d, ...le32(DATA)];
  values.forEach((_, i) => code.push(0xdb, 0x2d, ...le32(DATA + 16 + 16 * i)));
  code.push(0xd9, OPCODE[op], 0xdd, 0x35, ...le32(OUT), HLT); // fnsave [OUT]
  const img = new Uint8Array(0x2000);
  img.set(code);
  const dv = new DataView(img.buffer);
  dv.setUint16(0x1000, cw, true);
  values.forEach((v, i) => { dv.setBigUint64(0x1010 + 16 * i, v.m, true); dv.setUint16(0x1018 + 16 * i, v.se, true); });
  const { m, outcome } = await runCode(Array.from(img));
  assert.is(outcome.reason, "halted");
  const r = new DataView(m.ram.buffer, m.ram.byteOffset + OUT);
  const sw = r.getUint16(4, true), tw = r.getUint16(8, true), top = (sw >> 11) & 7;
  const regs = [];
  for (let i = 0; i < 8; i++) {
    const f = { m: r.getBigUint64(28 + 10 * i, true), se: r.getUint16(36 + 10 * i, true) };
    regs.push({ tag: (tw >> (2 * ((top + i) & 7))) & 3, v: hex80(f) });
  }
  return { sw, top, regs };
}
const EMPTY = 3;
const live = (s: State) => s.regs.filter((r) => r.tag !== EMPTY).map((r) => r.v);
const flags = (s: State) => s.sw & (0x3f | SF | ES | C1 | C2);

test("fsin, fcos, f2xm1 on an empty ST(0), masked: the default NaN, IE and SF, C1 clear", async () => {
  for (const op of ["fsin", "fcos", "f2xm1"] as Op[]) {
    const s = await run(op, []);
    assert.is(flags(s), IE | SF, op);
    assert.equal(live(s), [NAN], op);
    assert.is(s.top, 0, op);
  }
});

test("fptan and fsincos on an empty ST(0), masked: two default NaNs (the push happens)", async () => {
  for (const op of ["fptan", "fsincos"] as Op[]) {
    const s = await run(op, []);
    assert.is(flags(s), IE | SF, op);
    assert.equal(live(s), [NAN, NAN], op);
    assert.is(s.top, 7, op);
  }
});

test("fptan and fsincos with all eight registers full: stack overflow, C1 set, ST(0) and the pushed register NaN", async () => {
  for (const op of ["fptan", "fsincos"] as Op[]) {
    const s = await run(op, [ONE, ONE, ONE, ONE, ONE, ONE, ONE, ZERO]);
    assert.is(flags(s), IE | SF | C1, op);
    assert.equal(live(s), [NAN, NAN, ...Array(6).fill(hex80(ONE))], op);
    // out of range changes nothing: the overflow comes first
    const h = await run(op, [ONE, ONE, ONE, ONE, ONE, ONE, ONE, HUGE]);
    assert.is(flags(h), IE | SF | C1, op);
    assert.equal(live(h).slice(0, 2), [NAN, NAN], op);
  }
});

test("fpatan, fyl2x, fyl2xp1 with ST(1) empty, masked: ST(1) becomes the NaN, then the pop", async () => {
  for (const op of ["fpatan", "fyl2x", "fyl2xp1"] as Op[]) {
    const s = await run(op, [TWO]);
    assert.is(flags(s), IE | SF, op);
    assert.equal(live(s), [NAN], op);
    assert.is(s.top, 0, op);
  }
});

test("stack faults unmasked: nothing changes but the status word", async () => {
  const cw = controlWord(64, 0) & ~1; // IM clear
  for (const op of ["fsin", "fptan", "fsincos", "fpatan", "fyl2x", "f2xm1"] as Op[]) {
    const one = op === "fpatan" || op === "fyl2x";
    const s = await run(op, one ? [TWO] : [], cw);
    assert.is(flags(s) & ~C1, IE | SF | ES, op);
    assert.equal(live(s), one ? [hex80(TWO)] : [], op);
  }
});

test("out of range (|x| >= 2^63): ST(0) kept, C2 set, no exception, nothing pushed; in range C2 clear", async () => {
  for (const op of ["fsin", "fcos", "fptan", "fsincos"] as Op[]) {
    const s = await run(op, [HUGE]);
    assert.is(flags(s), C2, op);
    assert.equal(live(s), [hex80(HUGE)], op);
    const neg = await run(op, [{ se: HUGE.se | 0x8000, m: J }]);
    assert.is(flags(neg), C2, op);
  }
  // C2 is cleared by an in-range operand (fprem of a far larger value sets it first)
  const s = await run("fsin", [{ se: 0x4100, m: J }, ONE]); // ST(1) huge, ST(0) 1
  assert.is(flags(s) & C2, 0);
});

test("unmasked IE, ZE and DE keep the operands: fsin(inf), fyl2x(1, 0), fsin(denormal), fptan(inf)", async () => {
  const base = controlWord(64, 0);
  let s = await run("fsin", [INF], base & ~IE);
  assert.is(flags(s), IE | ES);
  assert.equal(live(s), [hex80(INF)]);
  s = await run("fptan", [INF], base & ~IE);
  assert.is(flags(s), IE | ES);
  assert.equal(live(s), [hex80(INF)]);
  s = await run("fyl2x", [ONE, ZERO], base & ~ZE);
  assert.is(flags(s), ZE | ES);
  assert.equal(live(s), [hex80(ZERO), hex80(ONE)]);
  s = await run("fsin", [DEN], base & ~DE);
  assert.is(flags(s), DE | ES);
  assert.equal(live(s), [hex80(DEN)]);
  // masked, the same operations complete
  s = await run("fyl2x", [ONE, ZERO]);
  assert.is(flags(s), ZE);
  assert.equal(live(s), ["ffff:8000000000000000"]);
});

test("fptan pushes 1.0 and fsincos leaves sin in ST(1), cos in ST(0)", async () => {
  let s = await run("fptan", [ZERO]);
  assert.equal(live(s), [hex80(ONE), hex80(ZERO)]);
  s = await run("fsincos", [{ se: 0x8000, m: 0n }]);
  assert.equal(live(s), [hex80(ONE), "8000:0000000000000000"]);
  s = await run("fsincos", [ONE]); // cos 1 = 0.5403..., sin 1 = 0.8414...
  assert.equal(live(s).map((v) => v.slice(0, 4)), ["3ffe", "3ffe"]);
  assert.ok(live(s)[0] < live(s)[1]);
});

test.run();
