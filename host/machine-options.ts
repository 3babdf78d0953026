// What a machine is made with and what it reports: the options of
// Machine.create, the register views, the events and how a run ends.
import type { Disk } from "./disk.js";
import type { ShareBackend } from "./share.js";
import type { JitMode } from "./jit.js";
import type { RawTraceEvent, TraceKind } from "./trace.js";

/** One traced event: its kind, the strace-like line, and the raw record. */
export interface TraceEvent { kind: "syscall" | "exception" | "irq"; text: string; raw: RawTraceEvent }

export const DEFAULT_MEMORY_MIB = 128;
export const MAX_MEMORY_MIB = 3072;
/** runSlice's default budget: about a millisecond of guest work at
 *  interpreter speed. */
export const DEFAULT_SLICE = 200_000;

export interface MachineOptions {
  /** The compiled core (build/wasm386.wasm), as bytes or a compiled module. */
  wasm: BufferSource | WebAssembly.Module;
  /** A Multiboot kernel image. Without one the CPU starts at the reset vector. */
  kernel?: Uint8Array;
  /**
   * Firmware ROM (at most 1 MiB), mapped at the top of the 4 GiB space and
   * shadowed below 1 MiB, as QEMU's -bios. The CPU starts at its reset
   * vector, F000:FFF0. Not used with a kernel.
   */
  bios?: Uint8Array;
  /** Name the kernel is given at the start of its command line, as GRUB and QEMU do. */
  kernelName?: string;
  /** Passed as Multiboot module 0. */
  initrd?: Uint8Array;
  initrdName?: string;
  /** The kernel command line after the kernel's name. */
  cmdline?: string;
  memoryMiB?: number;
  /**
   * "deterministic" (the default here): time is the instruction count, an
   * idle CPU skips to its next timer, the same inputs give the same run.
   * "realtime": virtual time is paced against the host's clock.
   */
  clock?: ClockMode;
  /** The RTC's time at reset, in Unix seconds. Default: now (realtime), 2025-01-01 (deterministic). */
  rtcEpoch?: number;
  /** What a guest-requested reset does: boot again (default) or end the run. */
  onReset?: "reboot" | "exit";
  /** The primary master ATA disk. */
  disk?: Disk;
  /**
   * A folder the guest may use (the shared-folder device at ports
   * 0x540-0x547; the teaching kernel mounts it on /host): a host directory
   * (dirShare in host/node/share-dir.ts) or one in memory (memoryShare in
   * host/share-memory.ts).
   */
  share?: ShareBackend;
  /**
   * Run 32-bit code from the decoded-block cache (the default) or, with
   * false, through the plain interpreter only. Both give the same results
   * instruction for instruction; the cache is faster.
   */
  blockCache?: boolean;
  /**
   * Translation of hot blocks to WebAssembly: "on" (the default), "off",
   * or "force" (every block the translator handles, from its first run:
   * for testing). Needs the block cache.
   */
  jit?: JitMode;
  /**
   * Events to trace from the host, with no change to the guest: system
   * calls (as strace shows them), exceptions, interrupts, or only the
   * module system calls. Off (the default) costs nothing.
   */
  trace?: TraceKind[];
  onTrace?: (event: TraceEvent) => void;
  /** Bytes the guest writes to COM1. */
  onSerial?: (bytes: Uint8Array) => void;
  /** Bytes the guest writes to the debug console port 0xE9. */
  onDebugcon?: (bytes: Uint8Array) => void;
}

export interface Registers {
  eax: number; ecx: number; edx: number; ebx: number;
  esp: number; ebp: number; esi: number; edi: number;
  eip: number; eflags: number;
  cs: number; ss: number; ds: number; es: number; fs: number; gs: number;
  cr0: number; cr2: number; cr3: number; cr4: number; cpl: number;
}

/** A segment register's selector and the descriptor cache behind it;
 *  flags are the descriptor's bits 40..55 (type, S, DPL, P, AVL, D/B, G). */
export interface SegmentCache { selector: number; base: number; limit: number; flags: number }

/** The state a monitor shows beside registers(). */
export interface SystemRegisters {
  segments: Record<"es" | "cs" | "ss" | "ds" | "fs" | "gs", SegmentCache>;
  gdtr: { base: number; limit: number };
  idtr: { base: number; limit: number };
  ldtr: SegmentCache;
  tr: SegmentCache;
  /** DR0..DR7 as the guest set them (the core stores them; they trap nothing). */
  dr: number[];
  /** Stopped by HLT until an interrupt. */
  halted: boolean;
}

/** The x87 FPU's state, as fsave would store it: st[i] is ST(i), an 80-bit
 *  value as its 10 bytes, little-endian (significand, then sign and
 *  exponent); tag is the full two-bit tag word (3 = empty). */
export interface FpuState {
  st: Uint8Array[];
  control: number; status: number; tag: number;
  /** The last non-control instruction: its CS:EIP, opcode (11 bits), and memory operand's DS:offset. */
  cs: number; ip: number; opcode: number; ds: number; dp: number;
}

export type ClockMode = "deterministic" | "realtime";

/** What a Machine emits, by event name (see Machine.on). */
export interface MachineEvents {
  /** Bytes the guest wrote to COM1, handed on about every millisecond of a run. */
  serial: Uint8Array;
  /** Bytes the guest wrote to the debug console port 0xE9. */
  debugcon: Uint8Array;
  /** A traced event (with trace set at create or by setTrace). */
  trace: TraceEvent;
  /** runUntilDone ended because the guest did: exit, halted, shutdown, or a
   *  reset with onReset "exit". Not emitted for the host's own ends (limit,
   *  stopped, break) or for "idle", after which the guest can go on. */
  exit: RunOutcome;
}


/** 2025-01-01T00:00:00Z: the deterministic clock's default date. */
export const DETERMINISTIC_EPOCH = 1735689600;

export type RunOutcome =
  | { reason: "exit"; exitCode: number }
  | { reason: "halted" }
  | { reason: "idle" }
  | { reason: "reset" }
  | { reason: "shutdown"; report: string }
  | { reason: "limit" }
  | { reason: "stopped" }
  | { reason: "break" };
