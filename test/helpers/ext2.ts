// An ext2 image's layout read from the host, so that tests can damage
// chosen fields: the superblock, the group descriptors, inodes, block maps
// and directory records. Only what the tests need; the image is trusted
// (it comes from mke2fs), so nothing here checks it.
import { spawnSync } from "node:child_process";
import { writeFileSync, readFileSync, mkdirSync, rmSync, symlinkSync, utimesSync } from "node:fs";
import { join } from "node:path";

export const SB = 1024; // the superblock's byte offset, for every block size

/** Field offsets: superblock (from SB), group descriptor, inode. */
export const sbField = {
  inodesCount: 0, blocksCount: 4, freeBlocks: 12, freeInodes: 16, firstDataBlock: 20, logBlockSize: 24,
  blocksPerGroup: 32, inodesPerGroup: 40, magic: 56, state: 58, revLevel: 76, firstIno: 84, inodeSize: 88,
  featureIncompat: 96, featureRoCompat: 100, reservedGdt: 206,
} as const;
export const gdField = { blockBitmap: 0, inodeBitmap: 4, inodeTable: 8, freeBlocks: 12, freeInodes: 14, usedDirs: 16 } as const;
export const inField = { mode: 0, size: 4, dtime: 20, links: 26, blocks: 28, flags: 32, block: 40, sizeHigh: 108 } as const;

const view = (img: Uint8Array) => new DataView(img.buffer, img.byteOffset, img.byteLength);
export const u16 = (img: Uint8Array, at: number) => view(img).getUint16(at, true);
export const u32 = (img: Uint8Array, at: number) => view(img).getUint32(at, true);
export const put16 = (img: Uint8Array, at: number, v: number) => view(img).setUint16(at, v & 0xffff, true);
export const put32 = (img: Uint8Array, at: number, v: number) => view(img).setUint32(at, v >>> 0, true);

export interface Group { blockBitmap: number; inodeBitmap: number; inodeTable: number; at: number }

export interface Layout {
  bs: number; blocksCount: number; inodesCount: number; firstDataBlock: number;
  blocksPerGroup: number; inodesPerGroup: number; inodeSize: number; firstIno: number;
  ngroups: number; gdtAt: number; inodeTableBlocks: number; groups: Group[];
}

export function layout(img: Uint8Array): Layout {
  const s = (f: keyof typeof sbField) => u32(img, SB + sbField[f]);
  const bs = 1024 << s("logBlockSize");
  const rev = s("revLevel");
  const firstDataBlock = s("firstDataBlock"), blocksPerGroup = s("blocksPerGroup"), inodesPerGroup = s("inodesPerGroup");
  const inodeSize = rev >= 1 ? u16(img, SB + sbField.inodeSize) : 128;
  const ngroups = Math.ceil((s("blocksCount") - firstDataBlock) / blocksPerGroup);
  const gdtAt = (firstDataBlock + 1) * bs;
  const groups = Array.from({ length: ngroups }, (_, g) => {
    const at = gdtAt + 32 * g;
    return { blockBitmap: u32(img, at), inodeBitmap: u32(img, at + 4), inodeTable: u32(img, at + 8), at };
  });
  return {
    bs, blocksCount: s("blocksCount"), inodesCount: s("inodesCount"), firstDataBlock, blocksPerGroup, inodesPerGroup,
    inodeSize, firstIno: rev >= 1 ? s("firstIno") : 11, ngroups, gdtAt,
    inodeTableBlocks: Math.ceil(inodesPerGroup * inodeSize / bs), groups,
  };
}

/** The byte offset of inode ino in the image. */
export function inodeAt(l: Layout, ino: number): number {
  const g = Math.floor((ino - 1) / l.inodesPerGroup), index = (ino - 1) % l.inodesPerGroup;
  return l.groups[g].inodeTable * l.bs + index * l.inodeSize;
}

/** The blocks an inode maps: its data blocks in file order (holes left
 *  out) and the indirect blocks leading to them. */
export function blocksOf(img: Uint8Array, l: Layout, ino: number): { data: number[]; indirect: number[] } {
  const at = inodeAt(l, ino), data: number[] = [], indirect: number[] = [];
  const per = l.bs / 4;
  const walk = (block: number, level: number) => {
    if (!block) return;
    if (level === 0) { data.push(block); return; }
    indirect.push(block);
    for (let i = 0; i < per; i++) walk(u32(img, block * l.bs + 4 * i), level - 1);
  };
  for (let i = 0; i < 15; i++) walk(u32(img, at + inField.block + 4 * i), Math.max(0, i - 11));
  return { data, indirect };
}

export interface Entry { ino: number; recLen: number; nameLen: number; name: string; at: number }

/** The records of a directory, in order, with their byte offsets. */
export function entries(img: Uint8Array, l: Layout, dir: number): Entry[] {
  const out: Entry[] = [];
  for (const block of blocksOf(img, l, dir).data) {
    for (let off = 0; off < l.bs;) {
      const at = block * l.bs + off;
      const recLen = u16(img, at + 4), nameLen = img[at + 6];
      out.push({ ino: u32(img, at), recLen, nameLen, name: Buffer.from(img.subarray(at + 8, at + 8 + nameLen)).toString("latin1"), at });
      if (recLen < 8) break;
      off += recLen;
    }
  }
  return out;
}

/** The inode a path names (from the root), or 0. */
export function lookup(img: Uint8Array, l: Layout, path: string): number {
  let ino = 2;
  for (const name of path.split("/").filter(Boolean)) {
    const e = entries(img, l, ino).find((x) => x.ino && x.name === name);
    if (!e) return 0;
    ino = e.ino;
  }
  return ino;
}

/** The blocks that hold metadata: superblocks and descriptor tables
 *  (with their reserved room) where they are, bitmaps, inode tables. */
export function metadataBlocks(img: Uint8Array, l: Layout): number[] {
  const out: number[] = [];
  const sparse = (u32(img, SB + sbField.featureRoCompat) & 1) !== 0;
  const resize = (u32(img, SB + 92) & 0x10) !== 0 ? u16(img, SB + sbField.reservedGdt) : 0;
  const gdtBlocks = Math.ceil(l.ngroups * 32 / l.bs);
  const power = (g: number, p: number) => { let x = p; while (x < g) x *= p; return x === g; };
  for (let g = 0; g < l.ngroups; g++) {
    const start = l.firstDataBlock + g * l.blocksPerGroup;
    if (!sparse || g <= 1 || power(g, 3) || power(g, 5) || power(g, 7))
      for (let b = 0; b < 1 + gdtBlocks + resize; b++) out.push(start + b);
    const gr = l.groups[g];
    out.push(gr.blockBitmap, gr.inodeBitmap);
    for (let b = 0; b < l.inodeTableBlocks; b++) out.push(gr.inodeTable + b);
  }
  return out;
}

/** Makes an ext2 image of size bytes with mke2fs -d from a tree of files
 *  (path -> contents; a path ending in "/" is a directory, one ending in "@" a
 *  symbolic link to its contents); extra options
 *  go to mke2fs, fsBlocks (if given) makes the filesystem smaller than the
 *  image. Reproducible: a fixed UUID, hash seed and clock. */
export function mkfs(dir: string, tree: Record<string, string | Uint8Array>, opts: {
  size: number; blockSize: number; fsBlocks?: number; extra?: string[];
}): Uint8Array {
  const src = join(dir, "src");
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  const stamp = 1735689600; // 2025-01-01, as the deterministic clock
  const made = [""];
  for (const [path, data] of Object.entries(tree)) {
    const p = join(src, path);
    made.push(path);
    if (path.endsWith("/")) { mkdirSync(p, { recursive: true }); continue; }
    mkdirSync(join(p, ".."), { recursive: true });
    if (path.endsWith("@")) symlinkSync(String(data), p.slice(0, -1));
    else writeFileSync(p, data);
  }
  for (const path of made.reverse()) if (!path.endsWith("@")) utimesSync(join(src, path), stamp, stamp);
  const file = join(dir, "mkfs.img");
  writeFileSync(file, Buffer.alloc(opts.size));
  const uuid = "6f8b3c1e-0d2a-4c1b-9a51-2e7d0c5b4a11";
  const r = spawnSync("mke2fs", ["-q", "-F", "-t", "ext2", "-b", String(opts.blockSize), "-U", uuid,
    "-E", `hash_seed=${uuid},root_owner=0:0`, ...(opts.extra ?? []), "-d", src, file,
    ...(opts.fsBlocks ? [String(opts.fsBlocks)] : [])],
  { encoding: "utf8", env: { ...process.env, E2FSPROGS_FAKE_TIME: String(stamp) } });
  if (r.status !== 0) throw new Error(`mke2fs: ${r.stderr}`);
  const img = new Uint8Array(readFileSync(file));
  rmSync(src, { recursive: true, force: true });
  return img;
}

/** e2fsck -fn on an image: its exit status and what it printed. */
export function fsck(dir: string, img: Uint8Array, name = "fsck.img") {
  const file = join(dir, name);
  writeFileSync(file, img);
  const r = spawnSync("e2fsck", ["-fn", file], { encoding: "utf8" });
  return { file, status: r.status, out: r.stdout + r.stderr };
}

/** A disk of `sectors` sectors with an MBR whose first partition starts at
 *  sector `start` and holds fs; the rest of the partition and of the disk
 *  are filled with a pattern, so that a stray write shows. */
export function partitioned(fs: Uint8Array, start: number, sectors: number, partSectors: number): Uint8Array {
  const disk = new Uint8Array(sectors * 512);
  for (let i = 0; i < disk.length; i++) disk[i] = (i * 7 + 0x5a) & 0xff;
  disk.fill(0, 0, 512);
  const e = 446;
  disk[e + 4] = 0x83;
  put32(disk, e + 8, start);
  put32(disk, e + 12, partSectors);
  disk[510] = 0x55;
  disk[511] = 0xaa;
  disk.set(fs, start * 512);
  return disk;
}
