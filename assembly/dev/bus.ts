// The port-I/O bus: decodes a port number to the device that answers it.
// Devices are byte-wide; wider accesses are split into consecutive ports,
// except where a device defines a wider register (the exit port).
import { DEBUGCON_OUT, EXIT_CODE, PORT92 } from "../layout";
import { requestStop } from "../cpu/state";
import { uartRead, uartWrite } from "./uart";
import { picRead, picWrite, picSetIrq } from "./pic";
import { pitRead, pitWrite } from "./pit";
import { rtcRead, rtcWrite } from "./rtc";
import { ataRead, ataWrite, ataReadData, ataWriteData } from "./ata";
import { ringPut } from "./ring";
import { kbdRead, kbdWrite8042 } from "./kbd";
import { HOSTDEV_BASE, HOSTDEV_PORTS, hostIn, hostOut } from "./hostdev";

// Why run() returned. Halted: HLT with interrupts off, for good. Idle: HLT
// waiting for an interrupt the host must let time pass for (realtime mode)
// or that only input can bring. Reset: the guest asked for a machine reset.
export const enum Stop { Budget = 0, Halted = 1, Shutdown = 2, Exit = 3, Output = 4, Host = 5, Idle = 6, Reset = 7, Trace = 8, Break = 9 }

const COM1: u32 = 0x3f8;
const DEBUGCON: u32 = 0xe9;
const DEBUG_EXIT: u32 = 0xf4;
// The ACPI PM1a control register where QEMU's PC machines have it: a write
// with SLP_EN (bit 13) set powers the machine off, and the emulator exits
// with status 0 (the debug-exit port can only give odd ones).
const PM1A_CNT: u32 = 0x604;
const SLP_EN: u32 = 0x2000;

function powerOff(): void {
  store<u32>(EXIT_CODE, 0);
  requestStop(Stop.Exit);
}

function inByte(port: u32): u32 {
  if (port - COM1 < 8) return uartRead(port - COM1);
  switch (port) {
    case 0x20: case 0x21: return picRead(false, port & 1);
    case 0xa0: case 0xa1: return picRead(true, port & 1);
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x61: return pitRead(port);
    case 0x70: case 0x71: return rtcRead(port);
    case 0x1f1: case 0x1f2: case 0x1f3: case 0x1f4: case 0x1f5: case 0x1f6: case 0x1f7: return ataRead(port - 0x1f0);
    case 0x3f6: return ataRead(8);
    case 0x92: return load<u8>(PORT92) & 2; // A20 is on; the reset bit reads 0
    case 0x60: case 0x64: return kbdRead(port);
    case DEBUGCON: return 0xe9; // the Bochs/QEMU presence check
    default: return 0xff;
  }
}

function outByte(port: u32, v: u32): void {
  if (port - COM1 < 8) { uartWrite(port - COM1, v & 0xff); return; }
  v &= 0xff;
  switch (port) {
    case 0x20: case 0x21: picWrite(false, port & 1, v); break;
    case 0xa0: case 0xa1: picWrite(true, port & 1, v); break;
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x61: pitWrite(port, v); break;
    case 0x70: case 0x71: rtcWrite(port, v); break;
    case 0x1f1: case 0x1f2: case 0x1f3: case 0x1f4: case 0x1f5: case 0x1f6: case 0x1f7: ataWrite(port - 0x1f0, v); break;
    case 0x3f6: ataWrite(8, v); break;
    case 0x92:
      // System control port A: bit 0 resets the machine, bit 1 is A20.
      store<u8>(PORT92, <u8>(v | 2));
      if (v & 1) requestStop(Stop.Reset);
      break;
    case 0x60: case 0x64: kbdWrite8042(port, v); break;
    case 0xf0: picSetIrq(13, false); break; // clears the FPU error latch (FERR# on IRQ 13)
    case DEBUGCON: ringPut(DEBUGCON_OUT, v); break;
    default: break;
  }
}

const ATA_DATA: u32 = 0x1f0;

// size is 1, 2 or 4 bytes.
export function portIn(port: u32, size: u32): u32 {
  port &= 0xffff;
  if (port - HOSTDEV_BASE < HOSTDEV_PORTS) return hostIn(port, size);
  if (port == ATA_DATA) {
    // The data register is 16 bits wide; a dword access takes two words.
    const lo = ataReadData();
    if (size == 4) return lo | (ataReadData() << 16);
    return size == 2 ? lo : lo & 0xff;
  }
  let v: u32 = 0;
  for (let i: u32 = 0; i < size; i++) v |= inByte((port + i) & 0xffff) << (i << 3);
  return v;
}

export function portOut(port: u32, size: u32, v: u32): void {
  port &= 0xffff;
  if (port == DEBUG_EXIT) {
    // QEMU's isa-debug-exit: the emulator exits with (value << 1) | 1.
    const val = size == 4 ? v : size == 2 ? v & 0xffff : v & 0xff;
    store<u32>(EXIT_CODE, (val << 1) | 1);
    requestStop(Stop.Exit);
    return;
  }
  if (port - HOSTDEV_BASE < HOSTDEV_PORTS) { hostOut(port, size, v); return; }
  if (port == PM1A_CNT && size >= 2) {
    if (v & SLP_EN) powerOff();
    return;
  }
  if (port == PM1A_CNT + 1) { // the register's high byte alone
    if (v & (SLP_EN >> 8)) powerOff();
    return;
  }
  if (port == ATA_DATA) {
    ataWriteData(v & 0xffff);
    if (size == 4) ataWriteData(v >>> 16);
    return;
  }
  for (let i: u32 = 0; i < size; i++) outByte((port + i) & 0xffff, v >>> (i << 3));
}
