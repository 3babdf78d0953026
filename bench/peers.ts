// The peers wasm386 is measured against, each with the same guest image:
// the C workloads built natively with clang, qemu-system-i386 (TCG) as a
// new process timed from spawn to exit, and v86 (a JIT, from the npm
// registry) both in this process (warm, as the API) and as a new process
// (bench/v86-process.mjs, spawn to exit, as the CLI). Each does one
// warm-up and then `runs` runs.
import { readFileSync, mkdirSync, existsSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { root, MEM_MIB, has, median, checksumOf, secondsSince, secondsToPrompt } from "./common.js";
import type { Workload } from "./workloads.js";

export interface PeerResult { checksum: string; seconds: number }

/** The C workload built for this host: its checksum and seconds (median of its own timer); runs 0 = the checksum only. */
export function native(w: Workload, runs: number): PeerResult | undefined {
  if (!w.c || !has("clang")) return undefined;
  mkdirSync(`${root}build/bench-native`, { recursive: true });
  const exe = `${root}build/bench-native/${w.name}`;
  execFileSync("clang", ["-O2", `-I${root}bench/guests/c`, `${root}bench/guests/c/${w.c}`, `${root}bench/native-main.c`, "-o", exe]);
  const results = Array.from({ length: Math.max(runs, 1) }, () => execFileSync(exe, { encoding: "utf8" }).trim().split(" "));
  return { checksum: results[0][0], seconds: median(results.map((r) => Number(r[1]))) };
}

export const haveQemu = () => has("qemu-system-i386");
const QEMU_MACHINE = ["-m", String(MEM_MIB), "-display", "none", "-serial", "stdio", "-monitor", "none"];

/** Wall time under QEMU (TCG), startup included, with the same image (a path) and, for the kernel's workloads, its initrd. */
export function qemu(image: string, init: string | undefined, runs: number): PeerResult | undefined {
  if (!haveQemu()) return undefined;
  const times: number[] = [];
  let checksum = "";
  for (let i = 0; i <= runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync("qemu-system-i386", ["-kernel", image, ...QEMU_MACHINE, "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
      ...(init ? ["-initrd", `${root}images/initrd.cpio`, "-append", `init=${init}`] : [])],
      { encoding: "latin1", timeout: 120_000 });
    if (i > 0) times.push(secondsSince(t0));
    checksum = checksumOf(r.stdout);
  }
  return { checksum, seconds: median(times) };
}

/** QEMU from spawn to the teaching kernel's shell prompt (kernel and initrd, no disk); then killed. */
export async function qemuBoot(): Promise<number | undefined> {
  if (!haveQemu()) return undefined;
  return (await secondsToPrompt("qemu-system-i386", ["-kernel", `${root}images/kernel.elf`, "-initrd", `${root}images/initrd.cpio`, ...QEMU_MACHINE])).seconds;
}

/** v86 (a JIT) in this process with the same Multiboot image: from
 *  creating the emulator to the checksum line on its serial port (v86
 *  keeps port 0xF4 for itself, so the line is the signal). The bench
 *  alternates its runs with the other columns' (once), so that v86 warm and
 *  the warm API meet the same conditions: a run right after another
 *  process's took up to twice as long on the development machine. */
export async function v86Runner(w: Workload): Promise<{ once(): Promise<PeerResult>; close(): Promise<void> } | undefined> {
  if (w.init) return undefined; // the kernel's workloads need its initrd as a Multiboot module
  let V86: any;
  try {
    ({ V86 } = await import("v86"));
  } catch {
    return undefined;
  }
  const image = readFileSync(`${root}images/${w.image}`);
  const once = () => new Promise<PeerResult>((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let out = "";
    const emulator = new V86({
      wasm_path: `${root}node_modules/v86/build/v86.wasm`, memory_size: MEM_MIB << 20, autostart: true, disable_speaker: true,
      multiboot: { buffer: image.buffer.slice(image.byteOffset, image.byteOffset + image.length) },
    });
    const timer = setTimeout(() => { emulator.destroy(); reject(new Error(`${w.name}: v86 timed out; output ${out}`)); }, 120_000);
    emulator.add_listener("serial0-output-byte", (b: number) => {
      out += String.fromCharCode(b);
      if (!out.endsWith("\n")) return;
      const seconds = secondsSince(t0);
      clearTimeout(timer);
      emulator.destroy();
      resolve({ checksum: out.trim(), seconds });
    });
  });
  // After the checksum the guest writes port 0xF4, which v86 answers by
  // logging and throwing the string "HALT" out of its loop: both are
  // expected here and kept out of the table until close().
  const log = console.log;
  const halt = (e: unknown) => { if (e !== "HALT") throw e; };
  console.log = (...a: unknown[]) => { if (!/^Test exited with code/.test(String(a[0]))) log(...a); };
  process.on("uncaughtException", halt);
  return {
    once,
    async close() {
      await new Promise((r) => setTimeout(r, 50));
      process.off("uncaughtException", halt);
      console.log = log;
    },
  };
}

/** One run of v86 in a new process (bench/v86-process.mjs): spawn to exit, as the CLI and QEMU are timed. */
export function v86ProcessOnce(w: Workload): PeerResult | undefined {
  if (w.init || !existsSync(`${root}node_modules/v86/build/v86.wasm`)) return undefined;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [`${root}bench/v86-process.mjs`, `${root}images/${w.image}`, String(MEM_MIB)], { encoding: "latin1", timeout: 300_000 });
  const seconds = secondsSince(t0);
  if (r.status !== 0) throw new Error(`${w.name}: v86 in a new process: ${r.error?.message ?? `exit status ${r.status ?? r.signal}`}; stderr: ${r.stderr}`);
  return { checksum: checksumOf(r.stdout), seconds };
}
