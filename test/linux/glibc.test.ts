// Static glibc programs (test/linux/progs/*.c, built with gcc -m32
// -static) on the teaching kernel, each compared line for line with the
// same binary under qemu-i386: stdio, malloc, strings, time, signals,
// processes (fork, exec, pipes, system, popen, vfork, sessions),
// directories and links, and the x87 through printf, strtod and libm.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compareScript, glibcPrograms, linuxTest } from "./linux.js";

const t = linuxTest({ busybox: true, gcc: true, qemu: true });
const names = ["hello", "stdio", "malloc", "strings", "time", "signals", "procs", "dirs", "float", "threads", "timeouts"];
let run: Awaited<ReturnType<typeof compareScript>> | undefined;

async function results() {
  if (run) return run;
  const progs = glibcPrograms();
  const script = names.map((n) => `echo "=== ${n}"\nglibc-${n}\necho "status $?"\n`).join("");
  run = await compareScript(script, {}, { progs });
  console.log(`glibc programs: ${run.kernelMs} ms on the kernel, ${run.qemuMs} ms under qemu-i386`);
  return run;
}

for (const n of names)
  t(`glibc ${n}: the same output as under qemu-i386`, async () => {
    const r = await results();
    assert.ok(r.kernel.has(n), `no output from ${n}; the console:\n${r.console.slice(-2000)}`);
    assert.is(r.kernel.get(n), r.qemu.get(n));
    assert.match(r.kernel.get(n)!, /status 0\n?$/);
  });

test.run();
