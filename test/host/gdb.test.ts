// The GDB remote stub (--gdb PORT), with Debian's gdb in batch mode against
// images/kernel.elf: a hardware breakpoint on kmain, registers, memory,
// stepi, a software breakpoint on printk with a backtrace, a write
// watchpoint on the timer's tick counter, kill.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { hasCommand, root } from "../helpers/machine.js";

const haveGdb = hasCommand("gdb");
if (!haveGdb) console.log("skipping: the GDB stub test needs Debian's gdb");
const gdbTest = haveGdb ? test : test.skip;

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

gdbTest("gdb attaches, breaks, reads registers and memory, steps, watches and kills", async () => {
  const port = await freePort();
  const emu = spawn(process.execPath, [`${root}dist/wasm386.js`, "--no-disk", "--clock", "deterministic", "--gdb", String(port)],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let emuErr = "";
  emu.stderr.on("data", (d) => { emuErr += d; });
  await new Promise<void>((resolve) => { const check = () => (emuErr.includes("waiting for GDB") ? resolve() : setTimeout(check, 50)); check(); });
  const g = spawnSync("gdb", ["-batch", "-nx",
    "-ex", `target remote 127.0.0.1:${port}`,
    "-ex", "hbreak kmain", "-ex", "continue",
    "-ex", "info registers eip", "-ex", "x/2xw $esp",
    "-ex", "stepi", "-ex", "info registers eip",
    "-ex", "break printk", "-ex", "continue", "-ex", "bt",
    "-ex", "delete", "-ex", "watch *(int *)&ticks", "-ex", "continue", "-ex", "print *(int *)&ticks",
    "-ex", "delete", "-ex", "kill",
    "images/kernel.elf"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  const out = g.stdout + g.stderr;
  const code = await new Promise<number | null>((resolve) => { emu.on("exit", resolve); setTimeout(() => { emu.kill(); resolve(null); }, 10_000); });
  assert.match(out, /Breakpoint 1, 0xc010[0-9a-f]{4} in kmain \(\)/);
  assert.match(out, /eip +0xc010[0-9a-f]{4} +0xc010[0-9a-f]{4} <kmain>\n/);
  assert.match(out, /0xc011[0-9a-f]{4}:\t0x[0-9a-f]{8}\t0x2badb002\n/, "kmain's first argument: the Multiboot magic");
  assert.match(out, /eip +0xc010[0-9a-f]{4} +0xc010[0-9a-f]{4} <kmain\+1>\n/);
  assert.match(out, /Breakpoint 2, 0xc010[0-9a-f]{4} in printk \(\)\n#0  0xc010[0-9a-f]{4} in printk \(\)\n#1  0xc010[0-9a-f]{4} in kmain \(\)/);
  assert.match(out, /Hardware watchpoint 3: \*\(int \*\)&ticks\n\nOld value = 0\nNew value = 1\n/);
  assert.match(out, /\$1 = 1\n/);
  assert.match(out, /\[Inferior 1 \(Remote target\) killed\]/);
  assert.is(code, 0, emuErr);
});

test.run();
