// Scripted serial sessions with the teaching kernel: each step waits for
// the shell's prompt (or a delay), then types its text. The same script
// runs on wasm386 and under qemu-system-i386, giving two transcripts.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryDisk } from "../../host/disk.js";
import { Stop } from "../../host/machine.js";
import type { ShareBackend } from "../../host/share.js";
import { image, machineWithLog, root } from "./machine.js";
import { QEMU } from "./qemu.js";

export interface Step {
  /** What to type; a function gets the transcript so far. */
  send: string | ((transcript: string) => string);
  /** Type it this many milliseconds (of guest time on wasm386, of wall
   *  time under QEMU) after the previous step, instead of at a prompt. */
  afterMs?: number;
}

export interface Transcript {
  serial: string;
  exitCode: number | null;
  /** Instructions executed when the first prompt appeared (wasm386 only). */
  firstPromptAt?: number;
}

const PROMPT = /\$ $/;
const MEMORY_MIB = 64;

export interface SessionOptions {
  cmdline?: string;
  /** The primary master ATA disk; the guest's writes change it in place. */
  disk?: Uint8Array;
  /** A shared folder (wasm386 only), which the kernel mounts on /host. */
  share?: ShareBackend;
}

/** Runs the steps on wasm386 (deterministic clock) until the guest exits. */
export async function wasmSession(steps: Step[], opts: SessionOptions = {}, maxInstructions = 3e9): Promise<Transcript> {
  const { m, serial } = await machineWithLog({
    kernel: image("kernel.elf"), kernelName: "images/kernel.elf", cmdline: opts.cmdline ?? "", memoryMiB: MEMORY_MIB,
    initrd: image("initrd.cpio"), initrdName: "images/initrd.cpio",
    disk: opts.disk ? memoryDisk(opts.disk) : undefined, share: opts.share,
  });
  let next = 0, seenAt = -1, sentNs = 0n, firstPromptAt: number | undefined;
  while (m.instructions < maxInstructions) {
    const stop = m.runSlice(100_000);
    if (stop === Stop.Exit) return { serial: serial(), exitCode: m.exitCode ?? null, firstPromptAt };
    if (firstPromptAt === undefined && PROMPT.test(serial())) firstPromptAt = m.instructions;
    if (stop === Stop.Halted || stop === Stop.Shutdown || stop === Stop.Idle) break;
    const step = steps[next];
    if (!step) continue;
    const out = serial();
    const ready = step.afterMs !== undefined
      ? m.clockNs - sentNs >= BigInt(step.afterMs) * 1_000_000n
      : PROMPT.test(out) && out.length !== seenAt;
    if (!ready) continue;
    seenAt = out.length;
    sentNs = m.clockNs;
    m.sendSerial(typeof step.send === "string" ? step.send : step.send(out));
    next++;
  }
  return { serial: serial(), exitCode: null, firstPromptAt };
}

/** Runs the steps under qemu-system-i386 with the same images; a disk is
 *  given to QEMU as a file and what the guest wrote is copied back. */
export function qemuSession(steps: Step[], opts: SessionOptions = {}, timeoutMs = 60_000): Promise<Transcript> {
  const dir = opts.disk ? mkdtempSync(join(tmpdir(), "wasm386-qemu-")) : undefined;
  const diskFile = dir ? join(dir, "disk.img") : undefined;
  if (diskFile) writeFileSync(diskFile, opts.disk!);
  const finish = () => {
    if (!dir) return;
    opts.disk!.set(readFileSync(diskFile!));
    rmSync(dir, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    const p = spawn(QEMU, [
      "-kernel", "images/kernel.elf", "-initrd", "images/initrd.cpio", "-append", opts.cmdline ?? "",
      "-m", String(MEMORY_MIB), "-serial", "stdio", "-display", "none", "-monitor", "none", "-no-reboot",
      "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
      ...(diskFile ? ["-drive", `file=${diskFile},format=raw,if=ide,index=0`] : []),
    ], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
    let serial = "", err = "", next = 0, seenAt = -1, timer: NodeJS.Timeout | undefined;
    const text = (step: Step) => (typeof step.send === "string" ? step.send : step.send(serial));
    const advance = () => {
      const step = steps[next];
      if (!step || timer) return;
      if (step.afterMs !== undefined) {
        timer = setTimeout(() => { timer = undefined; p.stdin.write(text(step)); next++; advance(); }, step.afterMs);
        return;
      }
      if (PROMPT.test(serial) && serial.length !== seenAt) {
        seenAt = serial.length;
        p.stdin.write(text(step));
        next++;
        // a step after a delay counts from here
        if (steps[next]?.afterMs !== undefined) advance();
      }
    };
    p.stdout.on("data", (d) => { serial += d.toString("latin1"); advance(); });
    p.stderr.on("data", (d) => { err += d; });
    p.stdin.on("error", () => {});
    const kill = setTimeout(() => { p.kill("SIGKILL"); finish(); reject(new Error(`qemu timed out: ${serial}${err}`)); }, timeoutMs);
    p.on("error", (e) => { clearTimeout(kill); finish(); reject(e); });
    p.on("close", (status) => {
      clearTimeout(kill);
      if (timer) clearTimeout(timer);
      finish();
      resolve({ serial, exitCode: status });
    });
  });
}

/** Lines typed at successive prompts. */
export const lines = (...ls: string[]): Step[] => ls.map((l) => ({ send: `${l}\n` }));

/** What the shell printed after the nth (from 0) prompt where cmd was
 *  typed, up to the next prompt. Fails the test if there is no such one. */
export function outputOf(transcript: string, cmd: string, nth = 0): string {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = transcript.indexOf(`$ ${cmd}\r\n`, at + 1);
    if (at < 0) throw new Error(`no prompt with ${JSON.stringify(cmd)} (#${i}) in:\n${transcript}`);
  }
  const rest = transcript.slice(at + cmd.length + 4);
  const end = rest.search(/wasm386:[^\r\n]*\$ /);
  return end < 0 ? rest : rest.slice(0, end);
}
