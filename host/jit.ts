// The host's half of the JIT (assembly/jit/): compiles the module the core
// wrote into its memory, links it to the core's memory and helpers, and
// puts its function into the core's function table at the given index.
//
// With the JIT "on", inside the host's run loop, the compile is
// asynchronous: the index gets a stub that
// answers NOT_READY (the core then runs the region's blocks with the block
// executor) until the engine has compiled the module off the main thread.
// A table index is reused after the core flushes its cache; a compile that
// finishes after its index was handed out again is dropped. "force" (the
// tests' mode) compiles synchronously, so translated code runs at once.

import { cachedModule, keepModule, moduleKey } from "./jit-cache.js";

export type JitMode = "off" | "on" | "force";
export const JIT_MODES: readonly JitMode[] = ["off", "on", "force"];

export interface JitLink {
  /** The core's function table (imported by the core as env.table). */
  table: WebAssembly.Table;
  /** env.jitCompile for the core; works once attach() has been called. */
  compile(ptr: number, len: number, index: number, later: number): number;
  attach(exports: WebAssembly.Exports): void;
  /** env.jitDrop: the functions from index `from` on are dead (the core
   *  flushed its cache); compiles still out for them are dropped. */
  drop(from: number): void;
  /** Whether compiles may finish later: only while the host's run loop
   *  yields to the event loop (Machine.runUntilDone), where they land; a
   *  program calling runSlice in a loop of its own gets them at once. */
  background: boolean;
  /** Background compiles not yet in the table. */
  readonly pending: number;
}

/** (module (func (export "f") (param i32 i32 i32) (result i32) i32.const v)):
 *  the stub's module, v being what the core calls NOT_READY (assembly/jit/
 *  translate.ts, exported as JIT_NOT_READY), as a five-byte signed LEB128. */
function stubBytes(v: number): Uint8Array<ArrayBuffer> {
  const leb = [0, 7, 14, 21].map((s) => ((v >> s) & 0x7f) | 0x80);
  return new Uint8Array([
    0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    1, 8, 1, 0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7f,
    3, 2, 1, 0,
    7, 5, 1, 1, 0x66, 0, 0,
    10, 10, 1, 8, 0, 0x41, ...leb, (v >> 28) & 0x7f, 0x0b,
  ]);
}
let stubModule: WebAssembly.Module | undefined;

export function jitLink(): JitLink {
  const table = new WebAssembly.Table({ initial: 1, element: "anyfunc" });
  let memory: WebAssembly.Memory | undefined;
  let imports: WebAssembly.Imports | undefined;
  let stub: Function | undefined;
  // The latest request for each index: an older compile finishing late is dropped.
  const latest = new Map<number, number>();
  let requests = 0;
  const place = (index: number, f: Function) => {
    if (index >= table.length) table.grow(Math.max(index + 1 - table.length, table.length));
    table.set(index, f);
  };
  return {
    table,
    background: false,
    get pending() { return latest.size; },
    attach(exports) {
      memory = exports.memory as WebAssembly.Memory;
      // A translated module imports the core's memory and its helpers
      // (assembly/jit/helpers.ts, exported by the core) by their export
      // names: the core's exports are its whole import object.
      imports = { env: exports };
      stubModule ??= new WebAssembly.Module(stubBytes((exports.JIT_NOT_READY as WebAssembly.Global).value as number));
      stub = new WebAssembly.Instance(stubModule).exports.f as Function;
    },
    drop(from) {
      for (let i = Math.max(from, 1); i < table.length; i++) table.set(i, null);
      for (const index of latest.keys()) if (index >= from) latest.delete(index);
    },
    compile(ptr, len, index, later) {
      if (!memory || !imports || !stub) return 0;
      const bytes = new Uint8Array(memory.buffer, ptr, len).slice();
      const key = moduleKey(bytes);
      const linkTo = imports;
      const link = (module: WebAssembly.Module) => new WebAssembly.Instance(module, linkTo).exports.f as Function;
      const known = cachedModule(key);
      if (known) {
        latest.delete(index);
        place(index, link(known));
        return 1;
      }
      if (later && this.background) {
        const id = ++requests;
        latest.set(index, id);
        place(index, stub);
        WebAssembly.compile(bytes).then(
          (module) => {
            keepModule(key, module);
            if (latest.get(index) !== id) return;
            latest.delete(index);
            place(index, link(module));
          },
          () => { if (latest.get(index) === id) latest.delete(index); }, // refused: the stub stays
        );
        return 1;
      }
      try {
        latest.delete(index);
        const module = new WebAssembly.Module(bytes);
        keepModule(key, module);
        place(index, link(module));
        return 1;
      } catch {
        // A module the engine refuses: the block stays interpreted.
        return 0;
      }
    },
  };
}
