// ata.ko: the disk driver as a module. A disk with an MBR is attached; the
// session loads the driver, reads a partition through /dev, writes another,
// syncs and unloads. The host then reads the image: the bytes must be there.
// Under qemu-system-i386 the same session gives the same transcript and the
// same image.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { wasmSession, qemuSession, lines, outputOf } from "../helpers/session.js";
import { haveQemu } from "../helpers/qemu.js";

const SECTOR = 512;

function diskWithPartitions(): Uint8Array {
  const d = new Uint8Array(8 << 20);
  const v = new DataView(d.buffer);
  const entry = (i: number, type: number, start: number, count: number) => {
    d[446 + 16 * i + 4] = type;
    v.setUint32(446 + 16 * i + 8, start, true);
    v.setUint32(446 + 16 * i + 12, count, true);
  };
  entry(0, 0x83, 2048, 2048);
  entry(1, 0x83, 4096, 8192);
  entry(2, 0x83, 16000, 9999); // past the end of the disk: ignored
  d[510] = 0x55;
  d[511] = 0xaa;
  const text = "line one of partition one\nline two\n";
  d.set(new TextEncoder().encode(text), 2048 * SECTOR);
  return d;
}

const script = lines(
  "modprobe ata", "ls -l /dev", "cat /dev/hda1 | wc", "head -n 2 /dev/hda1",
  "echo written through the cache > /dev/hda2", "sleep 1 < /dev/hda &", "rmmod ata", "sleep 2", "sync",
  "rmmod ata", "ls /dev", "poweroff",
);

let transcript = "";
let image = diskWithPartitions();
test.before(async () => {
  ({ serial: transcript } = await wasmSession(script, { disk: image, cmdline: "nomodules" }));
});

const after = (cmd: string, nth = 0) => outputOf(transcript, cmd, nth);

test("modprobe ata finds the disk and its partitions; a partition outside the disk is refused", () => {
  assert.match(after("modprobe ata"), new RegExp([
    "^hda: 16384 sectors \\(8 MiB\\)", "hda1: sectors 2048-4095, type 83", "hda2: sectors 4096-12287, type 83",
    "hda: partition 3 lies outside the disk; ignored", "module ata loaded at [^\\r]*", "$"].join("\\r\\n")));
  assert.match(after("ls -l /dev"), /brw-rw---- +1 +3, +0 hda\r\nbrw-rw---- +1 +3, +1 hda1\r\nbrw-rw---- +1 +3, +2 hda2\r\n/);
});

test("reading a partition through /dev", () => {
  assert.is(after("cat /dev/hda1 | wc"), "      2       8 1048576\r\n"); // the zero bytes after the text are one more word
  assert.is(after("head -n 2 /dev/hda1"), "line one of partition one\r\nline two\r\n");
});

test("the driver's module is held while the disk is open, and sync writes the cache back", () => {
  assert.is(after("rmmod ata"), "rmmod: cannot remove 'ata': Module is in use\r\n");
  assert.is(after("rmmod ata", 1), "module ata unloaded\r\n");
  assert.is(after("ls /dev"), "console\r\nnull\r\ntty\r\nttyS0\r\nzero\r\n");
  const at = 4096 * SECTOR;
  assert.is(Buffer.from(image.subarray(at, at + 28)).toString("latin1"), "written through the cache\n\0\0");
});

const qemuTest = haveQemu ? test : test.skip;
if (!haveQemu) console.log("skipping: the QEMU comparison needs qemu-system-i386");
qemuTest("the same session under qemu-system-i386: same transcript, same disk image", async () => {
  const qemuImage = diskWithPartitions();
  const q = await qemuSession(script, { disk: qemuImage, cmdline: "nomodules" });
  assert.is(q.serial, transcript);
  assert.ok(Buffer.from(qemuImage).equals(Buffer.from(image)), "the images differ");
});

test.run();
