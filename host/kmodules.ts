// The teaching kernel's loaded modules, read from guest memory: the list
// kernel/module/loader.c keeps (`struct module *modules`, newest first,
// linked by `next`), found through the kernel ELF's symbol table. Guest
// memory is untrusted: the walk is bounded, stops at a loop, and a pointer
// that leads nowhere ends it with a note instead of an exception.
import type { Machine } from "./machine.js";
import type { KernelSymbols } from "./kernel-symbols.js";

// struct module in kernel/include/module.h (i386, no padding):
// char name[32]; u8 *core; u32 size; int refs; struct module *uses[8];
// int nuses; const struct kernel_symbol *syms; u32 nsyms;
// void (*exit)(void); struct module *next;
const NAME_LEN = 32, CORE = 32, SIZE = 36, REFS = 40, USES = 44, MAX_USES = 8, NUSES = 76, NEXT = 92, STRUCT_SIZE = 96;
/** More than the kernel could ever load: a longer list is damaged. */
const MAX_MODULES = 1024;

export interface KernelModule {
  name: string;
  /** Where its sections were loaded (the module's memory, from vmalloc). */
  address: number;
  size: number;
  refs: number;
  /** The modules it takes symbols from, by address of their struct module. */
  uses: number[];
  /** The address of its struct module. */
  at: number;
}

/** The list, or a one-line reason it cannot be read. */
export function readModules(m: Machine, syms: KernelSymbols): { modules: KernelModule[]; note?: string } | string {
  const head = syms.byName.get("modules");
  if (head === undefined) return "the running kernel keeps no module list (no symbol 'modules': not the teaching kernel)";
  if (!(m.registers().cr0 & 0x80000000)) return "paging is off: the kernel has not started (no modules yet)";
  const first = m.readLinear(head, 4);
  if (!first || first.length < 4) return `cannot read the module list head at 0x${hex(head)}`;
  const modules: KernelModule[] = [];
  const seen = new Set<number>();
  let at = u32(first, 0);
  while (at !== 0) {
    if (seen.has(at)) return { modules, note: `the list loops back to 0x${hex(at)}` };
    if (modules.length >= MAX_MODULES) return { modules, note: `more than ${MAX_MODULES} modules: the list is damaged` };
    seen.add(at);
    const b = m.readLinear(at, STRUCT_SIZE);
    if (!b || b.length < STRUCT_SIZE) return { modules, note: `a module's entry at 0x${hex(at)} is not mapped` };
    let end = 0;
    while (end < NAME_LEN && b[end] !== 0) end++;
    const name = String.fromCharCode(...b.subarray(0, end)).replace(/[^\x20-\x7e]/g, "?");
    const nuses = Math.min(u32(b, NUSES), MAX_USES);
    const uses = Array.from({ length: nuses }, (_, i) => u32(b, USES + 4 * i));
    modules.push({ name, address: u32(b, CORE), size: u32(b, SIZE), refs: u32(b, REFS) | 0, uses, at });
    at = u32(b, NEXT);
  }
  return { modules };
}

/** The table `info modules` prints: as lsmod, with the load address and
 *  the modules each is used by. */
export function moduleLines(list: KernelModule[]): string[] {
  if (!list.length) return ["no modules loaded"];
  const width = Math.max(6, ...list.map((k) => k.name.length));
  const lines = [`${"Module".padEnd(width)}  Address     Size     Refs  Used by`];
  for (const k of list) {
    const users = list.filter((u) => u.uses.includes(k.at)).map((u) => u.name);
    lines.push(`${k.name.padEnd(width)}  0x${hex(k.address)}  ${String(k.size).padEnd(7)}  ${String(k.refs).padEnd(4)}  ${users.join(",") || "-"}`);
  }
  return lines;
}

const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const hex = (v: number) => (v >>> 0).toString(16).padStart(8, "0");
