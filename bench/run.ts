// npm run bench [-- --runs N] [-- --jit on|off|force] [-- NAME...]: each workload on wasm386 (one
// warm-up, then N measured runs: the median and the spread; with the block
// cache and, alternating with it, the plain interpreter), on v86 (from
// the npm registry, in this process), on qemu-system-i386 when it is
// installed, and natively for the C workloads;
// the checksums must agree. Prints one table of speed ratios (wasm386
// against each peer: above 1 means wasm386 is faster) and writes
// bench/results.json and bench/results.svg.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { execFileSync, spawnSync, spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { Machine } from "../host/machine.js";
import { JIT_MODES, type JitMode } from "../host/jit.js";
import { workloads, type Workload } from "./workloads.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: "string", default: "5" }, jit: { type: "string", default: "on" } },
});
const jit = values.jit as JitMode;
if (!JIT_MODES.includes(jit)) throw new Error(`--jit must be one of ${JIT_MODES.join(", ")}`);
const runs = Number(values.runs);
const root = new URL("../", import.meta.url).pathname;
const wasm = new WebAssembly.Module(readFileSync(`${root}build/wasm386.wasm`));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const has = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;

const initrd = readFileSync(`${root}images/initrd.cpio`);
// The checksum line among what a guest printed (the kernel's workloads print more).
const checksumOf = (out: string) => /^[0-9a-f]{8}$/m.exec(out.replace(/\r/g, ""))?.[0] ?? out.trim();

async function wasm386Once(image: Uint8Array, w: Workload, blockCache = true): Promise<{ seconds: number; instructions: number; serial: string }> {
  let serial = "";
  const m = await Machine.create({
    wasm, kernel: image, memoryMiB: 64, blockCache, jit, onSerial: (b) => { serial += Buffer.from(b).toString("latin1"); },
    ...(w.init ? { initrd, initrdName: "initrd.cpio", kernelName: "kernel.elf", cmdline: `init=${w.init}` } : {}),
  });
  const t0 = process.hrtime.bigint();
  let outcome;
  for (;;) {
    const stop = m.runSlice(10_000_000);
    if (stop !== 0 && stop !== 4) { outcome = stop; break; }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (outcome !== 3) throw new Error(`guest stopped with reason ${outcome}, not exit`);
  return { seconds, instructions: m.instructions, serial };
}

/** The C workload built for this host: its checksum and seconds (median). */
function native(w: Workload): { checksum: string; seconds: number } | undefined {
  if (!w.c || !has("clang")) return undefined;
  mkdirSync(`${root}build/bench-native`, { recursive: true });
  const exe = `${root}build/bench-native/${w.name}`;
  execFileSync("clang", ["-O2", `-I${root}bench/guests/c`, `${root}bench/guests/c/${w.c}`, `${root}bench/native-main.c`, "-o", exe]);
  const results = Array.from({ length: runs }, () => execFileSync(exe, { encoding: "utf8" }).trim().split(" "));
  return { checksum: results[0][0], seconds: median(results.map((r) => Number(r[1]))) };
}

/** Wall time under QEMU (TCG), startup included, with the same image. */
function qemu(w: Workload): { checksum: string; seconds: number } | undefined {
  if (!has("qemu-system-i386")) return undefined;
  const times: number[] = [];
  let checksum = "";
  for (let i = 0; i <= runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync("qemu-system-i386", ["-kernel", `${root}images/${w.image}`, "-m", "64", "-display", "none",
      "-serial", "stdio", "-monitor", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
      ...(w.init ? ["-initrd", `${root}images/initrd.cpio`, "-append", `init=${w.init}`] : [])],
      { encoding: "latin1", timeout: 120_000 });
    if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    checksum = checksumOf(r.stdout);
  }
  return { checksum, seconds: median(times) };
}

/** v86 (a JIT) in this process with the same Multiboot image: from
 *  creating the emulator to the checksum line on its serial port (v86
 *  keeps port 0xF4 for itself, so the line is the signal). */
async function v86(w: Workload): Promise<{ checksum: string; seconds: number } | undefined> {
  if (w.init) return undefined; // the kernel's workloads need its initrd as a Multiboot module
  let V86: any;
  try {
    ({ V86 } = await import("v86"));
  } catch {
    return undefined;
  }
  const image = readFileSync(`${root}images/${w.image}`);
  const once = () => new Promise<{ checksum: string; seconds: number }>((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let out = "";
    const emulator = new V86({
      wasm_path: `${root}node_modules/v86/build/v86.wasm`, memory_size: 64 << 20, autostart: true, disable_speaker: true,
      multiboot: { buffer: image.buffer.slice(image.byteOffset, image.byteOffset + image.length) },
    });
    const timer = setTimeout(() => { emulator.destroy(); reject(new Error(`${w.name}: v86 timed out; output ${out}`)); }, 120_000);
    emulator.add_listener("serial0-output-byte", (b: number) => {
      out += String.fromCharCode(b);
      if (!out.endsWith("\n")) return;
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      clearTimeout(timer);
      emulator.destroy();
      resolve({ checksum: out.trim(), seconds });
    });
  });
  // After the checksum the guest writes port 0xF4, which v86 answers by
  // logging and throwing the string "HALT" out of its loop: both are
  // expected here and kept out of the table.
  const log = console.log;
  const halt = (e: unknown) => { if (e !== "HALT") throw e; };
  console.log = (...a: unknown[]) => { if (!/^Test exited with code/.test(String(a[0]))) log(...a); };
  process.on("uncaughtException", halt);
  const times: number[] = [];
  let checksum = "";
  try {
    for (let i = 0; i <= runs; i++) {
      const r = await once();
      checksum = r.checksum;
      if (i > 0) times.push(r.seconds);
    }
  } finally {
    await new Promise((r) => setTimeout(r, 50));
    process.off("uncaughtException", halt);
    console.log = log;
  }
  return { checksum, seconds: median(times) };
}

interface Row {
  name: string; what: string; mips: number; seconds: number; spread: [number, number];
  interpreter: number; // seconds with the block cache off
  native?: number; qemu?: number; v86?: number;
}
const rows: Row[] = [];
const selected = workloads.filter((w) => positionals.length === 0 || positionals.includes(w.name));
console.log(`wasm386 bench: ${runs} runs after a warm-up, median (min..max); JIT ${jit}; Node ${process.version}`);
for (const w of selected) {
  const image = readFileSync(`${root}images/${w.image}`);
  const nat = native(w);
  const expected = w.expected ? w.expected() : nat?.checksum;
  if (!expected) { console.log(`${w.name}: skipped (needs clang for its reference checksum)`); continue; }
  const times: number[] = [], plainTimes: number[] = [];
  let instructions = 0;
  // The block cache and the plain interpreter alternate, so that both see
  // the same machine load.
  for (let i = 0; i <= runs; i++) {
    for (const blockCache of [true, false]) {
      const r = await wasm386Once(image, w, blockCache);
      if (checksumOf(r.serial) !== expected) throw new Error(`${w.name}: wasm386 printed ${checksumOf(r.serial)}, expected ${expected}`);
      if (blockCache) instructions = r.instructions;
      else if (r.instructions !== instructions) throw new Error(`${w.name}: ${r.instructions} instructions without the block cache, ${instructions} with it`);
      if (i > 0) (blockCache ? times : plainTimes).push(r.seconds);
    }
  }
  const q = qemu(w);
  if (q && q.checksum !== expected) throw new Error(`${w.name}: QEMU printed ${q.checksum}, expected ${expected}`);
  const v = await v86(w);
  if (v && v.checksum !== expected) throw new Error(`${w.name}: v86 printed ${v.checksum}, expected ${expected}`);
  const seconds = median(times);
  rows.push({ name: w.name, what: w.what, mips: instructions / seconds / 1e6, seconds, interpreter: median(plainTimes),
    spread: [Math.min(...times), Math.max(...times)], native: nat?.seconds, qemu: q?.seconds, v86: v?.seconds });
}

/** Boot time: from creating the machine (or starting QEMU) to the shell's prompt. */
async function bootWasm386(blockCache = true): Promise<number> {
  const t0 = process.hrtime.bigint();
  let serial = "";
  const m = await Machine.create({
    wasm, kernel: readFileSync(`${root}images/kernel.elf`), kernelName: "kernel.elf", initrd, initrdName: "initrd.cpio",
    memoryMiB: 64, clock: "realtime", jit, blockCache, onSerial: (b) => { serial += Buffer.from(b).toString("latin1"); },
  });
  while (!/\$ $/.test(serial)) m.runSlice(100_000);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function bootQemu(): Promise<number | undefined> {
  if (!has("qemu-system-i386")) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const p = spawn("qemu-system-i386", ["-kernel", `${root}images/kernel.elf`, "-initrd", `${root}images/initrd.cpio`,
      "-m", "64", "-display", "none", "-serial", "stdio", "-monitor", "none"], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    p.stdout.on("data", (d) => {
      out += d;
      if (/\$ $/.test(out)) { resolve(Number(process.hrtime.bigint() - t0) / 1e9); p.kill(); }
    });
    setTimeout(() => { p.kill(); resolve(undefined); }, 30_000);
  });
}

const bootRuns = async (f: () => Promise<number | undefined>) => {
  const xs: number[] = [];
  for (let i = 0; i <= runs; i++) { const t = await f(); if (t === undefined) return undefined; if (i > 0) xs.push(t); }
  return median(xs);
};
// Ours and the plain interpreter alternate, as the workloads do, so that
// neither gets a warmer engine.
let bootOurs: number | undefined, bootPlain: number | undefined, bootPeer: number | undefined;
if (positionals.length === 0 || positionals.includes("boot")) {
  const ours: number[] = [], plain: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const a = await bootWasm386(true), b = await bootWasm386(false);
    if (i > 0) { ours.push(a); plain.push(b); }
  }
  bootOurs = median(ours);
  bootPlain = median(plain);
  bootPeer = await bootRuns(bootQemu);
}

const fmt = (x: number | undefined, d = 3) => (x === undefined ? "-" : x.toFixed(d));
const ratio = (peer: number | undefined, ours: number) => (peer === undefined ? undefined : peer / ours);
console.log("");
console.log("workload   wasm386 s (min..max)      MIPS  interp s  vs interp  native s  v86 s   QEMU s   vs native  vs v86  vs QEMU");
for (const r of rows) {
  console.log(`${r.name.padEnd(10)} ${fmt(r.seconds).padStart(7)} (${fmt(r.spread[0])}..${fmt(r.spread[1])})  ${r.mips.toFixed(0).padStart(6)}  ${fmt(r.interpreter).padStart(8)}  ${fmt(r.interpreter / r.seconds, 2).padStart(9)}  ${fmt(r.native, 4).padStart(8)}  ${fmt(r.v86).padStart(6)}  ${fmt(r.qemu).padStart(6)}  ${fmt(ratio(r.native, r.seconds), 4).padStart(9)}  ${fmt(ratio(r.v86, r.seconds), 2).padStart(6)}  ${fmt(ratio(r.qemu, r.seconds), 2).padStart(7)}`);
}
const geo = (xs: number[]) => (xs.length ? Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length) : undefined);
const gNative = geo(rows.flatMap((r) => (r.native ? [r.native / r.seconds] : [])));
const gQemu = geo(rows.flatMap((r) => (r.qemu ? [r.qemu / r.seconds] : [])));
const gV86 = geo(rows.flatMap((r) => (r.v86 ? [r.v86 / r.seconds] : [])));
console.log(`geometric mean of speed ratios: vs native ${fmt(gNative, 4)}, vs v86 ${fmt(gV86, 2)}, vs QEMU ${fmt(gQemu, 2)} (peers' times include their start-up)`);
if (bootOurs !== undefined) console.log(`boot to the shell prompt: wasm386 ${fmt(bootOurs)} s (plain interpreter ${fmt(bootPlain)} s), QEMU ${fmt(bootPeer)} s (the teaching kernel and its initrd, no disk)`);

writeFileSync(`${root}bench/results.json`, JSON.stringify({ date: new Date().toISOString(), node: process.version, runs, rows,
  geomean: { native: gNative, v86: gV86, qemu: gQemu }, boot: { wasm386: bootOurs, interpreter: bootPlain, qemu: bootPeer }, jit }, null, 2) + "\n");
writeFileSync(`${root}bench/results.svg`, chart(rows));

/** Bars of wasm386's speed relative to QEMU for each workload (log scale). */
function chart(rs: Row[]): string {
  const w = 640, rowH = 28, left = 100, h = rs.length * rowH + 50;
  const x = (v: number) => left + ((Math.log10(v) + 2) / 3) * (w - left - 20); // 0.01 .. 10
  const bars = rs.map((r, i) => {
    const v = r.qemu ? r.qemu / r.seconds : undefined;
    const y = 20 + i * rowH;
    return `<text x="${left - 8}" y="${y + 15}" text-anchor="end" font-size="12">${r.name}</text>` +
      (v ? `<rect x="${left}" y="${y}" width="${Math.max(1, x(v) - left).toFixed(1)}" height="20" fill="#4a7"/>` +
        `<text x="${x(v) + 4}" y="${y + 15}" font-size="11">${v.toFixed(2)}</text>` : `<text x="${left + 4}" y="${y + 15}" font-size="11">no QEMU</text>`);
  }).join("");
  const one = x(1);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">` +
    `<text x="${left}" y="14" font-size="12">wasm386 speed / QEMU speed (log scale; 1 = as fast)</text>${bars}` +
    `<line x1="${one}" y1="18" x2="${one}" y2="${h - 20}" stroke="#c33" stroke-dasharray="4"/></svg>\n`;
}
