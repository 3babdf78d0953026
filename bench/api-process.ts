// The API in a new process (the bench's api1 column): what a program
// embedding wasm386 to run ONE machine does. It reads build/wasm386.wasm,
// compiles it, runs Machine.create + runUntilDone with the API's defaults
// (deterministic clock) and prints one line of JSON: when it got to
// compiling the core (start: seconds since Node started), its own time
// from there to the run's end, the instructions run and the guest's
// serial output. The bench bundles it (esbuild) and runs it as
// `node api-process.mjs IMAGE [--initrd F] [--cmdline S] [--mem N] [--jit M]`
// with the repository as the working folder (paths are relative to it).
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { Machine } from "../host/machine.js";
import type { JitMode } from "../host/jit.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { initrd: { type: "string" }, cmdline: { type: "string" }, mem: { type: "string", default: "64" }, jit: { type: "string", default: "on" } },
});
const [image] = positionals;
if (!image) throw new Error("usage: api-process IMAGE [--initrd F] [--cmdline S] [--mem N] [--jit M]");
const kernel = readFileSync(image), initrd = values.initrd === undefined ? undefined : readFileSync(values.initrd);
const bytes = readFileSync("build/wasm386.wasm");

let serial = "";
const start = process.uptime(), t0 = process.hrtime.bigint();
const wasm = await WebAssembly.compile(bytes);
const m = await Machine.create({
  wasm, kernel, kernelName: image, memoryMiB: Number(values.mem), jit: values.jit as JitMode,
  onSerial: (b) => { serial += Buffer.from(b).toString("latin1"); },
  ...(initrd ? { initrd, initrdName: basename(values.initrd!) } : {}), ...(values.cmdline !== undefined ? { cmdline: values.cmdline } : {}),
});
const outcome = await m.runUntilDone({ maxInstructions: 50_000_000_000 }); // a guest that never exits fails
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
if (outcome.reason !== "exit") throw new Error(`${image}: the run ended with ${outcome.reason}, not an exit; serial: ${serial}`);
process.stdout.write(JSON.stringify({ start, seconds, instructions: m.instructions, serial }) + "\n");
