// 16550A UART (COM1 at 0x3F8). Registers live in the UART0 block of
// layout.ts. Transmitted bytes go to the SERIAL_OUT ring for the host;
// received bytes come from the SERIAL_IN ring (filled by the host) through
// the chip's own 16-byte receive FIFO.
import { UART0, SERIAL_OUT, SERIAL_IN } from "../layout";
import { requestStop } from "../cpu/state";
import { ringPut, ringGet, ringFree, ringUsed } from "./ring";
import { picSetIrq } from "./pic";

// Offsets into the UART0 block.
const DLL = 0, DLM = 1, IER = 2, LCR = 3, MCR = 4, LSR_ERR = 5, MSR = 6, SCR = 7;
const FCR = 8, THRI = 9, RX_COUNT = 10, RX_HEAD = 11, IRQ_LEVEL = 12, RX_FIFO = 16;
const RX_FIFO_SIZE: u32 = 16;

const LCR_DLAB: u32 = 0x80;
const MCR_LOOP: u32 = 0x10;
const MCR_OUT2: u32 = 0x08;
const LSR_DR: u32 = 0x01, LSR_OE: u32 = 0x02, LSR_THRE: u32 = 0x20, LSR_TEMT: u32 = 0x40;
const IER_RDI: u32 = 0x01, IER_THRI: u32 = 0x02, IER_RLSI: u32 = 0x04, IER_MSI: u32 = 0x08;

// The host stops the run to drain output when fewer bytes than this are free.
export const OUT_LOW_WATER: u32 = 64;

// @ts-ignore: decorator
@inline function r(off: u32): u32 { return <u32>load<u8>(UART0 + off); }
// @ts-ignore: decorator
@inline function w(off: u32, v: u32): void { store<u8>(UART0 + off, <u8>v); }

export function uartReset(): void {
  memory.fill(UART0, 0, 64);
  w(DLL, 12); // 9600 baud, the usual BIOS default
  w(MSR, 0xb0); // DCD, DSR and CTS asserted by the other end
}

function rxPush(b: u32): void {
  const n = r(RX_COUNT);
  if (n >= RX_FIFO_SIZE) { w(LSR_ERR, r(LSR_ERR) | LSR_OE); return; }
  w(RX_FIFO + ((r(RX_HEAD) + n) & (RX_FIFO_SIZE - 1)), b);
  w(RX_COUNT, n + 1);
}

// Move host input into the receive FIFO while it has room. Not in loopback
// mode: there the receiver hears only the transmitter.
function rxFill(): void {
  if (r(MCR) & MCR_LOOP) return;
  while (r(RX_COUNT) < RX_FIFO_SIZE) {
    const b = ringGet(SERIAL_IN);
    if (b < 0) break;
    rxPush(<u32>b);
  }
}

function rxPop(): u32 {
  rxFill();
  const n = r(RX_COUNT);
  if (n == 0) return 0;
  const h = r(RX_HEAD);
  const b = r(RX_FIFO + h);
  w(RX_HEAD, (h + 1) & (RX_FIFO_SIZE - 1));
  w(RX_COUNT, n - 1);
  return b;
}

function txReady(): bool {
  return (r(MCR) & MCR_LOOP) != 0 || ringFree(SERIAL_OUT) > 0;
}

function transmit(b: u32): void {
  if (r(MCR) & MCR_LOOP) rxPush(b);
  else {
    ringPut(SERIAL_OUT, b);
    if (ringFree(SERIAL_OUT) < OUT_LOW_WATER) requestStop(4); // Stop.Output: drain me
  }
  w(THRI, 1);
}

function lsr(): u32 {
  rxFill();
  let v = r(LSR_ERR);
  if (r(RX_COUNT) > 0) v |= LSR_DR;
  if (txReady()) v |= LSR_THRE | LSR_TEMT;
  return v;
}

function msr(): u32 {
  const m = r(MCR);
  if ((m & MCR_LOOP) == 0) return r(MSR);
  // Loopback wires DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD.
  return ((m & 1) << 5) | ((m & 2) << 3) | ((m & 4) << 4) | ((m & 8) << 4);
}

// Interrupt identification, highest priority first.
function iir(): u32 {
  rxFill();
  const ier = r(IER);
  let id: u32 = 0x01;
  if ((ier & IER_RLSI) && (r(LSR_ERR) & LSR_OE)) id = 0x06;
  else if ((ier & IER_RDI) && r(RX_COUNT) > 0) id = 0x04;
  else if ((ier & IER_THRI) && r(THRI)) id = 0x02;
  else if ((ier & IER_MSI) && (r(MSR) & 0x0f)) id = 0x00;
  return id | ((r(FCR) & 1) ? 0xc0 : 0);
}

// The interrupt line to the PIC: a pending interrupt gated by OUT2, as the
// PC wires it.
export function uartIrq(): bool {
  return (iir() & 1) == 0 && (r(MCR) & MCR_OUT2) != 0;
}

export function uartRead(off: u32): u32 {
  const v = readRegister(off);
  uartUpdateIrq(); // reading RBR or IIR can clear the condition
  return v;
}

function readRegister(off: u32): u32 {
  const dlab = (r(LCR) & LCR_DLAB) != 0;
  switch (off) {
    case 0: return dlab ? r(DLL) : rxPop();
    case 1: return dlab ? r(DLM) : r(IER);
    case 2: {
      const v = iir();
      if ((v & 0x0f) == 0x02) w(THRI, 0); // reading IIR acknowledges THR empty
      return v;
    }
    case 3: return r(LCR);
    case 4: return r(MCR);
    case 5: { const v = lsr(); w(LSR_ERR, 0); return v; }
    case 6: { const v = msr(); w(MSR, r(MSR) & 0xf0); return v; }
    default: return r(SCR);
  }
}

export function uartWrite(off: u32, v: u32): void {
  const dlab = (r(LCR) & LCR_DLAB) != 0;
  switch (off) {
    case 0:
      if (dlab) w(DLL, v);
      else { w(THRI, 0); transmit(v); }
      break;
    case 1:
      if (dlab) w(DLM, v);
      else {
        // Enabling the THR-empty interrupt while the THR is empty raises it.
        if ((v & IER_THRI) && !(r(IER) & IER_THRI) && txReady()) w(THRI, 1);
        w(IER, v & 0x0f);
      }
      break;
    case 2:
      if (v & 0x02) { w(RX_COUNT, 0); w(RX_HEAD, 0); } // clear receive FIFO
      w(FCR, v & 0xc9);
      break;
    case 3: w(LCR, v); break;
    case 4: w(MCR, v & 0x1f); break;
    case 5: break; // LSR is read-only (factory test only)
    case 6: break;
    default: w(SCR, v); break;
  }
  uartUpdateIrq();
}

// Drives IRQ 4 from the UART's interrupt condition (called after register
// accesses and when host input may have arrived).
export function uartUpdateIrq(): void {
  const level = <u32>uartIrq();
  if (level == r(IRQ_LEVEL)) return;
  w(IRQ_LEVEL, level);
  picSetIrq(4, level != 0);
}

// Bytes waiting for the guest, in the FIFO and in the host ring.
export function uartPendingInput(): u32 { return r(RX_COUNT) + ringUsed(SERIAL_IN); }
