// The default boot with the bundled disk (images/disk.img, as npm start
// attaches it): /init loads ata.ko and ext2.ko from /etc/modules and mounts
// the disk on /mnt; ext2 and ata are then in use and refuse rmmod until
// the disk is unmounted. The same under qemu-system-i386.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { wasmSession, qemuSession, lines, outputOf } from "../helpers/session.js";
import { haveQemu } from "../helpers/qemu.js";
import { image } from "../helpers/machine.js";

const script = lines("lsmod", "mount", "ls /mnt", "cat /mnt/docs/modules.txt | head -n 1", "rmmod ata", "rmmod ext2", "rmmod serial",
  "umount /mnt", "rmmod ext2", "rmmod ata", "lsmod", "poweroff");
let transcript = "";

test.before(async () => {
  ({ serial: transcript } = await wasmSession(script, { disk: new Uint8Array(image("disk.img")) }));
});

const after = (cmd: string, nth = 0) => outputOf(transcript, cmd, nth);

test("init loads the modules from /etc/modules and mounts the disk on /mnt", () => {
  assert.match(transcript, /\r\nserial: ttyS0 at 0x3f8, irq 4, is the console\r\nmodule serial loaded at [^\r]*\r\nhda: 8192 sectors \(4 MiB\)\r\nmodule ata loaded at [^\r]*\r\nmodule ext2 loaded at [^\r]*\r\next2: \/dev\/hda mounted: 4096 blocks of 1024 bytes, 1024 inodes, 1 groups\r\ninit: \/dev\/hda mounted on \/mnt\r\ninit: starting \/bin\/sh/);
  assert.match(after("lsmod"), /^Module +Size +Used by\r\next2 +\d+ +1 \r\nata +\d+ +1 \r\nserial +\d+ +1 \r\n$/);
  assert.match(after("mount"), /\/dev\/hda \/mnt ext2 rw 0 0\r\n$/);
  assert.is(after("ls /mnt"), "README\r\ndocs\r\nlost+found\r\n");
  assert.is(after("cat /mnt/docs/modules.txt | head -n 1"), "ata.ko     the ATA disk driver: /dev/hda and its partitions\r\n");
});

test("the disk's modules are held while it is mounted; serial.ko while it is the console", () => {
  assert.is(after("rmmod ata"), "rmmod: cannot remove 'ata': Module is in use\r\n");
  assert.is(after("rmmod ext2"), "rmmod: cannot remove 'ext2': Module is in use\r\n");
  assert.is(after("rmmod serial"), "rmmod: cannot remove 'serial': Module is in use\r\n");
  assert.is(after("rmmod ext2", 1), "module ext2 unloaded\r\n");
  assert.is(after("rmmod ata", 1), "module ata unloaded\r\n");
  assert.match(after("lsmod", 1), /^Module +Size +Used by\r\nserial +\d+ +1 \r\n$/);
});

const qemuTest = haveQemu ? test : test.skip;
if (!haveQemu) console.log("skipping: the QEMU comparison needs qemu-system-i386");
qemuTest("the same boot under qemu-system-i386 gives the same transcript", async () => {
  const q = await qemuSession(script, { disk: new Uint8Array(image("disk.img")) });
  assert.is(q.serial, transcript);
});

test.run();
