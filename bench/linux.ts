// Debian's Linux (linux-image-686 and a busybox initramfs, as
// scripts/linux-initramfs.js builds it and npm run linux boots it) from
// spawn to busybox's prompt on the serial console: the wasm386 CLI with
// its defaults (realtime clock, JIT on) and QEMU's isapc machine, the
// machine the tests compare with. v86 is not beside them: its npm package
// carries no BIOS, which its bzImage boot goes through.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, secondsToPrompt } from "./common.js";

const PROMPT = /\[linux\]# /;
const MEM = "128";

export interface LinuxBench { cli(): Promise<number>; qemu(): Promise<number | undefined>; close(): void }

/** The two runners, or why there are none (Debian's files missing). */
export async function linuxBench(jit: string, haveQemu: boolean): Promise<LinuxBench | string> {
  const { debianKernel, linuxInitramfs, APPEND } = await import(`${root}scripts/linux-initramfs.js`);
  const { BUSYBOX } = await import(`${root}scripts/busybox-initrd.js`);
  const { existsSync } = await import("node:fs");
  const kernel: string | undefined = debianKernel();
  if (!kernel || !existsSync(BUSYBOX)) return "Debian's kernel and busybox are missing (npm run fetch-debian)";
  const dir = mkdtempSync(join(tmpdir(), "wasm386-bench-linux-"));
  const initrd = join(dir, "initramfs.gz");
  writeFileSync(initrd, linuxInitramfs());
  const time = async (command: string, args: string[]) => {
    const r = await secondsToPrompt(command, args, PROMPT, 300_000);
    if (r.seconds === undefined) throw new Error(`${command} never showed Linux's prompt; it printed ${r.out.slice(-2000)}`);
    return r.seconds;
  };
  return {
    cli: () => time(process.execPath, [`${root}dist/wasm386.js`, kernel, "--initrd", initrd, "--append", APPEND, "--mem", MEM,
      ...(jit !== "on" ? ["--jit", jit] : [])]),
    qemu: async () => (haveQemu ? time("qemu-system-i386", ["-M", "isapc", "-cpu", "pentium2,-apic", "-m", MEM, "-kernel", kernel,
      "-initrd", initrd, "-append", APPEND, "-display", "none", "-serial", "stdio", "-monitor", "none", "-nodefaults"]) : undefined),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
