// The tty's line discipline and the shell's jobs at their limits: a pasted line longer than the
// 1024-byte input buffer, read in canonical mode, loses its tail but keeps
// its Enter (Linux keeps the last place for it), so the reader gets a line
// and goes on. (The shell reads its own lines in raw mode, through its line
// editor: test/kernel/lineedit.test.ts.)
import { test } from "uvu";
import * as assert from "uvu/assert";
import { wasmSession, lines, outputOf } from "../helpers/session.js";

test("a 1,500-byte line to a canonical reader (head): the tty keeps the first 1,022 bytes and the Enter", async () => {
  const { serial } = await wasmSession([{ send: "head -n 1\r" }, { send: `${"A".repeat(1500)}\n`, afterMs: 100 },
    ...lines("echo after", "poweroff")], { cmdline: "nomodules" });
  // The tty echoes what it keeps: 1,022 of the buffer's 1,023 usable
  // places, the last one kept for the Enter; head then prints that line.
  assert.is(outputOf(serial, "head -n 1"), `${"A".repeat(1022)}\r\n${"A".repeat(1022)}\r\n`);
  assert.is(outputOf(serial, "echo after"), "after\r\n");
  assert.match(serial, /reboot: power down\r\n$/);
});

test("erasing a control character takes back both columns of its ^X echo (as Linux)", async () => {
  // cat reads the canonical tty: a, b, Ctrl-A (echoed ^A), two erases, Enter, Ctrl-D.
  const { serial } = await wasmSession([{ send: "cat\n" }, { send: "ab\x01\x7f\x7f\n", afterMs: 200 }, { send: "\x04", afterMs: 200 },
    { send: "poweroff\n", afterMs: 200 }], { cmdline: "nomodules" });
  assert.ok(serial.includes("ab^A\b \b\b \b\b \b\r\na\r\n"),
    `two columns for ^A, one for b, then cat's line: ${JSON.stringify(serial.slice(serial.indexOf("cat")))}`);
});

test("jobs reports a background job that has ended as ended, once, not as Running", async () => {
  const { serial } = await wasmSession([{ send: "sleep 0 &\n" }, { send: "jobs\n", afterMs: 300 }, { send: "jobs\n" }, { send: "poweroff\n" }],
    { cmdline: "nomodules" });
  assert.match(outputOf(serial, "jobs"), /^\[1\] Done +sleep 0\r\n$/);
  assert.is(outputOf(serial, "jobs", 1), "", "reported once");
});

test.run();
