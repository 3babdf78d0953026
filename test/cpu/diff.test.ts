// Differential CPU tests: each guest in test/guest/ runs thousands of
// pseudo-random cases per instruction form and prints one CRC line per form.
// The transcript must equal QEMU's (test/guest/expected/, regenerated with
// `npm run expected`). On a mismatch, boot both with "verbose" on the
// command line to see every case.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { machineWithLog, image, root } from "../helpers/machine.js";
import { haveQemu, QEMU } from "../helpers/qemu.js";

const names = readdirSync(`${root}test/guest/expected`).filter((f) => f.endsWith(".txt")).map((f) => f.slice(0, -4));

async function wasm386(name: string): Promise<string> {
  const { m, serial } = await machineWithLog({
    kernel: image(`test/${name}.elf`), kernelName: `images/test/${name}.elf`, cmdline: name, memoryMiB: 64,
  });
  const outcome = await m.runUntilDone({ maxInstructions: 2_000_000_000 });
  assert.equal(outcome, { reason: "exit", exitCode: 1 }, `${name}: ${JSON.stringify(outcome)}`);
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

for (const name of names) {
  test(`${name}: same results as QEMU`, async () => {
    const want = readFileSync(`${root}test/guest/expected/${name}.txt`, "latin1");
    const got = await wasm386(name);
    if (got !== want) assert.unreachable(`${name} differs from QEMU:\n${firstDifferences(got, want)}`);
  });
}

const qemuTest = haveQemu ? test : test.skip;
if (!haveQemu) console.log("skipping: re-checking the stored QEMU transcripts needs qemu-system-i386");
qemuTest("the stored transcripts are what QEMU prints today", () => {
  for (const name of names) {
    const r = spawnSync(QEMU, ["-kernel", `images/test/${name}.elf`, "-append", name, "-m", "64", "-serial", "stdio",
      "-display", "none", "-monitor", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=4"],
    { cwd: root, encoding: "latin1", timeout: 300_000 });
    const want = readFileSync(`${root}test/guest/expected/${name}.txt`, "latin1");
    assert.is(r.stdout.replace(/\r\n/g, "\n"), want, `${name}: run npm run expected`);
  }
});

test.run();
