// The guest's page tables read from the host, in guest RAM (two-level i386
// paging, with 4 MiB pages when CR4.PSE is set): one linear address
// translated (Machine.translate, for readLinear, the trace and the
// debugger), or every present mapping under a CR3 merged into ranges as a
// monitor shows them. Reads only: no accessed or dirty bit changes, as
// QEMU's `info tlb` and `info mem`.

const P = 0x1, W = 0x2, U = 0x4, PWT = 0x8, PCD = 0x10, A = 0x20, D = 0x40, PS = 0x80, G = 0x100;
const CR4_PSE = 0x10;

/** One page (4 KiB or 4 MiB) mapped under the directory. */
export interface Mapping {
  lin: number;
  phys: number;
  size: number;
  /** The bits that decide access: writable and user only when both the
   *  directory entry and the table entry say so (as the CPU combines them);
   *  the rest (G, PCD, PWT, A, D) from the entry that maps the page. */
  bits: number;
}

const word = (ram: Uint8Array, pa: number) =>
  pa + 4 <= ram.length ? (ram[pa] | (ram[pa + 1] << 8) | (ram[pa + 2] << 16) | (ram[pa + 3] << 24)) >>> 0 : 0;

/** The physical address of lin under cr3 with paging on, or null when it
 *  is not mapped (or, with userOnly, not a user page). */
export function translateLinear(ram: Uint8Array, lin: number, cr3: number, cr4: number, userOnly = false): number | null {
  const pde = word(ram, ((cr3 & ~0xfff) >>> 0) + ((lin >>> 22) << 2));
  if (!(pde & P) || (userOnly && !(pde & U))) return null;
  if ((pde & PS) && (cr4 & CR4_PSE)) return (((pde & 0xffc00000) >>> 0) + (lin & 0x3fffff)) >>> 0;
  const pte = word(ram, ((pde & ~0xfff) >>> 0) + (((lin >>> 12) & 0x3ff) << 2));
  if (!(pte & P) || (userOnly && !(pte & U))) return null;
  return (((pte & ~0xfff) >>> 0) + (lin & 0xfff)) >>> 0;
}

/** Every present mapping under cr3, lowest linear address first. A table
 *  outside RAM reads as empty (the guest cannot have written one there). */
export function* mappings(ram: Uint8Array, cr3: number, cr4: number): Generator<Mapping> {
  const dir = (cr3 & ~0xfff) >>> 0;
  for (let i = 0; i < 1024; i++) {
    const pde = word(ram, dir + 4 * i);
    if (!(pde & P)) continue;
    const base = (i << 22) >>> 0;
    if ((pde & PS) && (cr4 & CR4_PSE)) {
      yield { lin: base, phys: (pde & 0xffc00000) >>> 0, size: 0x400000, bits: pde & 0x1ff };
      continue;
    }
    const table = (pde & ~0xfff) >>> 0;
    for (let j = 0; j < 1024; j++) {
      const pte = word(ram, table + 4 * j);
      if (!(pte & P)) continue;
      const bits = (pte & (P | PWT | PCD | A | D | G)) | (pde & pte & (W | U));
      yield { lin: (base + (j << 12)) >>> 0, phys: (pte & ~0xfff) >>> 0, size: 0x1000, bits };
    }
  }
}

/** A run of mappings: linear start, physical start (of the first page),
 *  bytes, the first page's bits and its size. */
export interface Range { lin: number; phys: number; size: number; bits: number; page: number }

/** Consecutive mappings merged while same(previous range, next page) holds
 *  and the linear addresses run on. */
export function merge(maps: Iterable<Mapping>, same: (r: Range, m: Mapping) => boolean): Range[] {
  const out: Range[] = [];
  for (const m of maps) {
    const last = out[out.length - 1];
    if (last && last.lin + last.size === m.lin && same(last, m)) last.size += m.size;
    else out.push({ ...m, page: m.size });
  }
  return out;
}

/** QEMU's flag letters for a mapping: G(lobal), P(SE, a 4 MiB page),
 *  D(irty), A(ccessed), C (PCD), T (PWT), U(ser), W(ritable). */
export function flagLetters(bits: number, size: number): string {
  return (bits & G ? "G" : "-") + (size === 0x400000 ? "P" : "-") + (bits & D ? "D" : "-") + (bits & A ? "A" : "-")
    + (bits & PCD ? "C" : "-") + (bits & PWT ? "T" : "-") + (bits & U ? "U" : "-") + (bits & W ? "W" : "-");
}

/** `info tlb`: runs of pages that are contiguous both linearly and
 *  physically with the same flags (a 4 MiB page never merges with 4 KiB
 *  ones), as "linear-range -> physical-range size flags". */
export function tlbLines(ram: Uint8Array, cr3: number, cr4: number): string[] {
  const ranges = merge(mappings(ram, cr3, cr4), (r, m) => r.phys + r.size === m.phys && r.bits === m.bits && r.page === m.size);
  return ranges.map((r) => {
    const end = (r.lin + r.size - 1) >>> 0, pend = (r.phys + r.size - 1) >>> 0;
    return `${hex8(r.lin)}-${hex8(end)} -> ${hex8(r.phys)}-${hex8(pend)} ${size(r.size).padStart(5)} ${flagLetters(r.bits, r.page)}`;
  });
}

/** `info mem`, as QEMU prints it for i386: runs of linear addresses with
 *  the same protection, "start-end size prot" (end exclusive; prot is
 *  u or -, r, w or -). */
export function memLines(ram: Uint8Array, cr3: number, cr4: number): string[] {
  const ranges = merge(mappings(ram, cr3, cr4), (r, m) => (r.bits & (U | W)) === (m.bits & (U | W)));
  return ranges.map((r) =>
    `${hex8(r.lin)}-${hex8(r.lin + r.size)} ${hex8(r.size)} ${r.bits & U ? "u" : "-"}r${r.bits & W ? "w" : "-"}`);
}

const hex8 = (v: number) => (v >>> 0).toString(16).padStart(8, "0");

/** A byte count in the largest unit that divides it: 4K, 8M, 1G. */
function size(n: number): string {
  for (const [unit, s] of [[1 << 30, "G"], [1 << 20, "M"], [1 << 10, "K"]] as const) if (n % unit === 0) return `${n / unit}${s}`;
  return String(n);
}
