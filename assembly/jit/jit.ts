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
import { assumeFlatSegments } from "./access";
import { collectRegion, regionSize, regionSlot, regionFirst } from "./region";
import { K } from "../cpu/blockkinds";
import { entryAt } from "../cpu/blocks";

// later != 0: the host may compile in the background (a stub answering
// NOT_READY holds the index meanwhile).
@external("env", "jitCompile") declare function jitCompile(ptr: usize, len: u32, index: u32, later: u32): u32;
// The functions from index `from` on will not be called again (the cache
// was flushed): the host lets them and their compiled code go.
@external("env", "jitDrop") declare function jitDrop(from: u32): void;

export const JIT_NEVER: u32 = 0xffffffff;
// Runs of a block before its region is translated. Compiling is mostly off
// the main thread (host/jit.ts), while a block below this runs in the block
// executor at several times the cost per instruction: at 50,000 a fifth of
// fptr's and embedded's instructions ran there. 10,000 measured 6-7% faster
// (geometric mean of the eleven bench workloads through the CLI, two
// alternating runs of five); bytecode 6-11% slower.
const JIT_HOT: u32 = 10000;
// A region's instructions, and the size of its module: a bigger module
// takes the engine longer to compile than its exits would cost. The
// bench's regions (the biggest a compiled switch of ~550 instructions,
// 57 KB) fit; a page of zeros (add [eax], al, ~550 bytes each inline)
// or random code would not.
const REGION_ENTRIES: u32 = 640;
const MODULE_BYTES: u32 = 128 << 10;
// Table indices handed out, and module bytes compiled, since the last
// flush: past either the cache is flushed (cpu/blocks.ts) and the host
// drops the old functions, so the table and the engine's code stay
// bounded (compiled code takes ~4x its module's bytes) even for a guest
// that rewrites its code without end.
export const JIT_MAX_FUNCTIONS: u32 = 32768;
const JIT_MAX_BYTES: u32 = 24 << 20;
let compiledBytes: u32 = 0;

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

export function jitFlushed(): void {
  if (nextIndex != firstIndex) jitDrop(firstIndex);
  nextIndex = firstIndex;
  compiledBytes = 0;
}
export function jitFull(): bool { return nextIndex - firstIndex >= JIT_MAX_FUNCTIONS || compiledBytes >= JIT_MAX_BYTES; }
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
  const word = load<u32>(slot, 16);
  const hits = (word & ~GENERIC_SEGMENTS) + 1;
  store<u32>(slot, (word & GENERIC_SEGMENTS) | hits, 16);
  if (hits < JIT_HOT && (mode == 1 || rewrittenOften(load<u32>(slot, 4)))) return 0;
  return translate(slot, pageEip);
}

// The block in slot runs without its function (translated for another
// state: paging, DS or SS) until it is hot again and translated anew,
// then with no assumption about DS and SS: a block that meets both kinds
// of segment is not translated over and over.
const GENERIC_SEGMENTS: u32 = 0x80000000; // in the slot's hit count
export function jitForget(slot: usize): void {
  store<u32>(slot, 0, 20);
  store<u32>(slot, GENERIC_SEGMENTS, 16);
}

// "force" on a page whose code was rewritten many times (its generation,
// mmu/codepages.ts: a loop patching its own instructions, a fuzzer filling
// the page with new code) translates one generation in FORCE_EVERY, and the
// others when they are hot as with "on": every generation cost a compile,
// ~7 ms for a page of 600 instructions, ten thousand times in one test.
const FORCE_EVERY: u32 = 64;
// @ts-ignore: decorator
@inline function rewrittenOften(generation: u32): bool {
  return generation >= FORCE_EVERY && generation % FORCE_EVERY != 0;
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
  assumeFlatSegments((load<u32>(slot, 16) & GENERIC_SEGMENTS) == 0);
  let budget = REGION_ENTRIES;
  collectRegion(slot, pageEip, budget);
  let len = translateRegion();
  while ((len == 0 || len > MODULE_BYTES) && regionSize() > 1) {
    budget >>= 1;
    collectRegion(slot, pageEip, budget);
    len = translateRegion();
  }
  if (len > MODULE_BYTES) len = 0;
  if (len == 0 || jitCompile(JIT_BUF, len, nextIndex, jitMode() == 1 ? 1 : 0) == 0) {
    store<u32>(slot, JIT_NEVER, 20);
    return 0;
  }
  const fn = nextIndex++;
  compiledBytes += len;
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
