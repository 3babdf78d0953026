// The differential test guests and how QEMU, the reference, boots each:
// images/test/NAME.elf as a Multiboot kernel with NAME as its command line,
// images/test/NAME.rom as firmware from the reset vector (-bios).
import { readdirSync } from "node:fs";

/** [{ name, kind: "elf" | "rom", file }] for every built test guest. */
export function testGuests(root = "") {
  return readdirSync(`${root}images/test`)
    .map((f) => /^(.*)\.(elf|rom)$/.exec(f))
    .filter(Boolean)
    .map(([file, name, kind]) => ({ name, kind, file: `images/test/${file}` }));
}

// -icount makes QEMU's clocks follow its instruction count, as wasm386's do
// in deterministic mode: timer interrupt counts then do not depend on how
// busy the host is. (-rtc clock=vm keeps the RTC on that clock too.)
export function qemuArgs(guest) {
  const boot = guest.kind === "rom" ? ["-bios", guest.file] : ["-kernel", guest.file, "-append", guest.name];
  return [...boot, "-m", "64", "-serial", "stdio", "-display", "none", "-monitor", "none", "-no-reboot",
    "-icount", "shift=4,sleep=off", "-rtc", "clock=vm",
    "-device", "isa-debug-exit,iobase=0xf4,iosize=4"];
}
