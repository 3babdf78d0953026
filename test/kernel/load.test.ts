// Load: 50 processes at once doing mixed work (files, anonymous memory,
// system calls, pipes) for a long stretch of guest time, all reporting
// through one pipe: every line arrives, and free memory after the run is
// what it was before it (after two warm-up runs have filled the kernel's caches).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { wasmSession, lines, outputOf } from "../helpers/session.js";

test("50 processes of mixed work: no lost output, no memory lost", async () => {
  const { serial } = await wasmSession(lines("loadtest 50 40", "echo $?", "poweroff"), { cmdline: "nomodules" });
  assert.not.match(serial, /panic/);
  const m = /^loadtest: 50 processes, (\d+) lines of 2000 arrived; free memory (\d+) kB before, (\d+) kB after\r\n$/.exec(outputOf(serial, "loadtest 50 40"));
  assert.ok(m, serial.slice(-1500));
  assert.is(Number(m![1]), 2000);
  assert.is(Number(m![3]), Number(m![2]), "free memory back to its level");
  assert.is(outputOf(serial, "echo $?"), "0\r\n");
});

test.run();
