// Segment limit and type checks, and alignment checks, on each access,
// and ENTER's check of its final stack pointer. QEMU makes none of them,
// so the expected results are written here from the SDM (vol. 3, 5.3 and
// 5.7; vol. 2 for MOVS), one line of reasoning each.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { machineWithLog, root } from "../helpers/machine.js";

const GP = "vec=d err=0", NONE = "vec=ff err=0";
const expected: [string, string, string][] = [
  ["read-last-dword", NONE, "bytes 0xffc..0xfff are inside a 0xfff limit"],
  ["read-across-limit", GP, "a dword at 0xffd ends at 0x1000, past the limit: #GP(0)"],
  ["read-beyond-limit", GP, "offset 0x1000 > limit"],
  ["write-read-only", GP, "writes to a read-only data segment are #GP(0)"],
  ["read-read-only", NONE, "reads are allowed"],
  ["write-code", GP, "code segments are never writable"],
  ["read-code", NONE, "readable code may be read through a data register"],
  ["expand-down-at-limit", GP, "expand-down: the limit itself is outside (valid is limit+1..4 GiB)"],
  ["expand-down-above", NONE, "limit + 1 is the first valid offset"],
  ["null-fs-read", GP, "a null selector may be loaded but not used: #GP(0)"],
  ["null-es-stosb", GP, "the same through ES with a string store"],
  ["rmw-read-only", GP, "a read-modify-write needs write access before it reads"],
  ["rep-movsb-to-limit", GP, "bytes 0xffd, 0xffe, 0xfff move; the fourth faults"],
  ["enter-final-inside", NONE, "ENTER $0x10 from 0x10100: the final ESP 0x100ec is inside the expand-down SS"],
  ["enter-final-below", "vec=c err=0",
    "ENTER $0x200 from 0x10100: a write at the final ESP 0xfefc would be below the limit: #SS(0) (vol. 2, ENTER; QEMU does not check)"],
];

test("limit, expand-down, type and null-selector checks match the SDM", async () => {
  const file = "images/test/sdm/limits.elf";
  const { m, serial } = await machineWithLog({
    kernel: readFileSync(`${root}${file}`), kernelName: file, cmdline: "limits", memoryMiB: 64,
  });
  const outcome = await m.runUntilDone({ maxInstructions: 100_000_000 });
  assert.equal(outcome, { reason: "exit", exitCode: 1 }, serial());
  const lines = serial().replace(/\r/g, "").trim().split("\n");
  for (const [name, want, why] of expected) {
    const line = lines.find((l) => l.startsWith(`${name} `));
    assert.is(line, `${name} ${want}`, why);
  }
  // REP MOVSB stops with ECX counting what is left: 8 - 3 = 5.
  assert.ok(lines.includes("rep left 5"), "ECX after the fault");
  // Alignment check: only with CR0.AM and EFLAGS.AC, only at CPL 3, #AC(0) = vector 0x11; 0x80 = a clean exit.
  assert.ok(lines.includes("user ac-misaligned-am-off vec=80 err=0"), "AM off: no check");
  assert.ok(lines.includes("user ac-misaligned vec=11 err=0"), "a misaligned dword at CPL 3");
  assert.ok(lines.includes("user ac-aligned vec=80 err=0"), "aligned accesses of each size pass");
  assert.ok(lines.includes("ring 0 misaligned fine"), "ring 0 is not checked");
});

test.run();
