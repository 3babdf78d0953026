// The 16550A on COM1, driven through the port bus as the CPU would drive it.
// Expected values are the 16550A data sheet's register definitions.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { machineWithLog } from "../helpers/machine.js";

const COM1 = 0x3f8;
const RBR = 0, THR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

async function uart() {
  const { m, serial } = await machineWithLog({ memoryMiB: 2 });
  return {
    m, serial,
    rd: (r: number) => m.ioRead(COM1 + r),
    wr: (r: number, v: number) => m.ioWrite(COM1 + r, v),
  };
}

test("reset state: THR empty, no interrupt pending, modem lines up", async () => {
  const u = await uart();
  assert.is(u.rd(LSR), 0x60, "THRE and TEMT, no data");
  assert.is(u.rd(IIR), 0x01, "no interrupt pending, FIFOs off");
  assert.is(u.rd(IER), 0x00);
  assert.is(u.rd(LCR), 0x00);
  assert.is(u.rd(MCR), 0x00);
  assert.is(u.rd(MSR) & 0xf0, 0xb0, "DCD, DSR, CTS asserted");
});

test("scratch register holds what is written", async () => {
  const u = await uart();
  for (const v of [0x00, 0x5a, 0xa5, 0xff]) {
    u.wr(SCR, v);
    assert.is(u.rd(SCR), v);
  }
});

test("DLAB switches offsets 0 and 1 to the divisor latch", async () => {
  const u = await uart();
  u.wr(IER, 0x05);
  u.wr(LCR, 0x83);
  u.wr(0, 0x01);
  u.wr(1, 0x02);
  assert.is(u.rd(0), 0x01, "DLL");
  assert.is(u.rd(1), 0x02, "DLM");
  assert.is(u.serial(), "", "a divisor write transmits nothing");
  u.wr(LCR, 0x03);
  assert.is(u.rd(LCR), 0x03);
  assert.is(u.rd(IER), 0x05, "IER kept under the latch");
});

test("transmitted bytes reach the host in order", async () => {
  const u = await uart();
  for (const c of "hi\n") u.wr(THR, c.charCodeAt(0));
  assert.is(u.serial(), "hi\n");
  assert.is(u.rd(LSR) & 0x60, 0x60, "transmitter empty again");
});

test("received bytes: data ready, then read in order", async () => {
  const u = await uart();
  assert.is(u.rd(LSR) & 1, 0);
  u.m.sendSerial("ok");
  assert.is(u.rd(LSR) & 1, 1, "DR");
  assert.is(u.rd(RBR), 0x6f);
  assert.is(u.rd(RBR), 0x6b);
  assert.is(u.rd(LSR) & 1, 0, "DR clears when empty");
});

test("interrupt identification and priorities", async () => {
  const u = await uart();
  u.wr(IER, 0x02); // THR empty
  assert.is(u.rd(IIR), 0x02, "THRE interrupt on enabling with THR empty");
  assert.is(u.rd(IIR), 0x01, "reading IIR acknowledged it");
  u.wr(THR, 0x41);
  u.wr(IER, 0x03);
  u.m.sendSerial("x");
  assert.is(u.rd(IIR), 0x04, "received data outranks THR empty");
  u.rd(RBR);
  assert.is(u.rd(IIR), 0x02, "THR empty shows once the data is read");
  assert.is(u.rd(IIR), 0x01, "and reading IIR acknowledged it");
  u.wr(FCR, 0x01);
  assert.is(u.rd(IIR) & 0xc0, 0xc0, "FIFOs enabled shows in IIR");
});

test("loopback: the transmitter feeds the receiver, not the line", async () => {
  const u = await uart();
  u.wr(MCR, 0x10 | 0x0b); // loop, OUT2, RTS, DTR
  u.wr(THR, 0x55);
  assert.is(u.rd(LSR) & 1, 1);
  assert.is(u.rd(RBR), 0x55);
  assert.is(u.serial(), "", "nothing reached the host");
  // Loopback modem lines: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD.
  assert.is(u.rd(MSR) & 0xf0, 0x80 | 0x20 | 0x10);
  u.wr(MCR, 0x10 | 0x04);
  assert.is(u.rd(MSR) & 0xf0, 0x40, "OUT1 shows as RI");
});

test("overrun: a 17th byte into a full FIFO sets OE, cleared by reading LSR", async () => {
  const u = await uart();
  u.wr(MCR, 0x10);
  for (let i = 0; i < 17; i++) u.wr(THR, i);
  const lsr = u.rd(LSR);
  assert.is(lsr & 0x02, 0x02, "OE");
  assert.is(u.rd(LSR) & 0x02, 0, "cleared by the read");
  for (let i = 0; i < 16; i++) assert.is(u.rd(RBR), i, `byte ${i} kept`);
});

test("FCR bit 1 clears the receive FIFO", async () => {
  const u = await uart();
  u.m.sendSerial("abc");
  assert.is(u.rd(LSR) & 1, 1);
  u.wr(FCR, 0x03);
  u.rd(LSR);
  // Bytes still in the host's ring arrive later; those already in the FIFO are gone.
  const got: number[] = [];
  while (u.rd(LSR) & 1) got.push(u.rd(RBR));
  assert.ok(got.length < 3, `FIFO contents dropped (read ${got.length})`);
});

test.run();
