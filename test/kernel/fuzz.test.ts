// System-call fuzzing from user space: 100,000 random system calls (random
// numbers, kernel and unmapped pointers, huge lengths, negative
// descriptors) by an ordinary process working in a directory of the ext2
// disk. The kernel must not panic, the shell must carry on, and after
// umount the disk must pass e2fsck -fn.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wasmSession, lines, outputOf } from "../helpers/session.js";
import { image, hasCommand } from "../helpers/machine.js";

test("100,000 random system calls: no panic, the shell carries on, the disk stays consistent", async () => {
  const disk = new Uint8Array(image("disk.img"));
  const { serial } = await wasmSession(lines("mkdir /mnt/fuzz", "cd /mnt/fuzz", "fuzz 100000 1", "cd /", "ls /mnt",
    "umount /mnt", "echo still here", "poweroff"), { disk });
  assert.not.match(serial, /panic/);
  // A child may kill itself (mprotect or munmap of its own pages): the
  // kernel's report of that comes first.
  assert.match(outputOf(serial, "fuzz 100000 1"), /^(fuzz\[\d+\]: [^\r]*\r\n)*fuzz: 100000 system calls in 50 children: \d+ finished, \d+ stopped after 2 s, \d+ killed by a signal\r\n$/);
  assert.match(outputOf(serial, "ls /mnt"), /fuzz\r\n/);
  assert.is(outputOf(serial, "umount /mnt"), "");
  assert.is(outputOf(serial, "echo still here"), "still here\r\n");
  if (!hasCommand("e2fsck")) { console.log("skipping the e2fsck part: no e2fsprogs"); return; }
  const file = join(mkdtempSync(join(tmpdir(), "wasm386-fuzz-")), "disk.img");
  writeFileSync(file, disk);
  const r = spawnSync("e2fsck", ["-fn", file], { encoding: "utf8" });
  assert.is(r.status, 0, r.stdout + r.stderr);
});

// Half the copies are damaged blindly (load or be refused), half hostile
// by construction (must be refused): see kernel/user/modfuzz.c.
test("10,000 damaged modules: each loads and unloads or is refused, every hostile one refused; no panic, no memory lost", async () => {
  const { serial } = await wasmSession(lines("modfuzz 10000 7", "lsmod", "poweroff"), { cmdline: "nomodules" });
  assert.not.match(serial, /panic/);
  const m = /modfuzz: 10000 damaged modules: (\d+) loaded and removed, (\d+) refused; free memory (\d+) kB before, (\d+) kB after/.exec(serial);
  assert.ok(m, serial.slice(-2000));
  const [loaded, refused, before, after] = m!.slice(1).map(Number);
  assert.is(loaded + refused, 10000);
  assert.ok(refused > 1000 && loaded > 1000, `${loaded} loaded, ${refused} refused`);
  assert.ok(before > 0);
  assert.is(after, before, "free memory back to its level");
  const h = /modfuzz: (\d+) hostile by construction refused \((\d+) sizes, (\d+) indices, (\d+) overlaps, (\d+) relocations, (\d+) tables, (\d+) duplicates\), (\d+) accepted or refused wrongly/.exec(serial);
  assert.ok(h, serial.slice(-2000));
  const [hostile, ...kinds] = h!.slice(1).map(Number);
  assert.is(kinds.pop(), 0, "hostile copies accepted, or a duplicate refused with another error than ENOEXEC");
  assert.ok(hostile > 4000, `${hostile} hostile copies`);
  for (const k of kinds) assert.ok(k > 500, `${k} of a kind`);
  assert.match(outputOf(serial, "lsmod"), /^Module +Size +Used by\r\nserial +\d+ +1 \r\n$/);
});

test.run();
