// Crash consistency: a guest writes files, syncs, then keeps changing
// others; the machine is stopped at random instruction counts after the
// sync (a saved state at the sync, restored for each stop). The disk then
// always holds the synced files intact (debugfs reads them back byte for
// byte) and e2fsck -fn finds nothing wrong in them. And --snapshot never
// changes the image file.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { image, machineWithLog, hasCommand, root } from "../helpers/machine.js";
import { memoryDisk } from "../../host/disk.js";
import { CLI } from "../helpers/cli.js";

const haveE2fs = hasCommand("e2fsck") && hasCommand("debugfs");
if (!haveE2fs) console.log("skipping: the crash tests need e2fsprogs");
const e2test = haveE2fs ? test : test.skip;
const dir = mkdtempSync(join(tmpdir(), "wasm386-crash-"));

const pattern = (n: number, file: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + file * 13) & 0xff));

async function machine(disk: Uint8Array) {
  return machineWithLog({
    kernel: image("kernel.elf"), kernelName: "images/kernel.elf", initrd: image("initrd.cpio"),
    initrdName: "images/initrd.cpio", memoryMiB: 32, disk: memoryDisk(disk),
  });
}

async function runUntil(m: Awaited<ReturnType<typeof machine>>, text: RegExp, limit = 300_000_000) {
  const start = m.m.instructions;
  while (!text.test(m.serial())) {
    if (m.m.instructions - start > limit) throw new Error(`never saw ${text}:\n${m.serial()}`);
    await m.m.runUntilDone({ maxInstructions: 100_000 });
  }
}

e2test("stopped at 12 random points after sync: the synced files are intact, e2fsck finds no error in them", async () => {
  const disk = new Uint8Array(image("disk.img"));
  const a = await machine(disk);
  await runUntil(a, /\$ $/);
  a.m.sendSerial("crashtest\n");
  await runUntil(a, /synced\r\n/);
  const state = a.m.saveState();
  let seed = 99, clean = 0;
  const rnd = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed; };
  for (let k = 0; k < 12; k++) {
    const stopAfter = rnd() % 60_000_000; // the churn after the sync takes about 57 M instructions
    const copy = new Uint8Array(disk.length);
    const b = await machine(copy);
    b.m.restoreState(state);
    await b.m.runUntilDone({ maxInstructions: stopAfter });
    const file = join(dir, `stop${k}.img`);
    writeFileSync(file, copy);
    for (let f = 0; f < 10; f++) {
      const r = spawnSync("debugfs", ["-R", `cat /crash/f${f}`, file]);
      assert.ok(r.stdout.equals(pattern(10000, f)), `stop ${k} (+${stopAfter}): /crash/f${f} differs`);
    }
    const fsck = spawnSync("e2fsck", ["-fn", file], { encoding: "utf8" });
    if (fsck.status === 0) clean++;
    else assert.not.match(fsck.stdout, /\/crash\//, `stop ${k}: e2fsck complains about the synced files:\n${fsck.stdout}`);
  }
  console.log(`  crash points: 12, e2fsck clean at ${clean}; the synced files intact at all`);
});

e2test("--snapshot never changes the image file", () => {
  const file = join(dir, "snap.img");
  writeFileSync(file, image("disk.img"));
  const before = readFileSync(file);
  const r = spawnSync(process.execPath, [...CLI, "--disk", file, "--snapshot"],
    { cwd: root, encoding: "latin1", input: "echo written > /mnt/new\nsync\nls /mnt\npoweroff\n", timeout: 60_000 });
  assert.match(r.stdout, /\r\nnew\r\n/);
  assert.ok(readFileSync(file).equals(before), "the image changed");
});

test.run();
