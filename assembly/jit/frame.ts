// The frame of a translated function: the helpers it imports (jit/helpers.ts,
// in import order: the function itself comes after them) and its locals.
// Both halves of the JIT (translate.ts, flagcode.ts, access.ts) and the
// module's import section (module.ts) read them from here.
import { ACCESS_LOCALS } from "./access";

// Imported helpers (jit/helpers.ts), in import order; the function is next.
export const F_JR8: u32 = 0, F_JR16: u32 = 1, F_JR32: u32 = 2, F_JRW8: u32 = 3, F_JRW32: u32 = 4;
export const F_JW8: u32 = 5, F_JW16: u32 = 6, F_JW32: u32 = 7, F_JPUSH: u32 = 8, F_JPOP: u32 = 9;
export const F_JLEAVE: u32 = 10, F_JCC: u32 = 11, F_JKEEPCF: u32 = 12, F_JALU32: u32 = 13, F_JALU8: u32 = 14;
export const F_JSHIFT32: u32 = 15, F_JIMUL32: u32 = 16, F_JFAULT: u32 = 17, F_JADDSP: u32 = 18, F_JINTERP: u32 = 19;
export const F_JRW16: u32 = 20, F_JALU16: u32 = 21, F_JMULDIV: u32 = 22, F_JSHXD: u32 = 23, F_JX87: u32 = 24;
export const F_JSHIFT16: u32 = 25;
export const HELPERS: u32 = 26;

// Locals: the three parameters (the EIP of the code page's first byte, the
// budget, the member to start at, which is then the member the dispatch
// loop goes to), then registers, counters and scratch.
export const L_EIP: u32 = 0, L_BUDGET: u32 = 1, L_BLK: u32 = 2, L_R0: u32 = 3, L_N: u32 = 11, L_RET: u32 = 12;
export const T0: u32 = 13, T1: u32 = 14, T2: u32 = 15, T3: u32 = 16, LA: u32 = 17, LB: u32 = 18, LRES: u32 = 19;
// access.ts owns 20..35; then:
// the lazy record's operation when it is known only at run time (adc, sbb).
export const L_OP: u32 = 20 + ACCESS_LOCALS;
// The lazy record's constants when it is pending in locals (flagcode.ts's
// exitRecord: on the way out, stored once in the exit tail, or on the way
// to another member); 0 when the record in memory is current.
export const L_PEND: u32 = 21 + ACCESS_LOCALS;
export const LOCALS: u32 = 19 + ACCESS_LOCALS; // after the parameters: 3..L_PEND

