// Real Linux i386 programs on the teaching kernel: Debian's busybox-static
// (fetched by `npm run fetch-debian` into build/debian/, never committed)
// and static glibc programs built here from test/linux/progs/*.c with
// gcc -m32 -static (gcc-multilib). Each test boots the kernel with an
// initrd made of the committed images/initrd.cpio plus those programs and
// the test's files, runs a busybox sh script as init, and compares what it
// prints with qemu-i386 running the same binaries on the same files.
//
// Where busybox, gcc -m32 or qemu-i386 is missing the tests are skipped and
// say so; with WASM386_REQUIRE_LINUX=1 (CI sets it) they fail instead.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, symlinkSync,
  chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { testNeeding } from "../helpers/requires.js";
import { image, machineWithLog, root, hasCommand } from "../helpers/machine.js";
import { readCpio, writeCpio, busyboxSystem, BUSYBOX, DIR, FILE, LINK } from "../../scripts/busybox-initrd.js";

export { BUSYBOX };
type Member = { name: string; mode: number; data: Uint8Array };
const PROGS_SRC = join(root, "test/linux/progs");
const PROGS_OUT = join(root, "build/linux");

export const haveBusybox = existsSync(BUSYBOX);
export const haveQemuUser = hasCommand("qemu-i386");
export const haveGcc32 = (() => {
  if (!hasCommand("gcc")) return false;
  const dir = mkdtempSync(join(tmpdir(), "wasm386-m32-"));
  writeFileSync(join(dir, "t.c"), "#include <stdio.h>\nint main(void) { puts(\"x\"); return 0; }\n");
  const r = spawnSync("gcc", ["-m32", "-static", "-o", join(dir, "t"), join(dir, "t.c")], { stdio: "pipe" });
  rmSync(dir, { recursive: true, force: true });
  return r.status === 0;
})();

/** test, or test.skip with the reason printed (a failure when required). */
export function linuxTest(needs: { busybox?: boolean; gcc?: boolean; qemu?: boolean }) {
  return testNeeding([
    needs.busybox && !haveBusybox && "Debian's busybox (npm run fetch-debian)",
    needs.gcc && !haveGcc32 && "gcc -m32 -static (apt-get install gcc-multilib)",
    needs.qemu && !haveQemuUser && "qemu-i386 (apt-get install qemu-user)",
  ]);
}

/** The glibc test programs, built when a source is newer than its binary,
 *  as glibc-NAME (a name no busybox applet has). Returns that -> path. */
export function glibcPrograms(): Map<string, string> {
  mkdirSync(PROGS_OUT, { recursive: true });
  const out = new Map<string, string>();
  for (const f of readdirSync(PROGS_SRC).filter((f) => f.endsWith(".c")).sort()) {
    const name = `glibc-${f.slice(0, -2)}`, src = join(PROGS_SRC, f), bin = join(PROGS_OUT, name);
    if (!existsSync(bin) || statSync(bin).mtimeMs < statSync(src).mtimeMs)
      execFileSync("gcc", ["-m32", "-static", "-O2", "-Wall", "-Wno-format-truncation", "-Wno-unused-result", "-o", bin, src, "-lm", "-pthread"], { stdio: "inherit" });
    out.set(name, bin);
  }
  return out;
}

/** The applets of the busybox binary with the paths Debian installs
 *  their links at (busybox --list-full: bin/ls, usr/bin/awk, ...). */
export function applets(): string[] {
  return execFileSync("qemu-i386", [BUSYBOX, "--list-full"], { encoding: "utf8" }).split("\n").filter(Boolean);
}

export interface Tree { [path: string]: string | Uint8Array | { link: string } | { dir: true } | { mode: number; data: string | Uint8Array } }

/** The teaching kernel's initrd as a busybox system (scripts/busybox-initrd.js)
 *  with the applets' links made already, where Debian puts them (/bin,
 *  /sbin, /usr/bin, /usr/sbin); then the glibc programs in /usr/local/bin
 *  and the files of tree (paths without the leading /). Without busybox:
 *  the teaching initrd with those added. */
export function linuxInitrd(tree: Tree = {}, opts: { busybox?: boolean; progs?: Map<string, string> } = {}): Uint8Array {
  const withBusybox = opts.busybox !== false && haveBusybox;
  let members: Member[] = readCpio(image("initrd.cpio"));
  let add = (name: string, mode: number, data: Uint8Array | string = new Uint8Array(0)) => {
    members.push({ name, mode, data: typeof data === "string" ? Buffer.from(data) : data });
  };
  if (withBusybox) ({ members, add } = busyboxSystem(members, readFileSync(BUSYBOX)));
  const dirs = new Set(members.filter((m) => (m.mode & 0o170000) === 0o40000).map((m) => m.name));
  const dir = (name: string) => {
    if (dirs.has(name)) return;
    const up = name.lastIndexOf("/");
    if (up > 0) dir(name.slice(0, up));
    dirs.add(name);
    add(name, DIR);
  };
  const parent = (name: string) => { const up = name.lastIndexOf("/"); if (up > 0) dir(name.slice(0, up)); };
  dir("usr/local/bin");
  if (withBusybox)
    for (const a of applets()) {
      if (a === "bin/busybox" || a === "bin/sh" || a === "sbin/init") continue;
      parent(a);
      add(a, LINK, "/bin/busybox");
    }
  for (const [name, path] of opts.progs ?? []) add(`usr/local/bin/${name}`, 0o100755, readFileSync(path));
  for (const [path, v] of Object.entries(tree)) {
    parent(path);
    if (typeof v === "string" || v instanceof Uint8Array) add(path, FILE, v);
    else if ("link" in v) add(path, LINK, v.link);
    else if ("dir" in v) dir(path);
    else add(path, v.mode, v.data);
  }
  return writeCpio(members);
}

/** The same files in a host directory, for qemu-i386 (which runs the
 *  programs with the host's kernel). */
export function hostTree(tree: Tree): string {
  const top = mkdtempSync(join(tmpdir(), "wasm386-linux-"));
  for (const [path, v] of Object.entries(tree)) {
    const p = join(top, path);
    mkdirSync(dirname(p), { recursive: true });
    if (typeof v === "string" || v instanceof Uint8Array) writeFileSync(p, v);
    else if ("link" in v) symlinkSync(v.link, p);
    else if ("dir" in v) mkdirSync(p, { recursive: true });
    else { writeFileSync(p, v.data); chmodSync(p, v.mode & 0o7777); }
  }
  return top;
}

export interface Run { out: string; status: number | null; console: string }

/** Boots the kernel with initrd and runs init (a path, then its
 *  arguments); out is what init printed after the boot messages, with the
 *  tty's CR LF turned back into LF; status is init's exit status. */
export async function bootRun(initrd: Uint8Array, init: string[], opts: { maxInstructions?: number; memoryMiB?: number } = {})
  : Promise<Run> {
  const { m, serial } = await machineWithLog({
    kernel: image("kernel.elf"), kernelName: "images/kernel.elf", memoryMiB: opts.memoryMiB ?? 128,
    cmdline: `nomodules init=${init[0]}${init.length > 1 ? ` -- ${init.slice(1).join(" ")}` : ""}`,
    initrd, initrdName: "linux.cpio",
  });
  const outcome = await m.runUntilDone({ maxInstructions: opts.maxInstructions ?? 4e9 });
  const text = serial();
  const start = text.indexOf("\n", text.indexOf("command line:"));
  let out = text.slice(start + 1).replace(/\r\n/g, "\n");
  out = out.replace(/^modules: \d+\n/, "");
  const end = out.lastIndexOf(`${init[0].split("/").pop()}[1] exited with status`);
  if (end >= 0) out = out.slice(0, end);
  const status = outcome.reason === "exit" && outcome.exitCode !== undefined ? (outcome.exitCode - 1) >> 1 : null;
  return { out, status, console: text };
}

/** Runs argv under qemu-i386 in dir (the host tree) with env. */
export function qemuRun(argv: string[], dir: string, env: Record<string, string> = {}): { out: string; status: number | null } {
  const r = spawnSync("qemu-i386", argv, { cwd: dir, encoding: "latin1", env: { PATH: "/usr/bin:/bin", ...env }, timeout: 120_000,
    stdio: ["ignore", "pipe", "pipe"] });
  return { out: r.stdout + r.stderr, status: r.status };
}

/** The sections a script printed: each begins with a line "=== NAME". */
export function sections(out: string): Map<string, string> {
  const map = new Map<string, string>();
  let name = "", text: string[] = [];
  for (const line of out.split("\n")) {
    const m = /^=== (.*)$/.exec(line);
    if (m) { if (name) map.set(name, text.join("\n")); name = m[1]; text = []; }
    else if (name) text.push(line);
  }
  if (name) map.set(name, text.join("\n"));
  return map;
}

const PREAMBLE = "exec 2>&1 </dev/null\nexport TZ=UTC0 LC_ALL=C HOME=/ TERM=linux\n";

/** Runs script (busybox sh) on the kernel, in /t holding tree, with /proc
 *  mounted and the glibc programs first on $PATH; and under qemu-i386 in
 *  a host directory holding the same files, with a $PATH of busybox's
 *  applets and those programs alone (so that nothing of the host's own
 *  runs in their place). Its output goes through a pipe on both sides
 *  (busybox's ls, say, lays out a terminal differently). Returns both
 *  outputs by section, and how long each side took. */
export async function compareScript(script: string, tree: Tree = {}, opts: { progs?: Map<string, string>; maxInstructions?: number } = {}) {
  const guestTree: Tree = {};
  for (const [path, v] of Object.entries(tree)) guestTree[`t/${path}`] = v;
  guestTree["t/.run.sh"] = `${PREAMBLE}export PATH=/usr/local/bin:/bin:/sbin:/usr/bin:/usr/sbin\ncd /t\n${script}`;
  guestTree["t/.init.sh"] = "mount -t proc proc /proc\nsh /t/.run.sh 2>&1 | cat\n";
  const t0 = Date.now();
  const k = await bootRun(linuxInitrd(guestTree, { progs: opts.progs }), ["/bin/busybox", "sh", "/t/.init.sh"],
    { maxInstructions: opts.maxInstructions });
  const kernelMs = Date.now() - t0;
  const dir = hostTree(tree);
  const bin = join(dir, ".bin");
  mkdirSync(bin);
  for (const a of applets()) symlinkSync(BUSYBOX, join(bin, a.split("/").pop()!));
  const t1 = Date.now();
  const q = qemuRun([BUSYBOX, "sh", "-c", `${PREAMBLE}export PATH=${PROGS_OUT}:${bin}\n${script}`], dir, { TZ: "UTC0", LC_ALL: "C", HOME: "/" });
  const qemuMs = Date.now() - t1;
  rmSync(dir, { recursive: true, force: true });
  return { kernel: sections(k.out), qemu: sections(q.out), kernelMs, qemuMs, console: k.console, status: k.status };
}
