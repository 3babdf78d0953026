// Single programs run as the first process (init=PROGRAM): in ring 3,
// system calls through int 0x80, and user faults that kill the process with
// a message while the kernel carries on. Each run is also made under
// qemu-system-i386 with the same images and must print the same.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { image, machineWithLog, root } from "../helpers/machine.js";
import { haveQemu, qemuBoot } from "../helpers/qemu.js";

async function boot(cmdline: string) {
  const { m, serial } = await machineWithLog({
    kernel: image("kernel.elf"), kernelName: "images/kernel.elf", cmdline, memoryMiB: 64,
    initrd: image("initrd.cpio"), initrdName: "images/initrd.cpio",
  });
  const outcome = await m.runUntilDone({ maxInstructions: 400_000_000 });
  return { outcome, serial: serial() };
}

/* What segtest must print: a user program may hold null or the flat user
 * segments (either RPL) in DS/ES/FS/GS, and only the user data segment at
 * RPL 3 in SS (SDM vol. 3, 5.10); those survive a system call, a timer
 * preemption and a signal (which kills it: no handlers), the rest are
 * refused at the load. Nothing may panic the kernel. */
function segtestLines(): string[] {
  const sels = [0x0000, 0x0003, 0x0023, 0x0020, 0x001b, 0x0013, 0x000b, 0x002b, 0x0007, 0x000f, 0xffff, 0x0033, 0xfffb];
  const userData = (s: number) => [0, 0x20, 0x18].includes(s & 0xfffc);
  return ["ds", "es", "fs", "gs", "ss"].flatMap((r) => sels.map((sel) => {
    const ok = r === "ss" ? sel === 0x23 : userData(sel);
    return `${r} ${sel.toString(16).padStart(4, "0")}: ${ok ? "kept kept USR1" : "SEGV SEGV SEGV"}`;
  }));
}

const cases: [string, string, RegExp, number][] = [
  ["init=/bin/fault_cli", "cli in ring 3", /fault_cli\[1\]: General protection fault at eip 8048[0-9a-f]{3}\r\n/, 139],
  ["init=/bin/fault_read_kernel", "reading kernel memory",
    /fault_read_kern\[1\]: Segmentation fault at address c0100000 \(eip 8048[0-9a-f]{3}\)\r\n/, 139],
  ["init=/bin/fault_write_code", "writing its own code", /fault_write_cod\[1\]: Segmentation fault at address 8048[0-9a-f]{3} /, 139],
  ["init=/bin/fault_div0", "dividing by zero", /fault_div0\[1\]: Floating point exception at eip 8048[0-9a-f]{3}\r\n/, 136],
  // Linux caps a read or write at 0x7ffff000 bytes (MAX_RW_COUNT) and
  // answers kill(INT_MIN, 0) with ESRCH.
  ["init=/bin/efault", "bad pointers in system calls; counts and ids at the edges of their types",
    /write\(kernel address\) = -14\r\nwrite\(unmapped\) = -14\r\nwrite\(spanning into the kernel\) = -14\r\nwrite\(bad fd\) = -9\r\nunknown system call = -38\r\n[^]*write\(\/dev\/null, 2\^31 bytes\) = 2147479552\r\nwrite\(\/dev\/null, 2\^32-1 bytes\) = 2147479552\r\nkill\(INT_MIN, 0\) = -3\r\nkill\(its own group, 0\) = 0\r\nkill\(a group that does not exist, 0\) = -3\r\n/, 3],
  ["init=/bin/attacks", "isolation attacks from user space, each blocked",
    new RegExp([
      "attacks: running as uid 1000",
      "read kernel memory +blocked: killed by Segmentation fault",
      "write kernel memory +blocked: killed by Segmentation fault",
      "read another process's memory +blocked: failed, no effect",
      "jump into kernel code +blocked: killed by Segmentation fault",
      ...["load a kernel data selector", "lgdt in ring 3", "lidt in ring 3", "ltr in ring 3", "mov to cr3 in ring 3",
        "int to a DPL 0 gate", "raise IOPL with popf, then cli", "raise IOPL with iret, then cli",
        "in from the disk's status port", "out to the disk's command port"].map((a) => `${a} +blocked: killed by Segmentation fault`),
      ...["system call buffer spanning into the kernel", "execve of a truncated ELF file",
        "execve of an ELF for another machine", "execve of an ELF loading over the kernel", "brk into kernel addresses",
        "mmap2 at a kernel address"].map((a) => `${a} +blocked: failed, no effect`),
      ...["execve of an ELF loading at address 0", "mmap2 at address 0"].map((a) => `${a} +blocked: failed, no effect`),
      ...["load an LDT selector", "call through an LDT call gate", "lldt in ring 3"]
        .map((a) => `${a} +blocked: killed by Segmentation fault`),
      ...["insmod", "rmmod", "mount", "umount", "reboot"].map((a) => `${a} as an ordinary user +blocked: failed, no effect`),
      ...["open a root-only device \\(/dev/console\\)", "write a file root owns \\(/etc/passwd\\)",
        "unlink from a directory root owns \\(/bin/sh\\)", "setuid\\(0\\) after giving root up"]
        .map((a) => `${a} +blocked: failed, no effect`),
      "34 of 34 attacks blocked",
    ].join("\r\n(?:attacks\\[\\d+\\]: [^\r]*\r\n)?")), 0],
  ["init=/bin/segtest", "every selector kind in DS/ES/FS/GS/SS across a system call, preemption and a signal",
    new RegExp(segtestLines().join("\r\n(?:segtest\\[\\d+\\]: General protection fault at eip [0-9a-f]+\r\n)*")), 0],
  ["init=/bin/forktest", "fork, exit, waitpid, execve, isolation and the process table limit",
    new RegExp([
      "child reaped, exit status 7, parent still sees 1", // the child's write to a global stayed in its copy
      "five children, exit statuses sum to 15",
      "no more children: -10", // -ECHILD
      "exec'd child exited with 3",
      "forktest\\[9\\]: Segmentation fault at address 0 \\(eip 8048[0-9a-f]{3}\\)",
      "faulting child: killed by signal 11",
      "fork stopped after 63 more processes with -11", // 64 slots, one is forktest: -EAGAIN
      "all reaped: 0 left",
    ].join("\r\n[\\s\\S]*?")), 0], // in this order (the exec'd program prints in between)
];

for (const [cmdline, what, pattern, status] of cases) {
  test(`${what}`, async () => {
    const { outcome, serial } = await boot(cmdline);
    assert.match(serial, pattern);
    assert.equal(outcome, { reason: "exit", exitCode: (status << 1) | 1 }, serial);
  });
}

const qemuTest = haveQemu ? test : test.skip;
if (!haveQemu) console.log("skipping: the QEMU comparison needs qemu-system-i386");
qemuTest("every run prints the same under qemu-system-i386", async () => {
  for (const [cmdline] of cases) {
    const q = await qemuBoot("images/kernel.elf", cmdline, { memMiB: 64, cwd: root, initrd: "images/initrd.cpio" });
    const w = await boot(cmdline);
    assert.is(w.serial, q.serial, cmdline);
  }
});

test.run();
