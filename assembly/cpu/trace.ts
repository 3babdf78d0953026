// Tracing for the host: with a bit of TRACE_MASK set, the matching events
// are recorded (registers at the moment, CR2, CR3, CPL) and the run stops
// after the instruction, so the host can decode them. The hooks sit only on
// the paths of interrupts, exceptions and privilege returns; with the mask
// clear each costs one load and one branch, and the per-instruction loop
// is untouched.
import { TRACE_MASK, TRACE_COUNT, TRACE_EVENTS, TRACE_MAX, CR2, CR3, CPL, REGS } from "../layout";
import { requestStop } from "./state";
import { Stop } from "../dev/bus";

export const T_SYSCALL: u32 = 1;   // INT n (vec) and SYSENTER (vec 0x100), after delivery
export const T_EXCEPTION: u32 = 2; // before delivery: vec, error code, faulting EIP
export const T_IRQ: u32 = 4;       // before delivery
export const T_RETURN: u32 = 8;    // IRET or SYSEXIT to ring 3, after it

// @ts-ignore: decorator
@inline export function tracing(kind: u32): bool { return (load<u32>(TRACE_MASK) & kind) != 0; }

// One record: kind, vec, code, eip, cr2, cpl, cr3, then EAX..EDI (8 words).
export function traceEvent(kind: u32, vec: u32, code: u32, eip: u32): void {
  let n = load<u32>(TRACE_COUNT);
  if (n >= TRACE_MAX) n = TRACE_MAX - 1; // the host drains at every stop; keep the newest
  const at = TRACE_EVENTS + n * 64;
  store<u32>(at, kind);
  store<u32>(at + 4, vec);
  store<u32>(at + 8, code);
  store<u32>(at + 12, eip);
  store<u32>(at + 16, load<u32>(CR2));
  store<u32>(at + 20, load<u32>(CPL));
  store<u32>(at + 24, load<u32>(CR3));
  memory.copy(at + 32, REGS, 32);
  store<u32>(TRACE_COUNT, n + 1);
  requestStop(Stop.Trace);
}
