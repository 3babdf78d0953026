// The kernel boots by Multiboot and reports what the loader told it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { image, machineWithLog, root } from "../helpers/machine.js";
import { haveQemu, qemuBoot } from "../helpers/qemu.js";

async function boot(cmdline: string, memoryMiB = 64, initrd?: Uint8Array) {
  const { m, serial } = await machineWithLog({
    kernel: image("kernel.elf"), kernelName: "images/kernel.elf", cmdline, memoryMiB, initrd,
  });
  const outcome = await m.runUntilDone({ maxInstructions: 50_000_000 });
  return { outcome, serial: serial() };
}

test("banner: memory size and the command line", async () => {
  const { outcome, serial } = await boot("console=ttyS0 quiet", 64);
  const lines = serial.split("\r\n");
  assert.match(lines[0], /^wasm386 teaching kernel /);
  assert.ok(lines.includes("memory: 64 MiB"), serial);
  assert.ok(lines.includes('command line: "images/kernel.elf console=ttyS0 quiet"'), serial);
  assert.ok(lines.includes("modules: 0"), serial);
  assert.is(outcome.reason, "halted");
});

test("the memory size follows --mem", async () => {
  for (const mib of [8, 200]) {
    const { serial } = await boot("", mib);
    assert.ok(serial.includes(`memory: ${mib} MiB\r\n`), serial);
  }
});

test("an initrd arrives as module 0", async () => {
  const { serial } = await boot("", 16, new Uint8Array(10000));
  assert.ok(serial.includes("modules: 1\r\n"), serial);
});

test("exit=N leaves through the debug-exit port with status 2N+1", async () => {
  const { outcome, serial } = await boot("exit=5");
  assert.equal(outcome, { reason: "exit", exitCode: 11 });
  assert.ok(serial.includes("exiting with code 5\r\n"));
});

test("the kernel runs in the higher half with the PIT ticking at 100 Hz", async () => {
  const { outcome, serial } = await boot("ticks=25 exit=0");
  assert.ok(serial.includes("25 timer ticks\r\n"), serial);
  assert.equal(outcome, { reason: "exit", exitCode: 1 });
});

test("a fault in the kernel panics with the registers and a backtrace, then halts", async () => {
  const { outcome, serial } = await boot("panictest");
  assert.match(serial, /panic: page fault \(trap 14, error 2\) at eip c01[0-9a-f]{5}\r\n/);
  assert.match(serial, /cr2 00000010\r\n/);
  assert.match(serial, /backtrace: [0-9a-f]+/);
  assert.equal(outcome, { reason: "halted" });
});

const qemuTest = haveQemu ? test : test.skip;
if (!haveQemu) console.log("skipping: the QEMU comparison needs qemu-system-i386 (apt-get install qemu-system-x86)");

qemuTest("the same kernel prints the same transcript under qemu-system-i386", async () => {
  const cmdline = "hello from the test ticks=7 exit=3";
  const q = await qemuBoot("images/kernel.elf", cmdline, { memMiB: 64, cwd: root });
  const w = await boot(cmdline, 64);
  assert.is(q.status, 7, `qemu exit status (output: ${q.serial})`);
  assert.equal(w.outcome, { reason: "exit", exitCode: 7 });
  assert.is(w.serial, q.serial);
});

test.run();
