// The 8259A pair through its ports, with requests raised by real devices
// (PIT on IRQ 0, UART on IRQ 4, RTC on IRQ 8) and the CPU's acknowledge
// cycle performed by the test. Expected behaviour: the 8259A data sheet.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { machineWithLog } from "../helpers/machine.js";

async function pics() {
  const { m } = await machineWithLog({ memoryMiB: 2 });
  const out = (p: number, v: number) => m.ioWrite(p, v);
  const inb = (p: number) => m.ioRead(p);
  // ICW1-4: edge, cascade, vectors 0x20 and 0x28, slave on IRQ 2, 8086 mode
  out(0x20, 0x11); out(0xa0, 0x11);
  out(0x21, 0x20); out(0xa1, 0x28);
  out(0x21, 0x04); out(0xa1, 0x02);
  out(0x21, 0x01); out(0xa1, 0x01);
  return {
    m, out, in: inb,
    irr: (port = 0x20) => { out(port, 0x0a); return inb(port); },
    isr: (port = 0x20) => { out(port, 0x0b); return inb(port); },
    ack: () => m.interruptAcknowledge(),
    // IRQ 0: a PIT one-shot of 1 tick, then time passes
    irq0: () => { out(0x43, 0x30); out(0x40, 1); out(0x40, 0); m.advanceClock(m.clockNs + 10_000n); },
    // IRQ 4: the UART's THR-empty interrupt, gated by OUT2
    irq4: (on: boolean) => { out(0x3fc, on ? 0x08 : 0); out(0x3f9, on ? 0x02 : 0); },
  };
}

test("initialization unmasks everything and sets the vector base", async () => {
  const p = await pics();
  assert.is(p.in(0x21), 0x00);
  assert.is(p.in(0xa1), 0x00);
  p.irq0();
  assert.is(p.irr() & 1, 1);
  assert.is(p.ack(), 0x20, "vector = base + IRQ");
  assert.is(p.isr(), 0x01, "in service");
  assert.is(p.irr() & 1, 0, "request cleared by the acknowledge");
});

test("the IMR hides requests without losing them", async () => {
  const p = await pics();
  p.out(0x21, 0x01);
  assert.is(p.in(0x21), 0x01, "IMR reads back");
  p.irq0();
  assert.is(p.irr() & 1, 1, "latched in IRR");
  assert.is(p.ack(), 0x27, "nothing to acknowledge: spurious IRQ 7");
  assert.is(p.isr(), 0, "a spurious acknowledge sets no ISR bit");
  p.out(0x21, 0x00);
  assert.is(p.ack(), 0x20);
});

test("fully nested priority: IRQ 0 before IRQ 4, and IRQ 4 waits for IRQ 0's EOI", async () => {
  const p = await pics();
  p.irq4(true);
  p.irq0();
  assert.is(p.irr() & 0x11, 0x11);
  assert.is(p.ack(), 0x20);
  assert.is(p.ack(), 0x27, "IRQ 4 is blocked while IRQ 0 is in service");
  p.out(0x20, 0x20); // non-specific EOI
  assert.is(p.isr(), 0);
  assert.is(p.ack(), 0x24);
  // While IRQ 4 is in service, a new IRQ 0 still gets through.
  p.irq0();
  assert.is(p.ack(), 0x20);
  assert.is(p.isr(), 0x11);
  p.out(0x20, 0x20); // non-specific EOI ends the highest priority: IRQ 0
  assert.is(p.isr(), 0x10);
  p.out(0x20, 0x64); // specific EOI for IRQ 4
  assert.is(p.isr(), 0);
});

test("a request whose line falls before it is taken goes away", async () => {
  const p = await pics();
  p.irq4(true);
  assert.is(p.irr() & 0x10, 0x10);
  p.irq4(false);
  assert.is(p.irr() & 0x10, 0);
});

test("priority rotation: OCW2 set-priority makes the next line the highest", async () => {
  const p = await pics();
  p.irq4(true);
  p.irq0();
  p.out(0x20, 0xc3); // IRQ 3 lowest, so IRQ 4 highest
  assert.is(p.ack(), 0x24);
  p.out(0x20, 0x20);
  assert.is(p.ack(), 0x20);
});

test("the poll command acknowledges and reports the line", async () => {
  const p = await pics();
  p.irq0();
  p.out(0x20, 0x0c); // OCW3 poll
  assert.is(p.in(0x20), 0x80, "bit 7: an interrupt, line 0");
  assert.is(p.isr(), 0x01);
  p.out(0x20, 0x0c);
  assert.is(p.in(0x20), 0x00, "nothing more");
});

test("the slave cascades through IRQ 2: RTC periodic interrupt on IRQ 8", async () => {
  const p = await pics();
  p.out(0x70, 0x0b);
  p.out(0x71, 0x42); // PIE, 24-hour
  p.m.advanceClock(p.m.clockNs + 2_000_000n); // 2 ms at 1024 Hz
  assert.is(p.irr(0xa0) & 1, 1, "slave IRR bit 0");
  assert.is(p.ack(), 0x28, "the slave's vector");
  assert.is(p.isr(), 0x04, "master: IRQ 2 in service");
  assert.is(p.isr(0xa0), 0x01, "slave: IRQ 8 in service");
  p.out(0xa0, 0x20);
  p.out(0x20, 0x20);
  assert.is(p.isr() | p.isr(0xa0), 0);
});

test("automatic EOI mode: nothing stays in service", async () => {
  const p = await pics();
  p.out(0x20, 0x11); p.out(0x21, 0x20); p.out(0x21, 0x04); p.out(0x21, 0x03); // ICW4: AEOI
  p.irq0();
  assert.is(p.ack(), 0x20);
  assert.is(p.isr(), 0);
});

test("a reset machine has both chips masked at the BIOS vectors", async () => {
  const { m } = await machineWithLog({ memoryMiB: 2 });
  assert.is(m.ioRead(0x21), 0xff);
  assert.is(m.ioRead(0xa1), 0xff);
  assert.is(m.interruptAcknowledge(), 0x0f, "nothing pending: spurious IRQ 7 at base 0x08");
});

test.run();
