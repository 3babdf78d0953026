// Saved machine state: one file with the whole machine (the core's memory,
// which holds the CPU, the devices and guest RAM, and the disk's sectors),
// versioned and checksummed so that a damaged or foreign file is refused
// with a clear error rather than half-loaded.
//
// Layout (little-endian):
//   "W386STAT"  magic
//   u32 format version, u32 core state version, u32 flags (1: has disk)
//   u32 memory bytes, u32 disk sectors, u32 exit code + 1 (0: none), u32 guest RAM MiB
//   pages: u32 count, then per non-zero 4 KiB page of memory: u32 index,
//          u32 n, and its first n bytes (the rest are zero; most free pages
//          of a booted guest hold only a 4-byte free-list link)
//   disk:  u32 count, then per non-zero sector: u32 lba + 512 bytes
//   u32 CRC-32 of everything before it
//
// The CRC only finds accidents: a file made to pass it may say anything.
// decodeState checks every size, count and index against the bytes really
// there and against the limits below before using it, so such a file is
// refused with one line and never allocates or loops by what it claims.
import { UserError } from "./errors.js";
import type { Disk } from "./disk.js";

export const STATE_MAGIC = "W386STAT";
export const STATE_FORMAT = 1;
const PAGE = 4096;
const SECTOR = 512;
const MIB = 1048576;
/**
 * The largest disk a state file holds: 4 GiB, 1024 times the bundled disk.
 * It bounds what a file of a few bytes can make the host allocate and do.
 * Loading a state without --disk rebuilds its disk in memory as one
 * Uint8Array (4 GiB is the most Node 20 allows), whose zero pages are never
 * committed: restoreDisk writes only the sectors that differ. What is left
 * is one read of the disk, about half a second per GiB of a new one (most
 * of it the host mapping untouched pages), and as much to save it. It was
 * 1 GiB while a restore wrote every sector: a second and a GiB of
 * committed memory per GiB of disk.
 */
export const MAX_STATE_DISK_SECTORS = 2 ** 32 / SECTOR;
const MAX_DISK_TEXT = "4 GiB";
/** Sectors read per disk call when saving or restoring: 1 MiB. */
const BATCH = 2048;
/** The core's memory grows in 64 KiB WebAssembly pages. */
const WASM_PAGE = 65536;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface StateParts {
  coreVersion: number;
  /** The core's memory: a whole number of 4 KiB pages. */
  memory: Uint8Array;
  disk?: Pick<Disk, "sectors" | "read">;
  exitCode?: number;
  ramMiB: number;
}

/** Whether n words from at are all zero (n a multiple of 8). Eight at a
 *  time: a quarter of a second per GiB, four times a plain loop. */
function zeroWords(w: Int32Array, at: number, n: number): boolean {
  for (const end = at + n; at < end; at += 8)
    if ((w[at] | w[at + 1] | w[at + 2] | w[at + 3] | w[at + 4] | w[at + 5] | w[at + 6] | w[at + 7]) !== 0) return false;
  return true;
}

const words = (b: Uint8Array) => new Int32Array(b.buffer, b.byteOffset, b.length >> 2);
const WORDS_PER_SECTOR = SECTOR / 4;

export function encodeState(p: StateParts): Uint8Array {
  if (p.disk && p.disk.sectors > MAX_STATE_DISK_SECTORS)
    throw new UserError(`a state file holds a disk of at most ${MAX_DISK_TEXT}; this one is ${p.disk.sectors} sectors`);
  if (p.memory.length % PAGE) throw new Error("encodeState: memory is not a whole number of pages");
  // Word views need 4-byte alignment; the core's memory has it.
  const memory = p.memory.byteOffset % 4 ? p.memory.slice() : p.memory;
  const chunks: Uint8Array[] = [];
  const u32 = (...vs: number[]) => {
    const b = new Uint8Array(4 * vs.length);
    const v = new DataView(b.buffer);
    vs.forEach((x, i) => v.setUint32(4 * i, x >>> 0, true));
    chunks.push(b);
  };
  chunks.push(new TextEncoder().encode(STATE_MAGIC));
  u32(STATE_FORMAT, p.coreVersion, p.disk ? 1 : 0, memory.length, p.disk?.sectors ?? 0, p.exitCode === undefined ? 0 : p.exitCode + 1, p.ramMiB);
  const pages: number[] = [];
  const mw = words(memory);
  for (let i = 0; i * PAGE < memory.length; i++) if (!zeroWords(mw, i * (PAGE / 4), PAGE / 4)) pages.push(i);
  u32(pages.length);
  for (const i of pages) {
    const page = memory.subarray(i * PAGE, (i + 1) * PAGE);
    let n = PAGE;
    while (n > 0 && page[n - 1] === 0) n--;
    u32(i, n);
    chunks.push(page.slice(0, n));
  }
  const sectors: [number, Uint8Array][] = [];
  if (p.disk) {
    const buf = new Uint8Array(BATCH * SECTOR), w = words(buf);
    for (let lba = 0; lba < p.disk.sectors; lba += BATCH) {
      const n = Math.min(BATCH, p.disk.sectors - lba);
      p.disk.read(lba, n, buf.subarray(0, n * SECTOR));
      for (let i = 0; i < n; i++)
        if (!zeroWords(w, i * WORDS_PER_SECTOR, WORDS_PER_SECTOR)) sectors.push([lba + i, buf.slice(i * SECTOR, (i + 1) * SECTOR)]);
    }
  }
  u32(sectors.length);
  for (const [lba, data] of sectors) { u32(lba); chunks.push(data); }
  const body = concat(chunks);
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, crc32(body), true);
  return out;
}

/**
 * Makes disk hold a decoded state's sectors, and zeros in every sector the
 * state does not list, writing only the sectors that differ. Restoring into
 * the disk the state was saved from, or into a new zeroed one (--load-state
 * without --disk), so costs one read of the disk and few writes: the zero
 * pages of a memory disk are never written (so never committed), and a
 * copy-on-write overlay grows only by what really changes.
 */
export function restoreDisk(disk: Disk, sectors: DecodedState["sectors"]): void {
  const buf = new Uint8Array(BATCH * SECTOR), w = words(buf);
  let k = 0; // the next listed sector: decodeState gives them in order
  for (let lba = 0; lba < disk.sectors; lba += BATCH) {
    const n = Math.min(BATCH, disk.sectors - lba);
    disk.read(lba, n, buf.subarray(0, n * SECTOR));
    let run = -1; // the first of a run of changed sectors, written together
    for (let i = 0; i <= n; i++) {
      let changed = false;
      if (i < n) {
        const at = i * SECTOR;
        if (k < sectors.length && sectors[k].lba === lba + i) {
          const want = sectors[k++].data;
          for (let j = 0; j < SECTOR && !changed; j++) changed = buf[at + j] !== want[j];
          if (changed) buf.set(want, at);
        } else if (!zeroWords(w, i * WORDS_PER_SECTOR, WORDS_PER_SECTOR)) {
          changed = true;
          buf.fill(0, at, at + SECTOR);
        }
      }
      if (changed && run < 0) run = i;
      if (!changed && run >= 0) {
        disk.write(lba + run, i - run, buf.subarray(run * SECTOR, i * SECTOR));
        run = -1;
      }
    }
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

export interface DecodedState {
  coreVersion: number;
  memoryBytes: number;
  pages: { index: number; data: Uint8Array }[];
  diskSectors: number;
  hasDisk: boolean;
  sectors: { lba: number; data: Uint8Array }[];
  exitCode?: number;
  ramMiB: number;
}

/** Parses and checks a state file; throws UserError saying what is wrong. */
export function decodeState(bytes: Uint8Array): DecodedState {
  const bad = (why: string) => new UserError(`not a usable wasm386 state file: ${why}`);
  if (bytes.length < 8 + 28 + 4 || new TextDecoder().decode(bytes.subarray(0, 8)) !== STATE_MAGIC)
    throw bad("it does not start with the wasm386 state header");
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = v.getUint32(8, true);
  if (format !== STATE_FORMAT) throw bad(`it is format version ${format}; this wasm386 reads version ${STATE_FORMAT}`);
  const end = bytes.length - 4; // where the CRC starts
  if (crc32(bytes.subarray(0, end)) !== v.getUint32(end, true)) throw bad("it is truncated or corrupt (checksum mismatch)");
  let at = 12;
  const left = () => end - at;
  const next = () => { if (left() < 4) throw bad("it ends too early"); const x = v.getUint32(at, true); at += 4; return x; };
  const take = (n: number) => { if (left() < n) throw bad("it ends too early"); const b = bytes.subarray(at, at + n); at += n; return b; };
  /** A count of entries of entrySize bytes each: they must all be there. */
  const count = (entrySize: number, what: string) => {
    const n = next();
    if (n * entrySize > left()) throw bad(`it lists ${n} ${what}, more than its ${left()} remaining bytes hold`);
    return n;
  };

  const coreVersion = next(), flags = next(), memoryBytes = next(), diskSectors = next(), exit = next(), ramMiB = next();
  const hasDisk = (flags & 1) !== 0;
  if (flags & ~1) throw bad(`it has unknown flags (0x${flags.toString(16)})`);
  if (memoryBytes === 0 || memoryBytes % WASM_PAGE) throw bad(`its memory size (${memoryBytes} bytes) is not a whole number of 64 KiB pages`);
  // The guest's RAM lies inside the core's memory, after the core's own state.
  if (ramMiB === 0 || ramMiB * MIB >= memoryBytes) throw bad(`its guest RAM (${ramMiB} MiB) does not fit its memory (${memoryBytes} bytes)`);
  if (hasDisk ? diskSectors === 0 || diskSectors > MAX_STATE_DISK_SECTORS : diskSectors !== 0)
    throw bad(hasDisk ? `its disk size (${diskSectors} sectors) is not from 1 sector to ${MAX_DISK_TEXT}` : "it has a disk size but no disk");

  // Pages and sectors come in increasing order, each once, as encodeState
  // writes them: so there are at most as many as fit.
  const pages = [];
  let last = -1;
  for (let n = count(8, "memory pages"); n > 0; n--) {
    const index = next(), used = next();
    if (index <= last || (index + 1) * PAGE > memoryBytes || used > PAGE) throw bad("a memory page lies outside the memory or out of order");
    pages.push({ index, data: take(used) });
    last = index;
  }
  const sectors = [];
  last = -1;
  for (let n = count(4 + SECTOR, "disk sectors"); n > 0; n--) {
    const lba = next();
    if (lba <= last || lba >= diskSectors) throw bad("a disk sector lies outside the disk or out of order");
    sectors.push({ lba, data: take(SECTOR) });
    last = lba;
  }
  if (at !== end) throw bad("it has bytes after its end");
  return { coreVersion, memoryBytes, pages, diskSectors, hasDisk, sectors, exitCode: exit ? exit - 1 : undefined, ramMiB };
}
