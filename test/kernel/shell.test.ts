// The teaching kernel's user space, driven through the serial port as a
// user would: a scripted session at the shell's prompt, its transcript
// checked here, and the same script under qemu-system-i386 giving the same
// transcript.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { wasmSession, qemuSession, lines, type Step } from "../helpers/session.js";
import { haveQemu } from "../helpers/qemu.js";

const lastJobPid = (out: string) => /\[\d+\] (\d+)\r\n[^[]*$/.exec(out)?.[1] ?? "0";

const script: Step[] = [
  ...lines("ls /", "ls -l /etc", "cat /etc/hostname"),
  ...lines("echo hello world > /tmp/a", "cat /tmp/a", "echo again >> /tmp/a", "wc < /tmp/a", "cat /tmp/a | wc"),
  ...lines("ls /bin | head -n 3", "ps"),
  ...lines("sleep 1 &", "ps", "sleep 2"),
  { send: "sleep 10\n" }, { send: "\x03", afterMs: 1000 },
  ...lines("echo $?"),
  ...lines("fault_cli", "echo $?", "fault_read_kernel", "fault_write_code", "fault_div0", "echo $?"),
  ...lines("efault", "memtest", "forktest"),
  ...lines("mkdir -p /tmp/d/e", "cd /tmp/d", "pwd", "touch x", "mv x y", "cp y e", "ls -l . e", "rm y",
    "rmdir e", "rm -r e", "ls", "cd ..", "rmdir d", "cd", "ls /tmp"),
  ...lines("uname -a", "mount", "umount /proc", "cat /proc/mounts", "mount -t proc proc /proc", "ls /proc/1"),
  ...lines("nosuchcommand", "echo $?", "true; echo $?", "false; echo $?", "echo 'single $HOME' \"double $HOME\""),
  ...lines("sleep 100 &"), { send: (out) => `kill ${lastJobPid(out)}\n` }, ...lines("true"),
  { send: "ech\x7fho edited\n" }, { send: "junk\x15echo line killed\n" },
  ...lines("sh"), { send: "\x04" },
  ...lines("rawtest"), { send: "xyz", afterMs: 200 },
  ...lines("dmesg | head -n 1", "poweroff"),
];

let transcript = "";
let exitCode: number | null = null;

test.before(async () => {
  ({ serial: transcript, exitCode } = await wasmSession(script));
});

// Each check: a command line and what must follow it before the next prompt.
const after = (cmd: string) => {
  const at = transcript.indexOf(`$ ${cmd}\r\n`);
  assert.ok(at >= 0, `no prompt with ${JSON.stringify(cmd)} in:\n${transcript}`);
  const rest = transcript.slice(at + cmd.length + 4);
  return rest.slice(0, rest.search(/wasm386:[^\r\n]*\$ /));
};

test("the shell starts at a prompt and poweroff ends the machine cleanly", () => {
  assert.match(transcript, /init: starting \/bin\/sh[^\n]*\r\nwasm386:\/\$ /);
  assert.match(transcript, /reboot: power down\r\n$/);
  assert.is(exitCode, 1, "debug-exit with 0 gives (0 << 1) | 1");
});

test("ls and cat read the initrd's files", () => {
  assert.is(after("ls /"), "bin\r\ndev\r\netc\r\ninit\r\nproc\r\ntmp\r\n");
  assert.match(after("ls -l /etc"), /^-rw-r--r--  1 +8 hostname\r\n-rw-r--r--  1 +\d+ motd\r\n$/);
  assert.is(after("cat /etc/hostname"), "wasm386\r\n");
});

test("redirection, append, input redirection and a pipeline", () => {
  assert.is(after("cat /tmp/a"), "hello world\r\n");
  assert.is(after("wc < /tmp/a"), "      2       3      18\r\n");
  assert.is(after("cat /tmp/a | wc"), "      2       3      18\r\n");
  assert.is(after("ls /bin | head -n 3"), "cat\r\ncp\r\ndmesg\r\n");
});

test("ps lists init, the shell and itself from /proc", () => {
  const ps = after("ps");
  assert.match(ps, /^  PID  PPID  PGID S CMD\r\n    1     0     1 S \/init\r\n    2     1     2 S sh\r\n +\d+ +2 +\d+ R ps\r\n$/);
});

test("a background job runs while the shell takes commands, and is reported when done", () => {
  assert.match(after("sleep 1 &"), /^\[1\] \d+\r\n$/);
  const pid = /\[1\] (\d+)/.exec(after("sleep 1 &"))![1];
  assert.match(transcript, new RegExp(`\\$ sleep 1 &\\r\\n[\\s\\S]*?\\$ ps\\r\\n[\\s\\S]*? +${pid} +2 +${pid} S sleep 1\\r\\n`));
  assert.match(transcript, /\$ sleep 2\r\n\[1\] Done       sleep 1\r\nwasm386:/);
});

test("Ctrl-C stops a running sleep and the shell carries on", () => {
  assert.is(after("sleep 10"), "^C\r\n");
  assert.match(transcript, /\$ sleep 10\r\n\^C\r\nwasm386:\/\$ echo \$\?\r\n130\r\n/);
});

test("faulting programs are killed with a message naming the fault; the shell carries on", () => {
  assert.match(after("fault_cli"), /^fault_cli\[\d+\]: General protection fault at eip 8048[0-9a-f]{3}\r\n$/);
  assert.match(transcript, /\$ fault_cli\r\n.*\r\nwasm386:\/\$ echo \$\?\r\n139\r\n/);
  assert.match(after("fault_read_kernel"), /^fault_read_kern\[\d+\]: Segmentation fault at address c0100000 \(eip 8048[0-9a-f]{3}\)\r\n$/);
  assert.match(after("fault_write_code"), /^fault_write_cod\[\d+\]: Segmentation fault at address 8048[0-9a-f]{3} \(eip 8048[0-9a-f]{3}\)\r\n$/);
  assert.match(after("fault_div0"), /^fault_div0\[\d+\]: Floating point exception at eip 8048[0-9a-f]{3}\r\n$/);
  assert.match(transcript, /\$ fault_div0\r\n.*\r\nwasm386:\/\$ echo \$\?\r\n136\r\n/);
});

test("system calls given kernel or unmapped pointers return -EFAULT", () => {
  const out = after("efault");
  for (const call of ["write(kernel address)", "write(unmapped)", "write(spanning into the kernel)", "read(into the kernel)",
    "read(into its own code)", "open(kernel path)", "stat(into the kernel)", "pipe(into the kernel)"])
    assert.ok(out.includes(`${call} = -14\r\n`), `${call} in:\n${out}`);
  assert.ok(out.includes("write(bad fd) = -9\r\n"));
  assert.ok(out.includes("unknown system call = -38\r\n"));
});

test("brk, mmap2 and munmap; two processes cannot see each other's memory", () => {
  assert.match(after("memtest"), new RegExp("^" + [
    "brk grew by 12388 bytes, all writable: yes", "brk back to its start: yes", "mmap: ok, zeroed: yes",
    `child wrote its copy \\(status 0\\); parent still reads "parent's data"`,
    "memtest\\[\\d+\\]: Segmentation fault at address 40000000 \\(eip 8048[0-9a-f]{3}\\)",
    "touching unmapped memory: Segmentation fault", "malloc\\(100000\\): ok", ""].join("\r\n") + "$"));
});

test("fork past the process table fails cleanly with -EAGAIN", () => {
  const out = after("forktest");
  assert.match(out, /child reaped, exit status 7, parent still sees 1\r\n/);
  assert.match(out, /no more children: -10\r\n/);
  assert.match(out, /fork stopped after 61 more processes with -11\r\n/); // 64 slots: init, sh, forktest
  assert.match(out, /all reaped: 0 left\r\n/);
});

test("directories and files: mkdir -p, cd, pwd, touch, mv, cp, rm, rmdir", () => {
  assert.is(after("pwd"), "/tmp/d\r\n");
  assert.match(after("ls -l . e"), /^\.:\r\ndrwxr-xr-x  2 +0 e\r\n-rw-r--r--  1 +0 y\r\n\r\ne:\r\n-rw-r--r--  1 +0 y\r\n$/);
  assert.is(after("rmdir e"), "rmdir: e: Directory not empty\r\n");
  assert.is(after("ls"), "");
  assert.match(transcript, /\$ cd \.\.\r\nwasm386:\/tmp\$ rmdir d\r\nwasm386:\/tmp\$ cd\r\nwasm386:\/\$ /); // cd alone: $HOME
  assert.is(after("ls /tmp"), "a\r\n");
});

test("uname, mount and umount of /proc", () => {
  assert.is(after("uname -a"), "wasm386 wasm386 0.1 #1 teaching kernel i686\r\n");
  assert.is(after("mount"), "rootfs / ramfs rw 0 0\r\ndevtmpfs /dev devtmpfs rw 0 0\r\nproc /proc proc rw 0 0\r\n");
  assert.is(after("umount /proc"), "");
  assert.is(after("cat /proc/mounts"), "cat: /proc/mounts: No such file or directory\r\n");
  assert.is(after("ls /proc/1"), "cmdline\r\nstatus\r\n");
});

test("exit statuses, quoting and variables", () => {
  assert.is(after("nosuchcommand"), "sh: nosuchcommand: command not found\r\n");
  assert.is(after("echo $?"), "130\r\n"); // the first one; the later ones are checked in order below
  assert.match(transcript, /\$ nosuchcommand\r\n.*\r\nwasm386:\/\$ echo \$\?\r\n127\r\n/);
  assert.is(after("true; echo $?"), "0\r\n");
  assert.is(after("false; echo $?"), "1\r\n");
  assert.is(after("echo 'single $HOME' \"double $HOME\""), "single $HOME double /\r\n");
});

test("kill ends a background job, which the shell reports", () => {
  assert.match(transcript, /\$ kill \d+\r\nwasm386:\/\$ true\r\n\[1\] Terminated sleep 100\r\n/);
});

test("line editing: erase, kill-line, end-of-file", () => {
  assert.match(transcript, /\$ ech\x08 \x08ho edited\r\nedited\r\n/);
  assert.match(transcript, /\$ junk(\x08 \x08){4}echo line killed\r\nline killed\r\n/);
  assert.match(transcript, /\$ sh\r\nwasm386:\/\$ exit\r\nwasm386:\/\$ /); // Ctrl-D ends the inner shell
});

test("raw mode through TCSETS: keys arrive one by one without echo", () => {
  assert.is(after("rawtest"), "window 80x24\r\nraw mode: type three keys\r\nkey 120\r\nkey 121\r\nkey 122\r\ncanonical mode again\r\n");
});

test("dmesg shows the kernel log", () => {
  assert.is(after("dmesg | head -n 1"), "wasm386 teaching kernel 0.1\r\n");
});

const qemuTest = haveQemu ? test : test.skip;
if (!haveQemu) console.log("skipping: the QEMU comparison needs qemu-system-i386");
qemuTest("the same session under qemu-system-i386 gives the same transcript", async () => {
  const q = await qemuSession(script);
  assert.is(q.serial, transcript);
  assert.is(q.exitCode, exitCode);
});

test.run();
