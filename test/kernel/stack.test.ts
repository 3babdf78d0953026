// Kernel stacks: a depth the user controls never becomes recursion in the
// kernel (2,000 nested directories on a tmpfs, then umount; the same on
// ext2, where each directory holds its parent), and a kernel stack that
// does overflow runs into a guard page and is reported as such by the
// double-fault task, instead of overwriting what lies below it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wasmSession, lines, outputOf } from "../helpers/session.js";
import { hasCommand } from "../helpers/machine.js";

const haveE2fs = hasCommand("mke2fs") && hasCommand("e2fsck");
if (!haveE2fs) console.log("skipping: the ext2 depth test needs e2fsprogs (mke2fs, e2fsck)");
const e2test = haveE2fs ? test : test.skip;
const dir = mkdtempSync(join(tmpdir(), "wasm386-stack-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test("2,000 nested directories on a tmpfs, then umount: the kernel carries on", async () => {
  const { serial } = await wasmSession(lines("mkdir /tmp/t", "mount -t tmpfs none /tmp/t", "deeptree /tmp/t 2000",
    "umount /tmp/t", "ls /tmp/t", "poweroff"), { cmdline: "nomodules" }, 4e9);
  assert.is(outputOf(serial, "deeptree /tmp/t 2000"), "deeptree: 2000 levels\r\n");
  assert.is(outputOf(serial, "umount /tmp/t"), "");
  assert.is(outputOf(serial, "ls /tmp/t"), "", "the mount point is empty again");
  assert.not.match(serial, /panic/);
  assert.match(serial, /reboot: power down/);
});

e2test("2,000 nested directories on ext2, left all at once: e2fsck finds the disk clean", async () => {
  const img = join(dir, "disk.img");
  writeFileSync(img, Buffer.alloc(8 << 20));
  const mk = spawnSync("mke2fs", ["-q", "-F", "-t", "ext2", "-b", "1024", "-N", "4096", img], { encoding: "utf8" });
  assert.is(mk.status, 0, mk.stderr);
  const disk = new Uint8Array(readFileSync(img));
  const { serial } = await wasmSession(lines("modprobe ata", "modprobe ext2", "mkdir /d", "mount -t ext2 /dev/hda /d",
    "deeptree /d 2000", "umount /d", "poweroff"), { cmdline: "nomodules", disk }, 6e9);
  assert.is(outputOf(serial, "deeptree /d 2000"), "deeptree: 2000 levels\r\n");
  assert.not.match(serial, /panic/);
  writeFileSync(img, disk);
  const fsck = spawnSync("e2fsck", ["-fn", img], { encoding: "utf8" });
  assert.is(fsck.status, 0, fsck.stdout + fsck.stderr);
});

test("a kernel stack overflow hits the guard page and is reported by the double-fault task", async () => {
  const { serial } = await wasmSession(lines("insmod /lib/modules/bad/stackbomb.ko"), { cmdline: "nomodules" }, 1e9);
  assert.match(serial, /\npanic: kernel stack overflow in insmod\[\d+\] \(esp f80[0-9a-f]{5}, eip f80[0-9a-f]{5}, guard page f80[0-9a-f]{2}000\)\r\n/);
});

test.run();
