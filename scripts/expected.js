#!/usr/bin/env node
// Regenerates test/guest/expected/NAME.txt by running images/test/NAME.elf
// under QEMU, the reference for the differential CPU tests:
//
//   qemu-system-i386 -kernel images/test/NAME.elf -append NAME -m 64 \
//     -serial stdio -display none -monitor none -no-reboot \
//     -device isa-debug-exit,iobase=0xf4,iosize=4
//
//   npm run expected [-- NAME...]
import { spawnSync } from "node:child_process";
import { readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

export function qemuArgs(name, extra = "") {
  return ["-kernel", `images/test/${name}.elf`, "-append", `${name}${extra ? " " + extra : ""}`, "-m", "64",
    "-serial", "stdio", "-display", "none", "-monitor", "none", "-no-reboot",
    "-device", "isa-debug-exit,iobase=0xf4,iosize=4"];
}

const wanted = process.argv.slice(2);
const names = readdirSync("images/test").filter((f) => f.endsWith(".elf")).map((f) => f.slice(0, -4))
  .filter((n) => wanted.length === 0 || wanted.includes(n));
mkdirSync("test/guest/expected", { recursive: true });
let failed = false;
for (const name of names) {
  const r = spawnSync("qemu-system-i386", qemuArgs(name), { encoding: "latin1", timeout: 300_000 });
  if (r.error) { console.error(`expected: ${r.error.message}`); process.exit(2); }
  // The guest exits with status 0 through the port: QEMU reports (0 << 1) | 1.
  if (r.status !== 1) { console.error(`expected: ${name}: qemu exited ${r.status}: ${r.stderr}`); failed = true; continue; }
  writeFileSync(`test/guest/expected/${name}.txt`, r.stdout.replace(/\r\n/g, "\n"));
  console.log(`expected: wrote test/guest/expected/${name}.txt (${r.stdout.split("\n").length - 1} lines)`);
}
if (failed) process.exit(1);
