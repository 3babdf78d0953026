// The monitor (host/monitor.ts) on the teaching kernel, each command
// checked against a source of its own: the kernel's /proc/modules for
// `info modules`, the kernel ELF's bytes and nm's symbols for `x`, `xp`
// and the descriptor tables, the kernel's boot code (boot.S, vm.c) for the
// control registers and the mappings. Then hostile lines: each bad one is
// exactly one line, nothing throws.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { Machine, Stop, UserError } from "../../host/machine.js";
import { Monitor } from "../../host/monitor.js";
import { coreModule, hasCommand, image, machineWithLog } from "../helpers/machine.js";

const kernel = image("kernel.elf");
const MIB = 64;

/** The kernel's symbols, as binutils' nm reads them. */
function nm(): Map<string, number> {
  const out = execFileSync("nm", ["images/kernel.elf"], { cwd: new URL("../../", import.meta.url).pathname, encoding: "utf8" });
  return new Map(out.split("\n").filter(Boolean).map((l) => { const [v, , n] = l.split(" "); return [n, parseInt(v, 16)]; }));
}

/** The kernel booted to the shell; type() runs a line to the next prompt. */
async function booted() {
  const { m, serial } = await machineWithLog({
    kernel, kernelName: "images/kernel.elf", initrd: image("initrd.cpio"), memoryMiB: MIB, cmdline: "",
  });
  const prompt = async () => {
    const from = serial().length;
    for (let i = 0; i < 20_000; i++) {
      const stop = m.runSlice(100_000);
      assert.ok(stop !== Stop.Exit && stop !== Stop.Shutdown, serial());
      if (/\$ $/.test(serial()) && serial().length > from) return;
    }
    assert.unreachable(`no prompt: ${serial()}`);
  };
  await prompt();
  const type = async (line: string) => {
    const from = serial().length;
    m.sendSerial(`${line}\n`);
    await prompt();
    return serial().slice(from + line.length + 2).replace(/wasm386:[^\n]*\$ $/, "");
  };
  return { m, type };
}

/** Runs single instructions until pred holds (a point to look at). */
function stepUntil(m: Machine, pred: () => boolean) {
  for (let i = 0; i < 5_000_000 && !pred(); i++) m.runSlice(1);
  assert.ok(pred(), "the point was reached");
}

test("info modules lists what /proc/modules lists: names, addresses, sizes, refs, users", async () => {
  const { m, type } = await booted();
  await type("modprobe greeter"); // greeter takes symbols from libgreet
  await type("insmod /lib/modules/hello.ko");
  const proc = (await type("cat /proc/modules")).trim().split(/\r?\n/).map((l) => l.split(" "));
  assert.ok(proc.length >= 3, JSON.stringify(proc));
  const out = new Monitor(m, { kernel }).run("info modules").trimEnd().split("\n");
  assert.match(out[0], /^Module +Address +Size +Refs +Used by$/);
  const rows = out.slice(1).map((l) => l.split(/ +/));
  // /proc/modules: name size refs users Live address (users as "a,b," or "-")
  assert.equal(rows.map((r) => r[0]), proc.map((p) => p[0]));
  for (const [i, p] of proc.entries()) {
    const users = p[3] === "-" ? "-" : p[3].replace(/,$/, "");
    assert.equal(rows[i], [p[0], p[5], p[1], p[2], users], `row ${i}`);
  }
  assert.ok(rows.some((r) => r[0] === "libgreet" && r[4] === "greeter"), "libgreet is used by greeter");
});

test("info registers, info tlb and info mem show the kernel's own set-up", async () => {
  const { m } = await booted();
  const mon = new Monitor(m, { kernel });
  // At the first instruction (Multiboot's hand-over): no paging.
  const fresh = await Machine.create({ wasm: coreModule(), kernel, memoryMiB: 16 });
  const early = new Monitor(fresh, { kernel });
  assert.match(early.run("info registers"), /\nEIP=0010000c EFL=00000002 \[-------\] IOPL=0\n/);
  assert.match(early.run("info registers"), /\nCR0=00000011 CR2=00000000 CR3=00000000 CR4=00000000\n/);
  assert.is(early.run("info tlb"), "paging is off (CR0.PG clear): linear addresses are physical\n");
  assert.is(early.run("info mem"), early.run("info tlb"));

  const regs = mon.run("info registers");
  // boot.S: PG and WP on top of the loader's PE (and ET, which is fixed);
  // fpu.c: NE and MP, and TS while the FPU holds another process's state;
  // CR4.PSE for the 4 MiB pages.
  assert.match(regs, /\nCR0=8001003[3b] CR2=[0-9a-f]{8} CR3=[0-9a-f]{5}000 CR4=[0-9a-f]{6}[13579bdf][0-9a-f]\n/);
  assert.match(regs, /\nCS =0008 00000000 ffffffff 00c09b00 DPL=0 CS32 \[-RA\]\n/);
  if (hasCommand("nm")) {
    const syms = nm();
    const hex = (v: number) => v.toString(16).padStart(8, "0");
    assert.match(regs, new RegExp(`\\nGDT= {5}${hex(syms.get("gdt")!)} [0-9a-f]{8}\\n`));
    assert.match(regs, new RegExp(`\\nIDT= {5}${hex(syms.get("idt")!)} 000007ff\\n`));
  }
  // vm.c: all of RAM at KERNBASE in global, writable, supervisor 4 MiB pages.
  const tlb = mon.run("info tlb").trimEnd().split("\n");
  const kernelMap = tlb.filter((l) => l.startsWith("c"));
  assert.ok(kernelMap.length >= 1 && kernelMap.length <= 2 * (MIB / 4), tlb.join("\n"));
  for (const l of kernelMap) assert.match(l, /^c[0-9a-f]{7}-c[0-9a-f]{7} -> 0[0-9a-f]{7}-0[0-9a-f]{7} +\d+M GP[-D][-A]--[-]W$/);
  assert.ok(kernelMap[0].startsWith("c0000000-"), kernelMap[0]);
  assert.match(kernelMap[kernelMap.length - 1], new RegExp(`-> [0-9a-f]{8}-${(MIB * 1048576 - 1).toString(16).padStart(8, "0")} `));
  assert.ok(mon.run("info mem").split("\n").includes(`c0000000-${(0xc0000000 + MIB * 1048576).toString(16)} ${(MIB * 1048576).toString(16).padStart(8, "0")} -rw`));

  // A user process: its pages are u, its code is read-only.
  m.sendSerial("ls /bin\n");
  stepUntil(m, () => m.registers().cpl === 3);
  const mem = mon.run("info mem");
  assert.match(mem, /^08048000-[0-9a-f]{8} [0-9a-f]{8} ur-\n/);
  // The stack's pages below USTACK_TOP, 0xBFFFF000: those touched so far
  // (pages arrive on first touch), writable.
  assert.match(mem, /\nbff[0-9a-f]{2}000-bffff000 [0-9a-f]{8} urw\n/, mem);
  assert.match(mon.run("info registers"), /\nCPL=3 \(ring 3, user\) protected mode, paging HLT=0\n/);
  assert.match(mon.run("info registers"), /\nCS =001b 00000000 ffffffff 00c0fb00 DPL=3 CS32 \[-RA\]\n/);
});

test("x and xp dump memory as the kernel ELF has it, through the page tables or not", async () => {
  const { m } = await booted();
  const mon = new Monitor(m, { kernel });
  // The kernel's text opens with the Multiboot header (boot.S); the ELF's
  // first segment is at file offset 0x1000, physical 1 MiB, mapped at 0xC0100000.
  const text = new DataView(kernel.buffer, kernel.byteOffset + 0x1000, 64);
  const w = (i: number) => `0x${text.getUint32(i, true).toString(16).padStart(8, "0")}`;
  assert.is(text.getUint32(0, true), 0x1badb002);
  assert.is(mon.run("x/4x 0xc0100000"), `c0100000: ${w(0)} ${w(4)} ${w(8)} ${w(12)}\n`);
  assert.is(mon.run("x/5x 0xc0100000"), `c0100000: ${w(0)} ${w(4)} ${w(8)} ${w(12)}\nc0100010: ${w(16)}\n`, "four words a line");
  const b = (i: number) => `0x${text.getUint8(i).toString(16).padStart(2, "0")}`;
  assert.is(mon.run("xp/9xb 0x100000"), `00100000: ${[0, 1, 2, 3, 4, 5, 6, 7].map(b).join(" ")}\n00100008: ${b(8)}\n`);
  assert.is(mon.run("xp/2xw 0x100000"), `00100000: ${w(0)} ${w(4)}\n`);
  assert.is(mon.run("x/2dh 0xc0100000"), `c0100000: ${String(text.getInt16(0, true)).padStart(5)} ${String(text.getInt16(2, true)).padStart(5)}\n`);
  assert.is(mon.run("x/ug 0xc0100000"), `c0100000: ${text.getBigUint64(0, true).toString().padStart(20)}\n`);
  assert.is(mon.run("x/2c 0xc0100000"), `c0100000: '\\x02' '\\xb0'\n`);
  assert.is(mon.run("x/2ow 0xc0100000"), `c0100000: 0${text.getUint32(0, true).toString(8).padStart(11, "0")} 0${text.getUint32(4, true).toString(8).padStart(11, "0")}\n`);
  assert.is(mon.run("x 0xc0100000 + 4"), `c0100004: 0${text.getUint32(4, true).toString(8).padStart(11, "0")}\n`, "format and size carry over");
  // Not mapped: the line says where; what was mapped before it is shown.
  assert.is(mon.run("x/4x 0"), "Cannot access memory at linear address 0x00000000\n");
  assert.is(mon.run("x/2x 0xc3fffffc"), "c3fffffc: " + mon.run("xp/x 0x3fffffc").slice(10, 20) + "\nCannot access memory at linear address 0xc4000000\n");
  assert.is(mon.run(`xp/x ${MIB * 1048576}`), `Cannot access memory at physical address 0x${(MIB * 1048576).toString(16).padStart(8, "0")}\n`);
  // Registers and symbols as addresses.
  const esp = m.registers().esp;
  assert.is(mon.run("x/x $esp+4"), mon.run(`x/x 0x${(esp + 4).toString(16)}`));
  if (hasCommand("nm")) {
    const ticks = nm().get("ticks")!;
    assert.is(mon.run("x/x ticks"), mon.run(`x/x 0x${ticks.toString(16)}`));
    assert.is(mon.run("x/x ticks - 4 + 0x4"), mon.run(`x/x ${ticks}`));
  }
});

test("savevm goes through the caller's callback; quit calls the caller's", async () => {
  const m = await Machine.create({ wasm: coreModule(), kernel, memoryMiB: 16 });
  const saved: [string, number][] = [];
  let quits = 0;
  const mon = new Monitor(m, {
    kernel,
    save: (file, bytes) => { if (file === "bad") throw new UserError("cannot save the state to bad: permission denied"); saved.push([file, bytes.length]); },
    quit: () => { quits++; },
  });
  assert.is(mon.run("savevm s.state"), "saved the machine to s.state\n");
  assert.is(saved.length, 1);
  assert.is(saved[0][0], "s.state");
  const copy = await Machine.create({ wasm: coreModule(), kernel, memoryMiB: 16 });
  assert.not.throws(() => copy.restoreState(m.saveState()));
  assert.is(mon.run("savevm bad"), "cannot save the state to bad: permission denied\n");
  assert.is(mon.run("quit"), "");
  assert.is(quits, 1);
  const bare = new Monitor(m);
  assert.is(bare.run("savevm x"), "savevm: not available here\n");
  assert.is(bare.run("info modules"), "info modules: no kernel ELF was given to read symbols from\n");
});

test("another kernel, or none: info modules says so in one line", async () => {
  // The bench kernel runs, the teaching kernel's ELF is what the monitor was given.
  const other = await Machine.create({ wasm: coreModule(), kernel: image("bench/intloop.elf"), memoryMiB: 16 });
  other.runSlice(10_000);
  assert.is(new Monitor(other, { kernel }).run("info modules"),
    "info modules: the running kernel is not the ELF this machine was given (its code in RAM differs): no symbols\n");
  assert.is(new Monitor(other, { kernel: image("bench/intloop.elf") }).run("info modules").split("\n").length, 2);
  assert.match(new Monitor(other, { kernel: image("bench/intloop.elf") }).run("info modules"), /^info modules: /);
  assert.is(new Monitor(other, { kernel: new Uint8Array(100) }).run("info modules"), "info modules: the kernel ELF has no symbol table\n");
});

test("every bad line is one line of error, and nothing throws", async () => {
  const { m } = await booted();
  const mon = new Monitor(m, { kernel });
  const bad = ["foo", "info", "info foo", "info registers now", "x", "x/", "x/4i 0", "x/4s 0", "x/0x 0", "x/100000x 0",
    "x/4x", "x/4x zz", "x/4x 0x123456789", "x/4x 99999999999", "x/4x $nope", "x/4x 1+", "x/4x ++", "x/xx 0", "x/bh 0",
    "x/4x c0100000", "xp/4x @", "savevm", "savevm a b", "quit now", "\x00\x1b[A", "x/4x \x07", "é", "info\tmodules extra"];
  for (const line of bad) {
    const out = mon.run(line);
    assert.match(out, /^[^\n]+\n$/, `${JSON.stringify(line)} -> ${JSON.stringify(out)}`);
    assert.not.match(out, /[\x00-\x08\x0b-\x1f]/, "no control characters echoed");
  }
  assert.is(mon.run(""), "");
  assert.is(mon.run("   "), "");
  // Random lines, and random lines after real command names.
  let s = 7;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  const heads = ["x/", "xp/", "x ", "info ", "savevm ", "", "help ", "q "];
  for (let i = 0; i < 3000; i++) {
    const tail = Array.from({ length: next() % 24 }, () => String.fromCharCode(next() % 3 ? 0x20 + (next() % 95) : next() & 0xff)).join("");
    const line = heads[next() % heads.length] + tail;
    assert.type(mon.run(line), "string", JSON.stringify(line));
  }
});

test.run();
