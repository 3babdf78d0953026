// The CPU's registers as the host reads and writes them: words of the
// core's memory at the offsets it exports, for Machine.registers(), the
// monitor, the GDB stub and a triple fault's report.
import type { CoreMemory } from "./core-memory.js";
import type { FpuState, Registers, SegmentCache, SystemRegisters } from "./machine-options.js";

/** The general registers in the core's order (REGS, one word each). */
const GENERAL: readonly (keyof Registers)[] = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"];

type Offset = { readonly value: number };

export function readRegisters({ core, u32 }: CoreMemory): Registers {
  const r = core.REGS.value >> 2;
  const s = core.SEG_SEL.value >> 2;
  const at = (g: Offset) => u32[g.value >> 2];
  return {
    eax: u32[r], ecx: u32[r + 1], edx: u32[r + 2], ebx: u32[r + 3],
    esp: u32[r + 4], ebp: u32[r + 5], esi: u32[r + 6], edi: u32[r + 7],
    eip: at(core.EIP), eflags: core.getFlags() >>> 0,
    es: u32[s], cs: u32[s + 1], ss: u32[s + 2], ds: u32[s + 3], fs: u32[s + 4], gs: u32[s + 5],
    cr0: at(core.CR0), cr2: at(core.CR2), cr3: at(core.CR3), cr4: at(core.CR4),
    cpl: at(core.CPL),
  };
}

/** The segment caches, descriptor tables, task and debug registers. */
export function readSystemRegisters({ core, u32 }: CoreMemory): SystemRegisters {
  const at = (g: Offset, i = 0) => u32[(g.value >> 2) + i];
  const seg = (i: number): SegmentCache => ({
    selector: at(core.SEG_SEL, i), base: at(core.SEG_BASE, i), limit: at(core.SEG_LIMIT, i), flags: at(core.SEG_FLAGS, i),
  });
  return {
    segments: { es: seg(0), cs: seg(1), ss: seg(2), ds: seg(3), fs: seg(4), gs: seg(5) },
    gdtr: { base: at(core.GDTR_BASE), limit: at(core.GDTR_LIMIT) },
    idtr: { base: at(core.IDTR_BASE), limit: at(core.IDTR_LIMIT) },
    // The LDT's cache keeps no access rights: a loaded LDT is a present system segment of type 2.
    ldtr: { selector: at(core.LDTR_SEL), base: at(core.LDTR_BASE), limit: at(core.LDTR_LIMIT), flags: 0x82 },
    tr: { selector: at(core.TR_SEL), base: at(core.TR_BASE), limit: at(core.TR_LIMIT), flags: at(core.TR_FLAGS) },
    dr: Array.from({ length: 8 }, (_, i) => at(core.DR, i)),
    halted: at(core.HALTED) !== 0,
  };
}

/** Sets a general register or EIP (what a debugger may change); other
 *  names change nothing. */
export function writeRegister({ core, u32 }: CoreMemory, name: keyof Registers, value: number): void {
  const i = GENERAL.indexOf(name);
  if (i >= 0) u32[(core.REGS.value >> 2) + i] = value >>> 0;
  else if (name === "eip") {
    u32[core.EIP.value >> 2] = value >>> 0;
    core.invalidateFetch(); // the core's fetch window is the old EIP's code page
  }
}

/** A triple fault's report: the vector chain the core recorded and the registers. */
export function tripleFaultReport(mem: CoreMemory): string {
  const at = mem.core.SHUTDOWN_VEC.value;
  const vecs: number[] = [];
  for (let i = 7; i >= 0; i--) {
    const b = mem.u8[at + i];
    if (b) vecs.push(b - 1);
  }
  const r = readRegisters(mem);
  const h = (n: number) => n.toString(16).padStart(8, "0");
  return [
    `triple fault (exception chain: ${vecs.map((v) => `#${v}`).join(" -> ")})`,
    `EAX=${h(r.eax)} EBX=${h(r.ebx)} ECX=${h(r.ecx)} EDX=${h(r.edx)}`,
    `ESI=${h(r.esi)} EDI=${h(r.edi)} EBP=${h(r.ebp)} ESP=${h(r.esp)}`,
    `EIP=${h(r.eip)} EFLAGS=${h(r.eflags)} CPL=${r.cpl} CS=${r.cs.toString(16)} SS=${r.ss.toString(16)}`,
    `CR0=${h(r.cr0)} CR2=${h(r.cr2)} CR3=${h(r.cr3)} CR4=${h(r.cr4)}`,
  ].join("\n");
}

/** The x87 registers (layout.ts: physical registers of 16 bytes, TOP and a
 *  bit per empty register) in fsave's terms: ST(i) in stack order, the
 *  status word with TOP, the full tag word worked out from the contents. */
export function readFpu({ core, u8, u32 }: CoreMemory): FpuState {
  const at = (g: Offset) => u32[g.value >> 2];
  const top = at(core.FPU_TOP) & 7, empty = at(core.FPU_EMPTY);
  const phys = (p: number) => u8.slice(core.FPU_ST.value + p * 16, core.FPU_ST.value + p * 16 + 10);
  let tag = 0;
  for (let p = 0; p < 8; p++) {
    const r = phys(p), se = r[8] | (r[9] << 8), e = se & 0x7fff, j = r[7] >> 7, zeroSig = r.subarray(0, 8).every((b) => b === 0);
    const t = (empty >> p) & 1 ? 3 : e === 0 && zeroSig ? 1 : e !== 0 && e !== 0x7fff && j ? 0 : 2;
    tag |= t << (2 * p);
  }
  return {
    st: Array.from({ length: 8 }, (_, i) => phys((top + i) & 7)),
    control: at(core.FPU_CW), status: ((at(core.FPU_SW) & ~0x3800) | (top << 11)) >>> 0, tag,
    cs: at(core.FPU_CS), ip: at(core.FPU_IP), opcode: at(core.FPU_OP) & 0x7ff, ds: at(core.FPU_DS), dp: at(core.FPU_DP),
  };
}
