#!/usr/bin/env node
// Regenerates test/guest/expected/NAME.txt by running each test guest under
// QEMU, the reference for the differential CPU tests:
//
//   qemu-system-i386 -kernel images/test/NAME.elf -append NAME   (or -bios images/test/NAME.rom)
//     -m 64 -serial stdio -display none -monitor none -no-reboot
//     -icount shift=4,sleep=off -rtc clock=vm -device isa-debug-exit,iobase=0xf4,iosize=4
//
//   npm run expected [-- NAME...]
import { spawnSync } from "node:child_process";
import { writeFileSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { testGuests, qemuArgs } from "./guests.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

const wanted = process.argv.slice(2);
const guests = testGuests().filter((g) => wanted.length === 0 || wanted.includes(g.name));
mkdirSync("test/guest/expected", { recursive: true });
let failed = false;
for (const guest of guests) {
  const { name } = guest;
  const r = spawnSync("qemu-system-i386", qemuArgs(guest), { encoding: "latin1", timeout: 300_000 });
  if (r.error) { console.error(`expected: ${r.error.message}`); process.exit(2); }
  // The guest exits with status 0 through the port: QEMU reports (0 << 1) | 1.
  if (r.status !== 1) { console.error(`expected: ${name}: qemu exited ${r.status}: ${r.stderr}`); failed = true; continue; }
  writeFileSync(`test/guest/expected/${name}.txt`, r.stdout.replace(/\r\n/g, "\n"));
  console.log(`expected: wrote test/guest/expected/${name}.txt (${r.stdout.split("\n").length - 1} lines)`);
}
if (failed) process.exit(1);
