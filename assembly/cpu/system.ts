// System instructions: descriptor-table registers, control registers,
// HLT, CLI/STI, CPUID, RDTSC and the MSRs.
import { tracing, traceEvent, T_SYSCALL, T_RETURN } from "./trace";
import {
  GDTR_BASE, GDTR_LIMIT, IDTR_BASE, IDTR_LIMIT, LDTR_SEL, LDTR_BASE, LDTR_LIMIT, TR_SEL, TR_BASE,
  TR_LIMIT, TR_FLAGS, CR0, CR2, CR3, CR4, CPL, EFLAGS, HALTED, SYSENTER_MSRS, EVENTS,
} from "../layout";
import { readLin, writeSys } from "../mmu/memory";
import { tlbFlush, tlbFlushPage } from "../mmu/tlb";
import { clockNs } from "../dev/clock";
import {
  reg32, setReg32, protectedMode, raise, raiseCode, faulted, setSegCache, interruptShadow, updateAlignmentCheck, EV_HALT, GP, UD, EAX, EBX, ECX, EDX, ESP, CS, SS,
} from "./state";
import { IF, IOPL, VM, RF, getFlags, putFlag } from "./flags";
import { readDescriptor, descLo, descHi, descBase, descLimit, segChanged } from "./segment";
import { invalidateFetch, opsize32, setNextIp } from "./decode";

// Privileged instructions fault with #GP(0) outside ring 0.
export function requireRing0(): bool {
  if (protectedMode() && (load<u32>(CPL) != 0 || (load<u32>(EFLAGS) & VM))) {
    raiseCode(GP, 0);
    return false;
  }
  return true;
}

// lgdt/lidt: 16-bit limit then 32-bit base (24 bits with a 16-bit operand).
export function loadDescTable(lin: u32, isIdt: bool): void {
  if (!requireRing0()) return;
  const limit = readLin<u16>(lin);
  let base = readLin<u32>(lin + 2);
  if (faulted()) return;
  if (!opsize32) base &= 0x00ffffff;
  store<u32>(isIdt ? IDTR_BASE : GDTR_BASE, base);
  store<u32>(isIdt ? IDTR_LIMIT : GDTR_LIMIT, limit);
}

export function lldt(sel: u32): void {
  if (!requireRing0()) return;
  loadLdt(sel);
}

// LDTR from a GDT selector (lldt, and the task switch at any CPL).
export function loadLdt(sel: u32): void {
  if ((sel & 0xfffc) == 0) {
    store<u32>(LDTR_SEL, sel); store<u32>(LDTR_BASE, 0); store<u32>(LDTR_LIMIT, 0);
    return;
  }
  if (sel & 4) { raiseCode(GP, sel & 0xfffc); return; }
  if (!readDescriptor(sel)) return;
  if (((descHi >>> 8) & 0x1f) != 2) { raiseCode(GP, sel & 0xfffc); return; }
  if ((descHi & 0x8000) == 0) { raiseCode(11, sel & 0xfffc); return; }
  store<u32>(LDTR_SEL, sel);
  store<u32>(LDTR_BASE, descBase(descLo, descHi));
  store<u32>(LDTR_LIMIT, descLimit(descLo, descHi));
}

// LTR: an available TSS in the GDT becomes the current task, and busy.
export function ltr(sel: u32): void {
  if (!requireRing0()) return;
  if ((sel & 0xfffc) == 0 || (sel & 4)) { raiseCode(GP, sel & 0xfffc); return; }
  if (!readDescriptor(sel)) return;
  const type = (descHi >>> 8) & 0x1f;
  if (type != 1 && type != 9) { raiseCode(GP, sel & 0xfffc); return; } // available 16/32-bit TSS
  if ((descHi & 0x8000) == 0) { raiseCode(11, sel & 0xfffc); return; }
  writeSys<u32>(load<u32>(GDTR_BASE) + (sel & 0xfff8) + 4, descHi | 0x200);
  if (faulted()) return;
  store<u32>(TR_SEL, sel);
  store<u32>(TR_BASE, descBase(descLo, descHi));
  store<u32>(TR_LIMIT, descLimit(descLo, descHi));
  store<u32>(TR_FLAGS, ((descHi >>> 8) & 0xf0ff) | 0x2); // now busy
}

export function readCR(n: u32): u32 {
  switch (n) {
    case 0: return load<u32>(CR0);
    case 2: return load<u32>(CR2);
    case 3: return load<u32>(CR3);
    case 4: return load<u32>(CR4);
    default: raise(UD); return 0;
  }
}

// CR0 bits this CPU has: PE MP EM TS ET NE WP AM NW CD PG. ET is fixed at 1.
const CR0_BITS: u32 = 0xe005003f;
export function writeCR(n: u32, v: u32): void {
  switch (n) {
    case 0:
      // PG without PE, or NW without CD, is #GP(0).
      if ((v & 0x80000000) && !(v & 1)) { raiseCode(GP, 0); return; }
      if ((v & 0x20000000) && !(v & 0x40000000)) { raiseCode(GP, 0); return; }
      store<u32>(CR0, (v & CR0_BITS) | 0x10);
      updateAlignmentCheck();
      tlbFlush(false);
      invalidateFetch();
      break;
    case 2: store<u32>(CR2, v); break;
    case 3:
      store<u32>(CR3, v & 0xfffff018);
      tlbFlush((load<u32>(CR4) & CR4_PGE) != 0); // global pages survive a CR3 load
      invalidateFetch();
      break;
    case 4:
      if (v & ~CR4_ALLOWED) { raiseCode(GP, 0); return; }
      store<u32>(CR4, v);
      tlbFlush(false);
      invalidateFetch();
      break;
    default: raise(UD);
  }
}
const CR4_PGE: u32 = 0x80;
// VME PVI TSD DE PSE MCE PGE (no PAE: CPUID does not report it), and
// OSFXSR, which an OS sets when CPUID reports FXSR (Linux does, and takes
// #GP as a fault in its boot).
const CR4_ALLOWED: u32 = (0x000000df & ~0x20) | 0x200;

// The run loop sees HALTED and waits for an interrupt (or stops for good
// when interrupts are off).
export function hlt(): void {
  if (!requireRing0()) return;
  store<u32>(HALTED, 1);
  store<u32>(EVENTS, load<u32>(EVENTS) | EV_HALT);
}

// cli/sti: in protected mode allowed when CPL <= IOPL.
// int n, pushf, popf and iret in virtual-8086 mode below IOPL 3: raises
// #GP(0) (the monitor emulates them) and answers true. (cli and sti follow
// the protected-mode rule in setIF: CPL is 3 there.)
export function v86IoplFault(): bool {
  const f = load<u32>(EFLAGS);
  if ((f & VM) == 0 || (f & IOPL) == IOPL) return false;
  raiseCode(GP, 0);
  return true;
}

// Whether the current task's TSS is a 32-bit one (TR's type, bit 3).
// @ts-ignore: decorator
@inline export function tss32(): bool { return (load<u32>(TR_FLAGS) & 8) != 0; }

export function setIF(on: bool): void {
  if (protectedMode()) {
    const iopl = (load<u32>(EFLAGS) & IOPL) >> 12;
    if (load<u32>(CPL) > iopl) { raiseCode(GP, 0); return; }
  }
  putFlag(IF, on);
  // STI: interrupts are recognized only after the next instruction.
  if (on) interruptShadow();
}

// A Pentium Pro's signature (family 6, model 1, stepping 9: the sA1, past
// the steppings below 8 that Linux treats for erratum 50), and feature bits
// only for what is built: a P6 without MMX, SSE, APIC, PAE, PGE or MTRRs,
// which is what a Pentium Pro is but for FXSR, which it lacked. (QEMU's
// pentium2 is model 5 with MMX; Linux names this one "Pentium Pro".)
export const CPU_SIGNATURE: u32 = 0x00000619;
export function cpuid(): void {
  const leaf = reg32(EAX);
  switch (leaf) {
    case 0:
      setReg32(EAX, 1);
      setReg32(EBX, 0x756e6547); // "Genu"
      setReg32(EDX, 0x49656e69); // "ineI"
      setReg32(ECX, 0x6c65746e); // "ntel"
      break;
    case 1:
      setReg32(EAX, CPU_SIGNATURE);
      setReg32(EBX, 0);
      setReg32(ECX, 0);
      // FPU(0) TSC(4) MSR(5) CX8(8) SEP(11) CMOV(15, with FCMOV: FPU too) FXSR(24)
      setReg32(EDX, 1 | (1 << 4) | (1 << 5) | (1 << 8) | (1 << 11) | (1 << 15) | (1 << 24));
      break;
    default:
      setReg32(EAX, 0); setReg32(EBX, 0); setReg32(ECX, 0); setReg32(EDX, 0);
  }
}

// The TSC follows the virtual clock: one tick per virtual nanosecond.
export function rdtsc(): void {
  const cr4 = load<u32>(CR4);
  if ((cr4 & 4) && protectedMode() && load<u32>(CPL) != 0) { raiseCode(GP, 0); return; }
  const t = clockNs();
  setReg32(EAX, <u32>t);
  setReg32(EDX, <u32>(t >> 32));
}

// MSRs: the TSC and the SYSENTER trio.
export const MSR_SYSENTER_CS: u32 = 0x174, MSR_SYSENTER_ESP: u32 = 0x175, MSR_SYSENTER_EIP: u32 = 0x176;
// The microcode update signature every P6 has (Linux reads it at boot).
const MSR_BIOS_SIGN_ID: u32 = 0x8b;

export function rdmsr(): void {
  if (!requireRing0()) return;
  const n = reg32(ECX);
  let v: u64 = 0;
  if (n == 0x10) v = clockNs();
  else if (n >= MSR_SYSENTER_CS && n <= MSR_SYSENTER_EIP) v = <u64>load<u32>(SYSENTER_MSRS + (n - MSR_SYSENTER_CS) * 4);
  else if (n == MSR_BIOS_SIGN_ID) v = 0; // no microcode update loaded
  else { raiseCode(GP, 0); return; }
  setReg32(EAX, <u32>v);
  setReg32(EDX, <u32>(v >> 32));
}

export function wrmsr(): void {
  if (!requireRing0()) return;
  const n = reg32(ECX);
  if (n >= MSR_SYSENTER_CS && n <= MSR_SYSENTER_EIP) store<u32>(SYSENTER_MSRS + (n - MSR_SYSENTER_CS) * 4, reg32(EAX));
  else if (n == 0x10) { /* writing the TSC is accepted and ignored: it is the virtual clock */ }
  else if (n == MSR_BIOS_SIGN_ID) { /* a write asks the CPU to report its microcode revision: there is none */ }
  else raiseCode(GP, 0);
}


// Flat 4 GiB segments as SYSENTER/SYSEXIT load them: granular, 32-bit,
// present, accessed; code is execute/read, data read/write.
const FLAT_CODE: u32 = 0xc09b, FLAT_DATA: u32 = 0xc093, DPL3: u32 = 0x60;

// SYSENTER: to ring 0 at SYSENTER_CS:SYSENTER_EIP with SYSENTER_ESP, without
// reading the GDT (the selectors must match it; that is the OS's promise).
export function sysenter(): void {
  const cs = load<u32>(SYSENTER_MSRS) & 0xfffc;
  if (!protectedMode() || cs == 0) { raiseCode(GP, 0); return; }
  putFlag(VM, false);
  putFlag(IF, false);
  putFlag(RF, false);
  store<u32>(CPL, 0);
  setSegCache(CS, cs, 0, 0xffffffff, FLAT_CODE);
  setSegCache(SS, cs + 8, 0, 0xffffffff, FLAT_DATA);
  segChanged(CS);
  segChanged(SS);
  setReg32(ESP, load<u32>(SYSENTER_MSRS + 4));
  setNextIp(load<u32>(SYSENTER_MSRS + 8));
  if (tracing(T_SYSCALL)) traceEvent(T_SYSCALL, 0x100, 0, 0);
}

// SYSEXIT: from ring 0 to ring 3 at (SYSENTER_CS+16):EDX with ESP = ECX.
export function sysexit(): void {
  const cs = load<u32>(SYSENTER_MSRS) & 0xfffc;
  if (!protectedMode() || cs == 0 || load<u32>(CPL) != 0) { raiseCode(GP, 0); return; }
  store<u32>(CPL, 3);
  setSegCache(CS, (cs + 16) | 3, 0, 0xffffffff, FLAT_CODE | DPL3);
  setSegCache(SS, (cs + 24) | 3, 0, 0xffffffff, FLAT_DATA | DPL3);
  segChanged(CS);
  segChanged(SS);
  setReg32(ESP, reg32(ECX));
  setNextIp(reg32(EDX));
  if (tracing(T_RETURN)) traceEvent(T_RETURN, 0, 0, reg32(EDX));
}

// INVLPG: drops the page's translation (global or not).
export function invlpg(lin: u32): void {
  if (!requireRing0()) return;
  tlbFlushPage(lin);
  invalidateFetch();
}
