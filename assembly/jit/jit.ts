// Which blocks are translated to WebAssembly, and calling them.
//
// Modes (JIT_MODE, set by the host, kept across resets): 0 off; 1 on: a
// block's region (region.ts) is translated once the block has run JIT_HOT
// times, and the host may compile it in the background; 2 force: on a
// block's first run, compiled at once (so the tests exercise translated
// code everywhere it applies). The host compiles the module the core
// writes (jitCompile) and puts its function in the core's function table at
// the index the core chose; the slots of the region's blocks keep that
// index and their place in the region.
import { JIT_BUF, JIT_MODE } from "../layout";
import { translateRegion } from "./translate";
import { collectRegion, regionSize, regionSlot, regionFirst } from "./region";
import { K } from "../cpu/blockkinds";
import { entryAt } from "../cpu/blocks";

// later != 0: the host may compile in the background (a stub answering
// NOT_READY holds the index meanwhile).
@external("env", "jitCompile") declare function jitCompile(ptr: usize, len: u32, index: u32, later: u32): u32;

export const JIT_NEVER: u32 = 0xffffffff;
// Runs of a block before its region is translated. Compiling is mostly off
// the main thread (host/jit.ts), while a block below this runs in the block
// executor at several times the cost per instruction: at 50,000 a fifth of
// fptr's and embedded's instructions ran there. 10,000 measured 6-7% faster
// (geometric mean of the eleven bench workloads through the CLI, two
// alternating runs of five); bytecode 6-11% slower.
const JIT_HOT: u32 = 10000;
// Table indices handed out since the last flush: past this many the cache
// is flushed (cpu/blocks.ts), so the host's table stays bounded.
export const JIT_MAX_FUNCTIONS: u32 = 32768;

let firstIndex: u32 = 1;
let nextIndex: u32 = 1;
let compiled: u32 = 0;
let translatedBlocks: u32 = 0;

// The host's table has room from index `first` on.
export function configureJit(mode: u32, first: u32): void {
  store<u32>(JIT_MODE, mode > 2 ? 2 : mode);
  firstIndex = first;
  nextIndex = first;
}

export function setJitMode(mode: u32): void { store<u32>(JIT_MODE, mode > 2 ? 2 : mode); }

export function jitFlushed(): void { nextIndex = firstIndex; }
export function jitFull(): bool { return nextIndex - firstIndex >= JIT_MAX_FUNCTIONS; }
// Regions compiled, and blocks given their function, since the last reset
// (statistics for the host and tests).
export function jitCompiled(): u32 { return compiled; }
export function jitTranslatedBlocks(): u32 { return translatedBlocks; }
export function jitResetStats(): void { compiled = 0; translatedBlocks = 0; }

// @ts-ignore: decorator
@inline export function jitMode(): u32 { return load<u32>(JIT_MODE); }

// The function for the block in slot, translating it when it is due; 0
// while it should be interpreted. pageEip: the EIP of its page's first byte.
// @ts-ignore: decorator
@inline export function jitFunction(slot: usize, pageEip: u32): u32 {
  const fn = load<u32>(slot, 20);
  if (fn != 0) return fn == JIT_NEVER ? 0 : fn;
  const mode = jitMode();
  if (mode == 0) return 0;
  const hits = load<u32>(slot, 16) + 1;
  store<u32>(slot, hits, 16);
  if (mode == 1 && hits < JIT_HOT) return 0;
  return translate(slot, pageEip);
}

// Translates the region around the block in slot (jit/region.ts); its
// members that have no function yet share the new one.
function translate(slot: usize, pageEip: u32): u32 {
  const first = load<u32>(slot, 8), count = load<u32>(slot, 12);
  const lastGeneric = <u32>load<u8>(entryAt(first + count - 1)) == K.GENERIC;
  if (count <= (lastGeneric ? <u32>1 : 0) || jitFull()) {
    store<u32>(slot, JIT_NEVER, 20);
    return 0;
  }
  collectRegion(slot, pageEip);
  const len = translateRegion();
  if (len == 0 || jitCompile(JIT_BUF, len, nextIndex, jitMode() == 1 ? 1 : 0) == 0) {
    store<u32>(slot, JIT_NEVER, 20);
    return 0;
  }
  const fn = nextIndex++;
  compiled++;
  store<u32>(slot, fn, 20);
  store<u32>(slot, 0, 24);
  translatedBlocks++;
  for (let j: u32 = 1; j < regionSize(); j++) {
    const s = regionSlot(j);
    if (load<u32>(s, 8) == regionFirst(j) && load<u32>(s, 12) != 0 && load<u32>(s, 20) == 0) {
      store<u32>(s, fn, 20);
      store<u32>(s, j, 24);
      translatedBlocks++;
    }
  }
  return fn;
}
