// Compiled translated modules, shared by every machine in the process and
// looked up by their bytes. The core writes the same module for the same
// guest code at the same place (a module names guest addresses and the
// core's own layout, nothing about the machine instance), so a machine that
// is reset and boots its kernel again, or the next machine an embedder (or a
// test file) creates for the same guest, links the module compiled the first
// time instead of compiling it again.
//
// Bounded by the bytes of the modules it holds; the least recently used go
// first. A hit compares the whole byte string, never the hash alone.

/** What the cache may hold: the sum of the modules' Wasm bytes. Compiled
 *  code is a few times larger than its bytes. */
export const JIT_CACHE_BYTES = 8 << 20;

interface Entry { bytes: Uint8Array; module: WebAssembly.Module }

const entries = new Map<number, Entry[]>();
/** Hashes in the order they were last used, oldest first (Map keeps insertion order). */
const order = new Map<number, true>();
let held = 0;
let hits = 0;

// Over 32-bit words where the bytes are aligned (they are: a copy the
// host made), so that a process that never hits pays little for looking.
function hash(bytes: Uint8Array): number {
  let h = 0x811c9dc5 ^ bytes.length;
  const words = bytes.byteOffset % 4 === 0 ? bytes.length >>> 2 : 0;
  const w = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
  for (let i = 0; i < words; i++) h = Math.imul(h ^ w[i], 0x01000193) ^ (h >>> 15);
  for (let i = words * 4; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const n = a.length >>> 2;
    const wa = new Uint32Array(a.buffer, a.byteOffset, n), wb = new Uint32Array(b.buffer, b.byteOffset, n);
    for (; i < n; i++) if (wa[i] !== wb[i]) return false;
    i = n * 4;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function touch(h: number): void {
  order.delete(h);
  order.set(h, true);
}

/** A module's bytes (which the caller no longer changes) with their hash,
 *  computed once for the lookup and the keeping that may follow it. */
export interface ModuleKey { bytes: Uint8Array; hash: number }

export function moduleKey(bytes: Uint8Array): ModuleKey { return { bytes, hash: hash(bytes) }; }

/** The module compiled earlier from these exact bytes, if it is still held. */
export function cachedModule({ bytes, hash: h }: ModuleKey): WebAssembly.Module | undefined {
  const found = entries.get(h)?.find((e) => same(e.bytes, bytes));
  if (found) { touch(h); hits++; }
  return found?.module;
}

/** Keeps a module compiled from these bytes. */
export function keepModule({ bytes, hash: h }: ModuleKey, module: WebAssembly.Module): void {
  if (bytes.length > JIT_CACHE_BYTES) return;
  const list = entries.get(h) ?? [];
  if (list.some((e) => same(e.bytes, bytes))) return;
  list.push({ bytes, module });
  entries.set(h, list);
  held += bytes.length;
  touch(h);
  for (const oldest of order.keys()) {
    if (held <= JIT_CACHE_BYTES) break;
    for (const e of entries.get(oldest) ?? []) held -= e.bytes.length;
    entries.delete(oldest);
    order.delete(oldest);
  }
}

/** What the cache holds now (for tests). */
export function jitCacheStats(): { modules: number; bytes: number; largest: number; hits: number } {
  let modules = 0, largest = 0;
  for (const list of entries.values()) {
    modules += list.length;
    for (const e of list) largest = Math.max(largest, e.bytes.length);
  }
  return { modules, bytes: held, largest, hits };
}

/** Forgets every module (for tests that measure compiles). */
export function clearJitCache(): void {
  entries.clear();
  order.clear();
  held = 0;
  hits = 0;
}
