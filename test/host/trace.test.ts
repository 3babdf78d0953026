// Tracing from the host: system calls as strace shows them (names and
// arguments from the Linux i386 table, strings read from guest memory,
// results with errno names), exceptions with their error code, CR2 and
// ring, interrupts, and the module calls alone; through the API and the CLI.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { image, machineWithLog, root } from "../helpers/machine.js";
import type { TraceEvent, TraceKind } from "../../host/machine.js";
import { CLI } from "../helpers/cli.js";

async function traced(cmdline: string, kinds: TraceKind[], input = "") {
  const events: TraceEvent[] = [];
  const { m, serial } = await machineWithLog({
    kernel: image("kernel.elf"), kernelName: "images/kernel.elf", cmdline, memoryMiB: 32,
    initrd: image("initrd.cpio"), initrdName: "images/initrd.cpio", trace: kinds, onTrace: (e) => events.push(e),
  });
  if (input) m.sendSerial(input);
  const outcome = await m.runUntilDone({ maxInstructions: 200_000_000 });
  return { events, serial: serial(), outcome };
}

const strip = (t: string) => t.replace(/^\[0x[0-9a-f]+\] /, "");

test("system calls: names, arguments, strings and results, as strace prints them", async () => {
  const { events } = await traced("init=/bin/efault", ["syscalls"]);
  const lines = events.map((e) => e.text);
  assert.ok(lines.every((l) => /^\[0x[0-9a-f]+\] /.test(l)), "each line starts with the address space (CR3)");
  assert.equal(lines.map(strip), [
    "write(1, 0xc0100000, 10) = -1 EFAULT",
    "write(1, \"write(kernel address) = -14\\n\", 28) = 28",
    "write(1, 0x10, 4) = -1 EFAULT",
    "write(1, \"write(unmapped) = -14\\n\", 22) = 22",
    "write(1, 0xbffffffe, 4) = -1 EFAULT",
    "write(1, \"write(spanning into the kernel) \"..., 38) = 38",
    "write(7, \"x\", 1) = -1 EBADF",
    "write(1, \"write(bad fd) = -9\\n\", 19) = 19",
    "syscall_999(0x0, 0x0, 0x0, 0x0, 0x0, 0x0) = -1 ENOSYS",
    "write(1, \"unknown system call = -38\\n\", 26) = 26",
    "open(\"/init\", 0x0) = 3", // no O_CREAT: no mode, as strace prints it
    "read(3, 0xc0100000, 16) = -1 EFAULT",
    "write(1, \"read(into the kernel) = -14\\n\", 28) = 28",
    ...lines.map(strip).slice(13, 14), // read into its own code: the address depends on the link
    "write(1, \"read(into its own code) = -14\\n\", 30) = 30",
    "open(0xc0100000, 0x0) = -1 EFAULT",
    "write(1, \"open(kernel path) = -14\\n\", 24) = 24",
    "stat64(\"/init\", 0xc0001000) = -1 EFAULT",
    "write(1, \"stat(into the kernel) = -14\\n\", 28) = 28",
    "pipe(0xc0100000) = -1 EFAULT",
    "write(1, \"pipe(into the kernel) = -14\\n\", 28) = 28",
    "open(\"/dev/null\", 0x1) = 4",
    ...lines.map(strip).slice(22, 23), // the bytes after "x" in the program's data
    "write(1, \"write(/dev/null, 2^31 bytes) = 2\"..., 42) = 42",
    ...lines.map(strip).slice(24, 25),
    "write(1, \"write(/dev/null, 2^32-1 bytes) =\"..., 44) = 44",
    "kill(-2147483648, 0) = -1 ESRCH",
    "write(1, \"kill(INT_MIN, 0) = -3\\n\", 22) = 22",
    "getpgrp() = 1",
    "kill(-1, 0) = 0",
    "write(1, \"kill(its own group, 0) = 0\\n\", 27) = 27",
    "kill(-9999, 0) = -1 ESRCH",
    "write(1, \"kill(a group that does not exist\"..., 42) = 42",
    "exit(3) = ?",
  ]);
  assert.match(strip(lines[13]), /^read\(3, 0x8048[0-9a-f]{3}, 16\) = -1 EFAULT$/);
  // with O_CREAT the mode is an argument: the attacks program creates files (O_WRONLY|O_CREAT|O_TRUNC, 0755)
  const created = (await traced("init=/bin/attacks", ["syscalls"])).events.map((e) => strip(e.text));
  assert.ok(created.some((l) => /^open\("\/tmp\/truncated", 0x241, 0755\) = \d+$/.test(l)), created.filter((l) => l.startsWith("open")).join("\n"));
  // a count of 2^31 and more is capped at 0x7ffff000, and the result stays positive
  assert.match(strip(lines[22]), /^write\(4, "x.*"\.\.\., 2147483648\) = 2147479552$/);
  assert.match(strip(lines[24]), /^write\(4, "x.*"\.\.\., 4294967295\) = 2147479552$/);
});

test("reads show what was read; fork's child and exec are followed", async () => {
  const { events } = await traced("init=/bin/forktest", ["syscalls"]);
  const lines = events.map((e) => strip(e.text));
  assert.ok(lines.includes("execve(\"/bin/efault\", 0xbfffefd4, NULL) = 0") || lines.some((l) => /^execve\("\/bin\/efault", 0x[0-9a-f]+, NULL\) = 0$/.test(l)), lines.join("\n"));
  assert.ok(lines.some((l) => /^fork\(\) = \d+$/.test(l)));
  assert.ok(lines.some((l) => l === "fork() = -1 EAGAIN"));
  assert.ok(lines.some((l) => l === "waitpid(-1, 0xbfffef8c, 0) = -1 ECHILD" || /^waitpid\(-1, 0x[0-9a-f]+, 0\) = -1 ECHILD$/.test(l)));
});

test("exceptions: vector, error code, CR2, EIP and ring", async () => {
  // Page faults of user pages arriving on first touch come first; then
  // the fault the program is for.
  const last = async (init: string) => {
    const { events } = await traced(init, ["exceptions"]);
    assert.ok(events.every((e) => e.kind === "exception"));
    const demand = events.slice(0, -1).map((e) => strip(e.text));
    for (const d of demand) {
      const f = /^exception #PF \(14\) error 0x[4-7] cr2=0x([0-9a-f]+) at eip=0x[0-9a-f]+ ring 3$/.exec(d);
      assert.ok(f && parseInt(f[1], 16) < 0xc0000000, d); // a user page, from ring 3
    }
    return strip(events[events.length - 1].text);
  };
  assert.match(await last("init=/bin/fault_div0"), /^exception #DE \(0\) at eip=0x8048[0-9a-f]{3} ring 3$/);
  assert.match(await last("init=/bin/fault_read_kernel"), /^exception #PF \(14\) error 0x5 cr2=0xc0100000 at eip=0x8048[0-9a-f]{3} ring 3$/);
  assert.match(await last("init=/bin/fault_cli"), /^exception #GP \(13\) error 0x0 at eip=0x8048[0-9a-f]{3} ring 3$/);
});

test("interrupts: the timer's vector, with where it came in", async () => {
  const { events } = await traced("init=/bin/forktest", ["irq"]);
  const timer = events.filter((e) => /^interrupt vector 32 at eip=0x[0-9a-f]+ ring [03]$/.test(strip(e.text)));
  assert.ok(timer.length >= 1, `${timer.length} timer interrupts`);
  assert.ok(events.every((e) => e.kind === "irq"));
});

test("modules: only init_module and delete_module", async () => {
  const { events } = await traced("", ["modules"],
    "insmod /lib/modules/hello.ko who=trace\nrmmod hello\nrmmod hello\npoweroff\n");
  const lines = events.map((e) => strip(e.text));
  assert.ok(lines.some((l) => /^init_module\(0x[0-9a-f]+, \d+, "who=trace"\) = 0$/.test(l)), lines.join("\n"));
  assert.ok(lines.includes("delete_module(\"hello\", 0x800) = 0"), lines.join("\n"));
  assert.ok(lines.includes("delete_module(\"hello\", 0x800) = -1 ENOENT"), lines.join("\n"));
  assert.ok(lines.every((l) => /^(init|delete)_module\(/.test(l)), lines.join("\n"));
});

test("the CLI: --trace to stderr or --trace-file, and bad lists refused", () => {
  const dir = mkdtempSync(join(tmpdir(), "wasm386-trace-"));
  const file = join(dir, "trace.txt");
  const cli = (...args: string[]) => spawnSync(process.execPath, [...CLI, ...args],
    { cwd: root, encoding: "latin1", input: "", timeout: 60_000 });
  const r = cli("--no-disk", "--append", "init=/bin/fault_div0", "--trace", "exceptions");
  assert.match(r.stderr, /exception #DE \(0\) at eip=0x8048[0-9a-f]{3} ring 3\n/);
  const f = cli("--no-disk", "--append", "init=/bin/efault", "--trace", "syscalls", "--trace-file", file);
  assert.is(f.status, 7);
  assert.match(readFileSync(file, "latin1"), /\] exit\(3\) = \?\n$/);
  const bad = cli("--trace", "everything");
  assert.is(bad.status, 1);
  assert.match(bad.stderr, /--trace takes syscalls, exceptions, irq, modules \(got everything\)/);
});

test.run();
