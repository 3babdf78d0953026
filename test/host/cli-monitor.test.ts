// The monitor on the CLI's terminal (a pty from util-linux's script):
// Ctrl-A c opens it with QEMU's kind of prompt, the guest is paused while
// it is open (the timer's tick count holds still), commands run and bad
// ones say so in a line, Ctrl-A c goes back to the console, where the shell
// still answers; savevm writes a state that loads; quit ends the run.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "../helpers/machine.js";

const tmp = mkdtempSync(join(tmpdir(), "wasm386-monitor-"));

/** The CLI on a pty going on from a saved state. */
function onPtyFrom(state: string, steps: [number, string][]) {
  return onPty(steps, "--load-state", state);
}

/** The CLI on a pty, fed keys as "sleep S; printf ..." steps. */
function onPty(steps: [number, string][], ...args: string[]) {
  const feed = steps.map(([s, keys]) => `sleep ${s}; printf '${keys}'`).join("; ");
  const r = spawnSync("sh", ["-c", `(${feed}) | script -qec "${process.execPath} dist/wasm386.js ${args.join(" ")}" /dev/null`],
    { cwd: root, encoding: "latin1", timeout: 60_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test("Ctrl-A c: the monitor, with the guest paused; Ctrl-A c again: the console", () => {
  // From a machine saved at the shell's prompt: how long a boot takes
  // depends on the JIT mode (force translates every block first).
  const booted = join(tmp, "booted.state");
  const boot = spawnSync(process.execPath, [`${root}dist/wasm386.js`, "--clock", "deterministic", "--max-instructions", "30000000",
    "--save-state", booted], { cwd: root, encoding: "latin1", timeout: 120_000 });
  assert.match(boot.stdout, /wasm386:\/\$ $/, "saved at the prompt");
  const state = join(tmp, "monitor.state");
  const r = onPtyFrom(booted, [
    [1.2, "\\001c"], [0.3, "x/x ticks\\r"], [0.6, "x/x ticks\\r"], [0.2, "x/4x 0xc0100000\\r"],
    [0.2, "info registers\\r"], [0.2, "bogus\\r"], [0.2, "info mod\\001\\001ules\\r"], [0.2, `savevm ${state}\\r`],
    [0.2, "\\001c"], [0.3, "echo back in the shell\\r"], [0.5, "\\001x"],
  ]);
  assert.is(r.status, 0, r.err);
  const out = r.out.replace(/\r/g, "");
  assert.match(out, /wasm386 monitor - type 'help' for the commands, Ctrl-A c to return to the console \(the guest is paused\)\n\(wasm386\) /);
  // 0.6 s apart at 100 Hz: the same count, because the guest is not running.
  const ticks = [...out.matchAll(/\(wasm386\) x\/x ticks\n(c01[0-9a-f]{5}): (0x[0-9a-f]{8})\n/g)];
  assert.is(ticks.length, 2, out);
  assert.ok(Number(ticks[0][2]) > 0, "the timer has ticked since boot");
  assert.is(ticks[1][2], ticks[0][2], "paused");
  assert.match(out, /\(wasm386\) x\/4x 0xc0100000\nc0100000: 0x1badb002 0x00000003 0xe4524ffb 0x[0-9a-f]{8}\n/);
  assert.match(out, /\(wasm386\) info registers\nEAX=[0-9a-f]{8} EBX=/);
  assert.match(out, /\nCR0=8001003[3b] /); // PE ET WP PG, NE MP (kernel/arch/fpu.c), TS while another process owns the FPU
  assert.match(out, /\(wasm386\) bogus\nunknown command: 'bogus' \(help lists the commands\)\n\(wasm386\) /);
  // Ctrl-A Ctrl-A types nothing in the monitor; the bundled kernel loads ext2 (and the serial driver).
  assert.match(out, /\(wasm386\) info modules\nModule +Address +Size +Refs +Used by\n(.*\n)*ext2 +0xf8[0-9a-f]{6} /);
  assert.match(out, new RegExp(`saved the machine to ${state}\\n`));
  assert.match(out, /\necho back in the shell\nback in the shell\nwasm386:\/\$ /, out);
  const again = spawnSync(process.execPath, [`${root}dist/wasm386.js`, "--load-state", state],
    { cwd: root, encoding: "latin1", input: "echo loaded\npoweroff\n", timeout: 60_000 });
  assert.match(again.stdout, /\nloaded\r\n/, again.stderr);
});

test("quit in the monitor ends the run as Ctrl-A x does (the state is saved); help lists the commands", () => {
  const state = join(tmp, "quit.state");
  const r = onPty([[1.2, "\\001c"], [0.3, "help\\r"], [0.3, "quit\\r"]], "--save-state", state);
  assert.is(r.status, 0, r.err);
  const out = r.out.replace(/\r/g, "");
  for (const cmd of ["info registers", "info tlb", "info mem", "info modules", "x /fmt ADDR", "xp /fmt ADDR", "savevm FILE", "quit"])
    assert.match(out, new RegExp(`\\n${cmd.replace(/[/]/g, "\\/")}[ |]`), cmd);
  assert.not.match(out, /\(wasm386\) quit\n[^]*\(wasm386\) /, "no prompt after quit");
  const again = spawnSync(process.execPath, [`${root}dist/wasm386.js`, "--load-state", state],
    { cwd: root, encoding: "latin1", input: "poweroff\n", timeout: 60_000 });
  assert.match(again.stdout, /reboot: power down/);
});

test.run();
