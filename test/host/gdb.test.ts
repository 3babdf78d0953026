// The GDB remote stub (--gdb PORT), with Debian's gdb in batch mode against
// images/kernel.elf: a hardware breakpoint on kmain, registers, memory,
// stepi, a software breakpoint on printk with a backtrace, a write
// watchpoint on the timer's tick counter, kill; the control registers, the
// monitor's commands, a watchpoint on a higher-half address set before
// paging is on, detach and a second connection. Then, without gdb, what a
// hostile or careless client sends through the real socket server:
// malformed packets get an error reply, a reset connection ends the session
// as a detach does (the guest runs on). (test/host/gdb-fuzz.test.ts sends
// 10,000 more.)
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { connect, createServer, type Socket } from "node:net";
import { once } from "node:events";
import { coreModule, hasCommand, root } from "../helpers/machine.js";
import { Machine } from "../../host/machine.js";
import { serveGdb } from "../../host/node/gdb-server.js";
import { CLI } from "../helpers/cli.js";

const haveGdb = hasCommand("gdb");
if (!haveGdb) console.log("skipping: the GDB stub test needs Debian's gdb");
const gdbTest = haveGdb ? test : test.skip;

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

/** The exit code, or null (and the process killed) after ms. */
function exited(p: ReturnType<typeof spawn>, ms: number) {
  return new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => { p.kill(); resolve(null); }, ms);
    p.on("exit", (code) => { clearTimeout(timer); resolve(code); });
  });
}

// CLIs still running when a test ends (a failed assertion before its kill):
// killed, or the runner would wait for them and never exit.
const live = new Set<ReturnType<typeof spawn>>();
test.after.each(() => {
  for (const p of live) p.kill("SIGKILL");
  live.clear();
});

/** The CLI with --gdb PORT, once it says it waits for the debugger. */
async function cliWaitingForGdb(port: number) {
  const emu = spawn(process.execPath, [...CLI, "--no-disk", "--clock", "deterministic", "--gdb", String(port)],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  live.add(emu);
  emu.on("exit", () => live.delete(emu));
  let err = "";
  emu.stderr.on("data", (d) => { err += d; });
  await new Promise<void>((resolve) => { const check = () => (err.includes("waiting for GDB") ? resolve() : setTimeout(check, 50)); check(); });
  return { emu, stderr: () => err };
}

gdbTest("gdb attaches, breaks, reads registers and memory, steps, watches and kills", async () => {
  const port = await freePort();
  const { emu, stderr } = await cliWaitingForGdb(port);
  const g = spawnSync("gdb", ["-batch", "-nx",
    "-ex", `target remote 127.0.0.1:${port}`,
    "-ex", "hbreak kmain", "-ex", "continue",
    "-ex", "info registers eip", "-ex", "x/2xw $esp",
    "-ex", "stepi", "-ex", "info registers eip",
    "-ex", "break printk", "-ex", "continue", "-ex", "bt",
    "-ex", "delete", "-ex", "watch *(int *)&ticks", "-ex", "continue", "-ex", "print *(int *)&ticks",
    "-ex", "delete", "-ex", "kill",
    "images/kernel.elf"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  const out = g.stdout + g.stderr;
  const code = await exited(emu, 10_000);
  assert.match(out, /Breakpoint 1, 0xc01[0-9a-f]{5} in kmain \(\)/);
  assert.match(out, /eip +0xc01[0-9a-f]{5} +0xc01[0-9a-f]{5} <kmain>\n/);
  assert.match(out, /0xc011[0-9a-f]{4}:\t0x[0-9a-f]{8}\t0x2badb002\n/, "kmain's first argument: the Multiboot magic");
  assert.match(out, /eip +0xc01[0-9a-f]{5} +0xc01[0-9a-f]{5} <kmain\+1>\n/);
  assert.match(out, /Breakpoint 2, 0xc01[0-9a-f]{5} in printk \(\)\n#0  0xc01[0-9a-f]{5} in printk \(\)\n#1  0xc01[0-9a-f]{5} in kmain \(\)/);
  assert.match(out, /Hardware watchpoint 3: \*\(int \*\)&ticks\n\nOld value = 0\nNew value = 1\n/);
  assert.match(out, /\$1 = 1\n/);
  assert.match(out, /\[Inferior 1 \(Remote target\) killed\]/);
  assert.is(code, 0, stderr());
});

gdbTest("gdb reads the control registers, runs monitor commands, and watches a higher-half address set before paging", async () => {
  const port = await freePort();
  const { emu, stderr } = await cliWaitingForGdb(port);
  const g = spawnSync("gdb", ["-batch", "-nx",
    "-ex", `target remote 127.0.0.1:${port}`,
    "-ex", "info registers cr0",
    // At the first instruction paging is off: 0xC01... is not mapped yet.
    "-ex", "watch *(char *)&cmdline", "-ex", "continue", "-ex", "delete",
    "-ex", "info registers cr0", "-ex", "p/x $cr3", "-ex", "p (unsigned)$cr3 == (unsigned)&entry_pgdir - 0xc0000000",
    "-ex", "set $cr2 = 0x1234", "-ex", "p/x $cr2",
    "-ex", "p/x $eip", "-ex", "monitor info registers", "-ex", "monitor x/4x 0xc0100000", "-ex", "monitor info nothing",
    "-ex", "kill",
    "images/kernel.elf"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  const out = g.stdout + g.stderr;
  const code = await exited(emu, 10_000);
  // Multiboot hands over with PE set and paging off (ET is fixed on).
  assert.match(out, /\ncr0 +0x11 +\[ PE ET \]\n/);
  // The kernel copies its command line, which starts with its name, "images/kernel.elf".
  assert.match(out, /Hardware watchpoint 1: \*\(char \*\)&cmdline\n\nOld value = <unreadable>\nNew value = 105 'i'\n/);
  // boot.S: PG and WP on, CR3 the boot page directory's physical address.
  assert.match(out, /\ncr0 +0x80010011 +\[ PE ET WP PG \]\n/);
  assert.match(out, /\$1 = 0x[0-9a-f]+000\n\$2 = 1\n/);
  assert.match(out, /\$3 = 0x1234\n/);
  const eip = /\$4 = 0x(c01[0-9a-f]{5})\n/.exec(out);
  assert.ok(eip, out);
  assert.match(out, new RegExp(`\\nEIP=${eip![1]} EFL=[0-9a-f]{8} `));
  assert.match(out, /\nCR0=80010011 CR2=00001234 CR3=[0-9a-f]{5}000 CR4=00000010\n/);
  const checksum = (-(0x1badb002 + 3) >>> 0).toString(16);
  assert.match(out, new RegExp(`\\nc0100000: 0x1badb002 0x00000003 0x${checksum} 0x[0-9a-f]{8}\\n`), "boot.S's Multiboot header");
  assert.match(out, /\ninfo: unknown item 'nothing' \(one of registers, tlb, mem, modules\)\n/);
  assert.match(out, /\[Inferior 1 \(Remote target\) killed\]/);
  assert.is(code, 0, stderr());
});

gdbTest("detach leaves the guest running and a second gdb finds it further on; kill ends the CLI", async () => {
  const port = await freePort();
  const { emu, stderr } = await cliWaitingForGdb(port);
  const gdb = (...cmds: string[]) => spawnSync("gdb", ["-batch", "-nx", "-ex", `target remote 127.0.0.1:${port}`,
    ...cmds.flatMap((c) => ["-ex", c]), "images/kernel.elf"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  const first = gdb("hbreak kmain", "continue", "p *(int *)&ticks", "detach");
  assert.match(first.stdout, /Breakpoint 1, 0xc01[0-9a-f]{5} in kmain \(\)\n\$1 = 0\n/, first.stdout + first.stderr);
  assert.match(first.stdout, /\[Inferior 1 \(Remote target\) detached\]/);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.is(emu.exitCode, null, "the emulator runs on after the detach");
  // Each look stops the guest and the detach lets it go on; how soon the
  // first tick comes depends on the JIT mode (force translates every block).
  let ticked = false;
  for (let look = 0; look < 40 && !ticked; look++) {
    ticked = /\$1 = 1\n/.test(gdb("p *(int *)&ticks > 0", "detach").stdout);
    if (!ticked) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.ok(ticked, "the timer ticked while no debugger was attached");
  const second = gdb("info breakpoints", "kill");
  assert.match(second.stdout, /No breakpoints or watchpoints\./);
  assert.is(await exited(emu, 10_000), 0, stderr());
  assert.match(second.stdout, /\[Inferior 1 \(Remote target\) killed\]/);
});

const CODE = 0x10000;
const sum = (s: string) => [...s].reduce((a, c) => (a + c.charCodeAt(0)) & 0xff, 0).toString(16).padStart(2, "0");
const frame = (body: string) => `$${body}#${sum(body)}`;

/** A client that speaks the protocol byte by byte: send() writes raw text
 *  and resolves with the ack and, after "+", the reply's body. */
class RawClient {
  private buf = "";
  private wake = () => {};
  private constructor(readonly socket: Socket) {
    socket.setEncoding("latin1");
    socket.on("data", (d: string) => { this.buf += d; this.wake(); });
  }

  static async open(port: number): Promise<RawClient> {
    const socket = connect(port, "127.0.0.1");
    await once(socket, "connect");
    return new RawClient(socket);
  }

  async send(raw: string): Promise<{ ack: string; reply?: string }> {
    this.socket.write(raw, "latin1");
    const deadline = Date.now() + 5000;
    for (;;) {
      const m = /^([+-])(?:\$([^#]*)#([0-9a-f]{2}))?/.exec(this.buf);
      if (m && (m[1] === "-" || m[2] !== undefined)) {
        this.buf = this.buf.slice(m[0].length);
        if (m[2] !== undefined) assert.is(m[3], sum(m[2]), "the reply's checksum");
        return { ack: m[1], reply: m[2] };
      }
      if (Date.now() > deadline) throw new Error(`no answer to ${JSON.stringify(raw.slice(0, 80))}; have ${JSON.stringify(this.buf)}`);
      await new Promise<void>((resolve) => { this.wake = resolve; setTimeout(resolve, 50); });
    }
  }

  /** A further reply the stub sends unasked (qRcmd's O packets, then OK). */
  async next(): Promise<string> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const m = /^\$([^#]*)#([0-9a-f]{2})/.exec(this.buf);
      if (m) {
        this.buf = this.buf.slice(m[0].length);
        assert.is(m[2], sum(m[1]), "the reply's checksum");
        return m[1];
      }
      if (Date.now() > deadline) throw new Error(`no further reply; have ${JSON.stringify(this.buf)}`);
      await new Promise<void>((resolve) => { this.wake = resolve; setTimeout(resolve, 50); });
    }
  }

  async packet(body: string): Promise<string | undefined> {
    const { ack, reply } = await this.send(frame(body));
    assert.is(ack, "+", `ack for ${JSON.stringify(body.slice(0, 80))}`);
    return reply;
  }
}

/** The g reply the stub must give for the machine's registers. */
function gReply(m: Machine): string {
  const r = m.registers();
  const le32 = (v: number) => [0, 8, 16, 24].map((s) => ((v >>> s) & 0xff).toString(16).padStart(2, "0")).join("");
  return (["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags", "cs", "ss", "ds", "es", "fs", "gs"] as const)
    .map((n) => le32(r[n])).join("");
}

/** A 2 MiB machine spinning at CODE (jmp $), served on a free port. */
async function served(m?: Machine) {
  if (!m) {
    m = await Machine.create({ wasm: coreModule(), memoryMiB: 2 });
    m.ram.set([0xeb, 0xfe], CODE);
    m.bootFlat(CODE);
    m.setRegister("eax", 0x12345678);
  }
  const port = await freePort();
  // serveGdb announces the port on stderr, as the CLI wants; not here.
  const write = process.stderr.write;
  process.stderr.write = ((s: string | Uint8Array, ...rest: never[]) =>
    String(s).startsWith("wasm386: waiting for GDB") || write.call(process.stderr, s, ...rest)) as typeof write;
  try {
    const outcome = serveGdb(m, port);
    return { m, port, outcome, client: await RawClient.open(port) };
  } finally {
    process.stderr.write = write;
  }
}

// The packets an outside test crashed the stub with, then more of the same
// kinds: each gets E01 (malformed), E00 (a bad qXfer), E02 (well-formed but
// impossible) or the empty reply (not supported).
const HOSTILE: [string, string][] = [
  ["P0", "E01"], ["P0=1", "E01"], ["M0,1", "E01"], ["m0,-5", "E01"], ["Z2,1000,-1", "E01"],
  // overlong and oversized hex
  ["m123456789,4", "E01"], ["m00000000000000000,4", "E01"], ["m0,ffffffff", "E01"], ["m0,10001", "E01"],
  ["p100000000", "E01"], ["M10000,1:" + "0".repeat(300), "E01"],
  // odd-length and non-hex
  ["M10000,1:abc", "E01"], ["M10000,2:0g00", "E01"], ["P0=1234567", "E01"], ["P0=123456789", "E01"], ["G" + "0".repeat(129), "E01"],
  ["mx,4", "E01"], ["m10000,", "E01"], ["m,4", "E01"], ["m", "E01"],
  // missing or extra commas and colons
  ["m100004", "E01"], ["m10000,4,4", "E01"], ["M10000:00", "E01"], ["M10000,1,00", "E01"], ["Z01000,1", "E01"],
  ["Z0,1000", "E01"], ["Z0,1000,1,1", "E01"], ["Z0,1000,1;X1,ff", "E01"], ["P0=00000000=00", "E01"],
  // negative numbers
  ["m-1,4", "E01"], ["p-1", "E01"], ["Z0,-1000,1", "E01"], ["s-4", "E01"], ["c-1", "E01"],
  // register numbers past the last (gdb's i386 set has 41, then CR0, CR2, CR3, CR4), and ones the machine cannot write
  ["p2d", "E01"], ["pffffffff", "E01"], ["P2d=00000000", "E01"], ["P9=02020000", "E02"], ["P10=00000000", "E02"],
  // control register values MOV CRn refuses: PG without PE, NW without CD, PAE (this CPU has none)
  ["P29=00000080", "E02"], ["P29=11000020", "E02"], ["P2c=20000000", "E02"],
  // qRcmd (gdb's monitor command) that is not hex
  ["qRcmd,zz", "E01"], ["qRcmd,6", "E01"], ["qRcmd,6g", "E01"],
  // G shorter than the 16 registers
  ["G", "E01"], ["G" + "00".repeat(63), "E01"],
  // X binary writes: an escape with nothing after it, lengths that differ
  ["X10000,1:}", "E01"], ["X10000,2:a", "E01"], ["X10000,1:ab", "E01"], ["X10000,2:a}", "E01"], ["X10000,1", "E01"],
  // breakpoint types and kinds
  ["Z5,1000,1", "E01"], ["Z0,1000,2", "E01"], ["Z1,1000,0", "E01"], ["Z2,1000,0", "E01"], ["Z2,1000,1001", "E01"],
  ["Z2,1000,ffffffff", "E01"], ["Z,1000,1", "E01"], ["Z3,1000,4", ""], ["Z4,1000,4", ""],
  // memory that is not there
  ["m40000000,4", "E02"], ["M40000000,1:00", "E02"], ["Z0,40000000,1", "E02"],
  // junk after commands that take none, and bad thread ids
  ["gg", "E01"], ["?x", "E01"], ["kill", "E01"], ["Dx", "E01"], ["Hx0", "E01"], ["Hg", "E01"], ["T2", "E01"], ["Tz", "E01"],
  // vCont (not supported: gdb then uses s and c) and qXfer junk
  ["vCont?", ""], ["vCont;zz", ""], ["vCont;c:-5;s", ""], ["vMustReplyEmpty", ""],
  ["qXfer:features:read:target.xml:zz", "E00"], ["qXfer:features:read:target.xml:0,-1", "E00"],
  ["qXfer:features:read:target.xml:0", "E00"], ["qXfer:features:read:other.xml:0,10", "E00"],
  ["qXfer:features:read", "E00"], ["qXfer:features:read:target.xml:0,0", "E00"], ["qXfer:memory-map:read::0,10", ""],
  ["qconstructor", ""], ["q__proto__", ""], ["", ""], ["\x00\xff", ""],
  // a body past PacketSize (0x4000), read to its end and answered
  ["m" + "0".repeat(0x5000) + ",4", "E01"],
];

test("p reads the x87 registers in gdb's numbering: st0-st7 as 10 bytes, then fctrl fstat ftag fiseg fioff foseg fooff fop", async () => {
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2 });
  // fninit ; fldpi ; fld1 ; jmp $
  m.ram.set([0xdb, 0xe3, 0xd9, 0xeb, 0xd9, 0xe8, 0xeb, 0xfe], CODE);
  m.bootFlat(CODE);
  m.runSlice(4);
  const { client, outcome } = await served(m);
  assert.is(await client.packet("p10"), "0000000000000080ff3f", "st0 = 1.0");
  assert.is(await client.packet("p11"), "35c26821a2da0fc90040", "st1 = pi, rounded to nearest");
  assert.is(await client.packet("p12"), "00000000000000000000", "st2: empty, whatever it holds");
  assert.is(await client.packet("p18"), "7f030000", "fctrl: fninit's");
  assert.is(await client.packet("p19"), "00300000", "fstat: TOP = 6");
  assert.is(await client.packet("p1a"), "ff0f0000", "ftag: registers 6 and 7 valid (00), the rest empty (11)");
  assert.is(await client.packet("p1b"), "08000000", "fiseg: CS of fld1");
  assert.is(await client.packet("p1c"), le32hex(CODE + 4), "fioff: fld1's address");
  assert.is(await client.packet("p1f"), "e8010000", "fop: D9 E8 as 11 bits");
  client.socket.write(frame("k"));
  assert.equal(await outcome, { reason: "stopped" });
});
const le32hex = (v: number) => [0, 8, 16, 24].map((s) => ((v >>> s) & 0xff).toString(16).padStart(2, "0")).join("");

test("hostile packets get an error or empty reply, and g still answers", async () => {
  const { m, outcome, client } = await served();
  const expected = gReply(m);
  for (const [body, want] of HOSTILE) assert.is(await client.packet(body), want, JSON.stringify(body.slice(0, 80)));
  // Damaged framing: bad or non-hex checksums are NAKed so gdb resends; a
  // second "$" starts the packet over.
  assert.equal(await client.send("$g#00"), { ack: "-", reply: undefined });
  assert.equal(await client.send("$g#zz"), { ack: "-", reply: undefined });
  assert.equal(await client.send("$m10000,4$g#67"), { ack: "+", reply: expected });
  assert.equal(await client.send("+-noise\x7f" + frame("g")), { ack: "+", reply: expected });
  // Nothing changed the machine; well-formed writes still work.
  assert.is(await client.packet("g"), expected);
  assert.is(await client.packet("M10010,2:abcd"), "OK");
  assert.is(await client.packet("X10012,2:}]}\x03"), "OK"); // 0x7d and 0x23, escaped
  assert.is(await client.packet("X10000,0:"), "OK"); // gdb's probe for X
  assert.is(await client.packet("m10010,4"), "abcd7d23");
  assert.is(await client.packet("P0=efbeadde"), "OK");
  assert.is(m.registers().eax, 0xdeadbeef);
  assert.is(await client.packet("g"), gReply(m));
  // A watchpoint on memory that is not mapped (yet) is taken.
  assert.is(await client.packet("Z2,40000000,4"), "OK");
  assert.is(await client.packet("z2,40000000,4"), "OK");
  // The control registers: read, and written as MOV CRn would.
  assert.is(await client.packet("p29"), "11000000"); // CR0: PE and ET, as bootFlat leaves it
  assert.is(await client.packet("P2a=78563412"), "OK");
  assert.is(m.registers().cr2, 0x12345678);
  assert.is(await client.packet("p2a"), "78563412");
  // monitor: output in O packets (hex), then OK.
  const hex = (t: string) => [...t].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
  const unhex = (h: string) => String.fromCharCode(...(h.match(/../g) ?? []).map((b) => parseInt(b, 16)));
  const o = await client.packet(`qRcmd,${hex("info registers")}`);
  assert.match(o!, /^O[0-9a-f]+$/);
  let text = unhex(o!.slice(1));
  for (let r = await client.next(); r !== "OK"; r = await client.next()) text += unhex(r.slice(1));
  assert.match(text, /^EAX=deadbeef EBX=00000000 /); // P0 above
  assert.match(text, /\nCR0=00000011 CR2=12345678 /);
  assert.is(unhex((await client.packet(`qRcmd,${hex("savevm x")}`))!.slice(1)), "savevm: not available here\n");
  assert.is(await client.next(), "OK");
  assert.is(await client.packet("qRcmd,"), "OK", "an empty command prints nothing");
  client.socket.write(frame("k"));
  assert.equal(await outcome, { reason: "stopped" });
});

test("a watchpoint is on a linear address: a new mapping of it is not a write, a write through it is", async () => {
  // Two address spaces that map 0x400000 to different pages (0x30000 holds
  // 0x11111111, 0x31000 0x22222222), both with the first 4 MiB identical.
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: 8 });
  const dv = new DataView(m.ram.buffer, m.ram.byteOffset);
  for (let i = 0; i < 1024; i++) dv.setUint32(0x22000 + 4 * i, (i << 12) | 3, true);
  for (const [dir, table, page] of [[0x20000, 0x23000, 0x30000], [0x21000, 0x24000, 0x31000]]) {
    dv.setUint32(dir, 0x22000 | 3, true);
    dv.setUint32(dir + 4, table | 3, true);
    dv.setUint32(table, page | 3, true);
  }
  dv.setUint32(0x30000, 0x11111111, true);
  dv.setUint32(0x31000, 0x22222222, true);
  const code = [
    0xb8, 0x00, 0x00, 0x02, 0x00, 0x0f, 0x22, 0xd8, // mov eax, 0x20000; mov cr3, eax
    0x0f, 0x20, 0xc0, 0x0d, 0x00, 0x00, 0x00, 0x80, 0x0f, 0x22, 0xc0, // paging on
    0xb8, 0x00, 0x10, 0x02, 0x00, 0x0f, 0x22, 0xd8, // the other address space
    0x90, // nop
    0xc7, 0x05, 0x00, 0x00, 0x40, 0x00, 0x33, 0x33, 0x33, 0x33, // mov dword [0x400000], 0x33333333
    0xeb, 0xfe, // jmp $
  ];
  m.ram.set(code, CODE);
  m.bootFlat(CODE);
  const { outcome, client } = await served(m);
  assert.is(await client.packet("Z2,400000,4"), "OK"); // paging off: physical 0x400000, 0
  assert.is(await client.packet("c"), "T05watch:400000;");
  assert.is(m.registers().eip, CODE + code.length - 2, "stopped after the write, not at either CR3 load");
  assert.is(await client.packet("m400000,4"), "33333333");
  client.socket.write(frame("k"));
  assert.equal(await outcome, { reason: "stopped" });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a client that resets the connection ends its session as a detach does: the guest runs on until the next one", async () => {
  for (const raw of [frame("g"), "$m10000,", `${frame("c")}`]) {
    const { m, port, outcome, client } = await served();
    assert.is(await client.packet("Z0,10000,1"), "OK"); // INT3 over the guest's jmp $
    client.socket.write(raw, "latin1");
    if (raw === frame("c")) await pause(50); // running
    client.socket.resetAndDestroy();
    // The breakpoint went with the session, and the guest runs (jmp $, for ever).
    for (const deadline = Date.now() + 5000; m.instructions < 1_000_000;) {
      assert.ok(Date.now() < deadline, "the guest runs after the session");
      await pause(20);
    }
    const next = await RawClient.open(port);
    assert.is(await next.packet("?"), "S05");
    const ran = m.instructions;
    await pause(50);
    assert.is(m.instructions, ran, "a new connection stops it");
    assert.is(await next.packet("m10000,2"), "ebfe", JSON.stringify(raw));
    next.socket.write(frame("k"));
    assert.equal(await outcome, { reason: "stopped" }, JSON.stringify(raw));
  }
});

test("one debugger at a time: a second connection is closed at once", async () => {
  const { port, outcome, client } = await served();
  const second = connect(port, "127.0.0.1");
  second.on("error", () => {});
  await new Promise((resolve) => second.on("close", resolve));
  assert.is(await client.packet("?"), "S05", "the first session goes on");
  client.socket.write(frame("k"));
  assert.equal(await outcome, { reason: "stopped" });
});

test("the CLI runs on when its GDB client resets the connection, and takes the next", async () => {
  const port = await freePort();
  const { emu, stderr } = await cliWaitingForGdb(port);
  const client = await RawClient.open(port);
  assert.is(await client.packet("m0,-5"), "E01");
  client.socket.write(frame("g"));
  client.socket.resetAndDestroy();
  await pause(300);
  assert.is(emu.exitCode, null, "still running");
  const next = await RawClient.open(port);
  assert.is(await next.packet("?"), "S05");
  assert.match((await next.packet("p8"))!, /^[0-9a-f]{6}c0$/, "stopped in the kernel's higher half, past the entry");
  next.socket.write(frame("k"));
  assert.is(await exited(emu, 10_000), 0, stderr());
  assert.is(stderr(), `wasm386: waiting for GDB on 127.0.0.1:${port} (target remote :${port})\n`);
});

test.run();
