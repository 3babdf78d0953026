// The eight x87 transcendentals against a BigInt reference computed here
// (test/helpers/x87-ref.ts: ~320-bit series, pi from Machin's formula, an
// exact reduction by pi/2), on random and edge operands (tiny, denormal,
// near multiples of pi/4 and pi/2, the hardest reductions below 2^63 from
// pi/2's continued fraction, near 1, powers of two, huge, zeros,
// infinities, NaNs, invalid encodings), in every rounding control, and in
// every precision control, which does not apply to these instructions
// (results are 64-bit whatever PC says, as the SDM and the AMD host have
// it). Every result must be within 1 ulp of the exact value; the
// special cases (the SDM's tables) must match exactly, with IE, DE, ZE and
// C2; where the result is the correctly rounded one, PE, UE, OE and C1 must
// agree with that rounding too. The fraction correctly rounded and the
// largest error are printed per instruction.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCases, check, newStats, type Op, type Stats } from "../helpers/x87-trans.js";
import { opCases } from "../helpers/x87-cases.js";

const summary: string[] = [];
for (const op of ["fsin", "fcos", "fsincos", "fptan", "fpatan", "f2xm1", "fyl2x", "fyl2xp1"] as Op[]) {
  test(`${op}: within 1 ulp of the exact value in every rounding control, 64-bit under every PC; special cases exact`, async () => {
    const cases = opCases(op);
    const outcomes = await runCases(cases);
    const stats: Stats = newStats();
    const bad = cases.flatMap((c, i) => check(c, outcomes[i], stats));
    const line = `${op}: ${stats.cases} cases, ${stats.values} rounded values, ${(100 * stats.correct / stats.values).toFixed(3)}% correctly rounded, max error ${stats.maxUlp.toFixed(3)} ulp`;
    summary.push(line);
    if (process.env.X87_VERBOSE) console.log(line + (stats.worst ? ` (${stats.worst})` : ""));
    if (process.env.X87_VERBOSE) for (const b of bad) console.log(b);
    assert.equal(bad.slice(0, 12), [], `${bad.length} problems`);
  });
}

test.after(() => { console.log(summary.join("\n")); });

test.run();
