// Host input fuzzing: mutated Multiboot kernels, initrd archives, disk
// images and saved-state files, each given to the Machine API. Every one is
// either accepted (the machine then runs for a bounded time) or refused
// with a UserError; nothing else may escape. Seeded, so a failure repeats;
// the seed and the mutation are in the failure message.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { image, coreModule } from "../helpers/machine.js";
import { Machine, UserError, type MachineOptions } from "../../host/machine.js";
import { memoryDisk } from "../../host/disk.js";

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

/** A copy of data with a few random bytes changed, a block zeroed, or cut short. */
function mutate(data: Uint8Array, next: () => number): { bytes: Uint8Array; what: string } {
  const b = data.slice();
  const kind = next() % 4;
  if (kind === 0) {
    const n = 1 + (next() % 8);
    for (let i = 0; i < n; i++) b[next() % b.length] = next() & 0xff;
    return { bytes: b, what: `${n} random bytes` };
  }
  if (kind === 1) {
    const at = next() % b.length, len = Math.min(b.length - at, 1 + (next() % 512));
    b.fill(0, at, at + len);
    return { bytes: b, what: `zeroed ${len} at ${at}` };
  }
  if (kind === 2) {
    const len = next() % b.length;
    return { bytes: b.subarray(0, len), what: `cut to ${len}` };
  }
  const at = next() % Math.min(b.length, 256); // the headers
  b[at] ^= 1 << (next() % 8);
  return { bytes: b, what: `bit flip at ${at}` };
}

async function tryMachine(opts: Partial<MachineOptions>, what: string, instructions: number, state?: Uint8Array) {
  let m: Machine;
  try {
    m = await Machine.create({ wasm: coreModule(), memoryMiB: 32, ...opts });
    if (state) m.restoreState(state);
  } catch (e) {
    if (e instanceof UserError) return "refused";
    throw new Error(`${what}: not a UserError: ${(e as Error).stack}`);
  }
  try {
    await m.runUntilDone({ maxInstructions: instructions });
  } catch (e) {
    throw new Error(`${what}: the run threw: ${(e as Error).stack}`);
  }
  return "ran";
}

test("200 mutated Multiboot kernels: run or refused, never a host exception", async () => {
  const kernel = image("bench/calls.elf");
  const next = rng(1);
  const seen = { ran: 0, refused: 0 };
  for (let i = 0; i < 200; i++) {
    const { bytes, what } = mutate(kernel, next);
    seen[await tryMachine({ kernel: bytes }, `kernel #${i} (${what})`, 200_000)]++;
  }
  assert.ok(seen.ran > 0 && seen.refused > 0, JSON.stringify(seen));
});

test("40 mutated initrd archives: the kernel runs with each", async () => {
  const kernel = image("kernel.elf"), initrd = image("initrd.cpio");
  const next = rng(2);
  for (let i = 0; i < 40; i++) {
    const { bytes, what } = mutate(initrd, next);
    assert.is(await tryMachine({ kernel, initrd: bytes, cmdline: "nomodules" }, `initrd #${i} (${what})`, 3_000_000), "ran");
  }
});

test("30 mutated disk images under the ext2 driver", async () => {
  const kernel = image("kernel.elf"), initrd = image("initrd.cpio"), disk = image("disk.img");
  const next = rng(3);
  for (let i = 0; i < 30; i++) {
    const { bytes, what } = mutate(disk.subarray(0, 64 * 1024), next); // the metadata at the start
    const whole = disk.slice();
    whole.set(bytes);
    await tryMachine({ kernel, initrd, disk: memoryDisk(whole) }, `disk #${i} (${what})`, 20_000_000);
  }
});

test("100 mutated saved states: restored or refused with a UserError", async () => {
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: 32, kernel: image("bench/calls.elf") });
  await m.runUntilDone({ maxInstructions: 100_000 });
  const state = m.saveState();
  const next = rng(4);
  let changed = 0;
  for (let i = 0; i < 100; i++) {
    const { bytes, what } = mutate(state, next);
    const same = bytes.length === state.length && bytes.every((b, k) => b === state[k]); // a zeroed block may have been zero
    const outcome = await tryMachine({ kernel: image("bench/calls.elf") }, `state #${i} (${what})`, 100_000, bytes);
    assert.is(outcome, same ? "ran" : "refused", `state #${i} (${what})`);
    if (!same) changed++;
  }
  assert.ok(changed > 80, `${changed} of 100 mutations changed the file`);
});

test.run();
