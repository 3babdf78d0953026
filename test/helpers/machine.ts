// Shared set-up for tests: the release core, images, and small machines.
import { readFileSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { Machine, type MachineOptions } from "../../host/machine.js";

export const root = new URL("../../", import.meta.url).pathname;
let wasmModule: WebAssembly.Module | undefined;

export function coreModule(): WebAssembly.Module {
  wasmModule ??= new WebAssembly.Module(readFileSync(`${root}build/wasm386.wasm`));
  return wasmModule;
}

export function image(name: string): Uint8Array {
  return readFileSync(`${root}images/${name}`);
}

/** A machine with a serial transcript collected as text. */
export async function machineWithLog(opts: Partial<MachineOptions> = {}) {
  let serial = "";
  const m = await Machine.create({
    wasm: coreModule(),
    onSerial: (b) => { serial += Buffer.from(b).toString("latin1"); },
    ...opts,
  });
  return { m, serial: () => serial };
}

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

export { existsSync };
