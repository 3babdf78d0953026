// wasm386 in this process, as a program embedding it runs it: Machine.create
// and then runUntilDone, timed from before create to the run's end. The
// core is compiled once here (an embedder compiles it once too); the
// clock is the API's default (deterministic) for the workloads.
import { readFileSync } from "node:fs";
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
