// Where QEMU 7.2 is no reference for the x87 (test/guest/x87.c masks those
// points in its QEMU comparison), the same guest's "sdm" word runs
// self-checks whose expected values come from the SDM and agree with this
// project's host x87 (an AMD EPYC, run natively): stack overflow and
// underflow with the default NaN, an unmasked IE or ZE leaving the
// destination and the stack, #MF at the next waiting instruction, fnstenv
// masking the exceptions, C1 for "rounded up", DE for a denormal operand,
// fcomi clearing OF SF AF, no precision control on loads, frndint, fprem and
// fbld, fprem1's quotient bits. QEMU fails 21 of the 23.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { machineWithLog, root } from "../helpers/machine.js";

test("the x87 guest's SDM self-checks all pass", async () => {
  const file = "images/test/x87.elf";
  const { m, serial } = await machineWithLog({
    kernel: readFileSync(`${root}${file}`), kernelName: file, cmdline: "x87 sdm", memoryMiB: 64,
  });
  assert.equal(await m.runUntilDone({ maxInstructions: 2_000_000_000 }), { reason: "exit", exitCode: 1 });
  const checks = serial().replace(/\r/g, "").split("\n").filter((l) => l.startsWith("sdm "));
  assert.is(checks.length, 23, "checks run");
  const failed = checks.filter((l) => !/^sdm \S+ ok /.test(l));
  assert.equal(failed, []);
});

test.run();
