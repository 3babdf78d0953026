// The host's run loop: output leaves during a long compute run, stop() and
// the event loop get in while the guest computes, a new machine commits no
// guest RAM, and a reset starts from zeroed memory.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Machine } from "../../host/machine.js";
import { ChunkSizer, CHUNK_MS } from "../../host/runloop.js";
import { coreModule } from "../helpers/machine.js";
import { CODE_AT } from "../helpers/code.js";

const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const outChar = (c: string) => [0xb0, c.charCodeAt(0), 0x66, 0xba, 0xf8, 0x03, 0xee]; // mov al,c; mov dx,3f8; out dx,al
const exit0 = [0xb0, 0x00, 0x66, 0xba, 0xf4, 0x00, 0xee]; // mov al,0; mov dx,f4; out dx,al
const countDown = (iterations: number) => [0xb9, ...le32(iterations), 0x49, 0x75, 0xfd]; // mov ecx,n; 1: dec ecx; jnz 1b
/** rounds times: count down n (2n instructions), print a byte (3 more); then exit. */
const periodic = (n: number, rounds: number) => [
  0xbb, ...le32(rounds), // mov ebx, rounds
  ...countDown(n), ...outChar("."), 0x4b, 0x75, 0xee, // dec ebx; jnz back to mov ecx
  ...exit0];
const spin = [0xeb, 0xfe]; // jmp $

async function flat(code: number[], memoryMiB = 2, onSerial?: (b: Uint8Array) => void): Promise<Machine> {
  const m = await Machine.create({ wasm: coreModule(), memoryMiB, onSerial });
  m.ram.set(code, CODE_AT);
  m.bootFlat(CODE_AT);
  return m;
}

test("serial output reaches the host within milliseconds while a long computation runs", async () => {
  const n = 20_000_000, bytes = 10;
  const arrived: number[] = []; // the instruction count when each byte reached onSerial
  const m = await flat(periodic(n, bytes), 2, (b) => { for (const _ of b) arrived.push(m.instructions); });
  const t0 = performance.now();
  assert.equal(await m.runUntilDone(), { reason: "exit", exitCode: 1 });
  const msPerInsn = (performance.now() - t0) / m.instructions;
  assert.is(arrived.length, bytes);
  // Round k starts after 1 + k(2n + 6) instructions, and its OUT is the
  // (2n + 4)th of the round; the byte leaves when the core call it falls in
  // (about CHUNK_MS of work) returns.
  const late = arrived.map((at, k) => (at - (1 + k * (2 * n + 6) + 2 * n + 4)) * msPerInsn);
  assert.ok(late.every((ms) => ms >= -0.001), `a byte arrived before it was written: ${late}`);
  const worst = Math.max(...late);
  if (process.env.SHOW) console.log(`worst ${worst.toFixed(2)} ms`);
  assert.ok(worst < 8, `a byte reached the host ${worst.toFixed(1)} ms after the guest wrote it`);
});

test("chunks are sized from the measured rate to about CHUNK_MS each", () => {
  const c = new ChunkSizer();
  for (let i = 0; i < 10; i++) c.record(c.size, c.size / 400_000); // 400 M instructions a second
  assert.ok(Math.abs(c.size - 400_000 * CHUNK_MS) < 400_000 * CHUNK_MS * 0.1, `chunk ${c.size}`);
  for (let i = 0; i < 20; i++) c.record(c.size, c.size / 20_000); // the guest slowed to 20 MIPS
  assert.ok(c.size < 20_000 * CHUNK_MS * 1.5, `chunk ${c.size} after slowing down`);
  c.record(5, 0.001); // a chunk cut short says nothing
  assert.ok(c.size >= 10_000);
});

test("stop() and timers get in while the guest computes without end", async () => {
  const m = await flat(spin);
  let stoppedAt = 0;
  setTimeout(() => { stoppedAt = performance.now(); m.stop(); }, 30);
  const o = await m.runUntilDone();
  const late = performance.now() - stoppedAt;
  assert.equal(o, { reason: "stopped" });
  assert.ok(m.instructions > 1000, "the guest ran");
  assert.ok(late < 100, `the run ended ${late.toFixed(1)} ms after stop()`);
});

test("a new machine commits no guest RAM: a 1 GiB guest costs what it touches", async () => {
  global.gc?.();
  const before = process.memoryUsage().rss;
  const m = await flat(exit0, 1024);
  const grew = process.memoryUsage().rss - before;
  assert.ok(grew < 96 * 1048576, `RSS grew by ${(grew / 1048576).toFixed(0)} MiB for a 1 GiB guest`);
  assert.equal(await m.runUntilDone(), { reason: "exit", exitCode: 1 });
  assert.is(m.ram.length, 1024 * 1048576);
});

test("a reset starts from zeroed RAM (a fresh instance), and the machine runs on", async () => {
  // rep stosd of 0xAB bytes over 1 MiB at 2 MiB, then a reset request through port 0x92.
  const fill = [0xbf, ...le32(0x200000), 0xb9, ...le32(0x40000), 0xb8, ...le32(0xabababab), 0xfc, 0xf3, 0xab,
    0xb0, 0x01, 0xe6, 0x92, ...spin];
  const m = await flat(fill, 8);
  const old = m.ram;
  // The reset reboots (no kernel: real mode at the reset vector, running
  // the zeroed RAM's add [bx+si],al) until the limit.
  assert.equal(await m.runUntilDone({ maxInstructions: 100_000 }), { reason: "limit" });
  assert.is(old[0x200000], 0xab, "the guest filled its RAM before the reset");
  assert.is(m.ram[0x200000], 0, "reset cleared the guest's writes");
  assert.is(m.ram[0x2fffff], 0);
  m.ram.set(exit0, CODE_AT);
  m.bootFlat(CODE_AT);
  assert.equal(await m.runUntilDone(), { reason: "exit", exitCode: 1 });
});

test.run();
