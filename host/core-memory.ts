// The machine's state where the core keeps it: in its memory, at offsets
// the core exports (assembly/layout.ts). The host's parts read and write it
// through these views, whichever core instance the machine has now.
import type { CoreExports } from "./core.js";

/** A core and typed views of its memory. */
export interface CoreMemory {
  readonly core: CoreExports;
  readonly u8: Uint8Array;
  readonly u32: Uint32Array;
}

/** Views of core's memory: last again while it is of the same core and
 *  buffer (the run loop reads through them on every call), else new ones
 *  (a new instance at reset, or memory that grew). */
export function coreMemory(core: CoreExports, last?: CoreMemory): CoreMemory {
  const buffer = core.memory.buffer;
  if (last && last.core === core && last.u8.buffer === buffer) return last;
  return { core, u8: new Uint8Array(buffer), u32: new Uint32Array(buffer) };
}

/** Guest physical memory, as a view of the core's. */
export function guestRam({ core, u32 }: CoreMemory): Uint8Array {
  return new Uint8Array(core.memory.buffer, core.RAM_BASE.value, u32[core.RAM_SIZE.value >> 2]);
}

/** Virtual time since reset, in nanoseconds (a u64 in two words). */
export function clockNs({ core, u32 }: CoreMemory): bigint {
  const a = core.CLOCK_NS.value >> 2;
  return BigInt(u32[a]) + (BigInt(u32[a + 1]) << 32n);
}
