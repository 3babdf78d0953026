// Runs a Multiboot kernel under qemu-system-i386 and collects its serial output.
import { spawn } from "node:child_process";
import { hasCommand } from "./machine.js";

export const QEMU = "qemu-system-i386";
export const haveQemu = hasCommand(QEMU);

/** Boots kernel with -append cmdline; the guest must leave through port 0xF4. */
export function qemuBoot(kernel: string, cmdline: string,
  opts: { memMiB?: number; cwd?: string; timeoutMs?: number; initrd?: string } = {})
  : Promise<{ serial: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const args = [
      "-kernel", kernel, "-append", cmdline, "-m", String(opts.memMiB ?? 128),
      "-serial", "stdio", "-display", "none", "-monitor", "none", "-no-reboot",
      "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
      ...(opts.initrd ? ["-initrd", opts.initrd] : []),
    ];
    const p = spawn(QEMU, args, { cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let serial = "", err = "";
    p.stdout.on("data", (d) => { serial += d.toString("latin1"); });
    p.stderr.on("data", (d) => { err += d; });
    const timer = setTimeout(() => { p.kill("SIGKILL"); reject(new Error(`qemu timed out; output so far: ${serial}${err}`)); },
      opts.timeoutMs ?? 30_000);
    p.on("error", (e) => { clearTimeout(timer); reject(e); });
    p.on("close", (status) => { clearTimeout(timer); resolve({ serial, status }); });
  });
}
