// The benchmark workloads: a guest image each, and its checksum computed
// here independently of any emulator, so that a fast wrong answer fails.
export interface Workload {
  name: string;
  image: string; // under images/
  what: string;
  expected: () => string;
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
];
