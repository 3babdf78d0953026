// The x87 FPU in the teaching kernel's processes: the kernel hands the FPU
// from process to process lazily (#NM after a switch), so each process sees
// only its own registers and control word; an unmasked exception (#MF) kills
// the process with SIGFPE; the libc's printf prints doubles as glibc does.
// The session is run under qemu-system-i386 too and must print the same.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { wasmSession, qemuSession, lines, outputOf } from "../helpers/session.js";
import { haveQemu } from "../helpers/qemu.js";
import { hasCommand, root } from "../helpers/machine.js";

const TERMS = 200000;
const script = lines("fpstate", "fpstate fork", "fpstate exec", "fpstate race 100", "fault_fpdiv0", "echo $?", "fpstate",
  `fpseries ${TERMS}`, "floatfmt", "poweroff");

let transcript = "";
test.before(async () => {
  ({ serial: transcript } = await wasmSession(script, { cmdline: "nomodules" }));
});

const after = (cmd: string) => outputOf(transcript, cmd).replace(/\r\n/g, "\n");

const hex = (v: number) => {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, v);
  return b.getBigUint64(0).toString(16).padStart(16, "0");
};

/** What fpseries must print, computed here with JavaScript's doubles: the
 *  child's Leibniz series at 53 bits is plain double arithmetic; the
 *  parent's sum at 24 bits is Math.fround of each double result, which is
 *  the x87's one rounding to 24 bits (the operands are floats and
 *  53 >= 2 * 24 + 2, so rounding to double first changes nothing; k * k is
 *  exact in a double). */
function series(n: number): Map<string, number> {
  const step = Math.max(1, Math.floor(n / 4));
  const out = new Map<string, number>();
  let s = 0;
  for (let k = 0; k < n;) {
    for (const end = k + step; k < end && k < n; k++) {
      const t = 1 / (2 * k + 1);
      s += k & 1 ? -t : t;
    }
    out.set(`pi ${k}`, 4 * s);
  }
  let z = 0;
  for (let i = 0; i < n;) {
    for (const end = i + step; i < end && i < n; i++) {
      const k = n - i;
      z = Math.fround(z + Math.fround(1 / Math.fround(k * k)));
    }
    out.set(`zeta2 ${i}`, z);
  }
  return out;
}

test("two processes computing at once, switched by the timer, get exactly the sums computed here", () => {
  const got = after(`fpseries ${TERMS}`).trim().split("\n");
  const expected = series(TERMS);
  assert.is(got.pop(), "child: done");
  assert.is(got.length, expected.size, got.join("\n"));
  for (const line of got) {
    const [name, terms, text, bits] = line.split(" ");
    const v = expected.get(`${name} ${terms}`);
    assert.ok(v !== undefined, line);
    assert.is(bits, hex(v!), line);
    assert.is(Number(text), v, `${line}: %.17g reads back as the double`);
  }
  // they ran at the same time: each printed between the other's lines
  const at = (re: RegExp) => got.map((l, i) => (re.test(l) ? i : -1)).filter((i) => i >= 0);
  const pi = at(/^pi /), zeta = at(/^zeta2 /);
  assert.ok(pi[0] < zeta[zeta.length - 1] && zeta[0] < pi[pi.length - 1], got.join("\n"));
});

/** A parent's and its child's output lines, each process's in its order;
 *  a line that is neither's fails the comparison. */
const byProcess = (out: string) => {
  const lines = out.split("\n").filter((l) => l !== "");
  const parent = lines.filter((l) => l.startsWith("parent: ")), child = lines.filter((l) => l.startsWith("child: "));
  return parent.length + child.length === lines.length ? { parent, child } : { lines };
};

test("a new program starts from fninit's state; fork copies the FPU, exec resets it", () => {
  assert.is(after("fpstate"), "cw 037f sw 0000 tag ffff\n");
  // pi rounded toward zero to 64 bits ends in ...c234 (to nearest, ...c235)
  // (each process's lines in order; which process prints first is the scheduler's choice)
  assert.equal(byProcess(after("fpstate fork")), {
    parent: ["parent: st0 4000 c90fdaa22168c234", "parent: cw 0e7f sw 0000 tag ffff"],
    child: ["child: st0 4000 c90fdaa22168c234", "child: cw 0e7f sw 0000 tag ffff"] });
  assert.is(after("fpstate exec"), "before exec: cw 0e7f sw 0000 tag ffff\ncw 037f sw 0000 tag ffff\n");
});

test("two processes holding different FPU state across 100 switches each keep their own", () => {
  // 1/10 to nearest ends in ...9a, toward zero in ...99; the tag words are
  // the parent's four values (a zero on top) and the child's three
  assert.equal(byProcess(after("fpstate race 100")), {
    parent: ["parent: 100 rounds, state changed in 0, 1/10 = 3fb999999999999a, cw 037f tag 01ff"],
    child: ["child: 100 rounds, state changed in 0, 1/10 = 3fb9999999999999, cw 0e7f tag 03ff"] });
});

test("an unmasked divide by zero is SIGFPE, reported like the other faults; the kernel carries on", () => {
  assert.match(after("fault_fpdiv0"),
    /^masked: 1\/0 = inf\nfault_fpdiv0\[\d+\]: Floating point exception \(x87 divide by zero\) at eip 8048[0-9a-f]{3}\n$/);
  assert.is(after("echo $?"), "136\n");
  assert.match(transcript, /\$ fault_fpdiv0\r\n[^]*?\$ echo \$\?\r\n136\r\nwasm386:\/\$ fpstate\r\ncw 037f sw 0000 tag ffff\r\n/);
  assert.match(transcript, /reboot: power down\r\n$/);
});

// test/kernel/expected/floatfmt.txt is the host's output for the same
// program: `gcc -O2 -o /tmp/floatfmt kernel/user/floatfmt.c && /tmp/floatfmt`
// with glibc 2.36 on x86-64. One line differs on purpose: with '#', %g keeps
// its trailing zeros (C11 7.21.6.1), which glibc 2.36 drops when rounding
// carries into a new exponent (Python's '%#g' % 999999.5 gives 1.00000e+06).
const GLIBC_DIFFERS: Record<string, string> = {
  "999999.5 %#g [1.e+06]": "999999.5 %#g [1.00000e+06]",
};

test("printf's %f %e %g with flags, widths and precisions, and strtod, print what the host's C library does", () => {
  const expected = readFileSync(`${root}test/kernel/expected/floatfmt.txt`, "utf8").split("\n")
    .map((l) => GLIBC_DIFFERS[l] ?? l);
  const got = after("floatfmt").split("\n");
  assert.is(got.length, expected.length);
  const wrong = got.map((l, i) => [l, expected[i]]).filter(([g, e]) => g !== e);
  assert.equal(wrong, [], wrong.slice(0, 20).map(([g, e]) => `got      ${g}\nexpected ${e}`).join("\n"));
});

const objdumpTest = hasCommand("objdump") ? test : test.skip;
objdumpTest("the kernel's only FPU instructions are fpu.c's, which move user state", () => {
  const dis = execFileSync("objdump", ["-d", "--no-show-raw-insn", `${root}images/kernel.elf`], { encoding: "utf8", maxBuffer: 64 << 20 });
  const found = new Map<string, Set<string>>();
  let fn = "";
  for (const line of dis.split("\n")) {
    const head = /^[0-9a-f]+ <([^>]+)>:$/.exec(line);
    if (head) fn = head[1];
    const insn = /^\s*[0-9a-f]+:\s+(f[a-z0-9]*)\b/.exec(line);
    if (insn) found.set(fn, (found.get(fn) ?? new Set()).add(insn[1]));
  }
  const where = [...found].map(([f, s]) => `${f}: ${[...s].sort().join(" ")}`).sort();
  assert.ok(where.length > 0, "fpu.c's instructions are there");
  assert.equal(where.filter((w) => !w.startsWith("fpu_")), [], where.join("\n"));
});

const qemuTest = haveQemu ? test : test.skip;
if (!haveQemu) console.log("skipping: the QEMU comparison needs qemu-system-i386");
qemuTest("the same session under qemu-system-i386 prints the same", async () => {
  const q = await qemuSession(script, { cmdline: "nomodules" });
  // Parent and child print in whatever order the timer let them; the
  // lines themselves must be the same.
  const sorted = (t: string) => t.split("\r\n").sort().join("\n");
  for (const cmd of ["fpstate fork", "fpstate race 100", `fpseries ${TERMS}`])
    assert.is(sorted(outputOf(q.serial, cmd)), sorted(outputOf(transcript, cmd)), cmd);
  for (const cmd of ["fpstate", "fpstate exec", "fault_fpdiv0", "echo $?", "floatfmt"])
    assert.is(outputOf(q.serial, cmd), outputOf(transcript, cmd), cmd);
});

test.run();
