// The constants of assembly/fpu/transcend.ts (2/pi to 512 bits, pi/2, ln 2,
// the series' coefficients, atan(j/64), ln(1 + j/64), 2^(j/32) - 1) are
// the ones test/helpers/x87-tables.ts derives from the BigInt reference:
// the core's source holds that text verbatim.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { root } from "../helpers/machine.js";
import { tableSource } from "../helpers/x87-tables.js";

test("transcend.ts's tables are the reference's", () => {
  const src = readFileSync(`${root}assembly/fpu/transcend.ts`, "utf8");
  const want = tableSource();
  assert.ok(src.includes(want), "regenerate with: npx tsx test/helpers/x87-tables.ts");
});

test.run();
