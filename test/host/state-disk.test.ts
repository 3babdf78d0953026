// The disk half of save and restore: a restore leaves the disk exactly as
// saved (the listed sectors, zeros elsewhere) but writes only the sectors
// that differ, so restoring a large, mostly empty disk costs one read of
// it: a copy-on-write overlay grows by what changed, a fresh memory disk
// (what --load-state without --disk builds) stays uncommitted, and a
// state at the 4 GiB limit saves and loads in seconds.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Machine } from "../../host/machine.js";
import { memoryDisk, overlayDisk, type Disk } from "../../host/disk.js";
import { MAX_STATE_DISK_SECTORS, decodeState } from "../../host/state.js";
import { coreModule } from "../helpers/machine.js";

const SECTOR = 512;
const machine = (disk: Disk) => Machine.create({ wasm: coreModule(), memoryMiB: 2, disk });

/** Fills sector lba of a disk's bytes with a pattern that says which sector it is. */
function mark(bytes: Uint8Array, lba: number, salt = 1): void {
  for (let i = 0; i < SECTOR; i++) bytes[lba * SECTOR + i] = (lba * 7 + i * salt + 1) & 0xff || 1;
}

test("a restore leaves the disk exactly as saved, whatever it held, across batch boundaries", async () => {
  const n = 4100; // two batches of 2048 sectors and a bit
  const saved = new Uint8Array(n * SECTOR);
  const listed = [0, 1, 2047, 2048, 2049, 3000, 4098, 4099];
  for (const lba of listed) mark(saved, lba);
  const state = (await machine(memoryDisk(saved.slice()))).saveState();
  assert.equal(decodeState(state).sectors.map((s) => s.lba), listed);

  // The disk restored into: some listed sectors already right, some
  // different, some zero; unlisted ones zero or not, alone and in runs.
  const bytes = new Uint8Array(n * SECTOR);
  for (const lba of [0, 2048, 4099]) mark(bytes, lba); // already as saved
  for (const lba of [1, 2047, 3000]) mark(bytes, lba, 3); // listed, different
  for (const lba of [5, 6, 7, 2046, 2050, 2051, 4097]) mark(bytes, lba, 5); // unlisted, not zero
  const writes: [number, number][] = [];
  const base = memoryDisk(bytes);
  const disk: Disk = { ...base, write: (lba, count, from) => { writes.push([lba, count]); base.write(lba, count, from); } };
  (await machine(disk)).restoreState(state);
  assert.ok(bytes.every((b, i) => b === saved[i]), "the disk is as saved");
  // Only what differed was written, a run of neighbours at a time.
  assert.equal(writes, [[1, 1], [5, 3], [2046, 2], [2049, 3], [3000, 1], [4097, 2]]);
});

test("restoring into a copy-on-write overlay of a 64 MiB disk stores only the sectors that changed", async () => {
  const sectors = (64 << 20) / SECTOR;
  const original = new Uint8Array(sectors * SECTOR);
  for (const lba of [3, 40, 100_000]) mark(original, lba);
  const state = (await machine(memoryDisk(original.slice()))).saveState();
  // The same disk behind an overlay (--snapshot), one sector changed since the save.
  const base = original.slice();
  mark(base, 40, 9);
  const overlay = overlayDisk(memoryDisk(base));
  (await machine(overlay)).restoreState(state);
  assert.is(overlay.dirtySectors, 1, "only the changed sector is held in memory");
  const got = new Uint8Array(SECTOR);
  overlay.read(40, 1, got);
  assert.equal(got, original.subarray(40 * SECTOR, 41 * SECTOR));
});

test("a state at the 4 GiB disk limit, mostly empty, saves and loads as the CLI does in seconds, committing little memory", async () => {
  assert.is(MAX_STATE_DISK_SECTORS, 2 ** 32 / SECTOR);
  const big = new Uint8Array(2 ** 32); // zero pages: not committed
  for (const lba of [0, 12345, MAX_STATE_DISK_SECTORS - 1]) mark(big, lba);
  let t = performance.now();
  const state = (await machine(memoryDisk(big))).saveState();
  const saveMs = performance.now() - t;
  assert.ok(state.length < 1 << 20, `${state.length} bytes`);
  global.gc?.();
  const rss = process.memoryUsage().rss;
  // What --load-state without --disk does: a zeroed disk of the file's size.
  t = performance.now();
  const s = decodeState(state);
  const fresh = new Uint8Array(s.diskSectors * SECTOR);
  (await machine(memoryDisk(fresh))).restoreState(state);
  const loadMs = performance.now() - t;
  const grew = (process.memoryUsage().rss - rss) / 1048576;
  for (const lba of [0, 12345, MAX_STATE_DISK_SECTORS - 1])
    assert.equal(fresh.subarray(lba * SECTOR, (lba + 1) * SECTOR), big.subarray(lba * SECTOR, (lba + 1) * SECTOR));
  if (process.env.SHOW) console.log(`  save ${saveMs.toFixed(0)} ms, load ${loadMs.toFixed(0)} ms, RSS +${grew.toFixed(0)} MiB`);
  assert.ok(loadMs < 8000, `the load took ${loadMs.toFixed(0)} ms`);
  assert.ok(grew < 256, `loading committed ${grew.toFixed(0)} MiB`);
});

test.run();
