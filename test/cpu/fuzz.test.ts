// CPU fuzzing: random instruction streams (test/guest/fuzz/cpufuzz.c),
// seeded and reproducible. In ring 3 (confined to a 64 KiB segment, every
// vector caught, a timer ending loops) the harness must survive and keep
// counting blocks; in ring 0 the random code may wreck the machine, and the
// host must still end every run cleanly within its budget. Over 10 million
// instructions a run. A seed that ever breaks the host goes in REGRESSIONS.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { image, machineWithLog } from "../helpers/machine.js";

const REGRESSIONS: number[] = []; // seeds that once failed, run first
const RING3_SEEDS = [...REGRESSIONS, 1, 2, 3, 4, 5];
const RING0_SEEDS = [...REGRESSIONS, ...Array.from({ length: 20 }, (_, i) => i + 1)];
let total = 0;

async function fuzz(seed: number, ring: number, budget: number) {
  const { m, serial } = await machineWithLog({
    kernel: image("test/fuzz/cpufuzz.elf"), kernelName: "cpufuzz", cmdline: `seed=${seed} ring=${ring}`,
    memoryMiB: 16, onReset: "exit",
  });
  let outcome;
  try {
    outcome = await m.runUntilDone({ maxInstructions: budget });
  } catch (e) {
    throw new Error(`seed ${seed} ring ${ring}: the host threw: ${(e as Error).stack}`);
  }
  total += m.instructions;
  const r = m.registers();
  assert.ok(r.cpl <= 3 && r.eip >>> 0 === r.eip, `seed ${seed}: registers ${JSON.stringify(r)}`);
  if (outcome.reason === "shutdown") assert.match(m.shutdownReport(), /triple fault/);
  return { outcome, serial: serial() };
}

test("ring 3: random code faults, traps and loops; the harness counts every block", async () => {
  for (const seed of RING3_SEEDS) {
    const { outcome, serial } = await fuzz(seed, 3, 2_500_000);
    assert.is(outcome.reason, "limit", `seed ${seed}: ring 3 code ended the machine: ${JSON.stringify(outcome)}\n${serial}`);
    assert.match(serial, new RegExp(`^cpufuzz seed ${seed} ring 3\\r?\\nblocks 100: `), `seed ${seed}`);
    const last = [...serial.matchAll(/blocks (\d+):/g)].pop();
    assert.ok(last && Number(last[1]) >= 100, `seed ${seed}: ${last?.[1]} blocks`);
  }
});

test("ring 0: whatever the random code does, each run ends within its budget", async () => {
  const reasons: Record<string, number> = {};
  for (const seed of RING0_SEEDS) {
    const { outcome } = await fuzz(seed, 0, 300_000);
    reasons[outcome.reason] = (reasons[outcome.reason] ?? 0) + 1;
    assert.ok(["limit", "halted", "shutdown", "reset", "idle", "exit"].includes(outcome.reason), JSON.stringify(outcome));
  }
  console.log(`  ring 0 outcomes: ${JSON.stringify(reasons)}`);
});

test("over 10 million instructions fuzzed", () => {
  assert.ok(total >= 10_000_000, `${total} instructions`);
  console.log(`  ${(total / 1e6).toFixed(1)} M instructions fuzzed`);
});

test.run();
