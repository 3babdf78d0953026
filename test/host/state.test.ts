// Save and restore: a machine saved mid-session and restored into a fresh
// one continues exactly as the original does (deterministic clock, same
// input); damaged, truncated and foreign state files are refused with a
// clear error, and the machine is left as it was.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { image, machineWithLog } from "../helpers/machine.js";
import { memoryDisk } from "../../host/disk.js";
import { UserError } from "../../host/machine.js";
import { crc32 } from "../../host/state.js";

const opts = (disk: Uint8Array) => ({
  kernel: image("kernel.elf"), kernelName: "images/kernel.elf", initrd: image("initrd.cpio"),
  initrdName: "images/initrd.cpio", memoryMiB: 32, disk: memoryDisk(disk),
});

async function untilPrompt(m: Awaited<ReturnType<typeof machineWithLog>>["m"], serial: () => string, from: number) {
  for (let i = 0; i < 2000 && !/\$ $/.test(serial().slice(from)); i++) await m.runUntilDone({ maxInstructions: 200_000 });
}

/** Types the lines one prompt at a time; returns what the machine printed meanwhile. */
async function session(m: Awaited<ReturnType<typeof machineWithLog>>["m"], serial: () => string, input: string[]) {
  const start = serial().length;
  for (const line of input) {
    const at = serial().length;
    m.sendSerial(`${line}\n`);
    await untilPrompt(m, serial, at + line.length);
  }
  return serial().slice(start);
}

const input = ["echo saved state > /mnt/state.txt", "cat /mnt/state.txt", "ls /mnt", "uname -a", "ps"];
let saved: Uint8Array;
let original = "";

test("a restored machine continues exactly as the original", async () => {
  const a = await machineWithLog(opts(new Uint8Array(image("disk.img"))));
  await untilPrompt(a.m, a.serial, 0);
  saved = a.m.saveState();
  original = await session(a.m, a.serial, input);
  assert.match(original, /\$ cat \/mnt\/state.txt\r\nsaved state\r\n/);

  const b = await machineWithLog(opts(new Uint8Array(4 << 20))); // its disk's contents come from the state
  b.m.restoreState(saved);
  const restored = await session(b.m, b.serial, input);
  assert.is(restored, original);
  assert.is(b.serial().length, restored.length, "nothing printed before the restored session");
});

test("the state file holds the disk: a write after saving is undone by restoring", async () => {
  const disk = new Uint8Array(image("disk.img"));
  const c = await machineWithLog(opts(disk));
  c.m.restoreState(saved);
  await session(c.m, c.serial, ["echo changed > /mnt/state.txt", "sync"]);
  c.m.restoreState(saved);
  const again = await session(c.m, c.serial, ["cat /mnt/state.txt"]);
  assert.match(again, /No such file or directory/);
});

async function refused(bytes: Uint8Array, pattern: RegExp, memoryMiB = 32) {
  const m = (await machineWithLog({ ...opts(new Uint8Array(4 << 20)), memoryMiB })).m;
  const before = m.registers().eip;
  try {
    m.restoreState(bytes);
    assert.unreachable("the state was accepted");
  } catch (e) {
    assert.instance(e, UserError);
    assert.match((e as Error).message, pattern);
  }
  assert.is(m.registers().eip, before, "the machine is unchanged");
}

test("corrupt, truncated, foreign and mismatched state files are refused", async () => {
  const flipped = saved.slice();
  flipped[flipped.length >> 1] ^= 0x40;
  await refused(flipped, /corrupt/);
  await refused(saved.subarray(0, saved.length - 1000), /truncated or corrupt/);
  await refused(new TextEncoder().encode("hello, this is not a state file at all, but long enough"), /header/);
  const future = saved.slice();
  new DataView(future.buffer).setUint32(8, 99, true);
  await refused(future, /format version 99/);
  const otherCore = saved.slice();
  const v = new DataView(otherCore.buffer);
  v.setUint32(12, 77, true);
  v.setUint32(otherCore.length - 4, crc32(otherCore.subarray(0, otherCore.length - 4)), true);
  await refused(otherCore, /state version 77/);
  await refused(saved, /different memory size/, 16);
});

test("state files whose sizes lie are refused even with a right checksum", async () => {
  // Offsets: flags 16, memory bytes 20, disk sectors 24, RAM MiB 32, page
  // count 36, the first page's index 40 and length 44.
  const lie = (offset: number, value: number) => {
    const b = saved.slice();
    const v = new DataView(b.buffer);
    v.setUint32(offset, value, true);
    v.setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)), true);
    return b;
  };
  await refused(lie(24, 0xffffffff), /its disk size \(4294967295 sectors\) is not from 1 sector to 4 GiB/);
  await refused(lie(24, 0), /its disk size \(0 sectors\)/);
  await refused(lie(16, 3), /unknown flags/);
  await refused(lie(20, 0xffffffff), /its memory size \(4294967295 bytes\) is not a whole number of 64 KiB pages/);
  await refused(lie(32, 0xffffffff), /its guest RAM \(4294967295 MiB\) does not fit/);
  await refused(lie(36, 0xffffffff), /it lists 4294967295 memory pages, more than its \d+ remaining bytes hold/);
  await refused(lie(40, 0xffffffff), /a memory page lies outside the memory/);
  await refused(lie(44, 0xffffffff), /a memory page lies outside the memory/);
});

test.run();
