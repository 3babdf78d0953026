// An interrupt from virtual-8086 mode through a task gate to a 16-bit
// (286) TSS (test/guest/sdm/v86gate16.c). The SDM's 286 TSS (vol. 3, 7.6)
// holds a 16-bit FLAGS, with no VM bit: the task runs in protected mode
// (NT set, as for any task entered through a gate), and its iret returns to
// the virtual-8086 task, whose hlt comes to the monitor. QEMU keeps the
// interrupted task's VM bit and does not get through, so the expected
// lines are written here from the SDM.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { machineWithLog, root } from "../helpers/machine.js";

test("a 286 task entered from virtual-8086 mode runs in protected mode", async () => {
  const file = "images/test/sdm/v86gate16.elf";
  const { m, serial } = await machineWithLog({
    kernel: readFileSync(`${root}${file}`), kernelName: file, cmdline: "v86gate16", memoryMiB: 64,
  });
  assert.equal(await m.runUntilDone({ maxInstructions: 10_000_000 }), { reason: "exit", exitCode: 1 }, serial());
  assert.equal(serial().replace(/\r/g, "").trim().split("\n"), [
    "286 task: runs=1 vm=0 nt=1 cs=8", // protected mode, nested (NT), in its flat code segment
    "v86 exits=1", // its iret went back to the V86 task, whose hlt reached the monitor
  ]);
});

test.run();
