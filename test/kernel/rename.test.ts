// rename, link and mkdir with "." and "..", and directories moved into
// their own subtree, on ramfs (/tmp) and on ext2 (a disk made by Debian's
// mke2fs): the VFS refuses what POSIX forbids before any filesystem sees
// it, everything can be removed afterwards, and e2fsck finds the disk
// clean. Moving a mount point is EBUSY.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wasmSession, lines, outputOf } from "../helpers/session.js";
import { hasCommand } from "../helpers/machine.js";

const haveE2fs = hasCommand("mke2fs") && hasCommand("e2fsck");
if (!haveE2fs) console.log("skipping: the ext2 rename test needs e2fsprogs (mke2fs, e2fsck)");
const e2test = haveE2fs ? test : test.skip;
const dir = mkdtempSync(join(tmpdir(), "wasm386-rename-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const ALL_GOOD = /renametest: all as POSIX says\r\n$/;

test("ramfs: rename with . and .. and into a subtree is refused; nothing hidden is left", async () => {
  const { serial } = await wasmSession(lines("mkdir /tmp/r", "renametest /tmp/r", "ls -a /tmp/r", "rmdir /tmp/r", "poweroff"),
    { cmdline: "nomodules" });
  const out = outputOf(serial, "renametest /tmp/r");
  assert.not.match(out, /WRONG/, out);
  assert.match(out, ALL_GOOD);
  assert.match(out, /rename\(a\/\.\., x\) += -22\r\n/);
  assert.match(out, /rename\(a, a\/b\/c\/x\) += -22\r\n/);
  assert.not.match(outputOf(serial, "rmdir /tmp/r"), /rmdir/, "the directory is empty again");
});

e2test("ext2: the same, and e2fsck finds the disk clean; a mount point does not move", async () => {
  const img = join(dir, "disk.img");
  writeFileSync(img, Buffer.alloc(8 << 20));
  const mk = spawnSync("mke2fs", ["-q", "-F", "-t", "ext2", "-b", "1024", img], { encoding: "utf8" });
  assert.is(mk.status, 0, mk.stderr);
  const disk = new Uint8Array(readFileSync(img));
  const { serial } = await wasmSession(lines("modprobe ata", "modprobe ext2", "mkdir /d", "mount -t ext2 /dev/hda /d",
    "renametest /d", "mv /d /e", "umount /d", "poweroff"), { cmdline: "nomodules", disk });
  const out = outputOf(serial, "renametest /d");
  assert.not.match(out, /WRONG/, out);
  assert.match(out, ALL_GOOD);
  assert.match(outputOf(serial, "mv /d /e"), /Device or resource busy/);
  writeFileSync(img, disk);
  const fsck = spawnSync("e2fsck", ["-fn", img], { encoding: "utf8" });
  assert.is(fsck.status, 0, fsck.stdout + fsck.stderr);
});

test.run();
