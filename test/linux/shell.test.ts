// The busybox system as a user meets it (npm run busybox): busybox init
// runs rcS (the applets' links, /proc, the teaching kernel's modules,
// serial.ko first), then a login shell on the console. Typed at it: line
// editing and history, Tab completion, job control through the tty
// (Ctrl-Z, jobs, bg, fg, Ctrl-C), and poweroff through init.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Stop } from "../../host/machine.js";
import { image, machineWithLog } from "../helpers/machine.js";
import { busyboxInitrd } from "../../scripts/busybox-initrd.js";
import { linuxTest } from "./linux.js";

const t = linuxTest({ busybox: true });
const PROMPT = /busybox:[^\n]*# (\x1b\[6n)?$/; // lineedit asks the terminal where the cursor is; nobody answers here

/** Types each step at a prompt (or after ms of guest time); returns the
 *  transcript with CR LF as LF and the machine's exit code. */
async function session(steps: { send: string; afterMs?: number }[]) {
  const { m, serial } = await machineWithLog({
    kernel: image("kernel.elf"), kernelName: "images/kernel.elf", memoryMiB: 128, initrd: busyboxInitrd(), initrdName: "busybox.cpio",
  });
  let next = 0, seen = -1, sentAt = 0n;
  while (m.instructions < 3e9) {
    const stop = m.runSlice(100_000);
    if (stop === Stop.Exit) break;
    const step = steps[next];
    if (!step) continue;
    const out = serial();
    const ready = step.afterMs !== undefined ? m.clockNs - sentAt >= BigInt(step.afterMs) * 1_000_000n : PROMPT.test(out) && out.length !== seen;
    if (!ready) continue;
    seen = out.length;
    sentAt = m.clockNs;
    m.sendSerial(step.send);
    next++;
  }
  return { text: serial().replace(/\r\n/g, "\n"), exitCode: m.exitCode, steps: next };
}

const LEFT = "\x1b[D", UP = "\x1b[A", HOME = "\x1b[H";
let run: Awaited<ReturnType<typeof session>> | undefined;

async function transcript() {
  run ??= await session([
    { send: "echo edited" + LEFT.repeat(6) + "line " + HOME + "\x7f\n" }, // Home, then Backspace does nothing
    { send: UP + "\x7f\x7fED\n" },                                       // the last line again, its end changed
    { send: "ec\t one two\n" },                                           // Tab completes the command
    { send: "sleep 100\n" }, { send: "\x1a", afterMs: 300 },               // Ctrl-Z stops it
    { send: "jobs\n" }, { send: "bg\n" }, { send: "jobs\n" },
    { send: "fg\n" }, { send: "\x03", afterMs: 300 },                      // back in the foreground, then Ctrl-C
    { send: "echo status $?\n" },
    { send: "cat /proc/self/stat | cut -d' ' -f2\n" },
    { send: "poweroff\n" },
  ]);
  return run;
}

t("busybox init starts a login shell on the console after rcS loaded the modules", async () => {
  const { text } = await transcript();
  assert.match(text, /module serial loaded at 0x[0-9a-f]+/);
  assert.match(text, /BusyBox v1\.35\.0 \(Debian [^)]*\) built-in shell \(ash\)/);
  assert.match(text, /Debian's busybox \(i386, unmodified\) on the wasm386 teaching kernel/, "the motd, through /etc/profile");
  assert.not.match(text, /can't access tty|job control turned off/);
});

t("line editing: cursor keys, Home, Backspace, the history, Tab completion", async () => {
  const { text } = await transcript();
  assert.match(text, /\nline edited\n/);
  assert.match(text, /\nline editED\n/);
  assert.match(text, /\none two\n/);
});

t("job control: Ctrl-Z stops the job, bg and fg move it, Ctrl-C ends it", async () => {
  const { text } = await transcript();
  assert.match(text, /\^Z\n\[1\]\+ +Stopped +sleep 100\n/);
  assert.match(text, /jobs\n\[1\]\+ +Stopped +sleep 100\n/);
  assert.match(text, /bg\n\[1\] sleep 100\n/);
  assert.match(text, /jobs\n\[1\]\+ +Running +sleep 100\n/);
  assert.match(text, /fg\nsleep 100\n\^C\n/);
  assert.match(text, /\nstatus 130\n/);
  assert.match(text, /\n\(cat\)\n/, text.slice(-600));
});

t("poweroff goes through busybox init and powers the machine off", async () => {
  const { text, exitCode, steps } = await transcript();
  assert.is(steps, 13, "every line was typed at a prompt");
  assert.match(text, /The system is going down NOW!\n[^]*Requesting system poweroff\nreboot: power down\n/);
  assert.is(exitCode, 0);
});

test.run();
