// ext2.ko on damaged disks: the findings of issue 19's outside test, each
// on an image made by mke2fs -d with one field damaged. Before, a
// directory of size 0xFFFFFFFF hung the machine, a file whose inode had no
// links was freed by cat, an entry past the inode tables panicked the
// kernel, a block pointer at the inode table let a truncate give that
// table out as a data block, and the same disk mounted twice got wrong
// free counts. Now the damage is reported (EUCLEAN, "Structure needs
// cleaning", and a kernel log line naming the inode), the filesystem goes
// read-only (every later write: EROFS) and nothing but the superblock's
// error mark is written after; a busy disk cannot be mounted again (EBUSY).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wasmSession, lines, outputOf } from "../helpers/session.js";
import { hasCommand } from "../helpers/machine.js";
import * as ext2 from "../helpers/ext2.js";

const haveE2fs = hasCommand("mke2fs") && hasCommand("e2fsck");
if (!haveE2fs) console.log("skipping: the damaged-disk tests need e2fsprogs (mke2fs, e2fsck)");
const e2test = haveE2fs ? test : test.skip;
const dir = mkdtempSync(join(tmpdir(), "wasm386-ext2-damage-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const numbers = Array.from({ length: 2000 }, (_, i) => `${i + 1}\n`).join("");
const image = () => ext2.mkfs(dir, { "hello.txt": "hello from the host\n", "docs/": "", "docs/numbers.txt": numbers },
  { size: 2 << 20, blockSize: 1024 });

/** Mounts the image on /mnt, runs the commands, unmounts and powers off;
 *  the image holds what the guest wrote. */
async function run(img: Uint8Array, cmds: string[], after: string[] = []) {
  const t = await wasmSession(lines("modprobe ata", "modprobe ext2", "mount -t ext2 /dev/hda /mnt", ...cmds,
    "umount /mnt", ...after, "poweroff"), { disk: img, cmdline: "nomodules" }, 600_000_000);
  assert.ok(t.exitCode !== null, `the machine did not finish:\n${t.serial.slice(-1500)}`);
  assert.not.match(t.serial, /panic/);
  const has = (s: string) => assert.ok(t.serial.includes(s), `${JSON.stringify(s)} in:\n${t.serial}`);
  return { serial: t.serial, has, out: (cmd: string) => outputOf(t.serial, cmd) };
}

/** What changed between two images: only the superblock may, and its
 *  state must say errors were found. */
function onlyErrorMark(before: Uint8Array, after: Uint8Array) {
  const changed: number[] = [];
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) changed.push(i);
  assert.ok(changed.length > 0 && changed.every((i) => i >= 1024 && i < 2048),
    `bytes written outside the superblock at ${changed.filter((i) => i < 1024 || i >= 2048).slice(0, 8)}`);
  assert.is(ext2.u16(after, ext2.SB + ext2.sbField.state) & 2, 2, "the superblock says errors were found");
}

e2test("a directory of size 0xFFFFFFFF: ls fails with EUCLEAN at once, writes with EROFS", async () => {
  const img = image(), l = ext2.layout(img), docs = ext2.lookup(img, l, "docs");
  ext2.put32(img, ext2.inodeAt(l, docs) + ext2.inField.size, 0xffffffff);
  const before = img.slice();
  const r = await run(img, ["ls /mnt/docs", "echo x > /mnt/new", "mkdir /mnt/d", "cat /proc/mounts", "cat /mnt/hello.txt"]);
  r.has(`ext2: inode ${docs}: directory size past its blocks\r\n`);
  assert.match(r.out("ls /mnt/docs"), /ls: \/mnt\/docs: Structure needs cleaning\r\n$/);
  assert.is(r.out("echo x > /mnt/new"), "sh: /mnt/new: Read-only file system\r\n");
  assert.is(r.out("mkdir /mnt/d"), "mkdir: /mnt/d: Read-only file system\r\n");
  assert.match(r.out("cat /proc/mounts"), /\/dev\/hda \/mnt ext2 ro 0 0/);
  assert.is(r.out("cat /mnt/hello.txt"), "hello from the host\r\n"); // reading goes on
  onlyErrorMark(before, img);
});

e2test("an inode with no links that a directory names: cat fails with EUCLEAN and the inode keeps its data", async () => {
  const img = image(), l = ext2.layout(img), ino = ext2.lookup(img, l, "hello.txt");
  ext2.put16(img, ext2.inodeAt(l, ino) + ext2.inField.links, 0);
  const before = img.slice();
  const r = await run(img, ["cat /mnt/hello.txt", "cat /mnt/hello.txt", "echo x > /mnt/new"]);
  r.has(`ext2: inode ${ino}: named by a directory, but has no links\r\n`);
  assert.match(r.out("cat /mnt/hello.txt"), /cat: \/mnt\/hello.txt: Structure needs cleaning\r\n$/);
  assert.is(r.out("echo x > /mnt/new"), "sh: /mnt/new: Read-only file system\r\n");
  const g = l.groups[Math.floor((ino - 1) / l.inodesPerGroup)], bit = (ino - 1) % l.inodesPerGroup;
  assert.ok(img[g.inodeBitmap * l.bs + (bit >> 3)] & (1 << (bit & 7)), "the inode is still allocated");
  const [block] = ext2.blocksOf(img, l, ino).data;
  const bbit = block - l.firstDataBlock;
  assert.ok(img[l.groups[0].blockBitmap * l.bs + (bbit >> 3)] & (1 << (bbit & 7)), "its block is still allocated");
  assert.is(Buffer.from(img.subarray(block * l.bs, block * l.bs + 20)).toString(), "hello from the host\n");
  onlyErrorMark(before, img);
});

e2test("an entry naming an inode past s_inodes_count: EUCLEAN and the directory's inode in the log", async () => {
  const img = image(), l = ext2.layout(img), docs = ext2.lookup(img, l, "docs");
  const entry = ext2.entries(img, l, docs).find((e) => e.name === "numbers.txt")!;
  ext2.put32(img, entry.at, l.inodesCount + 1);
  const off = entry.at % l.bs;
  const r = await run(img, ["ls -l /mnt/docs", "cat /mnt/docs/numbers.txt", "echo x > /mnt/new"]);
  r.has(`ext2: inode ${docs}: block 0 offset ${off}: names inode ${l.inodesCount + 1}, outside 11..${l.inodesCount}\r\n`);
  assert.match(r.out("cat /mnt/docs/numbers.txt"), /cat: \/mnt\/docs\/numbers.txt: Structure needs cleaning\r\n$/);
  assert.is(r.out("echo x > /mnt/new"), "sh: /mnt/new: Read-only file system\r\n");
});

e2test("an inode count past the groups' inode tables: the mount is refused and nothing is written", async () => {
  const img = image(), l = ext2.layout(img), docs = ext2.lookup(img, l, "docs");
  const entry = ext2.entries(img, l, docs).find((e) => e.name === "numbers.txt")!;
  ext2.put32(img, ext2.SB + ext2.sbField.inodesCount, 100000);
  ext2.put32(img, entry.at, 50000);
  const before = img.slice();
  const r = await run(img, ["ls -l /mnt/docs"]);
  r.has("ext2: /dev/hda: damaged superblock: inode count (not groups times inodes per group) 100000\r\n");
  assert.is(r.out("mount -t ext2 /dev/hda /mnt").split("\r\n").at(-2), "mount: /dev/hda on /mnt: Structure needs cleaning");
  assert.ok(img.every((b, i) => b === before[i]), "the image changed");
});

e2test("a block pointer at the inode table: truncating the file frees nothing and writes nothing", async () => {
  const img = image(), l = ext2.layout(img), ino = ext2.lookup(img, l, "docs/numbers.txt");
  const table = l.groups[0].inodeTable;
  ext2.put32(img, ext2.inodeAt(l, ino) + ext2.inField.block, table);
  const before = img.slice();
  const r = await run(img, ["echo x > /mnt/docs/numbers.txt", "echo y > /mnt/new", "ls /mnt"]);
  r.has(`ext2: inode ${ino}: block map points at block ${table}, outside the data blocks\r\n`);
  assert.match(r.out("echo x > /mnt/docs/numbers.txt"), /Structure needs cleaning\r\n$/);
  assert.is(r.out("echo y > /mnt/new"), "sh: /mnt/new: Read-only file system\r\n");
  assert.is(r.out("ls /mnt"), "docs\r\nhello.txt\r\nlost+found\r\n");
  onlyErrorMark(before, img);
});

e2test("the same disk mounted twice, or a disk and its partition: EBUSY; free again after umount", async () => {
  const img = image();
  const r = await run(img, ["mount -t ext2 /dev/hda /tmp", "echo x > /mnt/y", "rm /mnt/hello.txt"],
    ["mount -t ext2 /dev/hda /tmp", "cat /tmp/y", "umount /tmp"]);
  assert.is(r.out("mount -t ext2 /dev/hda /tmp"), "mount: /dev/hda on /tmp: Device or resource busy\r\n");
  assert.is(r.out("cat /tmp/y"), "x\r\n");
  const { status, out } = ext2.fsck(dir, img);
  assert.is(status, 0, out);

  const disk = ext2.partitioned(image(), 64, 8192, 8192 - 64);
  const t = await wasmSession(lines("modprobe ata", "modprobe ext2", "mount -t ext2 /dev/hda1 /mnt",
    "mount -t ext2 /dev/hda /tmp", "mount -t ext2 /dev/hda1 /tmp", "umount /mnt", "mount -t ext2 /dev/hda1 /tmp",
    "umount /tmp", "poweroff"), { disk, cmdline: "nomodules" }, 600_000_000);
  assert.is(outputOf(t.serial, "mount -t ext2 /dev/hda /tmp"), "mount: /dev/hda on /tmp: Device or resource busy\r\n");
  assert.is(outputOf(t.serial, "mount -t ext2 /dev/hda1 /tmp"), "mount: /dev/hda1 on /tmp: Device or resource busy\r\n");
  assert.match(outputOf(t.serial, "mount -t ext2 /dev/hda1 /tmp", 1), /^ext2: \/dev\/hda1 mounted/);
});

test.run();
