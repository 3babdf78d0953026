// The Wasm core's exports, typed. One instance is one machine.
import { jitLink, type JitLink } from "./jit.js";

export interface CoreExports {
  memory: WebAssembly.Memory;
  allocRam(bytes: number): number;
  romBuffer(bytes: number): number;
  resetReal(): void;
  clearRam(): void;
  bootFlat(entry: number, eax: number, ebx: number): void;
  run(budget: number): number;
  idleUntil(ns: bigint): void;
  nextEventNs(): bigint;
  configureClock(mode: number, epochSeconds: number): void;
  ataAttach(sectors: number): void;
  ramWritten(phys: number, len: number): void;
  interruptAcknowledge(): number;
  getFlags(): number;
  uartPendingInput(): number;
  portIn(port: number, size: number): number;
  portOut(port: number, size: number, value: number): void;
  invalidateFetch(): void;
  configureBlocks(on: number): void;
  invalidateCode(): void;
  blocksDecoded(): number;
  blockRuns(): number;
  configureJit(mode: number, firstIndex: number): void;
  jitCompiled(): number;
  jitTranslatedBlocks(): number;
  setJitMode(mode: number): void;
  setControlRegister(n: number, value: number): number;
  STATE_VERSION: WebAssembly.Global;
  TRACE_MASK: WebAssembly.Global;
  TRACE_COUNT: WebAssembly.Global;
  TRACE_EVENTS: WebAssembly.Global;
  TR_BASE: WebAssembly.Global;
  DEBUG_TRAP: WebAssembly.Global;
  REGS: WebAssembly.Global;
  EIP: WebAssembly.Global;
  SEG_SEL: WebAssembly.Global;
  SEG_BASE: WebAssembly.Global;
  SEG_LIMIT: WebAssembly.Global;
  SEG_FLAGS: WebAssembly.Global;
  GDTR_BASE: WebAssembly.Global;
  GDTR_LIMIT: WebAssembly.Global;
  IDTR_BASE: WebAssembly.Global;
  IDTR_LIMIT: WebAssembly.Global;
  LDTR_SEL: WebAssembly.Global;
  LDTR_BASE: WebAssembly.Global;
  LDTR_LIMIT: WebAssembly.Global;
  TR_SEL: WebAssembly.Global;
  TR_LIMIT: WebAssembly.Global;
  TR_FLAGS: WebAssembly.Global;
  DR: WebAssembly.Global;
  HALTED: WebAssembly.Global;
  CR0: WebAssembly.Global;
  CR2: WebAssembly.Global;
  CR3: WebAssembly.Global;
  CR4: WebAssembly.Global;
  CPL: WebAssembly.Global;
  INSNS: WebAssembly.Global;
  CLOCK_NS: WebAssembly.Global;
  EXIT_CODE: WebAssembly.Global;
  RAM_BASE: WebAssembly.Global;
  RAM_SIZE: WebAssembly.Global;
  SHUTDOWN_VEC: WebAssembly.Global;
  UART0: WebAssembly.Global;
  RING_HDR: WebAssembly.Global;
  RING_SIZE: WebAssembly.Global;
  SERIAL_OUT: WebAssembly.Global;
  SERIAL_IN: WebAssembly.Global;
  DEBUGCON_OUT: WebAssembly.Global;
}

/** Why run() returned; the numbers are the core's Stop enum (dev/bus.ts). */
export enum Stop { Budget = 0, Halted = 1, Shutdown = 2, Exit = 3, Output = 4, Host = 5, Idle = 6, Reset = 7, Trace = 8, Break = 9 }

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
