// Every run ends, and no run spins. A halted CPU retires nothing, so an
// instruction limit cannot end a run that waits: these are the waits. A
// guest halted for good (cli; hlt) or with nothing that can wake it (sti;
// hlt and no timer, or its only timer masked) ends the run; with input
// awaited the run sleeps instead, and stop() ends it; in realtime mode a
// run sleeps until each timer is due. And a state file whose checksum is
// right but whose core state is made up (a restore takes it as it is) must
// not be able to make a run loop forever.
//
// Each run has a watchdog: one still going after a few seconds is stopped
// and the test fails, so a hang shows as a failure rather than a timeout.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Machine, Stop, type RunOutcome } from "../../host/machine.js";
import { GdbStub } from "../../host/gdb.js";
import { decodeState, encodeState } from "../../host/state.js";
import { coreModule } from "../helpers/machine.js";
import { CODE_AT } from "../helpers/code.js";

type Clock = "deterministic" | "realtime";
const CLOCKS: Clock[] = ["deterministic", "realtime"];

/** layout.ts's CLOCK_MODE: where the core keeps its clock mode (checked below). */
const CLOCK_MODE = 0x11d0;

interface Ran { outcome: RunOutcome; wallMs: number; cpuMs: number }

/** Runs m; fails if the run has not ended after watchdogMs (it is then stopped). */
async function run(m: Machine, opts: Parameters<Machine["runUntilDone"]>[0], what: string, watchdogMs = 5000): Promise<Ran> {
  let hung = false;
  const timer = setTimeout(() => { hung = true; m.stop(); }, watchdogMs);
  const t0 = performance.now(), c0 = process.cpuUsage();
  const outcome = await m.runUntilDone(opts);
  clearTimeout(timer);
  const c = process.cpuUsage(c0);
  assert.not.ok(hung, `${what}: the run had not ended after ${watchdogMs} ms`);
  return { outcome, wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}

async function flat(code: number[], clock: Clock): Promise<Machine> {
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2, clock });
  m.ram.set(code, CODE_AT);
  m.bootFlat(CODE_AT);
  return m;
}

/** Counts m's core calls from now on. */
function countCalls(m: Machine): () => number {
  let n = 0;
  const runSlice = m.runSlice.bind(m);
  m.runSlice = (budget) => { n++; return runSlice(budget); };
  return () => n;
}

const CLI_HLT = [0xfa, 0xf4];
const STI_HLT = [0xfb, 0xf4, 0xeb, 0xfc]; // 1: sti; hlt; jmp 1b

/**
 * A guest that programs PIT channel 0 at hz, masks or unmasks IRQ 0, then
 * counts ten interrupts with sti; hlt and exits with the count (exit code
 * 21). Its IRQ 0 handler at 0x11000 is inc ebx; EOI; iret.
 */
async function timerGuest(clock: Clock, opts: { hz: number; masked: boolean }): Promise<Machine> {
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2, clock });
  const reload = Math.round(1193182 / opts.hz);
  const program = [
    0xb0, 0x11, 0xe6, 0x20, 0xb0, 0x20, 0xe6, 0x21, 0xb0, 0x04, 0xe6, 0x21, 0xb0, 0x01, 0xe6, 0x21, // PIC at 0x20
    0xb0, opts.masked ? 0xff : 0xfe, 0xe6, 0x21, // IRQ 0 masked or not
    0xb0, 0x34, 0xe6, 0x43, 0xb0, reload & 0xff, 0xe6, 0x40, 0xb0, reload >> 8, 0xe6, 0x40, // PIT rate
    0x31, 0xdb, // xor ebx, ebx
    0xfb, 0xf4, // 1: sti; hlt
    0x83, 0xfb, 0x0a, 0x72, 0xf9, // cmp ebx, 10; jb 1b
    0x89, 0xd8, 0xe6, 0xf4, // mov eax, ebx; out 0xf4, al
  ];
  m.ram.set([0x43, 0xb0, 0x20, 0xe6, 0x20, 0xcf], 0x11000);
  const view = (at: number, n: number) => new DataView(m.ram.buffer, m.ram.byteOffset + at, n);
  const idt = view(0x12000, 0x800); // gate 0x20 -> 0x08:0x11000, a 32-bit interrupt gate
  idt.setUint32(0x20 * 8, (0x08 << 16) | 0x1000, true);
  idt.setUint32(0x20 * 8 + 4, 0x00018e00, true);
  const idtr = view(0x12800, 6);
  idtr.setUint16(0, 0x7ff, true); idtr.setUint32(2, 0x12000, true);
  const gdt = view(0x13000, 24); // null, flat code 0x08, flat data 0x10
  gdt.setUint32(8, 0x0000ffff, true); gdt.setUint32(12, 0x00cf9a00, true);
  gdt.setUint32(16, 0x0000ffff, true); gdt.setUint32(20, 0x00cf9200, true);
  const gdtr = view(0x12810, 6);
  gdtr.setUint16(0, 23, true); gdtr.setUint32(2, 0x13000, true);
  // mov esp, 0x20000; lgdt [0x12810]; lidt [0x12800]; then the program
  m.ram.set([0xbc, 0x00, 0x00, 0x02, 0x00, 0x0f, 0x01, 0x15, 0x10, 0x28, 0x01, 0x00,
    0x0f, 0x01, 0x1d, 0x00, 0x28, 0x01, 0x00, ...program], CODE_AT);
  m.bootFlat(CODE_AT);
  return m;
}

/** The core's memory in a state file, and a state file (its CRC right) of changed memory. */
function memoryOf(state: Uint8Array): { mem: Uint8Array; rebuild: (mem: Uint8Array) => Uint8Array } {
  const s = decodeState(state);
  const mem = new Uint8Array(s.memoryBytes);
  for (const p of s.pages) mem.set(p.data, p.index * 4096);
  return { mem, rebuild: (m) => encodeState({ coreVersion: s.coreVersion, memory: m, ramMiB: s.ramMiB, exitCode: s.exitCode }) };
}

test("CLOCK_MODE is where the core keeps its clock mode", async () => {
  for (const [clock, mode] of [["deterministic", 0], ["realtime", 1]] as const) {
    const { mem } = memoryOf((await flat(CLI_HLT, clock)).saveState());
    assert.is(mem[CLOCK_MODE], mode, clock);
  }
});

test("cli; hlt ends the run as halted, and sti; hlt with no timer as idle, in both clock modes", async () => {
  for (const clock of CLOCKS) {
    const halted = await run(await flat(CLI_HLT, clock), { maxInstructions: 50_000 }, `${clock} cli; hlt`);
    assert.equal(halted.outcome, { reason: "halted" }, clock);
    // No timer is set: nothing can come, and the run knows it at once.
    const m = await flat(STI_HLT, clock);
    const calls = countCalls(m);
    const idle = await run(m, { maxInstructions: 50_000 }, `${clock} sti; hlt`);
    assert.equal(idle.outcome, { reason: "idle" }, clock);
    assert.ok(calls() <= 2, `${clock}: ${calls()} core calls to find the CPU idle`);
  }
});

test("awaiting input, sti; hlt with no timer sleeps until stop(), in both clock modes, without spinning", async () => {
  for (const clock of CLOCKS) {
    const m = await flat(STI_HLT, clock);
    let stoppedAt = 0;
    setTimeout(() => { stoppedAt = performance.now(); m.stop(); }, 400);
    const r = await run(m, { maxInstructions: 50_000, waitForInput: true }, `${clock} sti; hlt awaiting input`);
    assert.equal(r.outcome, { reason: "stopped" }, clock);
    const late = performance.now() - stoppedAt;
    assert.ok(late < 100, `${clock}: the run ended ${late.toFixed(0)} ms after stop()`);
    assert.ok(r.cpuMs < r.wallMs * 0.3, `${clock}: ${r.cpuMs.toFixed(0)} ms of CPU in ${r.wallMs.toFixed(0)} ms: it spun`);
  }
});

test("a guest halted with its only timer masked ends as idle: deterministic at once, realtime after sleeping through its ticks", async () => {
  const det = await run(await timerGuest("deterministic", { hz: 1000, masked: true }), { maxInstructions: 50_000 }, "deterministic, masked timer");
  assert.equal(det.outcome, { reason: "idle" });
  assert.ok(det.wallMs < 2000, `deterministic: ${det.wallMs.toFixed(0)} ms`);
  const rt = await run(await timerGuest("realtime", { hz: 1000, masked: true }), { maxInstructions: 50_000 }, "realtime, masked timer", 10_000);
  assert.equal(rt.outcome, { reason: "idle" });
  assert.ok(rt.cpuMs < rt.wallMs * 0.3, `realtime: ${rt.cpuMs.toFixed(0)} ms of CPU in ${rt.wallMs.toFixed(0)} ms: it spun`);
  // Unmasked, the same guest takes its ten ticks and exits.
  for (const clock of CLOCKS) {
    const r = await run(await timerGuest(clock, { hz: 1000, masked: false }), { maxInstructions: 50_000 }, `${clock}, timer`);
    assert.equal(r.outcome, { reason: "exit", exitCode: 21 }, clock);
  }
});

test("a CRC-correct state whose core says realtime, restored into a deterministic machine, runs on exactly as the original", async () => {
  // Any state the CLI saves is such a file (its clock is realtime by
  // default); a restore used to hang the first time the guest idled.
  const a = await timerGuest("deterministic", { hz: 100, masked: false });
  await a.runUntilDone({ maxInstructions: 35 }); // past its first tick: halted, the timer set
  const { mem, rebuild } = memoryOf(a.saveState());
  mem[CLOCK_MODE] = 1;
  const b = await Machine.create({ wasm: coreModule(), memoryMiB: 2 });
  b.restoreState(rebuild(mem));
  const r = await run(b, { maxInstructions: 50_000 }, "restored");
  assert.equal(r.outcome, { reason: "exit", exitCode: 21 });
  assert.equal((await run(a, { maxInstructions: 50_000 }, "original")).outcome, { reason: "exit", exitCode: 21 });
  assert.is(b.instructions, a.instructions);
  assert.is(b.clockNs, a.clockNs);
});

test("a state whose PIT reload is 0 or past 0x10000 runs on (the core divided by it)", async () => {
  const PIT_RELOAD0 = 0x2080; // layout.ts's PIT: channel 0's reload, a u32
  const a = await timerGuest("deterministic", { hz: 100, masked: false });
  await a.runUntilDone({ maxInstructions: 35 });
  const { mem, rebuild } = memoryOf(a.saveState());
  const words = new DataView(mem.buffer);
  assert.ok(words.getUint32(PIT_RELOAD0, true) > 0 && words.getUint32(PIT_RELOAD0, true) <= 0x10000, "the reload field is where it was");
  for (const reload of [0, 0x20000, 0xffffffff]) {
    const m = mem.slice();
    new DataView(m.buffer).setUint32(PIT_RELOAD0, reload, true);
    const b = await Machine.create({ wasm: coreModule(), memoryMiB: 2 });
    b.restoreState(rebuild(m));
    const r = await run(b, { maxInstructions: 50_000 }, `reload ${reload}`);
    assert.ok(["exit", "idle", "limit"].includes(r.outcome.reason), `reload ${reload}: ${JSON.stringify(r.outcome)}`);
  }
});

test("a trap inside the core ends the run as a shutdown with a report, not an exception, and for good", async () => {
  const m = await flat(STI_HLT, "deterministic");
  const holder = m as unknown as { core: object };
  holder.core = Object.create(holder.core, { run: { value: () => { throw new WebAssembly.RuntimeError("divide by zero"); } } });
  const r = await run(m, { maxInstructions: 50_000 }, "trapping core");
  assert.is(r.outcome.reason, "shutdown");
  assert.match((r.outcome as { report: string }).report, /^the emulator's core stopped \(divide by zero\)/);
  assert.is((await run(m, { maxInstructions: 50_000 }, "again")).outcome.reason, "shutdown", "it does not go on");
});

test("150 CRC-correct states with made-up CPU and device state: every run with a limit ends", async () => {
  const a = await timerGuest("deterministic", { hz: 100, masked: false });
  await a.runUntilDone({ maxInstructions: 35 });
  const { mem, rebuild } = memoryOf(a.saveState());
  let s = 5;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  const seen: Record<string, number> = {};
  const b = await Machine.create({ wasm: coreModule(), memoryMiB: 2 });
  for (let i = 0; i < 150; i++) {
    const m = mem.slice();
    const words: string[] = [];
    for (let n = 1 + (next() % 6); n > 0; n--) {
      // A word of the CPU and run state (0x1000..0x11ff) or the devices' (0x2000..0x22ff).
      const at = next() % 2 ? 0x1000 + 4 * (next() % 0x80) : 0x2000 + 4 * (next() % 0xc0);
      const value = [0, 1, 0xffffffff, 0x80000000, next()][next() % 5];
      new DataView(m.buffer).setUint32(at, value, true);
      words.push(`${at.toString(16)}=${value.toString(16)}`);
    }
    b.restoreState(rebuild(m));
    const r = await run(b, { maxInstructions: 50_000 }, `case ${i} (${words.join(" ")})`, 3000);
    seen[r.outcome.reason] = (seen[r.outcome.reason] ?? 0) + 1;
  }
  assert.ok(seen.exit > 100, JSON.stringify(seen));
});

test("a debugger continuing over a halted CPU whose timer is masked waits for Ctrl-C without spinning", async () => {
  // A hardware breakpoint makes the stub single-step; the CPU never reaches it.
  const m = await timerGuest("deterministic", { hz: 1000, masked: true });
  assert.is(m.runSlice(22), Stop.Budget); // set-up, the PIC and the PIT, then sti; hlt
  assert.is(m.runSlice(1000), Stop.Budget, "halted: events skipped, none taken");
  assert.is(m.instructions, 22);
  const sent: string[] = [];
  let feed: (d: string) => void = () => {};
  new GdbStub(m, { send: (d) => { sent.push(d); }, onData: (fn) => { feed = fn; }, onClose: () => {} });
  const frame = (body: string) => `$${body}#${([...body].reduce((a, c) => a + c.charCodeAt(0), 0) & 0xff).toString(16).padStart(2, "0")}`;
  feed(frame("Z1,1000,1"));
  feed(frame("c"));
  await new Promise((r) => setTimeout(r, 500)); // the stall is found
  const c0 = process.cpuUsage(), t0 = performance.now();
  await new Promise((r) => setTimeout(r, 500));
  const c = process.cpuUsage(c0), wall = performance.now() - t0, cpu = (c.user + c.system) / 1000;
  feed("\x03");
  for (let i = 0; i < 100 && !sent.join("").includes("$S02#"); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(sent.join("").includes("$S02#"), `no stop reply to Ctrl-C: ${sent.join(" ")}`);
  assert.ok(cpu < wall * 0.3, `${cpu.toFixed(0)} ms of CPU in ${wall.toFixed(0)} ms: it spun`);
});

test.run();
