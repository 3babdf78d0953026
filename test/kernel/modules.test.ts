// Loadable kernel modules, driven at the shell through the serial port
// (itself driven by serial.ko, which /init loads first and which stays in
// use as the console, so every lsmod ends with it):
// loading with parameters, dependencies through modprobe, a service module
// used from user space, use counts that refuse rmmod, and every kind of bad
// module failing cleanly; then, in a second session, the hostile modules
// of issue 19. The same sessions under qemu-system-i386 give the same
// transcripts.
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

// Issue 19's hostile modules, in a session of their own: each of these
// once panicked the kernel (or, a duplicate export, was accepted).
const B = `${M}/bad`;
const hostileScript = lines(
  `insmod ${B}/layoutwrap.ko`, `insmod ${B}/reltarget0.ko`, `insmod ${B}/shstrndx0.ko`, `insmod ${B}/symlink0.ko`,
  `insmod ${B}/badexport.ko`, "cat /proc/kallsyms | wc",
  `insmod ${B}/dupkernel.ko`, "modprobe libgreet", `insmod ${B}/dupexport.ko`, "rmmod libgreet",
  `insmod ${B}/dupexport.ko`, "modprobe libgreet", "rmmod dupexport",
  `insmod ${B}/leaky.ko`, "cat /dev/leaky", "cat /dev/leakyd", "mount -t leakyfs none /mnt", `insmod ${B}/leaky.ko`,
  `insmod ${B}/leaky.ko fail=0`, "rmmod leaky", "cat /dev/leaky", "mount -t leakyfs none /mnt", "lsmod", "poweroff",
);

let hostile = "";
const inHostile = (cmd: string, nth = 0) => outputOf(hostile, cmd, nth);
const refused = (f: string) => `insmod: cannot insert '${B}/${f}': Invalid module format\r\n`;

test("hostile sizes and indices are refused, not followed out of the file or the allocation", async () => {
  ({ serial: hostile } = await wasmSession(hostileScript, { cmdline: "nomodules" }));
  assert.not.match(hostile, /panic/);
  // .data made NOBITS of a size that wraps the layout's total to 0
  assert.is(inHostile(`insmod ${B}/layoutwrap.ko`), "module: section 5: ffffff8c bytes\r\n" + refused("layoutwrap.ko"));
  assert.is(inHostile(`insmod ${B}/reltarget0.ko`), "hello: .rel.text: relocates section 0\r\n" + refused("reltarget0.ko"));
  // e_shstrndx 0 and the symbol table's sh_link 0, with section 0 dressed
  // as a string table far past the file
  assert.is(inHostile(`insmod ${B}/shstrndx0.ko`), "module: section 0 is not the null section\r\n" + refused("shstrndx0.ko"));
  assert.is(inHostile(`insmod ${B}/symlink0.ko`), "module: section 0 is not the null section\r\n" + refused("symlink0.ko"));
});

test("a garbage export table is refused, and /proc/kallsyms reads as before", () => {
  assert.is(inHostile(`insmod ${B}/badexport.ko`),
    "badexport: export 0 has its name at 0xdead0010, outside the module\r\n" + refused("badexport.ko"));
  const [lines] = inHostile("cat /proc/kallsyms | wc").trim().split(/\s+/).map(Number);
  assert.ok(lines > 30, `${lines} exported symbols`);
});

test("a name exported twice is refused with ENOEXEC, as Linux does, whichever module comes second", () => {
  assert.is(inHostile(`insmod ${B}/dupkernel.ko`),
    "dupkernel: exports duplicate symbol strlen (owned by kernel)\r\n" + refused("dupkernel.ko"));
  assert.is(inHostile(`insmod ${B}/dupexport.ko`),
    "dupexport: exports duplicate symbol greet (owned by libgreet)\r\n" + refused("dupexport.ko"));
  assert.match(inHostile(`insmod ${B}/dupexport.ko`, 1), /^module dupexport loaded at /);
  assert.is(inHostile("modprobe libgreet", 1),
    "libgreet: exports duplicate symbol greet (owned by dupexport)\r\nmodprobe: libgreet: Exec format error\r\n");
});

const leftBehind = "leaky: left disk leakyd registered; removed\r\nleaky: left /dev/leaky; removed\r\n" +
  "leaky: left character device 241 registered; removed\r\nleaky: left filesystem leakyfs registered; removed\r\n" +
  "leaky: left irq 3 requested; freed\r\n";
const registered = "leakyd: 8 sectors (0 MiB)\r\nleaky: /dev/leaky, leakyfs, irq 3 and /dev/leakyd registered\r\n";

test("an init that fails after registering leaves nothing registered: open and mount find nothing", () => {
  const failed = registered + "leaky: init failed with error -5\r\n" + leftBehind +
    `insmod: cannot insert '${B}/leaky.ko': Input/output error\r\n`;
  assert.is(inHostile(`insmod ${B}/leaky.ko`), failed);
  assert.is(inHostile("cat /dev/leaky"), "cat: /dev/leaky: No such file or directory\r\n");
  assert.is(inHostile("cat /dev/leakyd"), "cat: /dev/leakyd: No such file or directory\r\n");
  assert.is(inHostile("mount -t leakyfs none /mnt"), "mount: none on /mnt: No such device\r\n");
  assert.is(inHostile(`insmod ${B}/leaky.ko`, 1), failed); // every registration free again
});

test("rmmod takes back what a module's exit left registered", () => {
  assert.ok(inHostile(`insmod ${B}/leaky.ko fail=0`).startsWith(`${registered}module leaky loaded at `));
  assert.is(inHostile("rmmod leaky"), "leaky: exit unregisters nothing\r\nmodule leaky unloaded\r\n" + leftBehind);
  assert.is(inHostile("cat /dev/leaky", 1), "cat: /dev/leaky: No such file or directory\r\n");
  assert.is(inHostile("mount -t leakyfs none /mnt", 1), "mount: none on /mnt: No such device\r\n");
  assert.match(inHostile("lsmod"), /^Module +Size +Used by\r\nserial +\d+ +1 \r\n$/);
});

const qemuTest = haveQemu ? test : test.skip;
if (!haveQemu) console.log("skipping: the QEMU comparison needs qemu-system-i386");
qemuTest("the same sessions under qemu-system-i386 give the same transcripts", async () => {
  const q = await qemuSession(script, { cmdline: "nomodules" });
  assert.is(q.serial, transcript);
  const h = await qemuSession(hostileScript, { cmdline: "nomodules" });
  assert.is(h.serial, hostile);
});

test.run();
