// `info registers`, laid out as QEMU's monitor prints an i386 CPU: the
// general registers, EIP and EFLAGS (decoded), each segment register with
// its descriptor cache (selector, base, limit, flags, and what the flags
// mean in protected mode), the descriptor tables, the task register, the
// control and debug registers.
import type { Registers, SegmentCache, SystemRegisters } from "./machine.js";

const h8 = (v: number) => (v >>> 0).toString(16).padStart(8, "0");
const h4 = (v: number) => (v >>> 0).toString(16).padStart(4, "0");

// Descriptor bits 40..55 as the core keeps them: the access byte, then the
// flags nibble (AVL, L, D/B, G) at bits 12..15.
const ACCESSED = 0x1, S = 0x10, P = 0x80, DB = 0x4000;
const SYSTEM_TYPES = ["Reserved", "TSS16-avl", "LDT", "TSS16-busy", "CallGate16", "TaskGate", "IntGate16", "TrapGate16",
  "Reserved", "TSS32-avl", "Reserved", "TSS32-busy", "CallGate32", "Reserved", "IntGate32", "TrapGate32"];

/** What a descriptor's flags say: its privilege and kind, as QEMU puts it
 *  ("DPL=3 CS32 [-R-]"). Nothing for a segment that is not present, or in
 *  real mode, where the cache holds no descriptor. */
function describe(flags: number, protectedMode: boolean): string {
  if (!protectedMode || !(flags & P)) return "";
  const dpl = (flags >> 5) & 3, type = flags & 0xf;
  if (!(flags & S)) return ` DPL=${dpl} ${SYSTEM_TYPES[type]}`;
  const a = flags & ACCESSED ? "A" : "-";
  if (type & 8) return ` DPL=${dpl} ${flags & DB ? "CS32" : "CS16"} [${type & 4 ? "C" : "-"}${type & 2 ? "R" : "-"}${a}]`;
  return ` DPL=${dpl} ${flags & DB ? "DS  " : "DS16"} [${type & 4 ? "E" : "-"}${type & 2 ? "W" : "-"}${a}]`;
}

function segment(label: string, s: SegmentCache, pm: boolean): string {
  // QEMU shows the descriptor's high word with the limit's bits masked out.
  return `${label}=${h4(s.selector)} ${h8(s.base)} ${h8(s.limit)} ${h8((s.flags << 8) & 0x00f0ff00)}${describe(s.flags, pm)}`;
}

/** QEMU's "[DOSZAPC]", then the system flags set, by name, and IOPL. */
function eflags(f: number): string {
  const arith = ([[10, "D"], [11, "O"], [7, "S"], [6, "Z"], [4, "A"], [2, "P"], [0, "C"]] as const)
    .map(([bit, c]) => (f & (1 << bit) ? c : "-")).join("");
  const system = ([[8, "TF"], [9, "IF"], [14, "NT"], [16, "RF"], [17, "VM"], [18, "AC"], [19, "VIF"], [20, "VIP"], [21, "ID"]] as const)
    .filter(([bit]) => f & (1 << bit)).map(([, n]) => n);
  return `[${arith}]${system.map((n) => ` ${n}`).join("")} IOPL=${(f >> 12) & 3}`;
}

export function registerLines(r: Registers, sys: SystemRegisters): string[] {
  const pm = (r.cr0 & 1) !== 0;
  const mode = !pm ? "real mode" : r.eflags & 0x20000 ? "virtual-8086 mode" : r.cr0 & 0x80000000 ? "protected mode, paging" : "protected mode";
  return [
    `EAX=${h8(r.eax)} EBX=${h8(r.ebx)} ECX=${h8(r.ecx)} EDX=${h8(r.edx)}`,
    `ESI=${h8(r.esi)} EDI=${h8(r.edi)} EBP=${h8(r.ebp)} ESP=${h8(r.esp)}`,
    `EIP=${h8(r.eip)} EFL=${h8(r.eflags)} ${eflags(r.eflags)}`,
    `CPL=${r.cpl} (ring ${r.cpl}, ${r.cpl === 3 ? "user" : r.cpl === 0 ? "kernel" : "intermediate"}) ${mode} HLT=${sys.halted ? 1 : 0}`,
    segment("ES ", sys.segments.es, pm),
    segment("CS ", sys.segments.cs, pm),
    segment("SS ", sys.segments.ss, pm),
    segment("DS ", sys.segments.ds, pm),
    segment("FS ", sys.segments.fs, pm),
    segment("GS ", sys.segments.gs, pm),
    segment("LDT", sys.ldtr, pm),
    segment("TR ", sys.tr, pm),
    `GDT=     ${h8(sys.gdtr.base)} ${h8(sys.gdtr.limit)}`,
    `IDT=     ${h8(sys.idtr.base)} ${h8(sys.idtr.limit)}`,
    `CR0=${h8(r.cr0)} CR2=${h8(r.cr2)} CR3=${h8(r.cr3)} CR4=${h8(r.cr4)}`,
    `DR0=${h8(sys.dr[0])} DR1=${h8(sys.dr[1])} DR2=${h8(sys.dr[2])} DR3=${h8(sys.dr[3])}`,
    `DR6=${h8(sys.dr[6])} DR7=${h8(sys.dr[7])}`,
  ];
}
