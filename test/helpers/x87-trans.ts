// Running the x87 transcendentals in the emulator on many operands, and
// what each should give: the special cases from the SDM's tables (vol. 2,
// FSIN ... FYL2XP1) and, for the rest, the reference value of x87-ref.ts
// rounded in the rounding control's direction to 64 bits (RESULT_BITS).
import { runCode, CODE_AT, HLT } from "./code.js";
import * as R from "./x87-ref.js";

export type Op = "fsin" | "fcos" | "fsincos" | "fptan" | "fpatan" | "f2xm1" | "fyl2x" | "fyl2xp1";
export const OPCODE: Record<Op, number> = {
  fsin: 0xfe, fcos: 0xff, fsincos: 0xfb, fptan: 0xf2, fpatan: 0xf3, f2xm1: 0xf0, fyl2x: 0xf1, fyl2xp1: 0xf9,
};
export const TWO_OPERANDS: Record<Op, boolean> = {
  fsin: false, fcos: false, fsincos: false, fptan: false, fpatan: true, f2xm1: false, fyl2x: true, fyl2xp1: true,
};
/** Values left on the stack: stored ST(0) first. */
export const RESULTS: Record<Op, number> = {
  fsin: 1, fcos: 1, fsincos: 2, fptan: 2, fpatan: 1, f2xm1: 1, fyl2x: 1, fyl2xp1: 1,
};

export interface F80 { se: number; m: bigint }
export interface Case { op: Op; x: F80; y?: F80; pc: number; rc: number } // pc: 24, 53, 64; rc: 0..3

export const IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32, C1 = 0x200, C2 = 0x400;

const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const pcBits = (pc: number) => (pc === 24 ? 0 : pc === 53 ? 2 : 3);
export const controlWord = (pc: number, rc: number) => 0x7f | (pcBits(pc) << 8) | (rc << 10);

export interface Outcome { sw: number; out: F80[] }

/** Runs every case (fninit; fldcw; fld y; fld x; op; fnstsw ax; store; fstp the results). */
export async function runCases(cases: Case[]): Promise<Outcome[]> {
  const code: number[] = [];
  // code first, data after it at DATA (32 bytes a case: cw, x, y), results at OUT
  const codeBytesPerCase = 48;
  const DATA = CODE_AT + ((cases.length * codeBytesPerCase + 0x2000) & ~0xfff);
  const OUT = DATA + ((cases.length * 32 + 0x2000) & ~0xfff);
  cases.forEach((c, i) => {
    const d = DATA + 32 * i, o = OUT + 32 * i;
    code.push(0xdb, 0xe3); // fninit
    code.push(0xd9, 0x2d, ...le32(d)); // fldcw [d]
    if (TWO_OPERANDS[c.op]) code.push(0xdb, 0x2d, ...le32(d + 12)); // fld tword [d+12] (y)
    code.push(0xdb, 0x2d, ...le32(d + 2)); // fld tword [d+2] (x)
    code.push(0xd9, OPCODE[c.op]);
    code.push(0xdf, 0xe0); // fnstsw ax
    code.push(0x66, 0xa3, ...le32(o)); // mov [o], ax
    for (let k = 0; k < RESULTS[c.op]; k++) code.push(0xdb, 0x3d, ...le32(o + 2 + 10 * k)); // fstp tword
  });
  code.push(HLT);
  if (CODE_AT + code.length > DATA) throw new Error("code overlaps data");
  const image = new Uint8Array(OUT - CODE_AT);
  image.set(code, 0);
  const view = new DataView(image.buffer);
  cases.forEach((c, i) => {
    const d = DATA - CODE_AT + 32 * i;
    view.setUint16(d, controlWord(c.pc, c.rc), true);
    put80(view, d + 2, c.x);
    if (c.y) put80(view, d + 12, c.y);
  });
  const memoryMiB = Math.max(4, Math.ceil((OUT + cases.length * 32) / (1 << 20)) + 1);
  const { m, outcome } = await runCode(Array.from(image), { maxInstructions: cases.length * 20 + 100, memoryMiB });
  if (outcome.reason !== "halted") throw new Error(`did not halt: ${JSON.stringify(outcome)}`);
  const ram = new DataView(m.ram.buffer, m.ram.byteOffset);
  return cases.map((c, i) => {
    const o = OUT + 32 * i;
    const out: F80[] = [];
    for (let k = 0; k < RESULTS[c.op]; k++) out.push(get80(ram, o + 2 + 10 * k));
    return { sw: ram.getUint16(o, true), out };
  });
}
export function put80(v: DataView, at: number, f: F80) {
  v.setBigUint64(at, f.m, true);
  v.setUint16(at + 8, f.se, true);
}
export function get80(v: DataView, at: number): F80 {
  return { m: v.getBigUint64(at, true), se: v.getUint16(at + 8, true) };
}

// ---- Operand classes -----------------------------------------------------------------

export const J = 1n << 63n;
export const QBIT = 1n << 62n;
export const DEFAULT_NAN: F80 = { se: 0xffff, m: 0xc000000000000000n };
export const ONE: F80 = { se: 0x3fff, m: J };
export type Cls = "zero" | "den" | "fin" | "inf" | "qnan" | "snan" | "bad";
export function cls(f: F80): Cls {
  const e = f.se & 0x7fff;
  if (e === 0x7fff) {
    if ((f.m & J) === 0n) return "bad";
    if ((f.m << 1n) & ((1n << 64n) - 1n)) return (f.m & QBIT) ? "qnan" : "snan";
    return "inf";
  }
  if (e === 0) return f.m === 0n ? "zero" : "den";
  return (f.m & J) ? "fin" : "bad";
}
const isNaN_ = (c: Cls) => c === "qnan" || c === "snan";
const neg = (f: F80) => (f.se & 0x8000) !== 0;
export const hex80 = (f: F80) => `${f.se.toString(16).padStart(4, "0")}:${f.m.toString(16).padStart(16, "0")}`;
export const value = (f: F80): R.BF => R.fromF80(f.se, f.m);

/** The x87's choice between NaN operands (SDM vol. 1, table 4-7), quieted. */
function pickNaN(a: F80, b?: F80): F80 {
  const q = (f: F80): F80 => ({ se: f.se, m: f.m | QBIT });
  if (!b) return q(a);
  const ca = cls(a), cb = cls(b);
  if (!isNaN_(cb)) return q(a);
  if (!isNaN_(ca)) return q(b);
  if (ca !== cb) return q(ca === "qnan" ? a : b);
  const ma = a.m & ~J, mb = b.m & ~J;
  if (ma !== mb) return q(ma > mb ? a : b);
  return q(!neg(a) || neg(b) ? a : b);
}

// ---- Expectations ----------------------------------------------------------------------

/** One expected stack value: exact bits, or a reference to round. */
export type Want = { bits: F80 } | { ref: R.Ref; tag?: string };
export interface Expect { outs: Want[]; flags: number; c2?: boolean } // flags: IE, ZE, DE raised by the operands

const zero = (negative: boolean): F80 => ({ se: negative ? 0x8000 : 0, m: 0n });
const inf = (negative: boolean): F80 => ({ se: (negative ? 0x8000 : 0) | 0x7fff, m: J });
const constRef = (v: R.BF, negative: boolean): R.Ref => ({ v: negative ? R.neg(v) : v, tail: 0 });
const PIO2 = R.scale(R.PI_P, -1), PIO4 = R.scale(R.PI_P, -2), PI3O4 = R.scale(R.mul(R.PI_P, R.fromInt(3)), -2);

/** What the SDM (and, where it is silent, this project's choices) says for a case. */
export function expect(c: Case): Expect {
  const x = c.x, cx = cls(x);
  const den = (f?: F80) => (f && cls(f) === "den" ? DE : 0);
  switch (c.op) {
    case "fsin": case "fcos": case "fsincos": case "fptan": {
      const n = c.op === "fsincos" || c.op === "fptan" ? 2 : 1;
      const all = (f: F80, flags: number): Expect => ({ outs: Array(n).fill({ bits: f }), flags, c2: false });
      if (cx === "bad" || cx === "inf") return all(DEFAULT_NAN, IE);
      if (isNaN_(cx)) return all(pickNaN(x), cx === "snan" ? IE : 0);
      if (cx === "zero") {
        if (c.op === "fcos") return { outs: [{ bits: ONE }], flags: 0, c2: false };
        if (c.op === "fsin") return { outs: [{ bits: x }], flags: 0, c2: false };
        return { outs: [{ bits: ONE }, { bits: x }], flags: 0, c2: false }; // ST0 = cos or 1.0, ST1 = sin or tan
      }
      const v = value(x);
      if (R.ilog2(v) >= 63) return { outs: Array(n).fill({ bits: x }).slice(0, 1), flags: 0, c2: true };
      const flags = den(x);
      switch (c.op) {
        case "fsin": return { outs: [{ ref: R.sinRef(v) }], flags, c2: false };
        case "fcos": return { outs: [{ ref: R.cosRef(v) }], flags, c2: false };
        case "fsincos": return { outs: [{ ref: R.cosRef(v), tag: "cos" }, { ref: R.sinRef(v), tag: "sin" }], flags, c2: false };
        default: return { outs: [{ bits: ONE }, { ref: R.tanRef(v) }], flags, c2: false };
      }
    }
    case "fpatan": {
      const y = c.y!, cy = cls(y);
      if (cx === "bad" || cy === "bad") return { outs: [{ bits: DEFAULT_NAN }], flags: IE };
      if (isNaN_(cx) || isNaN_(cy)) return { outs: [{ bits: pickNaN(y, x) }], flags: cx === "snan" || cy === "snan" ? IE : 0 };
      const flags = den(x) | den(y), ys = neg(y), xs = neg(x);
      if (cy === "zero") return { outs: [xs ? { ref: constRef(R.PI_P, ys) } : { bits: zero(ys) }], flags };
      if (cy === "inf") return { outs: [{ ref: constRef(cx === "inf" ? (xs ? PI3O4 : PIO4) : PIO2, ys) }], flags };
      if (cx === "zero") return { outs: [{ ref: constRef(PIO2, ys) }], flags };
      if (cx === "inf") return { outs: [xs ? { ref: constRef(R.PI_P, ys) } : { bits: zero(ys) }], flags };
      return { outs: [{ ref: R.atan2Ref(value(y), value(x)) }], flags };
    }
    case "f2xm1": {
      if (cx === "bad") return { outs: [{ bits: DEFAULT_NAN }], flags: IE };
      if (isNaN_(cx)) return { outs: [{ bits: pickNaN(x) }], flags: cx === "snan" ? IE : 0 };
      if (cx === "zero") return { outs: [{ bits: x }], flags: 0 };
      if (cx === "inf") return { outs: [{ bits: neg(x) ? { se: 0xbfff, m: J } : x }], flags: 0 };
      const v = value(x);
      if (R.cmp(R.fromInt(1), { m: v.m < 0n ? -v.m : v.m, e: v.e }) < 0) return { outs: [{ bits: x }], flags: PE }; // out of range: x, inexact
      return { outs: [{ ref: R.exp2m1Ref(v) }], flags: den(x) };
    }
    case "fyl2x": case "fyl2xp1": {
      const y = c.y!, cy = cls(y), p1 = c.op === "fyl2xp1";
      const inv: Expect = { outs: [{ bits: DEFAULT_NAN }], flags: IE };
      if (cx === "bad" || cy === "bad") return inv;
      if (isNaN_(cx) || isNaN_(cy)) return { outs: [{ bits: pickNaN(x, y) }], flags: cx === "snan" || cy === "snan" ? IE : 0 };
      const ys = neg(y), xs = neg(x);
      const xv = cx === "zero" || cx === "inf" ? null : value(x);
      // the logarithm's argument: x, or 1 + x
      const arg = xv && (p1 ? R.add(R.ONE, xv) : xv);
      const argZero = p1 ? arg !== null && arg.m === 0n : cx === "zero";
      if (argZero) {
        if (cy === "zero") return inv;
        return { outs: [{ bits: inf(!ys) }], flags: cy === "inf" ? 0 : ZE }; // ZE outranks DE (SDM vol. 1, 8.7.1)
      }
      if (p1 && cx === "zero") {
        if (cy === "inf") return inv;
        return { outs: [{ bits: zero(ys !== xs) }], flags: den(y) };
      }
      if (cx === "inf") {
        if (xs || cy === "zero") return inv;
        return { outs: [{ bits: inf(ys) }], flags: den(y) };
      }
      if (R.sign(arg!) < 0) return inv;
      const lneg = p1 ? xs : R.cmp(arg!, R.ONE) < 0;
      if (!p1 && R.cmp(arg!, R.ONE) === 0) { // log 1 = +0 (only fyl2x: fyl2xp1's x = 0 was above)
        if (cy === "inf") return inv;
        return { outs: [{ bits: zero(ys) }], flags: den(y) };
      }
      const flags = den(x) | den(y);
      if (cy === "zero") return { outs: [{ bits: zero(ys !== lneg) }], flags };
      if (cy === "inf") return { outs: [{ bits: inf(ys !== lneg) }], flags };
      return { outs: [{ ref: p1 ? R.yl2xp1Ref(value(y), xv!) : R.yl2xRef(value(y), xv!) }], flags };
    }
  }
}

// ---- Checking ----------------------------------------------------------------------------

/** The precision control does not apply to the transcendentals (SDM vol. 1,
 *  8.1.5.2: only add, subtract, multiply, divide and square root; an AMD
 *  x87 rounds them to 64 bits under every PC): the cases run under every PC
 *  and expect 64-bit results. */
export const RESULT_BITS = 64;

export interface Stats { cases: number; values: number; correct: number; maxUlp: number; worst: string }
export function newStats(): Stats { return { cases: 0, values: 0, correct: 0, maxUlp: 0, worst: "" } }

/** Compares one outcome with the expectation: returns the problems (empty when it passes). */
export function check(c: Case, got: Outcome, stats: Stats): string[] {
  const want = expect(c);
  const bad: string[] = [];
  const desc = () => `${c.op}(${c.y ? hex80(c.y) + ", " : ""}${hex80(c.x)}) pc${c.pc} rc${c.rc}`;
  stats.cases++;
  const onlyBits = want.outs.every((w) => "bits" in w);
  const MASK = IE | DE | ZE | (onlyBits ? PE | UE | OE : 0);
  if ((got.sw & MASK) !== want.flags) bad.push(`${desc()}: flags ${got.sw & MASK} want ${want.flags} (sw ${got.sw.toString(16)})`);
  if (want.c2 !== undefined && ((got.sw & C2) !== 0) !== want.c2) bad.push(`${desc()}: C2 ${(got.sw & C2) !== 0} want ${want.c2}`);
  let anyRef = false, allCorrect = true, expUp = false, expPE = false, expUE = false, expOE = false;
  want.outs.forEach((w, k) => {
    const g = got.out[k];
    if ("bits" in w) {
      if (g.se !== w.bits.se || g.m !== w.bits.m) bad.push(`${desc()}: result ${k} ${hex80(g)} want ${hex80(w.bits)}`);
      return;
    }
    anyRef = true;
    stats.values++;
    const r = R.round(w.ref, RESULT_BITS, c.rc);
    if (r.se === g.se && r.m === g.m) {
      stats.correct++;
      expUp ||= r.up; expPE ||= r.inexact; expUE ||= r.tiny && r.inexact; expOE ||= r.overflow;
      return;
    }
    allCorrect = false;
    const gc = cls(g);
    if (gc !== "fin" && gc !== "den" && gc !== "zero") { bad.push(`${desc()}: result ${k} ${hex80(g)} want ${hex80(r)}`); return; }
    if (r.overflow) { bad.push(`${desc()}: result ${k} ${hex80(g)} want ${hex80(r)} (overflow)`); return; }
    const u = R.ulpError(g.se, g.m, w.ref, RESULT_BITS);
    if (u > stats.maxUlp) { stats.maxUlp = u; stats.worst = `${desc()}: ${hex80(g)} want ${hex80(r)}`; }
    if (u > 1) bad.push(`${desc()}: result ${k} ${hex80(g)} want ${hex80(r)}: ${u.toFixed(3)} ulp`);
  });
  if (anyRef && allCorrect) {
    const flagsOf = (sw: number) => sw & (PE | UE | OE);
    const wantFlags = (expPE ? PE : 0) | (expUE ? UE : 0) | (expOE ? OE : 0);
    if (flagsOf(got.sw) !== wantFlags) bad.push(`${desc()}: PE/UE/OE ${flagsOf(got.sw)} want ${wantFlags}`);
    if (((got.sw & C1) !== 0) !== expUp) bad.push(`${desc()}: C1 ${(got.sw & C1) !== 0} want ${expUp}`);
  }
  return bad;
}
