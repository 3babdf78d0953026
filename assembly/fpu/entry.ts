// What every x87 instruction does before its own work: #NM while the FPU
// is emulated or belongs to another task (CR0.EM, CR0.TS), a pending
// unmasked exception reported by the waiting forms (#MF with CR0.NE, else
// FERR# on IRQ 13 as a PC wires it), and the last-instruction pointers
// that the non-control forms record.
import { CR0, FPU_SW, FPU_IP, FPU_CS, FPU_OP, FPU_DP, FPU_DS } from "../layout";
import { raise, segSel, CS, NM } from "../cpu/state";
import { insnStart, eaOffset, eaSeg, modrm, presetDecode, setEA } from "../cpu/decode";
import { faulted } from "../cpu/state";
import { codeDirty } from "../mmu/codepages";
import { x87 } from "../cpu/gen/x87";
import { picSetIrq } from "../dev/pic";

export const MF: i32 = 16;
const CR0_MP: u32 = 2, CR0_EM: u32 = 4, CR0_TS: u32 = 8, CR0_NE: u32 = 0x20;

export function fpuAvailable(): bool {
  if ((load<u32>(CR0) & (CR0_EM | CR0_TS)) != 0) { raise(NM); return false; }
  return true;
}

// fwait: #NM only when MP and TS are both set.
export function fwait(): void {
  if ((load<u32>(CR0) & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS)) { raise(NM); return; }
  pendingException();
}

// True when the instruction may go on.
export function pendingException(): bool {
  if ((load<u32>(FPU_SW) & 0x80) == 0) return true;
  if ((load<u32>(CR0) & CR0_NE) != 0) { raise(MF); return false; }
  picSetIrq(13, true);
  return true;
}

// The prologue of the waiting forms that are not control forms (most of
// them): a pending exception first (false: it was raised), then the
// pointers. One out-of-line call per form keeps the dispatch small.
export function beginWaiting(op: u32, memory: bool): bool {
  if (!pendingException()) return false;
  notePointers(op, memory);
  return true;
}

export function notePointers(op: u32, memory: bool): void {
  store<u32>(FPU_IP, insnStart);
  store<u32>(FPU_CS, segSel(CS));
  store<u32>(FPU_OP, ((op & 7) << 8) | modrm);
  if (memory) {
    store<u32>(FPU_DP, eaOffset);
    store<u32>(FPU_DS, segSel(eaSeg));
  }
}

// An x87 entry of the block cache or the JIT (32-bit code, no prefixes):
// how = escape byte | ModRM << 8 | segment << 16, off the memory operand's
// offset. 0 when it ran, 1 when it faulted (nothing done), 2 when it wrote
// to decoded code (the run must stop after it).
export function runX87(how: u32, off: u32, ip: u32): u32 {
  const m = (how >> 8) & 0xff;
  presetDecode(m, ip);
  if (m < 0xc0) setEA(how >> 16, off);
  if (!fpuAvailable()) return 1;
  x87(how & 0xff);
  if (faulted()) return 1;
  return codeDirty ? 2 : 0;
}
