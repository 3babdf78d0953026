// Machine-level behaviour around the devices: reset requests, serial input
// raising IRQ 4, the two clock modes, and HLT idling.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { Machine, Stop } from "../../host/machine.js";
import { coreModule, machineWithLog, root } from "../helpers/machine.js";
import { CODE_AT } from "../helpers/code.js";

async function withCode(bytes: number[], opts: Partial<Parameters<typeof Machine.create>[0]> = {}) {
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2, ...opts });
  m.ram.set(bytes, CODE_AT);
  m.bootFlat(CODE_AT);
  return m;
}

test("0xFE to port 0x64 and bit 0 of port 0x92 reset the machine", async () => {
  // mov al,0xfe ; out 0x64,al ; jmp $
  let m = await withCode([0xb0, 0xfe, 0xe6, 0x64, 0xeb, 0xfe], { onReset: "exit" });
  assert.equal(await m.runUntilDone({ maxInstructions: 100 }), { reason: "reset" });
  // in al,0x92 ; or al,1 ; out 0x92,al ; jmp $
  m = await withCode([0xe4, 0x92, 0x0c, 0x01, 0xe6, 0x92, 0xeb, 0xfe], { onReset: "exit" });
  assert.equal(await m.runUntilDone({ maxInstructions: 100 }), { reason: "reset" });
  assert.is(m.ioRead(0x92) & 2, 2, "A20 reads as enabled");
});

test("a reset reboots the machine by default", async () => {
  // A 16-byte ROM at the reset vector: print "A", then pulse the reset line.
  // mov dx,0x3f8 ; mov al,'A' ; out dx,al ; mov al,0xfe ; out 0x64,al ; jmp $
  const bios = new Uint8Array([0xba, 0xf8, 0x03, 0xb0, 0x41, 0xee, 0xb0, 0xfe, 0xe6, 0x64, 0xeb, 0xfe, 0, 0, 0, 0]);
  const { m, serial } = await machineWithLog({ bios });
  assert.equal(await m.runUntilDone({ maxInstructions: 100 }), { reason: "limit" });
  assert.ok(serial().length >= 10, `rebooted again and again: ${JSON.stringify(serial())}`);
  assert.match(serial(), /^A+$/);
});
test("power-off: SLP_EN in the PM1a control register (port 0x604) ends the run with status 0; other bits do nothing", async () => {
  // mov dx,0x604 ; mov ax,0x2000 ; out dx,ax ; jmp $   (32-bit code: 0x66 for the word forms)
  let m = await withCode([0x66, 0xba, 0x04, 0x06, 0x66, 0xb8, 0x00, 0x20, 0x66, 0xef, 0xeb, 0xfe]);
  assert.equal(await m.runUntilDone({ maxInstructions: 100 }), { reason: "exit", exitCode: 0 });
  // the high byte alone: mov dx,0x605 ; mov al,0x20 ; out dx,al
  m = await withCode([0x66, 0xba, 0x05, 0x06, 0xb0, 0x20, 0xee, 0xeb, 0xfe]);
  assert.equal(await m.runUntilDone({ maxInstructions: 100 }), { reason: "exit", exitCode: 0 });
  // SLP_TYP without SLP_EN, and a byte to the low half: nothing
  m = await withCode([0x66, 0xba, 0x04, 0x06, 0x66, 0xb8, 0x00, 0x1c, 0x66, 0xef, 0xb0, 0xff, 0xee, 0xeb, 0xfe]);
  assert.equal(await m.runUntilDone({ maxInstructions: 100 }), { reason: "limit" });
});

test("sendSerial queues what the receive ring cannot take, and the guest gets every byte in order", async () => {
  // A guest that copies COM1's input to its output: poll LSR bit 0, read RBR, write THR, loop.
  // mov dx,0x3fd ; l: in al,dx ; test al,1 ; jz l ; mov dx,0x3f8 ; in al,dx ; out dx,al ; mov dx,0x3fd ; jmp l
  const m = await withCode([0x66, 0xba, 0xfd, 0x03, 0xec, 0xa8, 0x01, 0x74, 0xfb, 0x66, 0xba, 0xf8, 0x03, 0xec, 0xee,
    0x66, 0xba, 0xfd, 0x03, 0xeb, 0xf0]);
  let got = "";
  m.on("serial", (b) => { got += Buffer.from(b).toString("latin1"); });
  const input = Array.from({ length: 100_000 }, (_, i) => String.fromCharCode(33 + (i * 7) % 90)).join("");
  assert.is(m.sendSerial(input), input.length, "all of it is taken");
  assert.ok(m.serialInputPending > 0, "more than the ring holds waits in the machine");
  while (got.length < input.length && m.instructions < 50_000_000) m.runSlice(100_000);
  assert.is(got.length, input.length);
  assert.ok(got === input, "in order, nothing lost");
  assert.is(m.serialInputPending, 0);
});

test("events: on, once and off; exit is emitted for the guest's end, not for a limit", async () => {
  const m = await withCode([0xb0, 0x41, 0x66, 0xba, 0xf8, 0x03, 0xee, 0xb0, 0x05, 0xe6, 0xf4]); // print A, exit 5
  const seen: string[] = [];
  const onSerial = (b: Uint8Array) => seen.push(`serial ${Buffer.from(b).toString()}`);
  m.on("serial", onSerial).once("exit", (o) => seen.push(`exit ${JSON.stringify(o)}`));
  m.on("serial", (b) => seen.push(`second ${b.length}`));
  assert.equal(await m.runUntilDone(), { reason: "exit", exitCode: 11 });
  assert.equal(seen, ["serial A", "second 1", 'exit {"reason":"exit","exitCode":11}']);
  const loop = await withCode([0xeb, 0xfe]);
  let exits = 0;
  loop.on("exit", () => exits++);
  assert.equal(await loop.runUntilDone({ maxInstructions: 1000 }), { reason: "limit" });
  assert.is(exits, 0);
  m.off("serial", onSerial);
});

test("serial input raises IRQ 4 when the receive interrupt is enabled", async () => {
  const m = await withCode([0xeb, 0xfe]);
  m.ioWrite(0x3fc, 0x08); // OUT2
  m.ioWrite(0x3f9, 0x01); // receive data interrupt
  const irr = () => { m.ioWrite(0x20, 0x0a); return (m.ioRead(0x20) >> 4) & 1; };
  assert.is(irr(), 0);
  m.sendSerial("x");
  m.runSlice(10);
  assert.is(irr(), 1, "IRQ 4 requested");
  assert.is(m.ioRead(0x3f8), "x".charCodeAt(0));
  assert.is(irr(), 0, "reading the byte withdraws it");
});

// A guest that programs PIT channel 0 at 100 Hz, unmasks IRQ 0 and counts
// ten interrupts with sti; hlt; then exits through port 0xF4.
function tenTicks(): number[] {
  return [
    0xb0, 0x11, 0xe6, 0x20, 0xb0, 0x20, 0xe6, 0x21, 0xb0, 0x04, 0xe6, 0x21, 0xb0, 0x01, 0xe6, 0x21, // PIC at 0x20
    0xb0, 0xfe, 0xe6, 0x21, // unmask IRQ 0
    0xb0, 0x34, 0xe6, 0x43, 0xb0, 0x9c, 0xe6, 0x40, 0xb0, 0x2e, 0xe6, 0x40, // 11932 ticks: 100 Hz
    0x31, 0xdb, // xor ebx, ebx
    0xfb, 0xf4, // loop: sti ; hlt
    0x83, 0xfb, 0x0a, 0x72, 0xf9, // cmp ebx,10 ; jb loop
    0x89, 0xd8, 0xe6, 0xf4, // mov eax, ebx ; out 0xf4, al
  ];
}
// The IRQ 0 handler at 0x11000: inc ebx ; EOI ; iret
const handler = [0x43, 0xb0, 0x20, 0xe6, 0x20, 0xcf];

async function timerMachine(clock: "deterministic" | "realtime") {
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2, clock });
  m.ram.set(tenTicks(), CODE_AT);
  m.ram.set(handler, 0x11000);
  // An IDT at 0x12000 with gate 0x20 -> 0x08:0x11000 (32-bit interrupt gate).
  const idt = new DataView(m.ram.buffer, m.ram.byteOffset + 0x12000, 0x800);
  idt.setUint32(0x20 * 8, (0x08 << 16) | (0x11000 & 0xffff), true);
  idt.setUint32(0x20 * 8 + 4, (0x11000 & 0xffff0000) | 0x8e00, true);
  // lidt [0x12800] placed before the code: limit 0x7ff, base 0x12000
  const desc = new DataView(m.ram.buffer, m.ram.byteOffset + 0x12800, 6);
  desc.setUint16(0, 0x7ff, true);
  desc.setUint32(2, 0x12000, true);
  // A GDT at 0x13000 (null, flat code 0x08, flat data 0x10), its pseudo-descriptor at 0x12810.
  const gdt = new DataView(m.ram.buffer, m.ram.byteOffset + 0x13000, 24);
  gdt.setUint32(8, 0x0000ffff, true); gdt.setUint32(12, 0x00cf9a00, true);
  gdt.setUint32(16, 0x0000ffff, true); gdt.setUint32(20, 0x00cf9200, true);
  const gdesc = new DataView(m.ram.buffer, m.ram.byteOffset + 0x12810, 6);
  gdesc.setUint16(0, 23, true);
  gdesc.setUint32(2, 0x13000, true);
  // mov esp, 0x20000 ; lgdt [0x12810] ; lidt [0x12800] ; then the program
  m.ram.set([0xbc, 0x00, 0x00, 0x02, 0x00, 0x0f, 0x01, 0x15, 0x10, 0x28, 0x01, 0x00,
    0x0f, 0x01, 0x1d, 0x00, 0x28, 0x01, 0x00, ...tenTicks()], CODE_AT);
  m.bootFlat(CODE_AT);
  return m;
}

test("deterministic mode: HLT skips to the timer; ten ticks are 100 ms of virtual time in few instructions", async () => {
  const m = await timerMachine("deterministic");
  const t0 = performance.now();
  const out = await m.runUntilDone({ maxInstructions: 1_000_000 });
  assert.equal(out, { reason: "exit", exitCode: (10 << 1) | 1 });
  assert.ok(m.instructions < 1000, `${m.instructions} instructions`);
  const ms = Number(m.clockNs) / 1e6;
  assert.ok(ms >= 99 && ms < 101, `virtual time ${ms} ms`);
  assert.ok(performance.now() - t0 < 90, "did not wait for real time");
});

test("realtime mode: the same ten ticks take about 100 ms of host time, idle", async () => {
  const m = await timerMachine("realtime");
  const t0 = performance.now();
  const out = await m.runUntilDone({ maxInstructions: 100_000_000 });
  const wall = performance.now() - t0;
  assert.equal(out, { reason: "exit", exitCode: (10 << 1) | 1 });
  assert.ok(wall >= 90 && wall < 1000, `${wall} ms`);
  assert.ok(m.instructions < 1000, `the CPU slept rather than spinning (${m.instructions} instructions)`);
});

test("deterministic runs of the same guest are identical", async () => {
  const run = async () => {
    const { m, serial } = await machineWithLog({
      kernel: readFileSync(`${root}images/test/timer.elf`), kernelName: "images/test/timer.elf", cmdline: "timer",
      memoryMiB: 64,
    });
    await m.runUntilDone({ maxInstructions: 500_000_000 });
    return `${serial()}|${m.instructions}|${m.clockNs}`;
  };
  assert.is(await run(), await run());
});

test("deterministic runs do not depend on where the host cuts its slices", async () => {
  // fork/exec/wait 300 times: timer interrupts land in the middle of kernel
  // and user code, so an event that moves by one instruction shows here.
  const run = async (slice: number | "loop") => {
    const { m, serial } = await machineWithLog({
      kernel: readFileSync(`${root}images/kernel.elf`), kernelName: "kernel.elf",
      initrd: readFileSync(`${root}images/initrd.cpio`), initrdName: "initrd.cpio",
      cmdline: "init=/bin/bench_fork", memoryMiB: 64,
    });
    if (slice === "loop") await m.runUntilDone({ maxInstructions: 2e9 });
    else {
      const ends = [Stop.Exit, Stop.Halted, Stop.Shutdown, Stop.Reset];
      while (m.instructions < 2e9 && !ends.includes(m.runSlice(slice))) { /* next slice */ }
    }
    return `${m.instructions}|${m.clockNs}|${serial()}`;
  };
  const whole = await run(2e9);
  assert.match(whole, /bench_fork\[1\] exited with status 0/);
  for (const slice of [1_000_000, 123_457, 997, "loop"] as const) assert.is(await run(slice), whole, `slices of ${slice}`);
});

async function refused(p: Promise<unknown>, pattern: RegExp) {
  try {
    await p;
  } catch (e) {
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable("accepted");
}

test("bad clock options are refused", async () => {
  await refused(Machine.create({ wasm: coreModule(), clock: "fast" as "realtime" }), /clock mode/);
  await refused(Machine.create({ wasm: coreModule(), rtcEpoch: -5 }), /Unix seconds/);
});

test.run();
