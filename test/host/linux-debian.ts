// Debian's own 686 kernel (Linux 6.1) with a busybox initramfs
// (scripts/linux-initramfs.js), in wasm386 and in QEMU's isapc machine
// (`qemu-system-i386 -M isapc -cpu pentium2,-apic`: no PCI, no APIC, no
// SSE), driven the same way: commands typed on the serial console one at a
// time, each after the shell's prompt, so that the two transcripts can be
// compared line for line. The kernel and busybox are Debian's (GPL) and
// not committed: `npm run fetch-debian` fetches them. Where they are
// missing the tests are skipped and say so; with WASM386_REQUIRE_LINUX=1
// (CI sets it) they fail instead.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testNeeding } from "../helpers/requires.js";
import { machineWithLog, hasCommand } from "../helpers/machine.js";
import { debianKernel } from "../../scripts/linux-initramfs.js";
import { BUSYBOX } from "../../scripts/busybox-initrd.js";
import type { RunOutcome } from "../../host/machine.js";
import { memoryDisk } from "../../host/disk.js";

export const KERNEL = debianKernel();
export const haveDebian = KERNEL !== undefined && existsSync(BUSYBOX);
export const haveQemu = hasCommand("qemu-system-i386");

/** test, or test.skip with the reason printed (a failure when required). */
export function debianTest(needs: { qemu?: boolean } = {}) {
  return testNeeding([
    !haveDebian && "Debian's kernel and busybox (npm run fetch-debian)",
    needs.qemu && !haveQemu && "qemu-system-i386 (apt-get install qemu-system-x86)",
  ]);
}

/** The shell's prompt (SHELL_INIT sets it). */
export const PROMPT = "[linux]# ";
/** What the kernel prints last after poweroff -f on a machine without ACPI. */
const HALTED = "reboot: System halted";

export interface Session {
  /** Everything the serial console printed, CR LF made LF. */
  console: string;
  /** From the first prompt on. */
  transcript: string;
  /** wasm386 only: how the run ended, guest instructions and wall seconds. */
  outcome?: RunOutcome | "stuck";
  instructions?: number;
  seconds: number;
}

/** CR LF made LF, terminal escapes (busybox's line editing asks for the
 *  cursor position with ESC [ 6 n) left out. */
export function plain(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
}

/** plain(), with printk timestamps and the RAM-sized filesystems' sizes
 *  masked: the kernel reserves 120 KiB more under QEMU's SeaBIOS than
 *  under wasm386's loader, from the same e820 map. */
export function masked(text: string): string {
  return plain(text).replace(/\[\s*\d+\.\d+\]/g, "[T]").replace(/size=\d+k,nr_inodes=\d+/g, "size=Nk,nr_inodes=N");
}

/** A shell transcript, masked, without the kernel's own console lines:
 *  those come when the kernel's timers say (QEMU under load switches to
 *  the TSC clocksource after the first prompt, before `dmesg -n 1` has
 *  quietened the console), so the two machines' transcripts differ only in
 *  where they fall. The last one, the halt, is kept. */
export function shellLines(transcript: string): string {
  // QEMU is killed once it printed the halt; the lines' ends after it may differ
  return masked(transcript).split("\n").filter((l) => !l.startsWith("[T] ") || /^\[T\] reboot: /.test(l))
    .map((l) => l.trimEnd()).join("\n").trimEnd();
}

/** The part of a console log from the first prompt on. */
function fromPrompt(log: string): string {
  const at = log.indexOf(PROMPT);
  return at < 0 ? "" : log.slice(at);
}

/** Boots in wasm386 (deterministic clock), types commands one at a time
 *  (each after the prompt), and runs until the guest halts. */
export async function wasm386Session(initrd: Uint8Array, commands: string[],
  opts: { append?: string; disk?: Uint8Array; maxInstructions?: number } = {}): Promise<Session> {
  const t0 = performance.now();
  const { m, serial } = await machineWithLog({
    kernel: readFileSync(KERNEL!), kernelName: "vmlinuz", cmdline: opts.append ?? "console=ttyS0",
    initrd, initrdName: "initramfs.gz", memoryMiB: 128,
    ...(opts.disk ? { disk: memoryDisk(opts.disk) } : {}), // used in place: the guest's writes land in opts.disk
  });
  const limit = opts.maxInstructions ?? 2e10;
  let outcome: RunOutcome | "stuck" = "stuck";
  let prompts = 0;
  const pending = [...commands];
  const text = () => serial().replace(/\r\n/g, "\n");
  while (m.instructions < limit) {
    const stop = m.runSlice(2_000_000);
    if (stop === 1) { outcome = { reason: "halted" }; break; } // Stop.Halted: HLT with interrupts off
    if (stop === 2 || stop === 3 || stop === 7) { outcome = await m.runUntilDone({ maxInstructions: m.instructions + 1 }); break; }
    const seen = text().split(PROMPT).length - 1;
    if (seen > prompts) {
      prompts = seen;
      const next = pending.shift();
      if (next !== undefined) m.sendSerial(`${next}\n`);
    }
  }
  const log = text();
  return { console: log, transcript: fromPrompt(log), outcome, instructions: m.instructions, seconds: (performance.now() - t0) / 1000 };
}

/** The same in QEMU's isapc machine; the disk (a file) becomes its primary
 *  master IDE disk. QEMU does not end at the final halt: it is killed then. */
export function qemuSession(initrd: Uint8Array, commands: string[],
  opts: { append?: string; diskFile?: string; timeoutMs?: number } = {}): Promise<Session> {
  const dir = mkdtempSync(join(tmpdir(), "wasm386-qemu-"));
  const initrdFile = join(dir, "initramfs.gz");
  writeFileSync(initrdFile, initrd);
  const args = ["-M", "isapc", "-cpu", "pentium2,-apic", "-m", "128", "-kernel", KERNEL!, "-initrd", initrdFile,
    "-append", opts.append ?? "console=ttyS0", "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
    ...(opts.diskFile ? ["-drive", `file=${opts.diskFile},format=raw,if=ide,index=0,media=disk`] : ["-nodefaults"])];
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const q = spawn("qemu-system-i386", args, { stdio: ["pipe", "pipe", "pipe"] });
    let log = "", err = "", prompts = 0;
    const pending = [...commands];
    const timer = setTimeout(() => q.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
    q.stdout.on("data", (b: Buffer) => {
      log += b.toString("latin1");
      const text = log.replace(/\r\n/g, "\n");
      const seen = text.split(PROMPT).length - 1;
      if (seen > prompts) {
        prompts = seen;
        const next = pending.shift();
        if (next !== undefined) q.stdin.write(`${next}\n`);
      }
      if (text.includes(HALTED)) q.kill("SIGKILL");
    });
    q.stderr.on("data", (b: Buffer) => { err += b.toString(); });
    q.on("error", reject);
    q.on("close", () => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      const text = log.replace(/\r\n/g, "\n");
      if (!text.includes(HALTED)) { reject(new Error(`QEMU did not reach the halt: ${err}\n${text.slice(-2000)}`)); return; }
      resolve({ console: text, transcript: fromPrompt(text), seconds: (performance.now() - t0) / 1000 });
    });
  });
}
