// Differential CPU tests: each guest in test/guest/ runs thousands of
// pseudo-random cases per instruction form and prints one CRC line per form.
// The transcript must equal QEMU's (test/guest/expected/, regenerated with
// `npm run expected`). On a mismatch, boot both with "verbose" on the
// command line to see every case.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { machineWithLog, root } from "../helpers/machine.js";
import { haveQemu, QEMU } from "../helpers/qemu.js";
import { testGuests, qemuArgs, type TestGuest } from "../../scripts/guests.js";

type Guest = TestGuest;
const guests: Guest[] = testGuests(root);

async function wasm386(guest: Guest): Promise<string> {
  const bytes = readFileSync(`${root}${guest.file}`);
  const boot = guest.kind === "rom" ? { bios: bytes }
    : { kernel: bytes, kernelName: guest.file, cmdline: guest.name };
  const { m, serial } = await machineWithLog({ ...boot, memoryMiB: 64 });
  const outcome = await m.runUntilDone({ maxInstructions: 2_000_000_000 });
  assert.equal(outcome, { reason: "exit", exitCode: 1 }, `${guest.name}: ${JSON.stringify(outcome)}`);
  return serial().replace(/\r\n/g, "\n");
}

function firstDifferences(got: string, want: string): string {
  const g = got.split("\n"), w = want.split("\n");
  const out: string[] = [];
  for (let i = 0; i < Math.max(g.length, w.length) && out.length < 12; i++) {
    if (g[i] !== w[i]) out.push(`  wasm386: ${g[i] ?? "(none)"}\n  qemu:    ${w[i] ?? "(none)"}`);
  }
  return out.join("\n");
}

test("every test guest has a stored QEMU transcript", () => {
  assert.ok(guests.length >= 8, `only ${guests.length} guests in images/test`);
  const missing = guests.filter((g) => !existsSync(`${root}test/guest/expected/${g.name}.txt`)).map((g) => g.name);
  assert.equal(missing, [], "run npm run expected");
});

for (const guest of guests) {
  const { name } = guest;
  test(`${name}: same results as QEMU`, async () => {
    const want = readFileSync(`${root}test/guest/expected/${name}.txt`, "latin1");
    const got = await wasm386(guest);
    if (got !== want) assert.unreachable(`${name} differs from QEMU:\n${firstDifferences(got, want)}`);
  });
}

const qemuTest = haveQemu ? test : test.skip;
if (!haveQemu) console.log("skipping: re-checking the stored QEMU transcripts needs qemu-system-i386");
qemuTest("the stored transcripts are what QEMU prints today", () => {
  for (const guest of guests) {
    const r = spawnSync(QEMU, qemuArgs(guest), { cwd: root, encoding: "latin1", timeout: 300_000 });
    const want = readFileSync(`${root}test/guest/expected/${guest.name}.txt`, "latin1");
    assert.is(r.stdout.replace(/\r\n/g, "\n"), want, `${guest.name}: run npm run expected`);
  }
});

test.run();
