// The Wasm core's exports, typed. One instance is one machine.
import { jitLink, type JitLink } from "./jit.js";
import type { AscExports } from "./gen/core-exports.js";

/**
 * The core's exports as the host gets them, derived from what asc declares
 * (./gen/core-exports.ts, written by the build): an export added to
 * assembly/index.ts needs nothing here, and a use of one removed is a type
 * error. The host instantiates the module itself, with the JIT's imports,
 * not through asc's bindings, so it sees WebAssembly's values: a global is a
 * WebAssembly.Global read through .value (never written: the core's are
 * constants), a bool result is 0 or 1, an i32 result may be negative (asc's
 * u32 is not made unsigned), a u64 is a signed bigint, and an enum is one
 * global per member (the host has the enums from the same file instead).
 */
export type CoreExports = {
  [K in keyof Asc as Asc[K] extends Function | WebAssembly.Memory | { readonly value: unknown } ? K : never]:
    Asc[K] extends (...args: infer A) => infer R ? (...args: A) => (R extends boolean ? number : R) : Asc[K];
};
type Asc = typeof AscExports;

export { Stop } from "./gen/core-exports.js";

/** What the core calls on the host: the disk, one call per block (0 =
 *  success), and the ports of the devices the host implements (0x540-0x547). */
export interface CoreHooks {
  diskRead(lba: number, count: number, addr: number): number;
  diskWrite(lba: number, count: number, addr: number): number;
  diskFlush(): number;
  portIn?(port: number, size: number): number;
  portOut?(port: number, size: number, value: number): void;
}

/** The core compiled once: each machine (and each of its resets, which
 *  start from fresh, untouched memory) is an instance of it. */
export async function compileCore(wasm: BufferSource | WebAssembly.Module): Promise<WebAssembly.Module> {
  return wasm instanceof WebAssembly.Module ? wasm : WebAssembly.compile(wasm);
}

function coreImports(hooks: CoreHooks | undefined) {
  const jit = jitLink();
  const imports = {
    env: {
      table: jit.table,
      jitCompile: (ptr: number, len: number, index: number, later: number) => jit.compile(ptr, len, index, later),
      jitDrop: (from: number) => jit.drop(from),
      abort(_msg: number, _file: number, line: number, col: number) {
        throw new Error(`wasm386 core aborted at ${line}:${col}`);
      },
      diskRead: (lba: number, count: number, addr: number) => hooks?.diskRead(lba, count, addr) ?? 1,
      diskWrite: (lba: number, count: number, addr: number) => hooks?.diskWrite(lba, count, addr) ?? 1,
      diskFlush: () => hooks?.diskFlush() ?? 0,
      // no device there: the bus reads all ones, as on a PC
      hostPortIn: (port: number, size: number) => hooks?.portIn?.(port, size) ?? -1,
      hostPortOut: (port: number, size: number, value: number) => hooks?.portOut?.(port, size, value >>> 0),
    },
  };
  return { jit, imports };
}

// Each core's JIT link, for the run loop (jitOf).
const links = new WeakMap<CoreExports, JitLink>();

/** The host's half of a core's JIT (host/jit.ts); undefined for an object
 *  that is not (or does not stand in for) a linked core. */
export function jitOf(core: CoreExports): JitLink | undefined {
  for (let o: object | null = core; o; o = Object.getPrototypeOf(o)) {
    const link = links.get(o as CoreExports);
    if (link) return link;
  }
  return undefined;
}

function linked(instance: WebAssembly.Instance, jit: JitLink): CoreExports {
  jit.attach(instance.exports);
  const core = instance.exports as unknown as CoreExports;
  core.configureJit(0, jit.table.length);
  links.set(core, jit);
  return core;
}

export async function instantiateCore(module: WebAssembly.Module, hooks?: CoreHooks): Promise<CoreExports> {
  const { jit, imports } = coreImports(hooks);
  return linked(await WebAssembly.instantiate(module, imports), jit);
}

/** The same, synchronously (Node and workers allow it for any module). */
export function instantiateCoreSync(module: WebAssembly.Module, hooks?: CoreHooks): CoreExports {
  const { jit, imports } = coreImports(hooks);
  return linked(new WebAssembly.Instance(module, imports), jit);
}
