// The wasm386 CLI as a user runs it, timed as QEMU is: a new process
// (node dist/wasm386.js) from spawn to exit, start-up included, with the
// CLI's own defaults (realtime clock, JIT on, block cache) and only the
// options every column shares (the guest's files, its command line, the
// memory size, no disk).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { root, MEM_MIB, secondsSince, secondsToPrompt } from "./common.js";
import type { Workload } from "./workloads.js";

const CLI = `${root}dist/wasm386.js`;
export const haveCli = () => existsSync(CLI);

/** The CLI's arguments for a workload (paths relative to the repository, as the page names them). */
export function cliArgs(w: Workload, jit: string): string[] {
  return [
    `images/${w.image}`,
    ...(w.init ? ["--initrd", "images/initrd.cpio", "--append", `init=${w.init}`, "--no-disk"] : []),
    "--mem", String(MEM_MIB),
    ...(jit !== "on" ? ["--jit", jit] : []), // "on" is the default: pass nothing
  ];
}

/** One run of the CLI: its wall time and what it wrote to stdout. */
export function cliOnce(args: string[]): { seconds: number; stdout: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: "latin1", stdio: ["ignore", "pipe", "pipe"], timeout: 300_000 });
  const seconds = secondsSince(t0);
  // A guest that exits through port 0xF4 ends the CLI with an odd status.
  if (r.status === null || (r.status & 1) === 0) {
    throw new Error(`wasm386 ${args.join(" ")}: ${r.error?.message ?? `exit status ${r.status ?? r.signal}`}; stderr: ${r.stderr}`);
  }
  return { seconds, stdout: r.stdout };
}

/** The CLI from spawn to the teaching kernel's shell prompt (kernel and initrd, no disk, as QEMU boots it); then killed. */
export async function cliBoot(): Promise<number> {
  const r = await secondsToPrompt(process.execPath, [CLI, "images/kernel.elf", "--initrd", "images/initrd.cpio", "--no-disk", "--mem", String(MEM_MIB)]);
  if (r.seconds === undefined) throw new Error(`the CLI never showed the prompt; it printed ${r.out}`);
  return r.seconds;
}
