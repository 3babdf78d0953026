// What the bench's parts share: where the repository is, the checksum a
// guest printed, medians and spreads, and how long a thing took.
import { spawn, spawnSync } from "node:child_process";

export const root = new URL("../", import.meta.url).pathname;
/** Every column's guest gets this much RAM (QEMU's -m, the CLI's --mem, the page's mem=). */
export const MEM_MIB = 64;

/** A set of timed runs: the median and the spread, in seconds. */
export interface Timing { seconds: number; min: number; max: number }

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const timing = (xs: number[]): Timing => ({ seconds: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
export const has = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
export const secondsSince = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** The checksum line among what a guest printed (the kernel's workloads print more). */
export const checksumOf = (out: string) => /^[0-9a-f]{8}$/m.exec(out.replace(/\r/g, ""))?.[0] ?? out.trim();

/** Throws unless a column's checksum is the expected one. */
export function verify(workload: string, column: string, got: string, expected: string): void {
  if (got !== expected) throw new Error(`${workload}: ${column} printed ${JSON.stringify(got.slice(0, 200))}, expected ${expected}`);
}

/**
 * Runs one warm-up and then `runs` measured iterations of the given steps,
 * each step once per iteration in turn (so that all of them see the same
 * machine load), and returns each step's measured times. A step that is
 * false or undefined (a column not measured) is left out.
 */
export type Step = (() => Promise<number> | number) | false | undefined;
export async function alternate<K extends string>(runs: number, steps: Record<K, Step>): Promise<Partial<Record<K, number[]>>> {
  const out: Partial<Record<K, number[]>> = {};
  for (let i = 0; i <= runs; i++) {
    for (const [k, f] of Object.entries(steps) as [K, Step][]) {
      if (!f) continue;
      const t = await f();
      if (i > 0) (out[k] ??= []).push(t);
    }
  }
  return out;
}

/** Seconds from spawning command to a shell prompt on its stdout (the
 *  teaching kernel's unless prompt says; the process is then killed), or
 *  undefined after timeoutMs. */
export function secondsToPrompt(command: string, args: string[], prompt = /\$ $/, timeoutMs = 30_000): Promise<{ seconds?: number; out: string }> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const p = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    const timer = setTimeout(() => { p.kill(); resolve({ out }); }, timeoutMs);
    p.stdout.setEncoding("latin1");
    p.stdout.on("data", (d: string) => {
      out += d;
      if (!prompt.test(out)) return;
      const seconds = secondsSince(t0);
      clearTimeout(timer);
      p.kill();
      p.once("exit", () => resolve({ seconds, out }));
    });
  });
}
