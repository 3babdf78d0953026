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
];
