// npm run bench [-- --runs N] [-- NAME...]: runs each workload several
// times (one warm-up, then N measured), verifies its checksum, and reports
// the median guest instruction rate with its spread.
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Machine } from "../host/machine.js";
import { workloads } from "./workloads.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: "string", default: "5" } },
});
const runs = Number(values.runs);
const root = new URL("../", import.meta.url).pathname;
const wasm = new WebAssembly.Module(readFileSync(`${root}build/wasm386.wasm`));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function once(image: Uint8Array): Promise<{ seconds: number; instructions: number; serial: string }> {
  let serial = "";
  const m = await Machine.create({
    wasm, kernel: image, memoryMiB: 64, onSerial: (b) => { serial += Buffer.from(b).toString("latin1"); },
  });
  const t0 = process.hrtime.bigint();
  let outcome;
  // Slices as the CLI runs them, but without yielding: nothing else to serve.
  for (;;) {
    const stop = m.runSlice(10_000_000);
    if (stop !== 0 && stop !== 4) { outcome = stop; break; }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (outcome !== 3) throw new Error(`guest stopped with reason ${outcome}, not exit`);
  return { seconds, instructions: m.instructions, serial };
}

const results: Record<string, unknown> = {};
const selected = workloads.filter((w) => positionals.length === 0 || positionals.includes(w.name));
console.log(`wasm386 bench: ${runs} runs after a warm-up, median (min..max)`);
for (const w of selected) {
  const image = readFileSync(`${root}images/${w.image}`);
  const expected = w.expected();
  const rates: number[] = [];
  let instructions = 0;
  for (let i = 0; i <= runs; i++) {
    const r = await once(image);
    const got = r.serial.trim();
    if (got !== expected) throw new Error(`${w.name}: checksum ${got}, expected ${expected}`);
    instructions = r.instructions;
    if (i > 0) rates.push(r.instructions / r.seconds);
  }
  const mips = (x: number) => (x / 1e6).toFixed(0);
  console.log(`${w.name.padEnd(10)} ${mips(median(rates)).padStart(6)} MIPS (${mips(Math.min(...rates))}..${mips(Math.max(...rates))})  ${(instructions / 1e6).toFixed(0)}M instructions  ${w.what}`);
  results[w.name] = { mips: median(rates) / 1e6, min: Math.min(...rates) / 1e6, max: Math.max(...rates) / 1e6, instructions };
}
writeFileSync(`${root}bench/results.json`, JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2) + "\n");
