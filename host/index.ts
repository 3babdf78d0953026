// The package's API (import ... from "wasm386"): the machine and what it
// takes and gives. Nothing here needs Node: the same module runs in a page
// or a Worker. Node's file helpers are in "wasm386/node".
export {
  Machine, UserError, Stop, DEFAULT_MEMORY_MIB, MAX_MEMORY_MIB, DEFAULT_SLICE, DETERMINISTIC_EPOCH, TRACE_KINDS,
  type MachineOptions, type MachineEvents, type Registers, type RunOutcome, type ClockMode, type TraceEvent, type TraceKind,
  type SystemRegisters, type SegmentCache, type FpuState,
} from "./machine.js";
export { Monitor, type MonitorOptions } from "./monitor.js";
export { type Disk, SECTOR, memoryDisk, overlayDisk } from "./disk.js";
export { type JitMode, JIT_MODES } from "./jit.js";
export {
  type ShareBackend, type ShareAttr, type ShareEntry, type SharePath, type EntryType, ShareError, Errno,
} from "./share.js";
export { memoryShare, MemoryShare, type MemoryShareOptions } from "./share-memory.js";
