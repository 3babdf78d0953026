// The two 8259A interrupt controllers of a PC: master at 0x20/0x21 (IRQ
// 0-7), slave at 0xA0/0xA1 (IRQ 8-15) cascaded into the master's IRQ 2.
// Edge-triggered: a rising edge on a line sets its request bit, which stays
// until the CPU acknowledges it, unless the line falls first.
//
// Each chip's registers are a 16-byte block at PIC (master) and PIC + 16.
import { PIC, EVENTS } from "../layout";
import { EV_IRQ } from "../cpu/state";

const IRR = 0, ISR = 1, IMR = 2, BASE = 3, INIT_STEP = 4, NEED_ICW4 = 5, READ_ISR = 6, AUTO_EOI = 7;
const SPECIAL_MASK = 8, LINES = 9, LOWEST = 10, CASCADE = 11, POLL = 12, SINGLE = 13;

const MASTER: u32 = PIC, SLAVE: u32 = PIC + 16;

// @ts-ignore: decorator
@inline function r(chip: u32, off: u32): u32 { return <u32>load<u8>(chip + off); }
// @ts-ignore: decorator
@inline function w(chip: u32, off: u32, v: u32): void { store<u8>(chip + off, <u8>v); }

export function picReset(): void {
  memory.fill(PIC, 0, 32);
  for (let c = MASTER; c <= SLAVE; c += 16) {
    w(c, LOWEST, 7);
    w(c, IMR, 0xff); // masked until the OS programs the chips
  }
  w(MASTER, CASCADE, 0x04);
  w(SLAVE, CASCADE, 2);
  w(MASTER, BASE, 0x08); // the BIOS defaults
  w(SLAVE, BASE, 0x70);
}

// Priority order starts just above the lowest-priority line (7 unless
// rotated). Returns the position of bit n in that order, 0 = highest.
// @ts-ignore: decorator
@inline function rank(chip: u32, n: u32): u32 { return (n - r(chip, LOWEST) - 1) & 7; }

// The highest-priority line set in bits, or 8 when none.
function highest(chip: u32, bits: u32): u32 {
  let best: u32 = 8, bestRank: u32 = 8;
  for (let n: u32 = 0; n < 8; n++) {
    if ((bits >> n) & 1) {
      const k = rank(chip, n);
      if (k < bestRank) { bestRank = k; best = n; }
    }
  }
  return best;
}

// The line this chip would interrupt with now, or 8 (its INT output low).
function pending(chip: u32): u32 {
  let req = r(chip, IRR) & ~r(chip, IMR);
  if (chip == MASTER && (r(SLAVE, INIT_STEP) == 0) && pending(SLAVE) < 8) req |= 1 << 2;
  if (req == 0) return 8;
  const n = highest(chip, req);
  if (r(chip, SPECIAL_MASK)) {
    // Special mask mode: in-service lines block only themselves.
    if ((r(chip, ISR) >> n) & 1) return 8;
    return n;
  }
  // Fully nested mode: nothing at or below the priority in service.
  const inService = highest(chip, r(chip, ISR));
  if (inService < 8 && rank(chip, inService) <= rank(chip, n)) return 8;
  return n;
}

// True when the master's INT line to the CPU is up.
export function picInterrupt(): bool { return pending(MASTER) < 8; }

function update(): void {
  if (picInterrupt()) store<u32>(EVENTS, load<u32>(EVENTS) | EV_IRQ);
}

// A device drives IRQ line irq (0-15) high or low.
export function picSetIrq(irq: u32, high: bool): void {
  const chip = irq < 8 ? MASTER : SLAVE;
  const bit: u32 = 1 << (irq & 7);
  const lines = r(chip, LINES);
  if (high) {
    if ((lines & bit) == 0) w(chip, IRR, r(chip, IRR) | bit); // rising edge
    w(chip, LINES, lines | bit);
  } else {
    w(chip, LINES, lines & ~bit);
    w(chip, IRR, r(chip, IRR) & ~bit); // the request went away before it was taken
  }
  update();
}

// A rising edge from a device whose line then stays up for a while (the
// PIT's OUT, the RTC): the request is latched.
export function picPulse(irq: u32): void {
  const chip = irq < 8 ? MASTER : SLAVE;
  w(chip, IRR, r(chip, IRR) | (<u32>1 << (irq & 7)));
  update();
}

// Acknowledge on one chip: the line goes from requested to in service.
// Returns the line, or 7 for a spurious acknowledge (nothing requested any
// more), which sets no in-service bit.
function ackChip(chip: u32): u32 {
  const n = pending(chip);
  if (n >= 8) return 7;
  const bit: u32 = 1 << n;
  w(chip, IRR, r(chip, IRR) & ~bit);
  if (!r(chip, AUTO_EOI)) w(chip, ISR, r(chip, ISR) | bit);
  else if (r(chip, AUTO_EOI) == 2) w(chip, LOWEST, n); // rotate in automatic EOI mode
  return n;
}

// The CPU's interrupt acknowledge: returns the vector.
export function picAcknowledge(): u32 {
  const n = ackChip(MASTER);
  if (n == 2 && !r(MASTER, SINGLE)) {
    const s = ackChip(SLAVE);
    return (r(SLAVE, BASE) & 0xf8) + s;
  }
  return (r(MASTER, BASE) & 0xf8) + n;
}

function eoi(chip: u32, specific: bool, level: u32, rotate: bool): void {
  let n = level;
  if (!specific) n = highest(chip, r(chip, ISR));
  if (n >= 8) return;
  w(chip, ISR, r(chip, ISR) & ~(<u32>1 << n));
  if (rotate) w(chip, LOWEST, n);
}

function writeCommand(chip: u32, v: u32): void {
  if (v & 0x10) {
    // ICW1: start initialization. Edge-triggered only (LTIM is ignored).
    w(chip, INIT_STEP, 2);
    w(chip, NEED_ICW4, v & 1);
    w(chip, SINGLE, (v >> 1) & 1);
    w(chip, IMR, 0);
    w(chip, ISR, 0);
    w(chip, IRR, 0);
    w(chip, LOWEST, 7);
    w(chip, SPECIAL_MASK, 0);
    w(chip, READ_ISR, 0);
    w(chip, AUTO_EOI, 0);
    return;
  }
  if ((v & 0x08) == 0) {
    // OCW2: end of interrupt and priority rotation.
    switch (v >> 5) {
      case 1: eoi(chip, false, 0, false); break; // non-specific EOI
      case 3: eoi(chip, true, v & 7, false); break; // specific EOI
      case 5: eoi(chip, false, 0, true); break; // rotate on non-specific EOI
      case 7: eoi(chip, true, v & 7, true); break; // rotate on specific EOI
      case 4: w(chip, AUTO_EOI, r(chip, AUTO_EOI) ? 2 : 0); break; // set rotate in AEOI
      case 0: if (r(chip, AUTO_EOI)) w(chip, AUTO_EOI, 1); break; // clear rotate in AEOI
      case 6: w(chip, LOWEST, v & 7); break; // set priority
      default: break;
    }
  } else {
    // OCW3: register to read, poll, special mask mode.
    if (v & 0x02) w(chip, READ_ISR, v & 1);
    if (v & 0x04) w(chip, POLL, 1);
    if ((v & 0x60) == 0x60) w(chip, SPECIAL_MASK, 1);
    else if ((v & 0x60) == 0x40) w(chip, SPECIAL_MASK, 0);
  }
  update();
}

function writeData(chip: u32, v: u32): void {
  const step = r(chip, INIT_STEP);
  if (step == 2) {
    w(chip, BASE, v & 0xf8); // ICW2
    w(chip, INIT_STEP, r(chip, SINGLE) ? (r(chip, NEED_ICW4) ? 4 : 0) : 3);
    return;
  }
  if (step == 3) {
    w(chip, CASCADE, v); // ICW3: slave lines (master) or cascade identity (slave)
    w(chip, INIT_STEP, r(chip, NEED_ICW4) ? 4 : 0);
    return;
  }
  if (step == 4) {
    w(chip, AUTO_EOI, (v >> 1) & 1); // ICW4: 8086 mode assumed; AEOI
    w(chip, INIT_STEP, 0);
    update();
    return;
  }
  w(chip, IMR, v); // OCW1
  update();
}

function readCommand(chip: u32): u32 {
  if (r(chip, POLL)) {
    // Poll: acknowledge without a vector; bit 7 says whether there was one.
    w(chip, POLL, 0);
    const n = pending(chip);
    if (n >= 8) return 0;
    ackChip(chip);
    return 0x80 | n;
  }
  return r(chip, READ_ISR) ? r(chip, ISR) : r(chip, IRR);
}

// off: 0 or 1 within the chip's port pair; slave selects the chip.
export function picRead(slave: bool, off: u32): u32 {
  const chip = slave ? SLAVE : MASTER;
  return off == 0 ? readCommand(chip) : r(chip, IMR);
}

export function picWrite(slave: bool, off: u32, v: u32): void {
  const chip = slave ? SLAVE : MASTER;
  if (off == 0) writeCommand(chip, v); else writeData(chip, v);
}
