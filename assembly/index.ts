// The core's exports to the host. State is read and written through Wasm
// memory at the offsets below (see layout.ts); these functions only do what
// needs the CPU.
import * as L from "./layout";
export { allocRam, romBuffer, resetReal, clearRam, bootFlat, run, idleUntil, nextEventNs, configureClock,
  interruptAcknowledge, configureBlocks, invalidateCode, setControlRegister } from "./machine";
export { OUT_LOW_WATER, uartPendingInput } from "./dev/uart";
export { getFlags } from "./cpu/flags";
export { portIn, portOut } from "./dev/bus";
export { ataAttach } from "./dev/ata";
export { ramWritten } from "./dev/hostdev";
export { invalidateFetch } from "./cpu/decode";
export { blocksDecoded, blockRuns } from "./cpu/blocks";
export { configureJit, setJitMode, jitCompiled, jitTranslatedBlocks } from "./jit/jit";
// What a region's function answers while its module compiles: the host's stub answers it too.
export { NOT_READY as JIT_NOT_READY } from "./jit/translate";
// Translated code imports the helpers by their export names: every
// function of helpers.ts is one, so none is listed here again.
export * from "./jit/helpers";
// The host takes these numbers from here: Stop's members become one global
// each ("Stop.Budget", ...), which scripts/gen-core-exports.js turns into
// the host's Stop enum; the trace bits it reads from the instance.
export { Stop } from "./dev/bus";
export { T_SYSCALL, T_EXCEPTION, T_IRQ, T_RETURN } from "./cpu/trace";

// The layout of the machine's state in memory, as saved state files record
// it: bump this when layout.ts moves anything, so old files are refused.
export const STATE_VERSION: u32 = 5; // 5: the x87 FPU's state at FPU_ST..FPU_DS
export const DEBUG_TRAP = L.DEBUG_TRAP;
export const TRACE_MASK = L.TRACE_MASK;
export const TRACE_COUNT = L.TRACE_COUNT;
export const TRACE_EVENTS = L.TRACE_EVENTS;
export const TRACE_MAX = L.TRACE_MAX;
export const TR_BASE = L.TR_BASE;

// Layout, for the host's views of memory.
export const REGS = L.REGS;
export const EIP = L.EIP;
export const SEG_SEL = L.SEG_SEL;
export const SEG_BASE = L.SEG_BASE;
export const SEG_LIMIT = L.SEG_LIMIT;
export const SEG_FLAGS = L.SEG_FLAGS;
export const GDTR_BASE = L.GDTR_BASE;
export const GDTR_LIMIT = L.GDTR_LIMIT;
export const IDTR_BASE = L.IDTR_BASE;
export const IDTR_LIMIT = L.IDTR_LIMIT;
export const LDTR_SEL = L.LDTR_SEL;
export const LDTR_BASE = L.LDTR_BASE;
export const LDTR_LIMIT = L.LDTR_LIMIT;
export const TR_SEL = L.TR_SEL;
export const TR_LIMIT = L.TR_LIMIT;
export const TR_FLAGS = L.TR_FLAGS;
export const DR = L.DR;
export const HALTED = L.HALTED;
export const CR0 = L.CR0;
export const CR2 = L.CR2;
export const CR3 = L.CR3;
export const CR4 = L.CR4;
export const CPL = L.CPL;
export const FPU_ST = L.FPU_ST;
export const FPU_CW = L.FPU_CW;
export const FPU_SW = L.FPU_SW;
export const FPU_TOP = L.FPU_TOP;
export const FPU_EMPTY = L.FPU_EMPTY;
export const FPU_IP = L.FPU_IP;
export const FPU_CS = L.FPU_CS;
export const FPU_OP = L.FPU_OP;
export const FPU_DP = L.FPU_DP;
export const FPU_DS = L.FPU_DS;
export const INSNS = L.INSNS;
export const CLOCK_NS = L.CLOCK_NS;
export const EXIT_CODE = L.EXIT_CODE;
export const RAM_BASE = L.RAM_BASE;
export const RAM_SIZE = L.RAM_SIZE;
export const SHUTDOWN_VEC = L.SHUTDOWN_VEC;
export const UART0 = L.UART0;
export const RING_HDR = L.RING_HDR;
export const RING_SIZE = L.RING_SIZE;
export const SERIAL_OUT = L.SERIAL_OUT;
export const SERIAL_IN = L.SERIAL_IN;
export const DEBUGCON_OUT = L.DEBUGCON_OUT;
// Exported so that binaryen keeps it out of line: it inlines a function
// with one caller whatever its size, and the interpreter's loop
// (interpret() in execute.ts) must have no call but to step() for V8 to
// keep its locals in registers.
export { step } from "./cpu/execute";
