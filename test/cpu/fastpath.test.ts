// The plain interpreter's fast path (assembly/cpu/fastpath.ts) against QEMU
// directly: test/guest/fastpath.c with the block cache off, so that its
// register-only forms, jumps and instructions across a remapped page end
// run in the interpreter's loop, must print QEMU's transcript. (blocks.test.ts
// checks the same for every guest against the block cache.)
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { image, machineWithLog, root } from "../helpers/machine.js";

test("the fast path's forms in the plain interpreter: the same as QEMU", async () => {
  const { m, serial } = await machineWithLog({
    kernel: image("test/fastpath.elf"), kernelName: "fastpath", cmdline: "fastpath", memoryMiB: 64, blockCache: false,
  });
  const outcome = await m.runUntilDone({ maxInstructions: 200_000_000 });
  assert.equal(outcome, { reason: "exit", exitCode: 1 });
  assert.is(m.blocksDecoded, 0, "the interpreter decoded blocks");
  const want = readFileSync(`${root}test/guest/expected/fastpath.txt`, "latin1");
  const got = serial().replace(/\r\n/g, "\n").split("\n");
  want.split("\n").forEach((line, i) => assert.is(got[i], line, `line ${i + 1}`));
  assert.is(got.length, want.split("\n").length, "line count");
});

test.run();
