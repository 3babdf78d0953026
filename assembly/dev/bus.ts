// The port-I/O bus: decodes a port number to the device that answers it.
// Devices are byte-wide; wider accesses are split into consecutive ports,
// except where a device defines a wider register (the exit port).
import { DEBUGCON_OUT, EXIT_CODE } from "../layout";
import { requestStop } from "../cpu/state";
import { uartRead, uartWrite } from "./uart";
import { ringPut } from "./ring";

export const enum Stop { Budget = 0, Halted = 1, Shutdown = 2, Exit = 3, Output = 4, Host = 5 }

const COM1: u32 = 0x3f8;
const DEBUGCON: u32 = 0xe9;
const DEBUG_EXIT: u32 = 0xf4;

function inByte(port: u32): u32 {
  if (port - COM1 < 8) return uartRead(port - COM1);
  if (port == DEBUGCON) return 0xe9; // the Bochs/QEMU presence check
  return 0xff;
}

function outByte(port: u32, v: u32): void {
  if (port - COM1 < 8) { uartWrite(port - COM1, v & 0xff); return; }
  if (port == DEBUGCON) { ringPut(DEBUGCON_OUT, v); return; }
}

// size is 1, 2 or 4 bytes.
export function portIn(port: u32, size: u32): u32 {
  port &= 0xffff;
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
  for (let i: u32 = 0; i < size; i++) outByte((port + i) & 0xffff, v >>> (i << 3));
}
