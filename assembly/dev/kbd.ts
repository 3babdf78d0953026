// The 8042 keyboard controller at 0x60 (data) and 0x64 (status, command),
// as a PS/2-era PC has it: a keyboard port with a keyboard attached, an
// auxiliary (mouse) port with nothing attached, the output buffer on IRQ 1
// (keyboard data) or IRQ 12 (auxiliary data), the reset line.
//
// The keyboard answers its commands (reset, identify, LEDs, typematic rate,
// scan code set, enable/disable, echo) but no key is ever pressed: the
// machine's console is COM1. With the controller's translation on (the
// command byte's bit 6, as a BIOS leaves it) its identity reads AB 41, as
// a translating 8042 hands it on. A byte for the auxiliary device finds no
// device: the controller reports a timeout (FE with status bit 6).
import { KBD } from "../layout";
import { requestStop } from "../cpu/state";
import { picSetIrq } from "./pic";

// The KBD block: controller state, then the keyboard's queue.
const CTR = 0, STATUS = 1, OUT = 2, OUT_FULL = 3, OUT_AUX = 4, OUT_TIMEOUT = 5, PENDING = 6;
const IRQ1_LEVEL = 7, IRQ12_LEVEL = 8, REPLY = 9, REPLY_FULL = 10, REPLY_AUX = 11, REPLY_TIMEOUT = 12;
const KBD_PARAM = 16, KBD_SET = 17, KBD_ON = 18, KBD_LAST = 19, Q_HEAD = 20, Q_COUNT = 21;
const QUEUE = 32, QUEUE_SIZE: u32 = 16;

// Command byte (controller RAM byte 0) bits.
const CTR_KBDINT: u32 = 0x01, CTR_AUXINT: u32 = 0x02, CTR_SYS: u32 = 0x04, CTR_KBDDIS: u32 = 0x10, CTR_AUXDIS: u32 = 0x20;
const CTR_XLATE: u32 = 0x40;
// Status register bits.
const ST_OBF: u32 = 0x01, ST_SYS: u32 = 0x04, ST_CMD: u32 = 0x08, ST_UNLOCKED: u32 = 0x10, ST_AUXDATA: u32 = 0x20;
const ST_TIMEOUT: u32 = 0x40;

const ACK: u32 = 0xfa, RESEND: u32 = 0xfe, BAT_OK: u32 = 0xaa;

// @ts-ignore: decorator
@inline function r(off: u32): u32 { return <u32>load<u8>(KBD + off); }
// @ts-ignore: decorator
@inline function w(off: u32, v: u32): void { store<u8>(KBD + off, <u8>v); }

// As a BIOS leaves it: keyboard interrupt on, system flag (POST passed),
// auxiliary port disabled, translation on.
export function kbdReset(): void {
  memory.fill(KBD, 0, 64);
  w(CTR, CTR_KBDINT | CTR_SYS | CTR_AUXDIS | CTR_XLATE);
  w(STATUS, ST_SYS | ST_UNLOCKED);
  w(KBD_SET, 2);
  w(KBD_ON, 1);
}

// The output buffer's interrupt line: IRQ 1 for keyboard data and the
// controller's replies, IRQ 12 for auxiliary data, each when the command
// byte enables it.
function updateIrq(): void {
  const full = r(OUT_FULL) != 0, aux = r(OUT_AUX) != 0;
  const l1: u32 = full && !aux && (r(CTR) & CTR_KBDINT) ? 1 : 0;
  const l12: u32 = full && aux && (r(CTR) & CTR_AUXINT) ? 1 : 0;
  if (l1 != r(IRQ1_LEVEL)) { w(IRQ1_LEVEL, l1); picSetIrq(1, l1 != 0); }
  if (l12 != r(IRQ12_LEVEL)) { w(IRQ12_LEVEL, l12); picSetIrq(12, l12 != 0); }
}

// Moves the next byte into an empty output buffer: the controller's own
// (a reply, or a byte written with D2/D3) first, then the keyboard's while
// its port is enabled. Nothing comes from the auxiliary port by itself:
// no device is attached there.
function refill(): void {
  if (!r(OUT_FULL)) {
    if (r(REPLY_FULL)) {
      w(REPLY_FULL, 0);
      setOut(r(REPLY), r(REPLY_AUX) != 0, r(REPLY_TIMEOUT) != 0);
    } else if (r(Q_COUNT) && !(r(CTR) & CTR_KBDDIS)) {
      const h = r(Q_HEAD);
      w(Q_HEAD, (h + 1) % QUEUE_SIZE);
      w(Q_COUNT, r(Q_COUNT) - 1);
      setOut(r(QUEUE + h), false, false);
    }
  }
  updateIrq();
}

function setOut(v: u32, aux: bool, timeout: bool): void {
  w(OUT, v);
  w(OUT_FULL, 1);
  w(OUT_AUX, aux ? 1 : 0);
  w(OUT_TIMEOUT, timeout ? 1 : 0);
}

// A byte the controller puts in its output buffer, marked as keyboard or
// auxiliary data (and with the timeout bit).
function put(v: u32, aux: bool, timeout: bool): void {
  w(REPLY, v);
  w(REPLY_FULL, 1);
  w(REPLY_AUX, aux ? 1 : 0);
  w(REPLY_TIMEOUT, timeout ? 1 : 0);
  refill();
}

function reply(v: u32): void { put(v, false, false); }

// A byte from the keyboard, through the controller's translation: the one
// byte of the keyboard's answers that translation changes is its
// identity's second (83 in set 2, 41 translated); the others (FA, AA, EE,
// FE, AB) translate to themselves.
function kbdSend(v: u32): void {
  if (v == 0x83 && (r(CTR) & CTR_XLATE)) v = 0x41;
  const n = r(Q_COUNT);
  if (n >= QUEUE_SIZE) return; // the keyboard's buffer overflows: dropped
  w(QUEUE + (r(Q_HEAD) + n) % QUEUE_SIZE, v);
  w(Q_COUNT, n + 1);
  w(KBD_LAST, v);
  refill();
}

function kbdDefaults(): void {
  w(KBD_SET, 2);
}

// A byte written to the keyboard (port 0x60 with no controller command
// waiting for it).
function kbdWrite(v: u32): void {
  const param = r(KBD_PARAM);
  if (param) {
    w(KBD_PARAM, 0);
    if (param == 0xf0) {
      kbdSend(ACK);
      if (v == 0) {
        const set = r(KBD_SET);
        kbdSend(r(CTR) & CTR_XLATE ? (set == 1 ? 0x43 : set == 2 ? 0x41 : 0x3f) : set);
      } else if (v <= 3) w(KBD_SET, v);
      return;
    }
    kbdSend(ACK); // LED state (ED) or typematic rate (F3)
    return;
  }
  switch (v) {
    case 0xed: case 0xf0: case 0xf3: w(KBD_PARAM, v); kbdSend(ACK); break;
    case 0xee: kbdSend(0xee); break; // echo
    case 0xf2: kbdSend(ACK); kbdSend(0xab); kbdSend(0x83); break; // identify: an MF2 keyboard
    case 0xf4: w(KBD_ON, 1); kbdSend(ACK); break;
    case 0xf5: w(KBD_ON, 0); kbdDefaults(); kbdSend(ACK); break;
    case 0xf6: kbdDefaults(); kbdSend(ACK); break;
    case 0xf7: case 0xf8: case 0xf9: case 0xfa: case 0xfb: case 0xfc: case 0xfd: kbdSend(ACK); break;
    case 0xfe: kbdSend(r(KBD_LAST)); break; // resend
    case 0xff: // reset: the self-test passes
      w(Q_COUNT, 0);
      kbdDefaults();
      w(KBD_ON, 1);
      kbdSend(ACK);
      kbdSend(BAT_OK);
      break;
    default: kbdSend(RESEND);
  }
}

function command(v: u32): void {
  if (v >= 0x20 && v < 0x40) { reply(v == 0x20 ? r(CTR) : 0); return; } // read controller RAM
  if (v >= 0x60 && v < 0x80) { w(PENDING, v); return; } // write controller RAM: the next data byte
  if (v >= 0xf0) {
    // Pulse output port lines low for 6 us: bit 0 is the CPU's reset.
    if ((v & 1) == 0) requestStop(7); // Stop.Reset
    return;
  }
  switch (v) {
    case 0xa7: w(CTR, r(CTR) | CTR_AUXDIS); break;
    case 0xa8: w(CTR, r(CTR) & ~CTR_AUXDIS); break;
    case 0xa9: reply(0x00); break; // auxiliary interface test: no fault
    case 0xaa: w(STATUS, r(STATUS) | ST_SYS); reply(0x55); break; // self-test passed
    case 0xab: reply(0x00); break; // keyboard interface test: no fault
    case 0xad: w(CTR, r(CTR) | CTR_KBDDIS); break;
    case 0xae: w(CTR, r(CTR) & ~CTR_KBDDIS); refill(); break;
    case 0xc0: reply(0x80); break; // input port: keyboard not inhibited
    case 0xd0: { // output port: reset line high (running), A20 on, the buffer-full lines
      const full = r(OUT_FULL) != 0, aux = r(OUT_AUX) != 0;
      reply(0x03 | (full && !aux ? 0x10 : 0) | (full && aux ? 0x20 : 0));
      break;
    }
    case 0xd1: case 0xd2: case 0xd3: case 0xd4: w(PENDING, v); break;
    case 0xe0: reply(0x00); break; // test inputs
    default: break; // A20 gate (DD/DF: A20 stays on, as port 0x92 keeps it), and the rest
  }
}

function data(v: u32): void {
  const pending = r(PENDING);
  w(PENDING, 0);
  if (pending == 0) { kbdWrite(v); return; }
  if (pending >= 0x60 && pending < 0x80) {
    if (pending == 0x60) {
      w(CTR, v);
      w(STATUS, (r(STATUS) & ~ST_SYS) | (v & CTR_SYS));
      refill();
    }
    return;
  }
  switch (pending) {
    case 0xd1: if ((v & 1) == 0) requestStop(7); break; // the output port: bit 0 low resets
    case 0xd2: put(v, false, false); break; // as if from the keyboard
    case 0xd3: put(v, true, false); break; // as if from the auxiliary device (the loopback)
    case 0xd4: put(RESEND, true, true); break; // to the auxiliary device: none answers
  }
}

export function kbdRead(port: u32): u32 {
  if (port == 0x64) {
    let s = r(STATUS) & (ST_SYS | ST_CMD | ST_UNLOCKED);
    if (r(OUT_FULL)) {
      s |= ST_OBF;
      if (r(OUT_AUX)) s |= ST_AUXDATA;
      if (r(OUT_TIMEOUT)) s |= ST_TIMEOUT;
    }
    return s;
  }
  const v = r(OUT);
  if (r(OUT_FULL)) {
    // The line drops with the read and rises again for the next byte: an
    // edge for each byte, as the PIC needs.
    w(OUT_FULL, 0);
    updateIrq();
    refill();
  }
  return v;
}

export function kbdWrite8042(port: u32, v: u32): void {
  if (port == 0x64) {
    w(STATUS, r(STATUS) | ST_CMD);
    command(v);
  } else {
    w(STATUS, r(STATUS) & ~ST_CMD);
    data(v);
  }
}
