// State-file fuzzing with the checksum made right, so every file reaches the
// parser: structurally valid files whose sizes, counts, indexes and offsets
// lie, and randomly damaged files. Each one must restore or be refused with
// a UserError (a refused one leaving the machine as it was), quickly and
// without the host allocating what the file claims. Seeded: the case is in
// a failure's message. Then once through the CLI.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coreModule, image, root } from "../helpers/machine.js";
import { Machine, UserError } from "../../host/machine.js";
import { memoryDisk } from "../../host/disk.js";
import { MAX_STATE_DISK_SECTORS, crc32, decodeState } from "../../host/state.js";
import { CLI } from "../helpers/cli.js";

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

const SECTORS = 64;
const machine = (disk = new Uint8Array(SECTORS * 512)) =>
  Machine.create({ wasm: coreModule(), memoryMiB: 2, kernel: image("bench/calls.elf"), disk: memoryDisk(disk) });

/** A small machine's state, with a disk that has some non-zero sectors. */
async function realState(): Promise<Uint8Array> {
  const disk = new Uint8Array(SECTORS * 512);
  for (const lba of [0, 3, 40, 63]) disk.fill(lba + 1, lba * 512, lba * 512 + 512);
  const m = await machine(disk);
  await m.runUntilDone({ maxInstructions: 100_000 });
  return m.saveState();
}

/** What --load-state does without --disk: a machine of the file's RAM
 *  size, with an empty disk of the file's disk size, then the restore. */
async function restoreAsCli(bytes: Uint8Array): Promise<void> {
  const s = decodeState(bytes);
  const disk = s.hasDisk ? memoryDisk(new Uint8Array(s.diskSectors * 512)) : undefined;
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: s.ramMiB, kernel: image("bench/calls.elf"), disk });
  m.restoreState(bytes);
}

/** The fields of a state file, which a test may set to anything. */
interface Parts {
  header: number[]; // format, core version, flags, memory bytes, disk sectors, exit + 1, RAM MiB
  pageCount?: number;
  pages: { index: number; used: number; data: Uint8Array }[];
  sectorCount?: number;
  sectors: { lba: number; data: Uint8Array }[];
  tail?: Uint8Array;
}

function parts(bytes: Uint8Array): Parts {
  const s = decodeState(bytes);
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  return {
    header: Array.from({ length: 7 }, (_, i) => v.getUint32(8 + 4 * i, true)),
    pages: s.pages.map((p) => ({ index: p.index, used: p.data.length, data: p.data })),
    sectors: s.sectors.map((x) => ({ lba: x.lba, data: x.data })),
  };
}

/** Writes the parts out as given, lies included, with a correct CRC. */
function build(p: Parts): Uint8Array {
  const out: number[] = [..."W386STAT"].map((c) => c.charCodeAt(0));
  const u32 = (x: number) => out.push(x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff);
  p.header.forEach(u32);
  u32(p.pageCount ?? p.pages.length);
  for (const pg of p.pages) { u32(pg.index); u32(pg.used); out.push(...pg.data); }
  u32(p.sectorCount ?? p.sectors.length);
  for (const x of p.sectors) { u32(x.lba); out.push(...x.data); }
  out.push(...(p.tail ?? []));
  return withCrc(Uint8Array.from(out));
}

function withCrc(body: Uint8Array): Uint8Array {
  const b = new Uint8Array(body.length + 4);
  b.set(body);
  new DataView(b.buffer).setUint32(body.length, crc32(body), true);
  return b;
}

const HOSTILE = [0, 1, 2, 0x1000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

/** Files whose structure is sound but whose numbers lie: every header field,
 *  both counts, and every page's and sector's index and length, set to each
 *  hostile value; entries out of order or twice; bytes missing or extra. */
function structuralCases(real: Parts, next: () => number): { bytes: Uint8Array; what: string }[] {
  const cases: { bytes: Uint8Array; what: string }[] = [];
  const copy = (): Parts => ({ ...real, header: [...real.header], pages: real.pages.map((p) => ({ ...p })), sectors: real.sectors.map((x) => ({ ...x })) });
  const add = (what: string, change: (p: Parts) => void) => { const p = copy(); change(p); cases.push({ bytes: build(p), what }); };
  const near = (x: number) => [x - 1, x + 1, x * 2, x >>> 1];
  for (let f = 1; f < 7; f++)
    for (const x of [...HOSTILE, ...near(real.header[f])]) add(`header field ${f} = ${x}`, (p) => { p.header[f] = x >>> 0; });
  for (const x of [...HOSTILE, ...near(real.pages.length)]) add(`page count ${x}`, (p) => { p.pageCount = x >>> 0; });
  for (const x of [...HOSTILE, ...near(real.sectors.length)]) add(`sector count ${x}`, (p) => { p.sectorCount = x >>> 0; });
  for (let i = 0; i < real.pages.length; i++) {
    for (const x of [...HOSTILE, 0x1001, 511, 4095, 4096, 4097]) {
      add(`page ${i} index ${x}`, (p) => { p.pages[i].index = x; });
      // The length field says x; the bytes that follow are what is there (or as many as it says, if fewer).
      add(`page ${i} length ${x}`, (p) => { p.pages[i].used = x; p.pages[i].data = p.pages[i].data.slice(0, x); });
      add(`page ${i} length ${x} with its bytes`, (p) => { p.pages[i].used = x; p.pages[i].data = new Uint8Array(Math.min(x, 8192)).fill(0x5a); });
    }
    add(`page ${i} twice`, (p) => { p.pages.splice(i, 0, p.pages[i]); });
  }
  for (let i = 0; i < real.sectors.length; i++) {
    for (const x of [...HOSTILE, SECTORS - 1, SECTORS, SECTORS + 1]) add(`sector ${i} lba ${x}`, (p) => { p.sectors[i].lba = x; });
    add(`sector ${i} twice`, (p) => { p.sectors.splice(i, 0, p.sectors[i]); });
    add(`sector ${i} short`, (p) => { p.sectors[i].data = p.sectors[i].data.slice(0, 511); });
  }
  add("pages reversed", (p) => { p.pages.reverse(); });
  add("sectors reversed", (p) => { p.sectors.reverse(); });
  add("no disk but sectors", (p) => { p.header[2] = 0; });
  add("no disk and no disk size", (p) => { p.header[2] = 0; p.header[4] = 0; p.sectors = []; });
  add("trailing bytes", (p) => { p.tail = new Uint8Array(1 + (next() % 600)); });
  add("the disk 0xFFFFFFFF sectors", (p) => { p.header[4] = 0xffffffff; });
  add("a page past the end of 4 GiB", (p) => { p.pages[0].index = 0xfffff; });
  return cases;
}

/** Random damage anywhere in the file before its CRC, the CRC then made right. */
function mutated(state: Uint8Array, next: () => number): { bytes: Uint8Array; what: string } {
  const body = state.subarray(0, state.length - 4);
  let b = body.slice();
  let what: string;
  switch (next() % 6) {
    case 0: { const n = 1 + (next() % 8); for (let i = 0; i < n; i++) b[next() % b.length] = next() & 0xff; what = `${n} random bytes`; break; }
    case 1: { const at = 8 + (next() % 72); b[at] ^= 1 << (next() % 8); what = `bit flip at ${at} (the header and first entries)`; break; }
    case 2: { const at = 12 + 4 * (next() % 16); new DataView(b.buffer).setUint32(at, HOSTILE[next() % HOSTILE.length], true); what = `u32 at ${at} hostile`; break; }
    case 3: { const len = next() % b.length; b = b.slice(0, len); what = `cut to ${len}`; break; }
    case 4: { const at = next() % b.length, n = 1 + (next() % 700); const c = new Uint8Array(b.length + n); c.set(b.subarray(0, at)); c.set(b.subarray(at), at + n); c.fill(next() & 0xff, at, at + n); b = c; what = `${n} bytes inserted at ${at}`; break; }
    default: { const at = next() % b.length, n = 1 + (next() % 700); b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + n)]); what = `${n} bytes cut at ${at}`; }
  }
  return { bytes: withCrc(b), what };
}

let real: Uint8Array;

test("1,000+ state files with hostile sizes or random damage and a right CRC: restored or refused", async () => {
  real = await realState();
  const base = parts(real);
  assert.ok(base.pages.length > 3 && base.sectors.length === 4, "the state has pages and disk sectors to lie about");
  const next = rng(8);
  const cases = [...structuralCases(base, next)];
  const structural = cases.length;
  while (cases.length < structural + 800) cases.push(mutated(real, next));
  const m = await machine();
  const seen = { restored: 0, refused: 0 };
  const rss = process.memoryUsage().rss;
  const start = Date.now();
  let asCli = 0;
  for (const [i, { bytes, what }] of cases.entries()) {
    const before = m.registers().eip, t = Date.now();
    try {
      m.restoreState(bytes);
      seen.restored++;
    } catch (e) {
      if (!(e instanceof UserError)) throw new Error(`case #${i} (${what}): not a UserError: ${(e as Error).stack}`);
      assert.not.match(e.message, /\n/, `case #${i} (${what}): one line`);
      assert.is(m.registers().eip, before, `case #${i} (${what}): refused, the machine is unchanged`);
      seen.refused++;
    }
    // A file that parses but describes another machine: the CLI would
    // build that machine from it. Within the bound, do so (up to a 64 MiB
    // disk: the test stays small).
    let s;
    try { s = decodeState(bytes); } catch { s = undefined; }
    if (s && (s.ramMiB !== base.header[6] || !s.hasDisk || s.diskSectors !== SECTORS)) {
      assert.ok(s.diskSectors <= MAX_STATE_DISK_SECTORS, `case #${i} (${what}): accepted a disk of ${s.diskSectors} sectors`);
      if (s.diskSectors <= 1 << 17) {
        asCli++;
        try {
          await restoreAsCli(bytes);
        } catch (e) {
          if (!(e instanceof UserError)) throw new Error(`case #${i} (${what}) as the CLI: not a UserError: ${(e as Error).stack}`);
        }
      }
    }
    assert.ok(Date.now() - t < 2000, `case #${i} (${what}): took ${Date.now() - t} ms`);
  }
  const grown = (process.memoryUsage().rss - rss) / 1048576;
  assert.ok(grown < 512, `the host grew by ${grown.toFixed(0)} MiB`);
  assert.ok(seen.refused > structural && seen.restored > 50, JSON.stringify(seen));
  console.log(`  state fuzz: ${cases.length} files (${structural} with lying sizes), ${seen.restored} restored, ${seen.refused} refused, ${asCli} also as the CLI would, ${Date.now() - start} ms`);
  // The original still restores after all that.
  m.restoreState(real);
});

test("the CLI refuses a CRC-correct state file with a 0xFFFFFFFF-sector disk in one line", () => {
  const p = parts(real);
  p.header[4] = 0xffffffff;
  const file = join(mkdtempSync(join(tmpdir(), "wasm386-state-")), "huge-disk.state");
  writeFileSync(file, build(p));
  const r = spawnSync(process.execPath, [...CLI, "--load-state", file], { cwd: root, encoding: "latin1", timeout: 60_000 });
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr, /^wasm386: not a usable wasm386 state file: its disk size \(4294967295 sectors\) is not from 1 sector to 4 GiB\n$/);
});

test.run();
