// Loadable kernel modules, driven at the shell through the serial port
// (itself driven by serial.ko, which /init loads first and which stays in
// use as the console, so every lsmod ends with it):
// loading with parameters, dependencies through modprobe, a service module
// used from user space, use counts that refuse rmmod, and every kind of bad
// module failing cleanly. The same session under qemu-system-i386 gives
// the same transcript.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { wasmSession, qemuSession, lines, outputOf } from "../helpers/session.js";
import { haveQemu } from "../helpers/qemu.js";

const M = "/lib/modules";
const script = lines(
  `insmod ${M}/hello.ko who=class times=2`, "lsmod", `insmod ${M}/hello.ko`, "rmmod hello", "rmmod hello",
  `insmod ${M}/hello.ko times=99`, `insmod ${M}/hello.ko colour=red`, `insmod ${M}/hello.ko times=x`,
  "modprobe greeter", "lsmod", "rmmod libgreet", "grep_kallsyms", "modprobe -r greeter", "lsmod",
  "modprobe notes", "notes hi there", "notes", "sleep 1 < /dev/notes &", "lsmod", "rmmod notes", "sleep 2",
  "lsmod", "rmmod notes", "notes",
  `insmod ${M}/bad/truncated.ko`, `insmod ${M}/bad/notelf.ko`, `insmod ${M}/bad/x86_64.ko`,
  `insmod ${M}/bad/badreloc.ko`, `insmod ${M}/bad/unresolved.ko`, "insmod /no/such.ko", "lsmod",
  "modprobe nosuch", "dmesg | tail_lines", "poweroff",
).map((s) => ({
  ...s,
  send: typeof s.send === "string"
    ? s.send.replace("grep_kallsyms", "cat /proc/kallsyms | wc").replace("dmesg | tail_lines", "dmesg | wc")
    : s.send,
}));

let transcript = "";
test.before(async () => {
  ({ serial: transcript } = await wasmSession(script, { cmdline: "nomodules" }));
});

const after = (cmd: string, nth = 0) => outputOf(transcript, cmd, nth);

test("insmod with parameters runs init; rmmod runs exit; twice is an error each way", () => {
  assert.match(after(`insmod ${M}/hello.ko who=class times=2`),
    /^hello: hello, class\r\nhello: hello, class\r\nmodule hello loaded at 0xf80[0-9a-f]{5} \(\d+ bytes\)\r\n$/);
  assert.match(after("lsmod"), /^Module +Size +Used by\r\nhello +\d+ +0 \r\nserial +\d+ +1 \r\n$/);
  assert.is(after(`insmod ${M}/hello.ko`), `insmod: cannot insert '${M}/hello.ko': File exists\r\n`);
  assert.is(after("rmmod hello"), "hello: goodbye, class\r\nmodule hello unloaded\r\n");
  assert.is(after("rmmod hello", 1), "rmmod: cannot remove 'hello': Module is not loaded\r\n");
});

test("bad parameters: init refusing a value, an unknown name, a non-number", () => {
  assert.is(after(`insmod ${M}/hello.ko times=99`),
    `hello: init failed with error -22\r\ninsmod: cannot insert '${M}/hello.ko': Invalid argument\r\n`);
  assert.is(after(`insmod ${M}/hello.ko colour=red`),
    `hello: unknown parameter 'colour'\r\ninsmod: cannot insert '${M}/hello.ko': Invalid argument\r\n`);
  assert.is(after(`insmod ${M}/hello.ko times=x`),
    `hello: bad value for parameter 'times'\r\ninsmod: cannot insert '${M}/hello.ko': Invalid argument\r\n`);
});

test("modprobe loads a dependency first; the used module refuses rmmod; modprobe -r removes both", () => {
  assert.match(after("modprobe greeter"),
    /^module libgreet loaded at [^\r]*\r\nlibgreet: greeting 1, from greeter\r\nmodule greeter loaded at [^\r]*\r\n$/);
  assert.match(after("lsmod", 1), /^Module +Size +Used by\r\ngreeter +\d+ +0 \r\nlibgreet +\d+ +1 greeter\r\nserial +\d+ +1 \r\n$/);
  assert.is(after("rmmod libgreet"), "rmmod: cannot remove 'libgreet': Module is in use\r\n");
  assert.is(after("modprobe -r greeter"), "greeter: bye\r\nmodule greeter unloaded\r\nmodule libgreet unloaded\r\n");
  assert.match(after("lsmod", 2), /^Module +Size +Used by\r\nserial +\d+ +1 \r\n$/);
});

test("/proc/kallsyms lists the exports of the kernel and of loaded modules", () => {
  const [lines] = after("cat /proc/kallsyms | wc").trim().split(/\s+/).map(Number);
  assert.ok(lines > 30, `${lines} exported symbols`);
});

test("a service module: /dev/notes used by a program, held while open", () => {
  assert.match(after("modprobe notes"), /^notes: \/dev\/notes ready\r\nmodule notes loaded/);
  assert.is(after("notes"), "hi there\r\n(9 bytes held by the kernel)\r\n");
  assert.match(after("lsmod", 3), /\r\nnotes +\d+ +1 \r\nserial +\d+ +1 \r\n$/); // sleep holds /dev/notes open
  assert.is(after("rmmod notes"), "rmmod: cannot remove 'notes': Module is in use\r\n");
  assert.match(after("lsmod", 4), /\r\nnotes +\d+ +0 \r\nserial +\d+ +1 \r\n$/);
  assert.is(after("rmmod notes", 1), "module notes unloaded\r\n");
  assert.is(after("notes", 1), "notes: /dev/notes: No such file or directory (is notes.ko loaded?)\r\n");
});

test("bad modules fail with their errors and leave nothing behind", () => {
  const bad = (f: string) => `insmod: cannot insert '${M}/bad/${f}': Invalid module format\r\n`;
  assert.is(after(`insmod ${M}/bad/truncated.ko`), bad("truncated.ko"));
  assert.is(after(`insmod ${M}/bad/notelf.ko`), bad("notelf.ko"));
  assert.is(after(`insmod ${M}/bad/x86_64.ko`), bad("x86_64.ko"));
  assert.match(after(`insmod ${M}/bad/badreloc.ko`), /^hello: relocation outside its section \(\.text \+ 7ffff000\)\r\n/);
  assert.is(after(`insmod ${M}/bad/unresolved.ko`), "unresolved: unknown symbol no_such_function\r\n" +
    `insmod: cannot insert '${M}/bad/unresolved.ko': Unknown symbol in module\r\n`);
  assert.is(after("insmod /no/such.ko"), "insmod: cannot open '/no/such.ko': No such file or directory\r\n");
  assert.match(after("lsmod", 5), /^Module +Size +Used by\r\nserial +\d+ +1 \r\n$/);
  assert.is(after("modprobe nosuch"), `modprobe: module nosuch not found in ${M}\r\n`);
});

test("dmesg holds the loads and unloads", () => {
  const [lines] = after("dmesg | wc").trim().split(/\s+/).map(Number);
  assert.ok(lines > 15, `${lines} lines of kernel log`);
});

const qemuTest = haveQemu ? test : test.skip;
if (!haveQemu) console.log("skipping: the QEMU comparison needs qemu-system-i386");
qemuTest("the same session under qemu-system-i386 gives the same transcript", async () => {
  const q = await qemuSession(script, { cmdline: "nomodules" });
  assert.is(q.serial, transcript);
});

test.run();
