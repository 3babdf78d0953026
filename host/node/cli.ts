// wasm386 on the command line: boots a Multiboot kernel with the serial
// port on the terminal.
import { parseArgs } from "node:util";
import { readFileSync, writeFileSync, openSync, writeSync, closeSync } from "node:fs";
import { basename } from "node:path";
import { Machine, UserError, DEFAULT_MEMORY_MIB, TRACE_KINDS, type RunOutcome, type TraceEvent, type TraceKind } from "../machine.js";
import { attachTerminal } from "./terminal.js";
import { fileDisk } from "./disk.js";
import { memoryDisk } from "../disk.js";
import { decodeState } from "../state.js";
import { serveGdb } from "./gdb-server.js";
import { Monitor } from "../monitor.js";
import { ConsoleMux } from "./console-mux.js";
import { dirShare } from "./share-dir.js";
import { packageFile } from "./paths.js";

const HELP = `usage: wasm386 [KERNEL] [options]

Boots a Multiboot 1 kernel (ELF32 i386) or a Linux bzImage (the boot
protocol 2.06 and later, 32-bit entry) with COM1 on this terminal.
Without KERNEL it boots the bundled teaching kernel and its initrd (images/),
with images/disk.img as a snapshot disk unless --disk is given.

options:
  --bios FILE             boot a firmware ROM from the reset vector instead
                          (real mode at F000:FFF0; as QEMU's -bios)
  --initrd FILE           pass FILE as Multiboot module 0 (a bzImage's initrd)
  --append CMDLINE        kernel command line (after a Multiboot kernel's name)
  --disk FILE             attach FILE (raw image, whole 512-byte sectors) as
                          the primary master ATA disk; guest writes go to it
  --snapshot              keep the disk's writes in memory: FILE is never changed
  --no-disk               no disk (the bundled kernel otherwise gets images/disk.img)
  --share DIR[,ro]        share the host directory DIR with the guest (the
                          bundled kernel mounts it on /host); ",ro" or
                          --share-ro DIR: the guest cannot change it
  --mem MB                guest RAM in MiB (default ${DEFAULT_MEMORY_MIB})
  --max-instructions N    stop after N guest instructions
  --clock MODE            realtime (default): guest time follows the host's
                          clock; deterministic: time is the instruction
                          count, and the same input gives the same run
  --no-reboot             end the run when the guest resets the machine
  --no-block-cache        run every instruction through the plain interpreter
                          (by default 32-bit code runs from decoded blocks;
                          the results are the same, only slower)
  --jit MODE              on (default): hot blocks are translated to
                          WebAssembly; off: never; force: every block from
                          its first run (for testing; slow to start)
  --trace LIST            trace from the host, to stderr: any of syscalls
                          (strace-like), exceptions, irq, modules (only
                          init_module/delete_module), comma-separated
  --trace-file FILE       write the trace to FILE instead of stderr
  --gdb PORT              wait for GDB on 127.0.0.1:PORT before starting
                          (target remote :PORT), and let it drive the machine
  --save-state FILE       when the run ends, save the whole machine to FILE
  --load-state FILE       start from a saved machine instead of booting (its
                          disk comes from the file unless --disk is given)
  -V, --version           print the version
  -h, --help              show this help

QEMU's spellings work too: -kernel FILE, -initrd FILE, -append CMDLINE,
-m SIZE, -bios FILE, -snapshot, -no-reboot, -s (GDB on :1234), -S and
-nographic (nothing to change here).

Ctrl-A x quits; Ctrl-A h lists the escapes; Ctrl-A c switches between the
console and the monitor (QEMU's commands: info registers, info tlb, info mem,
info modules, x, xp, savevm; the guest is paused meanwhile); Ctrl-A s saves
the state now (to --save-state's FILE, or wasm386.state); Ctrl-A Ctrl-A sends
a Ctrl-A.
The exit status is the guest's: power-off (ACPI PM1a control, port 0x604)
exits with 0, a write of V to the debug-exit port 0xF4 with (V << 1) | 1,
as with QEMU's isa-debug-exit; a triple fault exits with 2.`;


/** A file error in words (Node's own text names the syscall and repeats the path). */
function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT": return "no such file or directory";
    case "EISDIR": return "is a directory";
    case "EACCES": case "EPERM": return "permission denied";
    case "ENOTDIR": return "a part of the path is not a directory";
    case "EROFS": return "read-only file system";
    case "ENOSPC": return "no space left on the device";
    default: return code ?? (e as Error).message;
  }
}

/** The compiled core; missing only in a checkout that was never built. */
function readCore(): Uint8Array {
  const path = packageFile("build/wasm386.wasm");
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UserError(`cannot read the emulator's core ${path}: ${why(e)} (in a source checkout, run npm run build)`);
  }
}

function readInput(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UserError(`cannot read ${what} ${path}: ${why(e)}`);
  }
}

function parseCount(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UserError(`${name} takes a whole number (got "${v}")`);
  return Number(v);
}

// parseArgs explains itself over several lines; keep the first sentence.
function argError(e: Error): string {
  const first = e.message.split("\n")[0];
  const m = /^Option '(-[^']*)' argument is ambiguous/.exec(first);
  if (m) return `${m[1]} needs a value`;
  const missing = /^Option '(-\S*)(?: <value>)?' argument missing/.exec(first);
  if (missing) return `${missing[1]} needs a value`;
  return first.replace(/\. .*$/, "").replace(/^Unknown option/, "unknown option");
}

/** QEMU's spellings, for its users' habits: -kernel K (the positional
 *  kernel), -initrd, -append, -m, -bios, -snapshot, -no-reboot, -s (GDB on
 *  :1234), and -S and -nographic, which change nothing here (the machine
 *  waits for GDB anyway; there is no graphical display). */
export function qemuArgs(argv: string[]): string[] {
  const out: string[] = [];
  let gdbDefault = false, freeze = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UserError(`${a} needs a value (see wasm386 --help)`);
      return argv[++i];
    };
    switch (a) {
      case "-kernel": out.push(value()); break;
      case "-initrd": out.push("--initrd", value()); break;
      case "-append": out.push("--append", value()); break;
      case "-bios": out.push("--bios", value()); break;
      case "-m": out.push("--mem", qemuMemory(value())); break;
      case "-snapshot": out.push("--snapshot"); break;
      case "-no-reboot": out.push("--no-reboot"); break;
      case "-s": gdbDefault = true; break;
      case "-S": freeze = true; break;
      case "-nographic": break;
      default: out.push(a);
    }
  }
  if (gdbDefault && !out.includes("--gdb")) out.push("--gdb", "1234");
  if (freeze && !out.includes("--gdb")) throw new UserError("-S waits for a debugger: give -s or --gdb PORT too");
  return out;
}

/** QEMU's -m: MiB, or with a suffix M or G (as -m 512M, -m 1G). */
function qemuMemory(v: string): string {
  const m = /^(\d+)([MmGg]?)$/.exec(v);
  if (!m) throw new UserError(`-m takes a size in MiB, or with M or G (got "${v}")`);
  return String(Number(m[1]) * (/[Gg]/.test(m[2]) ? 1024 : 1));
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(packageFile("package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--version") || argv.includes("-V")) {
    process.stdout.write(`wasm386 ${version()}\n`);
    return 0;
  }
  argv = qemuArgs(argv);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        initrd: { type: "string" },
        bios: { type: "string" },
        append: { type: "string" },
        mem: { type: "string" },
        "max-instructions": { type: "string" },
        clock: { type: "string" },
        disk: { type: "string" },
        "no-disk": { type: "boolean" },
        share: { type: "string" },
        "share-ro": { type: "string" },
        snapshot: { type: "boolean" },
        "no-reboot": { type: "boolean" },
        "no-block-cache": { type: "boolean" },
        jit: { type: "string" },
        "save-state": { type: "string" },
        trace: { type: "string" },
        gdb: { type: "string" },
        "trace-file": { type: "string" },
        "load-state": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    throw new UserError(`${argError(e as Error)} (see wasm386 --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  if (positionals.length > 1) throw new UserError(`one kernel at a time (got ${positionals.join(", ")})`);

  if (values.bios !== undefined && positionals.length) throw new UserError("give either a kernel or --bios, not both");
  const bios = values.bios !== undefined ? readInput(values.bios, "BIOS image") : undefined;
  const kernelPath = positionals[0] ?? packageFile("images/kernel.elf");
  const kernel = bios ? undefined : readInput(kernelPath, "kernel");
  // The bundled kernel comes with its bundled initrd (/init and the tools).
  const initrdPath = values.initrd ?? (positionals.length === 0 && !bios ? packageFile("images/initrd.cpio") : undefined);
  const initrd = initrdPath !== undefined ? readInput(initrdPath, "initrd") : undefined;
  // A saved state says how big its machine was.
  const state = values["load-state"] !== undefined ? readInput(values["load-state"], "state file") : undefined;
  const saved = state ? decodeState(state) : undefined;
  if (saved) {
    // The state is the whole machine: what would build another one does not apply.
    const built = [positionals.length ? "KERNEL" : "", values.initrd !== undefined ? "--initrd" : "", values.append !== undefined ? "--append" : "",
      values.bios !== undefined ? "--bios" : "", values["no-disk"] ? "--no-disk" : ""].filter(Boolean);
    if (built.length) throw new UserError(`--load-state goes on from the saved machine: ${built.join(", ")} cannot change it`);
    if (values.mem !== undefined && parseCount(values.mem, "--mem") !== saved.ramMiB)
      throw new UserError(`the state is of a ${saved.ramMiB} MiB machine (--mem ${values.mem} given; leave --mem out)`);
  }
  const memoryMiB = parseCount(values.mem, "--mem") ?? saved?.ramMiB ?? DEFAULT_MEMORY_MIB;
  const maxInstructions = parseCount(values["max-instructions"], "--max-instructions");
  const jit = values.jit;
  if (jit !== undefined && jit !== "off" && jit !== "on" && jit !== "force") {
    throw new UserError(`--jit must be off, on or force (got ${jit})`);
  }
  const clock = values.clock ?? "realtime";
  if (clock !== "realtime" && clock !== "deterministic") {
    throw new UserError(`--clock must be realtime or deterministic (got ${clock})`);
  }
  if (values.snapshot && values.disk === undefined) throw new UserError("--snapshot needs --disk");
  // The bundled kernel boots with the bundled disk, whose writes stay in memory.
  const bundledDisk = !positionals[0] && !bios && values.disk === undefined && !values["no-disk"];
  if (values["no-disk"] && values.disk !== undefined) throw new UserError("--no-disk and --disk exclude each other");
  const disk = values.disk !== undefined ? fileDisk(values.disk, { snapshot: values.snapshot })
    : saved ? (saved.hasDisk ? memoryDisk(new Uint8Array(saved.diskSectors * 512)) : undefined)
    : bundledDisk ? fileDisk(packageFile("images/disk.img"), { snapshot: true }) : undefined;
  const share = shareOption(values.share, values["share-ro"]);
  const wasm = readCore();

  const trace = values.trace === undefined ? [] : values.trace.split(",").map((s) => s.trim()).filter(Boolean);
  for (const k of trace)
    if (!(TRACE_KINDS as string[]).includes(k)) throw new UserError(`--trace takes ${TRACE_KINDS.join(", ")} (got ${k})`);
  if (values["trace-file"] !== undefined && !trace.length) throw new UserError("--trace-file needs --trace");
  let traceOut: number | undefined;
  if (values["trace-file"] !== undefined) {
    try {
      traceOut = openSync(values["trace-file"], "w");
    } catch (e) {
      throw new UserError(`cannot write the trace to ${values["trace-file"]}: ${why(e)}`);
    }
  }
  const onTrace = (e: TraceEvent) => {
    const line = `${e.text}\n`;
    if (traceOut !== undefined) writeSync(traceOut, line);
    else process.stderr.write(line);
  };
  const gdbPort = values.gdb !== undefined ? parseCount(values.gdb, "--gdb") : undefined;
  if (gdbPort !== undefined && (gdbPort < 1 || gdbPort > 65535)) throw new UserError(`--gdb takes a TCP port, 1 to 65535 (got ${gdbPort})`);
  const term = attachTerminal(process.stdin, process.stdout);
  let mux: ConsoleMux | undefined; // set once the machine exists, before it runs
  try {
    const machine = await Machine.create({
      wasm, kernel, bios, initrd, memoryMiB, disk, share,
      kernelName: positionals[0] ?? "images/kernel.elf",
      initrdName: initrdPath ? basename(initrdPath) : undefined,
      cmdline: values.append ?? "",
      clock, onReset: values["no-reboot"] ? "exit" : "reboot",
      blockCache: !values["no-block-cache"], jit,
      onSerial: (b) => mux!.serial(b),
      onDebugcon: (b) => process.stderr.write(b),
      trace: trace as TraceKind[], onTrace,
    });
    if (state) machine.restoreState(state);
    const save = (file: string, bytes: Uint8Array) => {
      try {
        writeFileSync(file, bytes);
      } catch (e) {
        throw new UserError(`cannot save the state to ${file}: ${why(e)}`);
      }
    };
    const quit = new AbortController(); // Ctrl-A x, or the monitor's quit
    const monitor = new Monitor(machine, { kernel, save, quit: () => quit.abort() });
    mux = new ConsoleMux(term, machine, monitor, gdbPort === undefined);
    quit.signal.addEventListener("abort", () => mux!.quit());
    term.onInput((b) => {
      if (mux!.inMonitor) mux!.monitorInput(b);
      else machine.sendSerial(b); // queued in the machine while the guest's ring is full
    });
    term.onQuit(() => quit.abort());
    term.onEscape((key) => {
      if (key === "h") {
        process.stderr.write("\r\nC-a h    this help\r\nC-a x    quit\r\nC-a c    switch between the console and the monitor" +
          `\r\nC-a s    save the machine's state now (to ${values["save-state"] ?? "wasm386.state"})\r\nC-a C-a  send C-a to the guest\r\n`);
      } else if (key === "c") {
        mux!.toggle();
      } else if (key === "s") {
        const file = values["save-state"] ?? "wasm386.state";
        try {
          save(file, machine.saveState());
          process.stderr.write(`\r\nwasm386: saved the machine to ${file}\r\n`);
        } catch (e) {
          process.stderr.write(`\r\nwasm386: ${(e as Error).message}\r\n`);
        }
      }
    });
    // A terminal can always send more; piped input is all there already.
    const outcome = gdbPort !== undefined ? await serveGdb(machine, gdbPort, { monitor, signal: quit.signal })
      : await mux.run({ maxInstructions, waitForInput: process.stdin.isTTY === true });
    term.close();
    if (values["save-state"] !== undefined) {
      try {
        writeFileSync(values["save-state"], machine.saveState());
      } catch (e) {
        throw new UserError(`cannot save the state to ${values["save-state"]}: ${why(e)}`);
      }
    }
    return report(outcome);
  } finally {
    term.close();
    if (disk && "close" in disk) (disk as { close(): void }).close();
    if (traceOut !== undefined) closeSync(traceOut);
  }
}

/** --share DIR (",ro" at its end: read-only) or --share-ro DIR. */
function shareOption(rw: string | undefined, ro: string | undefined) {
  if (rw !== undefined && ro !== undefined) throw new UserError("one shared folder at a time: --share or --share-ro");
  const arg = rw ?? ro;
  if (arg === undefined) return undefined;
  const readOnly = ro !== undefined || arg.endsWith(",ro");
  const dir = rw !== undefined && arg.endsWith(",ro") ? arg.slice(0, -3) : arg;
  const option = rw !== undefined ? "--share" : "--share-ro";
  if (dir === "") throw new UserError(`${option} needs a directory`);
  try {
    return dirShare(dir, { readOnly });
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${option} ${e.message}`);
    throw e;
  }
}

function report(o: RunOutcome): number {
  switch (o.reason) {
    case "exit": return o.exitCode & 0xff;
    case "halted":
      process.stderr.write("\nwasm386: the guest halted with interrupts off\n");
      return 0;
    case "shutdown":
      process.stderr.write(`\nwasm386: ${o.report}\n`);
      return 2;
    case "limit":
      process.stderr.write("\nwasm386: instruction limit reached\n");
      return 0;
    case "idle":
      process.stderr.write("\nwasm386: the guest is waiting for an interrupt that cannot come\n");
      return 0;
    case "reset":
      process.stderr.write("\nwasm386: the guest reset the machine\n");
      return 0;
    case "stopped":
    case "break":
      return 0;
  }
}

export async function cli(): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`wasm386: ${e.message}\n`);
      process.exitCode = 1;
    } else {
      throw e;
    }
  }
}
