// Issue 24: Debian's 686 kernel boots from an initramfs holding only
// Debian's busybox-static to a shell on ttyS0, and the shell's answers to
// scripted commands (typed on the serial console, each after the prompt)
// are those of QEMU's isapc machine with the same kernel and initramfs,
// with printk timestamps masked. /proc/cpuinfo is compared where the two
// CPUs agree: QEMU's pentium2 is a Pentium II with MMX, wasm386's a
// Pentium Pro-class P6 without it. poweroff -f halts the machine, which
// ends wasm386's run.
import * as assert from "uvu/assert";
import { test } from "uvu";
import { linuxInitramfs, APPEND } from "../../scripts/linux-initramfs.js";
import { debianTest, wasm386Session, qemuSession, shellLines, plain, type Session } from "./linux-debian.js";

const COMMANDS = [
  "dmesg -n 1", // kernel messages (crng init, ...) stay out of the console from here on
  "uname -a",
  "grep -E '^(vendor_id|cpu family|fpu|fpu_exception|wp|processor)[[:space:]]' /proc/cpuinfo",
  "mount",
  "ls /",
  "ls /bin | wc -l",
  "echo hello, world | tr a-z A-Z | rev",
  "seq 1 100 | awk '{ s += $1; q += $1 * $1 } END { print s, q, s / 7, q / 3e5 }'",
  "echo written to tmpfs > /tmp/f; echo and more >> /tmp/f; cat /tmp/f; wc -c /tmp/f; cp /tmp/f /tmp/g && cmp /tmp/f /tmp/g && echo same",
  "sha256sum /bin/busybox | cut -c1-16",
  "echo $((6 * 7)) $(id -u) $(tty)",
  "dmesg | grep -c 'Linux version'",
  "sleep 1; echo slept",
  "poweroff -f",
];

// APPEND leaves the crypto manager's boot-time self-tests out (on both
// machines): they are 3.2 G of the boot's 6.6 G instructions (mostly the
// generic MPI code of the ffdhe Diffie-Hellman tests).

const withQemu = debianTest({ qemu: true });
const alone = debianTest();

let wasm: Session | undefined;
async function wasmRun(): Promise<Session> {
  wasm ??= await wasm386Session(linuxInitramfs(), COMMANDS, { append: APPEND });
  return wasm;
}

alone("Debian's kernel boots to busybox's shell on ttyS0; the commands run; poweroff -f ends the run", async () => {
  const w = await wasmRun();
  console.log(`  wasm386: ${(w.instructions! / 1e9).toFixed(2)} G instructions, ${w.seconds.toFixed(1)} s`);
  assert.equal(w.outcome, { reason: "halted" }, w.console.slice(-3000));
  const t = plain(w.transcript);
  assert.match(t, /\[linux\]# uname -a\nLinux \(none\) 6\.1\.\d+-\d+-686 #1 SMP PREEMPT_DYNAMIC Debian .* i686 GNU\/Linux\n/);
  assert.match(t, /vendor_id\t: GenuineIntel\ncpu family\t: 6\nfpu\t\t: yes\nfpu_exception\t: yes\nwp\t\t: yes\n/);
  assert.match(t, /HELLO, WORLD|DLROW ,OLLEH/);
  assert.match(t, /\n5050 338350 721\.429 1\.12783\n/);
  assert.match(t, /written to tmpfs\nand more\n26 \/tmp\/f\nsame\n/);
  assert.match(t, /\n42 0 \/dev\/ttyS0\n/);
  assert.match(t, /\nslept\n/);
  assert.match(t, /reboot: System halted/);
  assert.not.match(w.console, /unchecked MSR access|Marking clocksource 'tsc' as unstable|Can't read CTR|BUG:|Oops/);
});

withQemu("the transcript is QEMU isapc's, timestamps masked", async () => {
  const [w, q] = [await wasmRun(), await qemuSession(linuxInitramfs(), COMMANDS, { append: APPEND })];
  console.log(`  QEMU: ${q.seconds.toFixed(1)} s`);
  assert.fixture(shellLines(w.transcript), shellLines(q.transcript));
});

test.run();
