// Every form in the instruction table (isa/opcodes.mjs), built from the
// table's own notation and run in every tier: the plain interpreter, the
// decoded-block cache and the JIT translating every block. Each instance
// runs between a popf that sets random flags and an exit, with registers
// pointing into a data area; the three tiers must agree on everything
// (registers, flags, memory, how the run ended, instructions retired). In
// the interpreter each form is also checked against the table: a form that
// does not branch or fault ends where the table says its encoding ends, and
// LOCK is #UD exactly where the table does not allow it.
import { test } from "uvu";
import { spawnSync } from "node:child_process";
import * as assert from "uvu/assert";
import { Machine, Stop } from "../../host/machine.js";
import { coreModule } from "../helpers/machine.js";
import { CODE_AT } from "../helpers/code.js";
import { ONE_BYTE, TWO_BYTE } from "../../isa/opcodes.mjs";
import { takesModrm, immediateBytes, memberFor, tableProblems, operands } from "../../isa/forms.mjs";

type Row = (typeof ONE_BYTE)[number] & { members?: { reg: number; mn: string; ends?: string; lock?: string }[]; ends?: string; prefix?: boolean };

const DATA = 0x20000;
const STACK = 0x9000;
let seed = 0x2545f491;
const rand = (n: number) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };

interface Instance { name: string; bytes: number[]; length: number; branches: boolean; lockable: boolean | undefined }

/** Instances of every row: each opcode of a range (two of a long one), each
 *  group member and one reg field no member has, register and memory
 *  operands, 32- and 16-bit operand size. */
function instances(): Instance[] {
  const out: Instance[] = [];
  for (const [rows, two] of [[ONE_BYTE, false], [TWO_BYTE, true]] as [Row[], boolean][]) {
    for (const row of rows) {
      if (row.prefix || (!two && row.ops[0] === 0x0f)) continue;
      const ops = row.ops.length > 4 ? [row.ops[0], row.ops[1 + rand(row.ops.length - 1)]] : row.ops;
      const regs = row.members ? [...row.members.map((m: { reg: number }) => m.reg), ...[0, 1, 2, 3, 4, 5, 6, 7].filter((r) => !memberFor(row, r)).slice(0, 1)]
        : [rand(8)];
      const wide = /[vz]\b|eAX|[vz],|Zv/.test(row.mn);
      for (const op of ops) for (const reg of regs) for (const mem of takesModrm(row) ? [false, true] : [false])
        for (const opsize32 of wide ? [true, false] : [true]) {
          const member = row.members ? memberFor(row, reg) : undefined;
          const bytes = [...(opsize32 ? [] : [0x66]), ...(two ? [0x0f] : []), op];
          if (takesModrm(row)) {
            if (mem) bytes.push(0x05 | (reg << 3), ...le32(DATA + rand(0x100)));
            else bytes.push(0xc0 | (reg << 3) | rand(8));
          }
          const imm = immediateBytes(row, member, opsize32, true);
          const jump = operands(row.mn).some((o: string) => o.startsWith("J"));
          // A memory offset (Ob, Ov) points into the data area, as ModRM's does.
          if (operands(row.mn).some((o: string) => /^O[bv]$/.test(o))) bytes.push(...le32(DATA + rand(0x100)));
          else for (let i = 0; i < imm; i++) bytes.push(jump ? 0 : i === 0 ? 1 + rand(7) : rand(256));
          const ends = row.ends ?? member?.ends;
          const lockable = mem ? (row.members ? member?.lock === "mem" : row.lock === "mem") : undefined;
          out.push({
            name: `${two ? "0f " : ""}${op.toString(16).padStart(2, "0")}${takesModrm(row) ? ` /${reg}${mem ? " mem" : " reg"}` : ""}${opsize32 ? "" : " o16"} (${member ? `${row.mn.split(" ")[0]} ${member.mn}` : row.mn})`,
            bytes, length: bytes.length, branches: ends !== undefined, lockable,
          });
        }
    }
  }
  return out;
}

function le32(v: number): number[] { return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]; }

/** popf with random arithmetic flags (and DF), the instance, then out 0xf4, al. */
function program(inst: number[], flags: number): number[] {
  return [0x68, ...le32(0x2 | flags), 0x9d, ...inst, 0xe6, 0xf4];
}

const REGS = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"] as const;

function start(m: Machine, code: number[], data: Uint8Array): void {
  const ram = m.ram;
  ram.fill(0, STACK - 0x1000, STACK + 0x1000);
  ram.set(data, DATA);
  ram.fill(0x90, CODE_AT, CODE_AT + 64);
  ram.set(code, CODE_AT);
  m.invalidateCode();
  m.bootFlat(CODE_AT);
  REGS.forEach((r, i) => m.setRegister(r, r === "esp" ? STACK : r === "ecx" ? 3 : DATA + 0x100 + i * 0x40));
}

const tiers = { interp: { blockCache: false }, blocks: { jit: "off" as const }, jit: { jit: "force" as const } };
const machines: Record<string, Machine> = {};

test.before(async () => {
  for (const [k, o] of Object.entries(tiers)) machines[k] = await Machine.create({ wasm: coreModule(), memoryMiB: 2, ...o });
});

test("the table is consistent (no opcode in two rows, known properties) and the generated sources match it", () => {
  assert.equal([...tableProblems(ONE_BYTE, "one"), ...tableProblems(TWO_BYTE, "0F")], []);
  const r = spawnSync(process.execPath, ["scripts/gen-isa.js", "--check"], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
});

const all = instances();

test(`every form of the table (${all.length} instances) runs the same in the interpreter, the block cache and the JIT`, async () => {
  const mismatches: string[] = [];
  for (const inst of all) {
    const flags = rand(0x10000) & 0x8d5 | (rand(4) === 0 ? 0x400 : 0);
    const data = Uint8Array.from({ length: 0x400 }, () => rand(256));
    const code = program(inst.bytes, flags);
    const results: string[] = [];
    for (const k of Object.keys(tiers)) {
      const m = machines[k];
      start(m, code, data);
      const outcome = await m.runUntilDone({ maxInstructions: 64 });
      const r = m.registers();
      results.push(JSON.stringify({ outcome: outcome.reason === "shutdown" ? outcome.report : outcome, r, n: m.instructions,
        data: Buffer.from(m.ram.subarray(DATA, DATA + 0x400)).toString("base64"),
        stack: Buffer.from(m.ram.subarray(STACK - 0x100, STACK + 0x100)).toString("base64") }));
    }
    if (results[1] !== results[0] || results[2] !== results[0]) mismatches.push(`${inst.name}: ${inst.bytes.map((b) => b.toString(16)).join(" ")}`);
  }
  assert.equal(mismatches, [], `${mismatches.length} forms differ between tiers`);
});

test("in the interpreter, each form that neither branches nor faults ends where the table's encoding ends", async () => {
  const m = machines.interp;
  const wrong: string[] = [];
  let checked = 0;
  for (const inst of all) {
    if (inst.branches) continue;
    start(m, program(inst.bytes, 0), new Uint8Array(0x400));
    m.runSlice(2); // push, popf
    const stop = m.runSlice(1);
    const r = m.registers();
    if (stop !== Stop.Budget && stop !== Stop.Output) continue; // it faulted (no IDT: a triple fault), halted or exited
    checked++;
    if (r.eip !== CODE_AT + 6 + inst.length) wrong.push(`${inst.name}: ended at +${r.eip - CODE_AT - 6}, the table says ${inst.length}`);
  }
  assert.equal(wrong, []);
  assert.ok(checked > all.length / 3, `only ${checked} forms could be checked`);
  console.log(`  ${checked} of ${all.length} forms checked for length`);
});

test("LOCK is #UD exactly where the table does not allow it (memory forms)", async () => {
  const m = machines.interp;
  const wrong: string[] = [];
  for (const inst of all) {
    if (inst.lockable === undefined) continue;
    start(m, program([0xf0, ...inst.bytes], 0), new Uint8Array(0x400));
    const outcome = await m.runUntilDone({ maxInstructions: 4 });
    const ud = outcome.reason === "shutdown" && /exception chain: #6\b/.test(outcome.report);
    if (ud === inst.lockable) wrong.push(`${inst.name}: ${ud ? "#UD" : "no #UD"} under LOCK, the table says ${inst.lockable ? "lockable" : "not"}`);
  }
  assert.equal(wrong, []);
});

test.run();
