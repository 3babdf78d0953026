// The sections of a translated module before its code: the function
// types, the imports (the core's memory and the helpers of frame.ts, in
// that order) and the one function.
import * as W from "./emit";
import { HELPERS } from "./frame";

export function typeSection(): void {
  W.byte(1);
  const p = W.sizeSlot();
  W.uleb(6);
  W.byte(0x60); W.uleb(2); W.byte(W.I32); W.byte(W.I32); W.uleb(1); W.byte(W.I32); // 0: (i32 i32) -> i32
  W.byte(0x60); W.uleb(3); W.byte(W.I32); W.byte(W.I32); W.byte(W.I32); W.uleb(1); W.byte(W.I32); // 1
  W.byte(0x60); W.uleb(1); W.byte(W.I32); W.uleb(1); W.byte(W.I32); // 2: (i32) -> i32
  W.byte(0x60); W.uleb(0); W.uleb(1); W.byte(W.I32); // 3: () -> i32
  W.byte(0x60); W.uleb(0); W.uleb(0); // 4: () -> ()
  W.byte(0x60); W.uleb(1); W.byte(W.I32); W.uleb(0); // 5: (i32) -> ()
  W.patchSize(p);
}

function importFn(name: string, type: u32): void {
  W.name("env"); W.name(name); W.byte(0); W.uleb(type);
}

export function importSection(): void {
  W.byte(2);
  const p = W.sizeSlot();
  W.uleb(1 + HELPERS);
  W.name("env"); W.name("memory"); W.byte(2); W.byte(0); W.uleb(1);
  importFn("jr8", 0); importFn("jr16", 0); importFn("jr32", 0); importFn("jrw8", 0); importFn("jrw32", 0);
  importFn("jw8", 1); importFn("jw16", 1); importFn("jw32", 1); importFn("jpush", 2); importFn("jpop", 3);
  importFn("jleave", 2); importFn("jcc", 2); importFn("jkeepcf", 4); importFn("jalu32", 1); importFn("jalu8", 1);
  importFn("jshift32", 1); importFn("jimul32", 0); importFn("jfault", 5); importFn("jaddsp", 5); importFn("jinterp", 1);
  importFn("jrw16", 0); importFn("jalu16", 1); importFn("jmuldiv", 0); importFn("jshxd", 1);
  importFn("jx87", 1); importFn("jshift16", 1);
  W.patchSize(p);
}

