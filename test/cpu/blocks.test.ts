// The decoded-block cache against the plain interpreter. The cache must be
// invisible: every test guest, random code in ring 0 and ring 3, and the
// teaching kernel's own programs give the same output, the same registers
// and the same instruction count (so interrupts land on the same
// instruction) with the cache on and off. Self-modifying code and code
// remapped by CR3 are test/guest/smc.c, compared with QEMU in diff.test.ts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { image, machineWithLog, root } from "../helpers/machine.js";
import { testGuests } from "../../scripts/guests.js";
import type { MachineOptions } from "../../host/machine.js";
import { memoryDisk } from "../../host/disk.js";

// opts is made afresh for each run (a disk must start the same for both).
async function runBoth(opts: () => Partial<MachineOptions>, maxInstructions: number) {
  const runs = [];
  for (const blockCache of [false, true]) {
    const { m, serial } = await machineWithLog({ memoryMiB: 64, ...opts(), blockCache });
    const outcome = await m.runUntilDone({ maxInstructions });
    runs.push({ outcome, serial: serial(), instructions: m.instructions, regs: m.registers(), blocks: m.blocksDecoded });
  }
  const [plain, cached] = runs;
  assert.is(plain.blocks, 0, "the interpreter decoded blocks");
  return { plain, cached };
}

function same(what: string, plain: Awaited<ReturnType<typeof runBoth>>["plain"], cached: typeof plain) {
  assert.is(cached.serial, plain.serial, `${what}: output`);
  assert.equal(cached.outcome, plain.outcome, `${what}: outcome`);
  assert.is(cached.instructions, plain.instructions, `${what}: instruction count`);
  assert.equal(cached.regs, plain.regs, `${what}: registers`);
}

for (const guest of testGuests(root).filter((g) => g.kind === "elf")) {
  test(`${guest.name}: the same with the block cache as with the interpreter`, async () => {
    const { plain, cached } = await runBoth(() => ({
      kernel: readFileSync(`${root}${guest.file}`), kernelName: guest.file, cmdline: guest.name,
    }), 2_000_000_000);
    same(guest.name, plain, cached);
    assert.ok(cached.blocks > 10, `${guest.name}: only ${cached.blocks} blocks decoded`);
  });
}

test("random code in ring 3 and ring 0: the same with and without the block cache", async () => {
  for (const [seed, ring, budget] of [[1, 3, 1_000_000], [2, 3, 1_000_000], [7, 3, 1_000_000],
    ...Array.from({ length: 8 }, (_, i) => [i + 1, 0, 200_000])]) {
    const { plain, cached } = await runBoth(() => ({
      kernel: image("test/fuzz/cpufuzz.elf"), kernelName: "cpufuzz", cmdline: `seed=${seed} ring=${ring}`,
      memoryMiB: 16, onReset: "exit",
    }), budget);
    same(`seed ${seed} ring ${ring}`, plain, cached);
  }
});

const kernel = { kernel: image("kernel.elf"), kernelName: "images/kernel.elf", initrd: image("initrd.cpio"), initrdName: "images/initrd.cpio" };
for (const init of ["attacks", "systest", "memtest", "forktest"]) {
  test(`the kernel running /bin/${init}: the same with and without the block cache`, async () => {
    const { plain, cached } = await runBoth(() => ({ ...kernel, cmdline: `init=/bin/${init}` }), 200_000_000);
    same(init, plain, cached);
    assert.ok(cached.blocks > 100, `${init}: only ${cached.blocks} blocks decoded`);
  });
}

test("the kernel's boot to the shell, with the disk's modules: the same with and without the block cache", async () => {
  const { plain, cached } = await runBoth(() => ({ ...kernel, disk: memoryDisk(image("disk.img")) }), 30_000_000);
  assert.match(plain.serial, /wasm386:\/\$ $/);
  same("boot", plain, cached);
});

test.run();
