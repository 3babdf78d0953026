// The benchmark workloads. Each is a Multiboot guest under images/bench/
// that prints a checksum; the runner verifies it, so a fast wrong answer
// fails. The C workloads (bench/guests/c/) also run natively as the
// physical reference, and the native run's checksum is the expected one;
// intloop's checksum is computed here.
export interface Workload {
  name: string;
  image: string; // under images/
  what: string;
  /** C source under bench/guests/c/, for the native reference. */
  c?: string;
  /** The checksum, when it is not the native run's. */
  expected?: () => string;
  /** Runs as /init of the teaching kernel (image is then its kernel). */
  init?: string;
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, "0");

export const workloads: Workload[] = [
  {
    name: "intloop",
    image: "bench/intloop.elf",
    what: "register-only integer loop (add/xor/dec/jnz)",
    expected: () => {
      let eax = 0x9e3779b9, ebx = 1, edx = 0;
      for (let i = 0; i < 40_000_000; i++) {
        ebx = (ebx + eax) >>> 0;
        edx = (edx ^ ebx) >>> 0;
        eax = (eax + 0x3c6ef372) >>> 0;
      }
      return hex8(edx);
    },
  },
  { name: "intmix", image: "bench/intmix.elf", c: "intmix.c", what: "xorshift, FNV-1a and CRC-32" },
  { name: "memory", image: "bench/memory.elf", c: "memory.c", what: "random table updates, rep movs/stos blocks" },
  { name: "calls", image: "bench/calls.elf", c: "calls.c", what: "recursion: Fibonacci and Ackermann" },
  { name: "sort", image: "bench/sort.elf", c: "sort.c", what: "quicksort of 200k keys, three times" },
  { name: "strings", image: "bench/strings.elf", c: "strings.c", what: "strlen, character counts, substring search" },
  {
    name: "getpid", image: "kernel.elf", init: "/bin/bench_getpid", what: "a million getpid system calls (ring 3 -> 0 -> 3)",
    expected: () => { let s = 0; for (let i = 0; i < 1_000_000; i++) s = (Math.imul(s, 31) + 1) >>> 0; return hex8(s); },
  },
  {
    name: "pagefault", image: "kernel.elf", init: "/bin/bench_pages", what: "16 MiB mapped and touched, 4 times: a fault per page",
    expected: () => { let s = 0; for (let r = 0; r < 4; r++) for (let p = 0; p < 4096; p++) s = (s + (p & 0xff)) >>> 0; return hex8(s); },
  },
  {
    name: "fork", image: "kernel.elf", init: "/bin/bench_fork", what: "fork, exec /bin/true, wait: 300 times",
    expected: () => { let s = 0; for (let i = 0; i < 300; i++) s = (Math.imul(s, 3) + 1) >>> 0; return hex8(s); },
  },
  { name: "embedded", image: "bench/embedded.elf", c: "embedded.c", what: "8/16-bit data: linked list, int16 matrices, a token state machine, CRC-16" },
  { name: "fptr", image: "bench/fptr.elf", c: "fptr.c", what: "indirect calls: an operation table, method tables, sort callbacks, tree visitors" },
  { name: "bytecode", image: "bench/bytecode.elf", c: "bytecode.c", what: "a stack-machine interpreter (switch dispatch): sieve, hash, fib, gcd, Collatz" },
  { name: "mixedstr", image: "bench/mixedstr.elf", c: "mixedstr.c", what: "libc-style word-at-a-time memcpy/memset/memcmp/strlen/strchr/strcmp, unaligned" },
  { name: "float", image: "bench/float.elf", c: "float.c", what: "x87 doubles: n-body, a matrix product, Mandelbrot, int/double conversions" },
  {
    name: "pagetable", image: "bench/pagetable.elf", what: "ring 0 paging: three CR3s, map/unmap/share with INVLPG, A/D-bit scans",
    expected: () => pagetableExpected(),
  },
];

// pagetable's checksum: bench/guests/c/pagetable.c's steps simulated on a
// model of its memory (frame contents, each space's mappings, the accessed
// and dirty bits each mapping has gained since its last scan). The guest
// computes the same from real page tables; keep the two in step.
function pagetableExpected(): string {
  const NSPACE = 3, SLOTS = 512, REGIONS = 16, REGION_PAGES = 128, VFIRST = 0x40000, VPAGES = 0x80000;
  const FRAME0 = 4096, FRAMES = 8192, NPT = 160, SLICES = 24000, STEPS = 48;
  let seed = 0x6c078965;
  const next = () => { let x = seed; x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (seed = x >>> 0); };
  const mix = (sum: number, v: number) => Math.imul(sum ^ v, 0x01000193) >>> 0;
  const freeFrames: number[] = [];
  for (let f = 0; f < FRAMES; f++) freeFrames.push(FRAME0 + FRAMES - 1 - f);
  const refs = new Map<number, number>();
  const frames = new Map<number, Uint32Array>(); // contents by frame
  // Per space: the pages mapped; per slot: page (0 = empty), frame, A/D bits.
  const pages = Array.from({ length: NSPACE }, () => new Set<number>());
  const tables = Array.from({ length: NSPACE }, () => new Map<number, number>()); // directory index -> pages mapped
  const slotPage = Array.from({ length: NSPACE }, () => new Uint32Array(SLOTS));
  const slotFrame = Array.from({ length: NSPACE }, () => new Uint32Array(SLOTS));
  const slotBits = Array.from({ length: NSPACE }, () => new Uint8Array(SLOTS)); // 1 accessed, 2 dirty
  const regionBase = Array.from({ length: NSPACE }, () => Array.from({ length: REGIONS }, () => 0));
  for (let s = 0; s < NSPACE; s++) for (let k = 0; k < REGIONS; k++) regionBase[s][k] = VFIRST + next() % (VPAGES - REGION_PAGES);
  const pick = (s: number) => {
    const r = next();
    const page = regionBase[s][r & (REGIONS - 1)] + ((r >>> 4) & (REGION_PAGES - 1));
    return pages[s].has(page) ? 0 : page;
  };
  const map = (s: number, slot: number, page: number, frame: number) => {
    pages[s].add(page);
    tables[s].set(page >>> 10, (tables[s].get(page >>> 10) ?? 0) + 1);
    slotPage[s][slot] = page; slotFrame[s][slot] = frame; slotBits[s][slot] = 0;
    refs.set(frame, (refs.get(frame) ?? 0) + 1);
  };
  let sum = 0;
  for (let slice = 0; slice < SLICES; slice++) {
    const s = next() % NSPACE; // the slice's space (CR3)
    for (let step = 0; step < STEPS; step++) {
      const r = next();
      const kind = r & 15, slot = (r >>> 4) & (SLOTS - 1);
      const page = slotPage[s][slot];
      if (kind < 9) {
        if (!page) continue;
        const mem = frames.get(slotFrame[s][slot])!, w = ((r >>> 13) & 0xffc) >>> 2;
        if (kind & 1) { mem[w] = (Math.imul(mem[w], 3) + (r >>> 8)) >>> 0; slotBits[s][slot] |= 3; }
        else { sum = mix(sum, mem[w]); slotBits[s][slot] |= 1; }
      } else if (kind < 11) {
        if (!page) continue;
        pages[s].delete(page);
        const n = tables[s].get(page >>> 10)! - 1;
        if (n) tables[s].set(page >>> 10, n); else tables[s].delete(page >>> 10);
        const f = slotFrame[s][slot], left = refs.get(f)! - 1;
        refs.set(f, left);
        if (!left) freeFrames.push(f);
        slotPage[s][slot] = 0;
      } else if (kind < 14) {
        if (page) continue;
        const p = pick(s);
        if (!p) continue;
        const f = freeFrames.pop()!;
        frames.set(f, new Uint32Array(1024));
        map(s, slot, p, f);
        frames.get(f)![0] = (p ^ (slot << 20)) >>> 0;
        slotBits[s][slot] = 3;
        sum = (sum + 1) >>> 0;
      } else if (kind === 14) {
        const t = (s + 1 + ((r >>> 12) & 1)) % NSPACE;
        if (!page || slotPage[t][slot]) continue;
        const p = pick(t);
        if (!p) continue;
        map(t, slot, p, slotFrame[s][slot]);
      } else {
        let accessed = 0, dirty = 0;
        for (let k = 0; k < 32; k++) {
          const sl = (slot + k) & (SLOTS - 1);
          if (!slotPage[s][sl]) continue;
          accessed += slotBits[s][sl] & 1;
          dirty += slotBits[s][sl] >> 1;
          slotBits[s][sl] = 0;
        }
        sum = mix(sum, accessed | (dirty << 8));
      }
    }
  }
  for (let s = 0; s < NSPACE; s++)
    for (let slot = 0; slot < SLOTS; slot++)
      if (slotPage[s][slot]) { const mem = frames.get(slotFrame[s][slot])!; sum = mix(sum, (mem[0] + mem[1023]) >>> 0); }
  const tablesUsed = tables.reduce((n, t) => n + t.size, 0);
  return hex8(sum + freeFrames.length + (NPT - tablesUsed) * 7);
}
