// The TLB's global pages (SDM vol. 3, 4.10.2.4 and 4.10.4.1): MOV to CR3
// leaves global translations; INVLPG and a CR4 write remove them. QEMU
// flushes global pages on CR3 loads too (allowed: a TLB may drop entries
// at any time), so the expectations are written from the SDM.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { machineWithLog, root } from "../helpers/machine.js";

test("global pages survive CR3 reloads until INVLPG or a CR4 write", async () => {
  const file = "images/test/sdm/tlb.elf";
  const { m, serial } = await machineWithLog({
    kernel: readFileSync(`${root}${file}`), kernelName: file, cmdline: "tlb", memoryMiB: 64,
  });
  assert.equal(await m.runUntilDone({ maxInstructions: 10_000_000 }), { reason: "exit", exitCode: 1 });
  // Frames hold 0xf0..0xf3. The tables are changed to f2 (global) and f3
  // (ordinary) without an INVLPG, then CR3 is reloaded.
  assert.equal(serial().replace(/\r/g, "").trim().split("\n"), [
    "mapped f0 f1",
    "after cr3 reload: global f0 ordinary f3", // the global entry is kept, the other re-walked
    "after invlpg: global f2", // INVLPG removes it: the new mapping shows
    "global again after cr3: f2", // cached again (global), so the change back is not seen
    "after cr4 write: f0", // writing CR4 flushes everything, global entries too
  ]);
});

test.run();
