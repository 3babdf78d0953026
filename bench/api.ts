// wasm386 in this process, as a program embedding it runs it: Machine.create
// and then runUntilDone, timed from before create to the run's end. The
// core is compiled once here (an embedder compiles it once too); the
// clock is the API's default (deterministic) for the workloads. And the
// same in a new process (api1): bench/api-process.ts, bundled once with
// esbuild and run as `node api-process.mjs`, timed from spawn to exit and
// by its own clock (Node's start to compiling the core; then to the end).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { build } from "esbuild";
import { Machine } from "../host/machine.js";
import type { JitMode } from "../host/jit.js";
import { root, MEM_MIB, secondsSince } from "./common.js";
import type { Workload } from "./workloads.js";

const wasm = new WebAssembly.Module(readFileSync(`${root}build/wasm386.wasm`));
const initrd = readFileSync(`${root}images/initrd.cpio`);
/** Far beyond any workload: a guest that never exits fails instead of hanging. */
const MAX_INSTRUCTIONS = 50_000_000_000;

export interface ApiRun { seconds: number; instructions: number; serial: string }

/** One run of a guest image; w says how the CLI would boot it (the same names, command line and memory). */
export async function apiOnce(image: Uint8Array, w: Workload | undefined, jit: JitMode, blockCache = true): Promise<ApiRun> {
  let serial = "";
  const t0 = process.hrtime.bigint();
  const m = await Machine.create({
    wasm, kernel: image, kernelName: `images/${w?.image ?? "null.bin"}`, memoryMiB: MEM_MIB, blockCache, jit,
    onSerial: (b) => { serial += Buffer.from(b).toString("latin1"); },
    ...(w?.init ? { initrd, initrdName: "initrd.cpio", cmdline: `init=${w.init}` } : {}),
  });
  const outcome = await m.runUntilDone({ maxInstructions: MAX_INSTRUCTIONS });
  const seconds = secondsSince(t0);
  if (outcome.reason !== "exit") throw new Error(`${w?.name ?? "null guest"}: the API run ended with ${outcome.reason}, not an exit; serial: ${serial}`);
  return { seconds, instructions: m.instructions, serial };
}

/** From before Machine.create to the teaching kernel's shell prompt (realtime clock, kernel and initrd, no disk). */
export async function apiBoot(jit: JitMode, blockCache = true): Promise<number> {
  let serial = "", seconds = 0;
  const t0 = process.hrtime.bigint();
  const m: Machine = await Machine.create({
    wasm, kernel: readFileSync(`${root}images/kernel.elf`), kernelName: "images/kernel.elf", initrd, initrdName: "initrd.cpio",
    memoryMiB: MEM_MIB, clock: "realtime", jit, blockCache,
    onSerial: (b) => {
      serial += Buffer.from(b).toString("latin1");
      if (!seconds && /\$ $/.test(serial)) { seconds = secondsSince(t0); m.stop(); }
    },
  });
  const timer = setTimeout(() => m.stop(), 30_000);
  await m.runUntilDone({ waitForInput: true });
  clearTimeout(timer);
  if (!seconds) throw new Error(`the API boot never reached the prompt; serial: ${serial}`);
  return seconds;
}

/** Bundles bench/api-process.ts into dir (as scripts/build-host.js bundles the CLI); returns the script's path. */
export async function bundleApiProcess(dir: string): Promise<string> {
  const outfile = join(dir, "api-process.mjs");
  await build({ entryPoints: [`${root}bench/api-process.ts`], outfile, bundle: true, platform: "node", format: "esm", target: "node20", logLevel: "warning" });
  return outfile;
}

/** api-process's arguments for a workload (or the null guest's path): the API column's names, command line and memory. */
export function api1Args(w: Workload | string, jit: JitMode): string[] {
  return [
    ...(typeof w === "string" ? [w] : [`images/${w.image}`, ...(w.init ? ["--initrd", "images/initrd.cpio", "--cmdline", `init=${w.init}`] : [])]),
    "--mem", String(MEM_MIB), "--jit", jit,
  ];
}

/** One run of the API in a new process: spawn to exit (seconds), Node's start to compiling the core (start),
 *  its own time from there to the end (run), its count and serial output. */
export function api1Once(script: string, args: string[]): ApiRun & { start: number; run: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: "latin1", stdio: ["ignore", "pipe", "pipe"], timeout: 300_000 });
  const seconds = secondsSince(t0);
  if (r.status !== 0) throw new Error(`node api-process ${args.join(" ")}: ${r.error?.message ?? `exit status ${r.status ?? r.signal}`}; stderr: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as ApiRun & { start: number };
  return { seconds, start: out.start, run: out.seconds, instructions: out.instructions, serial: out.serial };
}
