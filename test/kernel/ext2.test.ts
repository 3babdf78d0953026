// ext2.ko on ata.ko: an image made by Debian's mke2fs is mounted in the
// guest, a file workload runs (small files, appends, a file through the
// double indirect blocks, a sparse file out in the triple indirect range,
// mkdir trees, rename, link, unlink, rmdir, truncate), then it is unmounted
// and the host checks the image: e2fsck -fn finds no error and debugfs reads
// back what the guest wrote. For 1 KiB and 4 KiB blocks; the same session
// under qemu-system-i386 gives the same transcript and a clean image too.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wasmSession, qemuSession, lines } from "../helpers/session.js";
import { haveQemu } from "../helpers/qemu.js";
import { hasCommand } from "../helpers/machine.js";

const haveE2fs = hasCommand("mke2fs") && hasCommand("e2fsck") && hasCommand("debugfs");
if (!haveE2fs) console.log("skipping: the ext2 tests need e2fsprogs (mke2fs, e2fsck, debugfs)");
const e2test = haveE2fs ? test : test.skip;
const qemuTest = haveE2fs && haveQemu ? test : test.skip;
if (haveE2fs && !haveQemu) console.log("skipping: the ext2 QEMU comparison needs qemu-system-i386");

const dir = mkdtempSync(join(tmpdir(), "wasm386-ext2-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function makeImage(blockSize: number): Uint8Array {
  const src = join(dir, `src${blockSize}`);
  mkdirSync(join(src, "docs"), { recursive: true });
  writeFileSync(join(src, "hello.txt"), "hello from the host\n");
  writeFileSync(join(src, "docs", "numbers.txt"), Array.from({ length: 2000 }, (_, i) => `${i + 1}\n`).join(""));
  const img = join(dir, `disk${blockSize}.img`);
  writeFileSync(img, Buffer.alloc(16 << 20));
  const r = spawnSync("mke2fs", ["-q", "-F", "-t", "ext2", "-b", String(blockSize), "-d", src, img], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  return new Uint8Array(readFileSync(img));
}

function fsck(image: Uint8Array, name: string) {
  const file = join(dir, name);
  writeFileSync(file, image);
  const r = spawnSync("e2fsck", ["-fn", file], { encoding: "utf8" });
  return { file, status: r.status, out: r.stdout + r.stderr };
}

function debugfsCat(file: string, path: string): Buffer {
  const r = spawnSync("debugfs", ["-R", `cat ${path}`, file], { maxBuffer: 256 << 20 });
  return r.stdout;
}

const pattern = (kib: number, offsetKib = 0) => {
  const b = Buffer.alloc(kib * 1024);
  for (let i = 0; i < kib * 256; i++) b.writeUInt32LE(offsetKib * 1024 + 4 * i, 4 * i);
  return b;
};

const script = lines(
  "modprobe ata", "modprobe ext2", "mkdir /mnt", "mount -t ext2 /dev/hda /mnt", "cat /mnt/hello.txt",
  "wc /mnt/docs/numbers.txt", "echo one > /mnt/f", "echo two >> /mnt/f", "cat /mnt/f",
  "fill /mnt/big 400", "fill -v /mnt/big 400", "fill /mnt/sparse 4 70000", "fill -v /mnt/sparse 4 70000",
  "mkdir -p /mnt/tree/a/b/c", "echo deep > /mnt/tree/a/b/c/file", "mv /mnt/f /mnt/tree/a/g", "rm /mnt/hello.txt",
  "ln /mnt/big /mnt/tree/big2", "mkdir /mnt/gone", "rmdir /mnt/gone", "fill /mnt/trunc 300", "echo x > /mnt/trunc",
  "mv /mnt/tree/a/b /mnt/b", "rmdir /mnt/tree/a", "rm /mnt/tree/a/g", "rmdir /mnt/tree/a", "ls -l /mnt", "ls /mnt/b/c",
  "rmmod ext2", "umount /mnt", "rmmod ext2", "poweroff",
);

for (const blockSize of [1024, 4096]) {
  let transcript = "";
  let image: Uint8Array;

  e2test(`${blockSize}-byte blocks: the workload runs in the guest`, async () => {
    image = makeImage(blockSize);
    ({ serial: transcript } = await wasmSession(script, { disk: image, cmdline: "nomodules" }));
    const has = (s: string) => assert.ok(transcript.includes(s), `${JSON.stringify(s)} in:\n${transcript}`);
    has(`ext2: /dev/hda mounted: ${(16 << 20) / blockSize} blocks of ${blockSize} bytes`);
    has("$ cat /mnt/hello.txt\r\nhello from the host\r\n");
    has("$ wc /mnt/docs/numbers.txt\r\n   2000    2000    8893 /mnt/docs/numbers.txt\r\n");
    has("$ cat /mnt/f\r\none\r\ntwo\r\n");
    has("$ fill -v /mnt/big 400\r\n/mnt/big: 400 KiB as written\r\n");
    has("$ fill -v /mnt/sparse 4 70000\r\n/mnt/sparse: 4 KiB as written\r\n");
    has("$ rmdir /mnt/tree/a\r\nrmdir: /mnt/tree/a: Directory not empty\r\n");
    has("$ ls /mnt/b/c\r\nfile\r\n");
    has("$ rmmod ext2\r\nrmmod: cannot remove 'ext2': Module is in use\r\n");
    has("$ umount /mnt\r\nwasm386:/$ rmmod ext2\r\nmodule ext2 unloaded\r\n");
    const ls = transcript.slice(transcript.indexOf("$ ls -l /mnt"), transcript.indexOf("$ ls /mnt/b/c"));
    assert.match(ls, /\$ ls -l \/mnt\r\ndrwxr-xr-x +3 +\d+ b\r\n-rw-r--r-- +2 +409600 big\r\ndrwxr-xr-x +2 +\d+ docs\r\ndrwx------ +2 +\d+ lost\+found\r\n-rw-r--r-- +1 +71684096 sparse\r\ndrwxr-xr-x +2 +\d+ tree\r\n-rw-r--r-- +1 +2 trunc\r\n/, ls);
  });

  e2test(`${blockSize}-byte blocks: e2fsck finds no error and debugfs reads back what the guest wrote`, () => {
    const { file, status, out } = fsck(image, `after${blockSize}.img`);
    assert.is(status, 0, out);
    assert.is(debugfsCat(file, "/b/c/file").toString(), "deep\n");
    assert.ok(debugfsCat(file, "/big").equals(pattern(400)), "/big differs");
    assert.ok(debugfsCat(file, "/tree/big2").equals(pattern(400)), "the link differs");
    const sparse = debugfsCat(file, "/sparse");
    assert.is(sparse.length, 70004 * 1024);
    assert.ok(sparse.subarray(70000 * 1024).equals(pattern(4, 70000)), "the sparse file's data differ");
    assert.ok(sparse.subarray(0, 70000 * 1024).every((b) => b === 0), "the hole is not zeros");
    assert.is(debugfsCat(file, "/trunc").toString(), "x\n");
    assert.is(debugfsCat(file, "/hello.txt").length, 0); // gone
  });

  qemuTest(`${blockSize}-byte blocks: the same under qemu-system-i386, and its image is clean too`, async () => {
    const qemuImage = makeImage(blockSize);
    const q = await qemuSession(script, { disk: qemuImage, cmdline: "nomodules" });
    assert.is(q.serial, transcript);
    const { status, out } = fsck(qemuImage, `qemu${blockSize}.img`);
    assert.is(status, 0, out);
  });
}

test.run();
