// Start-up of unmodified Linux programs (issue 23, first step): glibc's
// static start-up (set_thread_area and %gs, set_tid_address,
// set_robust_list, the aux vector's AT_RANDOM and AT_PHDR, getrandom,
// ugetrlimit, mprotect of RELRO, exit_group) and busybox's, with the
// arguments init is given after "--" on the kernel command line.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { bootRun, glibcPrograms, linuxInitrd, linuxTest, BUSYBOX, qemuRun } from "./linux.js";

const glibc = linuxTest({ gcc: true });
const busybox = linuxTest({ busybox: true, qemu: true });

glibc("a static glibc hello world starts, prints its arguments and exits with its status", async () => {
  const progs = glibcPrograms();
  const r = await bootRun(linuxInitrd({}, { busybox: false, progs }), ["/usr/local/bin/glibc-hello", "one", "two"]);
  assert.is(r.out, "hello, world\nargv[0] = /usr/local/bin/glibc-hello\nargv[1] = one\nargv[2] = two\nGREETING=(unset)\n", r.console);
  assert.is(r.status, 3);
});

busybox("busybox echo prints what qemu-i386's does", async () => {
  const r = await bootRun(linuxInitrd(), ["/bin/busybox", "echo", "-e", "a\\tb", "c"]);
  assert.is(r.out, qemuRun([BUSYBOX, "echo", "-e", "a\\tb", "c"], "/").out);
  assert.is(r.out, "a\tb c\n");
  assert.is(r.status, 0);
});

test.run();
