// Damaged ext2 disks, at random: images made by mke2fs -d (1 KiB blocks in
// six groups, 4 KiB blocks in three, revision 0 with 2 KiB blocks), each
// damaged by seeded mutations of the superblock, the group descriptors,
// the bitmaps, inodes (size, links, block counts, block pointers, mode),
// indirect blocks (pointing at metadata among others), directory records
// (rec_len, name_len, inode numbers) or random bytes; then fswalk mounts
// it in the guest, reads everything, changes it and unmounts it. The
// kernel must not panic or hang (a bound on instructions per image), must
// write nothing outside the filesystem (it sits in a partition with a
// patterned gap before it and a tail after it, and every disk write is
// logged), nothing when it refused the mount, and nothing after the flush
// that follows the damage report. Undamaged images of each kind pass
// e2fsck -fn after the same walk.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { image, machineWithLog, hasCommand } from "../helpers/machine.js";
import { Stop } from "../../host/machine.js";
import type { Disk } from "../../host/disk.js";
import * as ext2 from "../helpers/ext2.js";

const IMAGES = 300;     // damaged images, spread over the three kinds
const MUTATIONS = 3;    // per image
const SEED = 19;
const BOUND = 200_000_000; // instructions for one fswalk; a clean one takes about 3 M

const haveE2fs = hasCommand("mke2fs") && hasCommand("e2fsck");
if (!haveE2fs) console.log("skipping: the damaged-disk fuzz needs e2fsprogs (mke2fs, e2fsck)");
const e2test = haveE2fs ? test : test.skip;
const dir = mkdtempSync(join(tmpdir(), "wasm386-ext2-fuzz-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

// The disk: an MBR, a gap, then partition 1 (the filesystem and a tail),
// then the rest of the disk; the same size for every image, as the saved
// state after boot expects.
const DISK_SECTORS = 8192, PART_START = 64, PART_SECTORS = DISK_SECTORS - 2 * PART_START;

const tree: Record<string, string> = {
  "hello.txt": "hello from the host\n", "empty": "", "docs/": "", "docs/numbers.txt": Array.from({ length: 900 }, (_, i) => `${i}\n`).join(""),
  "a/b/c/d/deep.txt": "deep\n", "big": "0123456789abcdef".repeat(18000), "mid": "m".repeat(20000),
  "link@": "hello.txt", "longlink@": "docs/".repeat(16) + "numbers.txt",
};
for (let i = 0; i < 30; i++) tree[`many/file-with-a-longer-name-${i}`] = `${i}\n`.repeat(i);

interface Kind { name: string; fs: Uint8Array; layout: ext2.Layout; inodes: number[]; dirs: number[]; indirect: number[]; data: number[]; meta: number[] }

function kind(name: string, blockSize: number, fsBlocks: number, extra: string[]): Kind {
  const fs = ext2.mkfs(dir, tree, { size: fsBlocks * blockSize, blockSize, extra });
  const layout = ext2.layout(fs);
  const inodes: number[] = [], dirs: number[] = [], indirect: number[] = [], data: number[] = [];
  const visit = (ino: number) => {
    inodes.push(ino);
    const b = ext2.blocksOf(fs, layout, ino);
    indirect.push(...b.indirect);
    data.push(...b.data);
    if ((ext2.u16(fs, ext2.inodeAt(layout, ino)) & 0xf000) !== 0x4000) return;
    dirs.push(ino);
    for (const e of ext2.entries(fs, layout, ino)) if (e.ino && e.name !== "." && e.name !== "..") visit(e.ino);
  };
  visit(2);
  return { name, fs, layout, inodes, dirs, indirect, data, meta: ext2.metadataBlocks(fs, layout) };
}

type Rng = () => number;
const xorshift = (seed: number): Rng => () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed; };
const pick = <T>(r: Rng, xs: T[]): T => xs[r() % xs.length];

/** A value for a field that held orig: the edges, near misses, numbers
 *  that mean something elsewhere in the filesystem (metadata blocks,
 *  blocks of files, blocks just past its end, inode numbers), or noise. */
function value(r: Rng, orig: number, k: Kind, bits = 32): number {
  const l = k.layout;
  const choices = [0, 1, 2, orig + 1, orig - 1, orig * 2, orig >>> 1, 0xffffffff, 0x80000000, 0x7fffffff, r(), r() % 4096,
    orig ^ (1 << (r() % bits)), l.blocksCount, l.blocksCount - 1, l.inodesCount, l.inodesCount + 1, pick(r, k.meta),
    pick(r, k.data), pick(r, k.indirect), pick(r, k.inodes), l.bs, l.bs - 1, l.blocksCount + r() % 64];
  const v = pick(r, choices) >>> 0;
  return bits === 32 ? v : v & ((1 << bits) - 1);
}

function set(img: Uint8Array, at: number, bits: number, v: number) {
  if (bits === 8) img[at] = v & 0xff;
  else if (bits === 16) ext2.put16(img, at, v);
  else ext2.put32(img, at, v);
}
const get = (img: Uint8Array, at: number, bits: number) => (bits === 8 ? img[at] : bits === 16 ? ext2.u16(img, at) : ext2.u32(img, at));

function mutate(img: Uint8Array, k: Kind, r: Rng): string {
  const l = k.layout, what = r() % 100;
  const field = (at: number, bits: number, name: string) => {
    const v = value(r, get(img, at, bits), k, bits);
    set(img, at, bits, v);
    return `${name}=${v}`;
  };
  if (what < 8) {
    const [name, off] = pick(r, Object.entries(ext2.sbField));
    const bits = ["magic", "state", "inodeSize", "reservedGdt"].includes(name) ? 16 : 32;
    return field(ext2.SB + off, bits, `super.${name}`);
  }
  if (what < 18) {
    const g = r() % l.ngroups;
    const [name, off] = pick(r, Object.entries(ext2.gdField));
    return field(l.groups[g].at + off, off >= 12 ? 16 : 32, `group${g}.${name}`);
  }
  if (what < 30) { // a bit of a bitmap, often one of a block or inode in use
    const g = r() % l.ngroups, blocks = r() % 2 === 0;
    const bit = r() % 2 ? r() % 64 : r() % (blocks ? l.blocksPerGroup : l.inodesPerGroup);
    const at = (blocks ? l.groups[g].blockBitmap : l.groups[g].inodeBitmap) * l.bs + (bit >> 3);
    img[at] ^= 1 << (bit & 7);
    return `group${g}.${blocks ? "block" : "inode"}bit${bit}`;
  }
  if (what < 62) { // directories often: their size bounds every walk of them
    const ino = r() % 3 === 0 ? pick(r, k.dirs) : pick(r, k.inodes), at = ext2.inodeAt(l, ino);
    const f = r() % 10;
    if (f === 0) return field(at + ext2.inField.mode, 16, `inode${ino}.mode`);
    if (f <= 2) return field(at + ext2.inField.size, 32, `inode${ino}.size`);
    if (f === 3) return field(at + ext2.inField.links, 16, `inode${ino}.links`);
    if (f === 4) return field(at + ext2.inField.blocks, 32, `inode${ino}.blocks`);
    if (f <= 7) { const i = r() % 3 ? r() % 13 : r() % 15; return field(at + ext2.inField.block + 4 * i, 32, `inode${ino}.block${i}`); }
    if (f === 8) return field(at + ext2.inField.sizeHigh, 32, `inode${ino}.size_high`);
    return field(at + ext2.inField.flags, 32, `inode${ino}.flags`);
  }
  if (what < 72 && k.indirect.length) {
    const b = pick(r, k.indirect), i = r() % 2 ? r() % 4 : r() % (l.bs / 4);
    return field(b * l.bs + 4 * i, 32, `indirect${b}[${i}]`);
  }
  if (what < 94) {
    const d = pick(r, k.dirs), es = ext2.entries(img, l, d);
    if (!es.length) return "none";
    const e = pick(r, es), f = r() % 4;
    if (f === 0) {
      const v = pick(r, [0, 1, 2, 7, l.firstIno - 1, l.inodesCount, l.inodesCount + 1, 0xffffffff, pick(r, k.dirs), d, pick(r, k.inodes)]);
      ext2.put32(img, e.at, v);
      return `dir${d}.${e.name}.inode=${v}`;
    }
    if (f === 1) {
      const v = pick(r, [0, 1, 4, 7, 8, 12, e.recLen + 4, e.recLen - 4, e.recLen + 2, l.bs, l.bs + 4, 0xffff]);
      ext2.put16(img, e.at + 4, v);
      return `dir${d}.${e.name}.rec_len=${v}`;
    }
    if (f === 2) {
      const v = pick(r, [0, 255, e.nameLen + 1, e.recLen - 7, e.recLen]) & 0xff;
      img[e.at + 6] = v;
      return `dir${d}.${e.name}.name_len=${v}`;
    }
    img[e.at + 7] = r() & 0xff;
    return `dir${d}.${e.name}.file_type`;
  }
  const b = r() % 2 ? pick(r, k.meta) : r() % l.blocksCount, at = b * l.bs + (r() % l.bs);
  img[at] ^= 1 << (r() % 8);
  return `byte${at}`;
}

/** A disk that logs the guest's writes and flushes. */
function loggedDisk(buffer: Uint8Array) {
  const log = { writes: [] as { lba: number; count: number; afterFlush: boolean }[], flushes: 0, on: true };
  const disk: Disk = {
    sectors: buffer.length / 512,
    read: (lba, count, into) => into.set(buffer.subarray(lba * 512, (lba + count) * 512)),
    write: (lba, count, from) => {
      if (log.on) log.writes.push({ lba, count, afterFlush: log.flushes > 0 });
      buffer.set(from.subarray(0, count * 512), lba * 512);
    },
    flush: () => { log.flushes++; },
  };
  return { disk, log };
}

e2test(`${IMAGES} damaged images, ${MUTATIONS} mutations each: no panic, no hang, nothing written outside the filesystem or after it went read-only`, async () => {
  const kinds = [
    kind("1k", 1024, 3072, ["-g", "512", "-N", "120"]),
    kind("4k", 4096, 768, ["-g", "256"]),
    kind("2k-rev0", 2048, 1536, ["-r", "0", "-g", "512"]),
  ];
  const buffer = new Uint8Array(DISK_SECTORS * 512);
  const { disk, log } = loggedDisk(buffer);
  const { m, serial } = await machineWithLog({
    kernel: image("kernel.elf"), initrd: image("initrd.cpio"), cmdline: "nomodules", memoryMiB: 32, disk,
  });
  const runTo = (from: number, done: RegExp, limit: number) => {
    const start = m.instructions;
    while (!done.test(serial().slice(from))) {
      if (m.instructions - start > limit) return false;
      if (m.runSlice(100_000) === Stop.Exit) return false;
    }
    return true;
  };
  // Boot with the modules loaded; every image starts from here. The block
  // cache holds the MBR only, the same on every disk.
  buffer.set(ext2.partitioned(kinds[0].fs, PART_START, DISK_SECTORS, PART_SECTORS));
  assert.ok(runTo(0, /\$ $/, 50_000_000));
  for (const cmd of ["modprobe ata", "modprobe ext2"]) {
    const at = serial().length;
    m.sendSerial(`${cmd}\n`);
    assert.ok(runTo(at, /\n[^\n]*\$ $/, 50_000_000), cmd);
  }
  const booted = m.saveState();
  const blank = ext2.partitioned(new Uint8Array(0), PART_START, DISK_SECTORS, PART_SECTORS);

  const walk = (fs: Uint8Array) => {
    log.on = false; // the restore rewrites every sector
    m.restoreState(booted);
    log.on = true;
    const original = blank.slice();
    original.set(fs, PART_START * 512);
    buffer.set(original);
    log.writes.length = 0;
    log.flushes = 0;
    const at = serial().length;
    m.sendSerial("fswalk /dev/hda1 /mnt\n");
    const finished = runTo(at, /fswalk: (mount \d+|umount \d+)\r\n[^]*\$ $/, BOUND);
    return { original, out: serial().slice(at), finished };
  };

  for (const k of kinds) {
    const { out, finished } = walk(k.fs);
    assert.ok(finished && /fswalk: changes( 0){11} 39; [1-9]\d* of \d+ files overwritten, [1-9]\d* removed\r\n/.test(out)
      && out.includes("fswalk: umount 0"), `${k.name} undamaged:\n${out}`);
    const { status, out: fsck } = ext2.fsck(dir, buffer.subarray(PART_START * 512, PART_START * 512 + k.fs.length));
    assert.is(status, 0, `${k.name} undamaged, after fswalk:\n${fsck}`);
  }

  const rnd = xorshift(SEED);
  const tally = { refused: 0, mountedReadOnly: 0, readOnly: 0, undetected: 0 };
  for (let n = 0; n < IMAGES; n++) {
    const k = kinds[n % kinds.length];
    const fs = k.fs.slice();
    const damage = Array.from({ length: MUTATIONS }, () => mutate(fs, k, rnd)).join(" ");
    const { original, out, finished } = walk(fs);
    const where = `image ${n} (${k.name}: ${damage}):\n${out}`;
    assert.ok(finished, `no end within ${BOUND} instructions: ${where}`);
    assert.not.match(out, /panic/, where);
    // The kernel's idea of the filesystem's end is the damaged superblock's.
    const log2 = ext2.u32(fs, ext2.SB + ext2.sbField.logBlockSize);
    const fsBytes = log2 <= 2 ? Math.min(ext2.u32(fs, ext2.SB + ext2.sbField.blocksCount) * (1024 << log2), PART_SECTORS * 512) : 0;
    const lo = PART_START, hi = PART_START + Math.ceil(fsBytes / 512);
    for (const w of log.writes) assert.ok(w.lba >= lo && w.lba + w.count <= hi, `a write to sectors ${w.lba}+${w.count}, outside ${lo}..${hi}: ${where}`);
    const same = (from: number, to: number) => Buffer.compare(buffer.subarray(from, to), original.subarray(from, to)) === 0;
    assert.ok(same(0, lo * 512) && same(hi * 512, buffer.length), `bytes outside the filesystem changed: ${where}`);
    const mounted = /fswalk: mount 0\r\n/.test(out);
    if (!mounted || /read-only: features/.test(out)) {
      assert.is(log.writes.length, 0, `written though ${mounted ? "mounted read-only" : "not mounted"}: ${where}`);
      if (mounted) tally.mountedReadOnly++;
      else tally.refused++;
    }
    if (!mounted) continue;
    assert.match(out, /fswalk: umount 0\r\n/, where);
    if (/read-only from now on/.test(out)) {
      tally.readOnly++;
      // the first flush is the one that follows the report; umount's is the second
      assert.ok(log.flushes >= 2, `no flush when it went read-only: ${where}`);
      assert.ok(log.writes.every((w) => !w.afterFlush), `written after going read-only: ${where}`);
    } else if (!/read-only: features/.test(out)) {
      tally.undetected++;
    }
    if (/fswalk: walk .*; ro\r\n/.test(out))
      assert.match(out, /fswalk: changes( [1-9]\d*){12}; 0 of \d+ files overwritten, 0 removed\r\n/, `a change worked on a read-only filesystem: ${where}`);
  }
  console.log(`  damaged images: ${IMAGES}, ${MUTATIONS} mutations each: ${tally.refused} refused at mount, `
    + `${tally.mountedReadOnly} mounted read-only (features), ${tally.readOnly} read-only once damage was found, `
    + `${tally.undetected} not found damaged`);
});

test.run();
