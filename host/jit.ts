// The host's half of the JIT (assembly/jit/): compiles the module the core
// wrote into its memory, links it to the core's memory and helpers, and
// puts its function into the core's function table at the given index.
// Compiling is synchronous, as the core waits for it (Node, and the
// browser's worker, allow that for any size).

/** The helpers translated code imports, by name (assembly/jit/helpers.ts). */
const HELPERS = ["jr8", "jr16", "jr32", "jrw8", "jrw32", "jw8", "jw16", "jw32", "jpush", "jpop", "jleave", "jcc",
  "jkeepcf", "jalu32", "jalu8", "jshift32", "jimul32", "jfault", "jaddsp", "jinterp"] as const;

export type JitMode = "off" | "on" | "force";
export const JIT_MODES: readonly JitMode[] = ["off", "on", "force"];

export interface JitLink {
  /** The core's function table (imported by the core as env.table). */
  table: WebAssembly.Table;
  /** env.jitCompile for the core; works once attach() has been called. */
  compile(ptr: number, len: number, index: number): number;
  attach(exports: WebAssembly.Exports): void;
}

export function jitLink(): JitLink {
  const table = new WebAssembly.Table({ initial: 1, element: "anyfunc" });
  let memory: WebAssembly.Memory | undefined;
  let imports: WebAssembly.Imports | undefined;
  return {
    table,
    attach(exports) {
      memory = exports.memory as WebAssembly.Memory;
      const env: Record<string, WebAssembly.ExportValue> = { memory };
      for (const h of HELPERS) env[h] = exports[h];
      imports = { env };
    },
    compile(ptr, len, index) {
      if (!memory || !imports) return 0;
      try {
        const module = new WebAssembly.Module(new Uint8Array(memory.buffer, ptr, len).slice());
        const f = new WebAssembly.Instance(module, imports).exports.f as Function;
        if (index >= table.length) table.grow(Math.max(index + 1 - table.length, table.length));
        table.set(index, f);
        return 1;
      } catch {
        // A module the engine refuses: the block stays interpreted.
        return 0;
      }
    },
  };
}
