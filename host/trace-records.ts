// The host's side of tracing: which events the core records (a mask of its
// event bits, assembly/cpu/trace.ts), and its records (TRACE_EVENTS, taken
// out when it stops with Stop.Trace) turned into TraceEvents, worded by
// host/trace.ts.
import type { CoreMemory } from "./core-memory.js";
import type { TraceEvent } from "./machine-options.js";
import { SyscallTracer, formatException, formatIrq, type RawTraceEvent, type TraceKind } from "./trace.js";

/** Reads guest memory at a linear address under cr3 (userOnly: only what
 *  ring 3 may read); null where it is not mapped. */
export type LinearRead = (lin: number, len: number, cr3: number, userOnly?: boolean) => Uint8Array | null;

export class TraceRecords {
  /** The core's mask, kept here because a reset clears the core's copy. */
  private mask = 0;
  private tracer: SyscallTracer | undefined;

  constructor(private readonly read: LinearRead) {}

  /** Records the kinds given from now on (none: tracing off). */
  select(mem: CoreMemory, kinds: TraceKind[]): void {
    const { T_SYSCALL, T_EXCEPTION, T_IRQ, T_RETURN } = mem.core;
    let mask = 0;
    if (kinds.includes("syscalls") || kinds.includes("modules")) mask |= T_SYSCALL.value | T_RETURN.value;
    if (kinds.includes("exceptions")) mask |= T_EXCEPTION.value;
    if (kinds.includes("irq")) mask |= T_IRQ.value;
    this.mask = mask;
    this.putMask(mem);
    const only = kinds.includes("syscalls") ? undefined : new Set([128, 129]);
    this.tracer = new SyscallTracer((lin, len, cr3) => this.read(lin, len, cr3, true), only);
  }

  /** Puts the mask where the core reads it: after a reset, which clears
   *  it, or a restore, which brings the saving machine's. */
  putMask({ core, u32 }: CoreMemory): void {
    u32[core.TRACE_MASK.value >> 2] = this.mask;
  }

  /** Takes the core's records out; emit gets the events they make, when
   *  given (nothing listens otherwise, and nothing is worded). */
  drain(mem: CoreMemory, emit: ((e: TraceEvent) => void) | undefined): void {
    const { core, u32 } = mem;
    const count = core.TRACE_COUNT.value >> 2;
    const base = core.TRACE_EVENTS.value >> 2;
    const n = Math.min(u32[count], core.TRACE_MAX.value); // (a made-up state may say more)
    u32[count] = 0;
    const { T_SYSCALL, T_EXCEPTION, T_IRQ, T_RETURN } = core;
    for (let i = 0; i < n; i++) {
      const w = base + 16 * i;
      const e: RawTraceEvent = {
        kind: u32[w], vec: u32[w + 1], code: u32[w + 2], eip: u32[w + 3], cr2: u32[w + 4], cpl: u32[w + 5], cr3: u32[w + 6],
        regs: { eax: u32[w + 8], ecx: u32[w + 9], edx: u32[w + 10], ebx: u32[w + 11], esp: u32[w + 12], ebp: u32[w + 13],
          esi: u32[w + 14], edi: u32[w + 15] },
      };
      if (!emit || !this.tracer) continue;
      if (e.kind === T_EXCEPTION.value) emit({ kind: "exception", text: formatException(e), raw: e });
      else if (e.kind === T_IRQ.value) emit({ kind: "irq", text: formatIrq(e), raw: e });
      else if (e.kind === T_SYSCALL.value && (e.vec === 0x80 || e.vec === 0x100 /* sysenter */)) {
        const text = this.tracer.enter(e, this.kernelStack(mem, e.cr3));
        if (text) emit({ kind: "syscall", text, raw: e });
      } else if (e.kind === T_RETURN.value) {
        const text = this.tracer.leave(e, this.kernelStack(mem, e.cr3));
        if (text) emit({ kind: "syscall", text, raw: e });
      }
    }
  }

  /** The TSS's ESP0: the kernel stack of the process running now. */
  private kernelStack({ core, u32 }: CoreMemory, cr3: number): number {
    const tr = u32[core.TR_BASE.value >> 2];
    const b = this.read(tr + 4, 4, cr3);
    return b ? b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24) : 0;
  }
}
