// The 8042 keyboard controller through its ports, in the order Linux's
// i8042 and atkbd drivers use it (drivers/input/serio/i8042.c: flush,
// self-test, CTR read/write, the AUX loopback and IRQ test, the keyboard
// port test; atkbd: identify, LEDs, typematic rate, enable), and the
// reset line. Expected values: the 8042's command set as IBM's PS/2
// technical reference gives it, and what QEMU's pckbd/ps2 answer.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Machine } from "../../host/machine.js";
import { coreModule, machineWithLog } from "../helpers/machine.js";
import { CODE_AT } from "../helpers/code.js";

const OBF = 0x01, AUXDATA = 0x20, TIMEOUT = 0x40;

async function kbc() {
  const { m } = await machineWithLog({ memoryMiB: 2 });
  const out = (p: number, v: number) => m.ioWrite(p, v);
  const inb = (p: number) => m.ioRead(p);
  // The PICs as Linux sets them: vectors 0x30/0x38, all lines unmasked.
  out(0x20, 0x11); out(0xa0, 0x11); out(0x21, 0x30); out(0xa1, 0x38);
  out(0x21, 0x04); out(0xa1, 0x02); out(0x21, 0x01); out(0xa1, 0x01);
  out(0x21, 0); out(0xa1, 0);
  const irr = () => { out(0x20, 0x0a); out(0xa0, 0x0a); return inb(0x20) | (inb(0xa0) << 8); };
  /** A controller command; its reply byte when it has one. */
  const cmd = (c: number, param?: number) => {
    out(0x64, c);
    if (param !== undefined) out(0x60, param);
    return (inb(0x64) & OBF) ? inb(0x60) : undefined;
  };
  /** Bytes waiting in the output buffer, with their status bits. */
  const drain = () => {
    const got: [number, number][] = [];
    while (inb(0x64) & OBF) { const s = inb(0x64); got.push([inb(0x60), s & (AUXDATA | TIMEOUT)]); }
    return got;
  };
  return { m, out, in: inb, irr, cmd, drain };
}

test("the controller after the BIOS: empty, system flag set, translation on", async () => {
  const k = await kbc();
  const st = k.in(0x64);
  assert.is(st & OBF, 0, "output buffer empty");
  assert.is(st & 0x02, 0, "input buffer empty");
  assert.is(st & 0x04, 0x04, "system flag");
  const ctr = k.cmd(0x20)!;
  assert.is(ctr & 0x40, 0x40, "XLATE");
  assert.is(ctr & 0x04, 0x04, "SYS");
});

test("self-test, interface tests, CTR written and read back", async () => {
  const k = await kbc();
  k.cmd(0x60, 0x00); // CTR: interrupts off, as Linux has it while probing
  assert.is(k.cmd(0xaa), 0x55, "self-test passed");
  assert.is(k.cmd(0xab), 0x00, "keyboard interface");
  assert.is(k.cmd(0xa9), 0x00, "aux interface");
  k.cmd(0x60, 0x65);
  assert.is(k.cmd(0x20), 0x65);
  assert.is(k.in(0x64) & 0x08, 0x08, "the last write was a command");
  k.out(0x60, 0xf4); // data: to the keyboard
  assert.is(k.in(0x64) & 0x08, 0, "the last write was data");
});

test("the controller's replies raise IRQ 1 when KBDINT is on, and only then", async () => {
  const k = await kbc();
  k.cmd(0x60, 0x44); // KBDINT off
  k.out(0x64, 0x20);
  assert.is(k.irr() & 2, 0, "no IRQ 1 with KBDINT clear");
  assert.is(k.in(0x60), 0x44);
  k.cmd(0x60, 0x45);
  k.out(0x64, 0x20);
  assert.is(k.irr() & 2, 2, "IRQ 1");
  assert.is(k.in(0x60), 0x45);
});

test("AUX loopback (D3) comes back as auxiliary data on IRQ 12; plain loopback means no multiplexer", async () => {
  const k = await kbc();
  k.cmd(0x60, 0x47); // KBDINT | AUXINT, aux port enabled
  k.out(0x64, 0xd3); k.out(0x60, 0x5a);
  assert.is(k.in(0x64) & (OBF | AUXDATA), OBF | AUXDATA);
  assert.is(k.irr() & 0x1000, 0x1000, "IRQ 12");
  assert.is(k.in(0x60), 0x5a);
  // the loopback is the controller's own byte: it comes with the port disabled too
  k.cmd(0x60, 0x67);
  k.out(0x64, 0xd3); k.out(0x60, 0xa5);
  assert.equal(k.drain(), [[0xa5, AUXDATA]]);
  // Linux's active-multiplexing probe: F0, 56, A4 must not come back A4 changed
  for (const v of [0xf0, 0x56, 0xa4]) { k.out(0x64, 0xd3); k.out(0x60, v); assert.is(k.in(0x60), v); }
});

test("the auxiliary port has no device: a byte for it times out", async () => {
  const k = await kbc();
  k.cmd(0x60, 0x07);
  k.out(0x64, 0xd4); k.out(0x60, 0xf2);
  assert.equal(k.drain(), [[0xfe, AUXDATA | TIMEOUT]]);
});

test("the keyboard: identify (translated), LEDs, rate, enable, echo, reset, unknown", async () => {
  const k = await kbc();
  k.cmd(0x60, 0x44); // translation on, interrupts off: polled
  k.out(0x60, 0xf2);
  assert.equal(k.drain(), [[0xfa, 0], [0xab, 0], [0x41, 0]], "AB 41 through the translation");
  k.cmd(0x60, 0x04); // translation off
  k.out(0x60, 0xf2);
  assert.equal(k.drain().map(([v]) => v), [0xfa, 0xab, 0x83], "AB 83 untranslated");
  k.out(0x60, 0xed); k.out(0x60, 0x07);
  assert.equal(k.drain().map(([v]) => v), [0xfa, 0xfa], "LEDs: command and state acknowledged");
  k.out(0x60, 0xf3); k.out(0x60, 0x20);
  assert.equal(k.drain().map(([v]) => v), [0xfa, 0xfa]);
  k.out(0x60, 0xf0); k.out(0x60, 0x00);
  assert.equal(k.drain().map(([v]) => v), [0xfa, 0xfa, 0x02], "scan code set 2");
  k.out(0x60, 0xf4);
  assert.equal(k.drain().map(([v]) => v), [0xfa]);
  k.out(0x60, 0xee);
  assert.equal(k.drain().map(([v]) => v), [0xee]);
  k.out(0x60, 0xff);
  assert.equal(k.drain().map(([v]) => v), [0xfa, 0xaa], "reset: ACK, self-test passed");
  k.out(0x60, 0x12);
  assert.equal(k.drain().map(([v]) => v), [0xfe], "unknown: resend");
});

test("keyboard bytes wait while the keyboard port is disabled, and each byte is an edge on IRQ 1", async () => {
  const k = await kbc();
  k.cmd(0x60, 0x45);
  k.out(0x64, 0xad); // keyboard port off
  k.out(0x60, 0xf2);
  assert.is(k.in(0x64) & OBF, 0, "held back");
  k.out(0x64, 0xae);
  assert.is(k.in(0x64) & OBF, OBF);
  for (const want of [0xfa, 0xab, 0x41]) {
    assert.is(k.irr() & 2, 2, "IRQ 1 requested");
    k.m.interruptAcknowledge();
    out20(k);
    assert.is(k.in(0x60), want);
  }
  assert.is(k.irr() & 2, 0);
});

function out20(k: Awaited<ReturnType<typeof kbc>>) { k.out(0x20, 0x20); } // EOI

test("the reset line: FE (and any even pulse command) resets, D1 with bit 0 clear too; FF pulses nothing", async () => {
  // mov al,C ; out 0x64,al [; mov al,P ; out 0x60,al] ; jmp $
  for (const seq of [[0xfe], [0xf0], [0xd1, 0x00]]) {
    const code = [0xb0, seq[0], 0xe6, 0x64, ...(seq.length > 1 ? [0xb0, seq[1], 0xe6, 0x60] : []), 0xeb, 0xfe];
    const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2, onReset: "exit" });
    m.ram.set(code, CODE_AT);
    m.bootFlat(CODE_AT);
    assert.equal(await m.runUntilDone({ maxInstructions: 100 }), { reason: "reset" }, seq.map((v) => v.toString(16)).join(" "));
  }
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2, onReset: "exit" });
  m.ram.set([0xb0, 0xff, 0xe6, 0x64, 0xeb, 0xfe], CODE_AT);
  m.bootFlat(CODE_AT);
  assert.equal(await m.runUntilDone({ maxInstructions: 100 }), { reason: "limit" });
  const k = await kbc();
  assert.is(k.cmd(0xd0)! & 0x03, 0x03, "output port: running, A20 on");
});

test.run();
