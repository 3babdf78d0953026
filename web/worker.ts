// The machine, in a Web Worker: boots the bundled images (or files the page
// sends), runs in slices so that input, pause and reset are taken between
// them, and reports serial output and its speed.
import { Machine, UserError, DEFAULT_MEMORY_MIB, type RunOutcome, type TraceEvent } from "../host/machine.js";
import { memoryDisk } from "../host/disk.js";
import type { BootFiles, FromWorker, ToWorker } from "./protocol.js";
import { share, shareMessage } from "./share-worker.js";

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

// The core compiles from the moment the worker starts, while the page
// is still setting up; a failure shows at the first boot.
const compiled = WebAssembly.compileStreaming(fetch("wasm386.wasm"));
compiled.catch(() => {});
let wasm: WebAssembly.Module | undefined;
let machine: Machine | undefined;
let diskBytes: Uint8Array | undefined;
let lastFiles: BootFiles | undefined;
let paused = false;
let tracing = false;
// The trace panel's data: recent system call lines and event counts.
let traceLines: string[] = [];
const counts = { transitions: 0, faults: 0, interrupts: 0 };
const TRACE_KINDS = ["syscalls", "exceptions", "irq"] as const;

function onTrace(e: TraceEvent): void {
  if (e.kind === "syscall") traceLines.push(e.text);
  else if (e.kind === "exception") { counts.faults++; traceLines.push(e.text); }
  else counts.interrupts++;
  if (e.raw.cpl === 3 || e.raw.kind === 8 /* return to ring 3 */) counts.transitions++;
  if (traceLines.length > 200) traceLines = traceLines.slice(-100);
}
let generation = 0; // a new boot ends the previous run loop
let createdAt = 0; // when the running machine was created (performance.now())

async function fetchBytes(path: string): Promise<Uint8Array> {
  let r: Response;
  try {
    r = await fetch(path);
  } catch (e) {
    throw new UserError(`cannot load ${path}: ${(e as Error).message}`);
  }
  if (!r.ok) throw new UserError(`cannot load ${path}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/** The files the page's address names (the worker's address carries the
 *  page's query): ?kernel=URL[&initrd=URL][&disk=URL][&append=CMDLINE],
 *  relative to the page; the bundled images without ?kernel=. */
async function addressed(params: URLSearchParams): Promise<BootFiles> {
  const kernel = params.get("kernel");
  if (!kernel) return bundled();
  const get = (url: string | null) => (url ? fetchBytes(url) : Promise.resolve(undefined));
  const initrdName = params.get("initrd") ?? undefined;
  const [k, initrd, disk] = await Promise.all([fetchBytes(kernel), get(params.get("initrd")), get(params.get("disk"))]);
  return { kernel: k, kernelName: kernel, initrd, initrdName, disk, cmdline: params.get("append") ?? undefined };
}

async function bundled(): Promise<BootFiles> {
  const [kernel, initrd, disk] = await Promise.all(
    ["images/kernel.elf", "images/initrd.cpio", "images/disk.img"].map(fetchBytes));
  return { kernel, kernelName: "images/kernel.elf", initrd, initrdName: "images/initrd.cpio", disk };
}

let memoryMiB = DEFAULT_MEMORY_MIB; // the next boot's
let runningMiB = DEFAULT_MEMORY_MIB; // the running machine's

async function boot(files: BootFiles | undefined | Promise<BootFiles>): Promise<void> {
  const run = ++generation;
  const mib = memoryMiB;
  machine?.stop();
  machine = undefined;
  try {
    // The core's compile and the files' fetches overlap.
    const [core, f] = await Promise.all([wasm ?? compiled, files ?? bundled()]);
    wasm = core;
    lastFiles = f;
    diskBytes = f.disk ? new Uint8Array(f.disk) : undefined; // the guest writes to its own copy
    createdAt = performance.now();
    const m = await Machine.create({
      wasm, kernel: f.kernel, kernelName: f.kernelName, initrd: f.initrd, initrdName: f.initrdName, cmdline: f.cmdline,
      disk: diskBytes ? memoryDisk(diskBytes) : undefined, memoryMiB: mib, clock: "realtime", share,
      onSerial: (b) => post({ type: "serial", bytes: b.slice() }),
      trace: tracing ? [...TRACE_KINDS] : undefined, onTrace,
    });
    if (run !== generation) return;
    machine = m;
    runningMiB = mib;
    post({ type: "status", text: `running ${f.kernelName}` });
    await loop(m, run);
  } catch (e) {
    if (run !== generation) return;
    const message = e instanceof UserError ? e.message : `unexpected error: ${(e as Error).message}`;
    post({ type: "error", message });
  }
}

// Speed and uptime, twice a second, while a machine runs.
let lastAt = performance.now(), lastInsns = 0;
setInterval(() => {
  const m = machine;
  if (!m) return;
  const now = performance.now(), insns = m.instructions;
  const ips = insns >= lastInsns && !paused ? ((insns - lastInsns) * 1000) / (now - lastAt) : 0;
  post({ type: "stats", instructions: insns, ips, uptimeNs: Number(m.clockNs), compiled: m.blocksCompiled, memoryMiB: runningMiB });
  if (tracing) {
    const per = (n: number) => Math.round((n * 1000) / (now - lastAt));
    post({ type: "trace", lines: traceLines, ring: m.registers().cpl,
      perSecond: { transitions: per(counts.transitions), faults: per(counts.faults), interrupts: per(counts.interrupts) } });
    traceLines = [];
    counts.transitions = counts.faults = counts.interrupts = 0;
  }
  lastAt = now;
  lastInsns = insns;
}, 500);

async function loop(m: Machine, run: number): Promise<void> {
  lastInsns = m.instructions;
  lastAt = performance.now();
  for (;;) {
    if (paused) {
      await new Promise((r) => setTimeout(r, 50));
    } else {
      // Runs until the guest ends or stop() (pause, a new boot) ends it.
      const o = await m.runUntilDone({ waitForInput: true });
      if (run !== generation) return;
      if (o.reason !== "stopped") { finished(o); return; }
    }
    if (run !== generation) return;
  }
}

function finished(o: RunOutcome): void {
  post({ type: "done", reason: o.reason, exitCode: o.reason === "exit" ? o.exitCode : undefined,
    instructions: machine?.instructions ?? 0, runMs: performance.now() - createdAt });
  if (o.reason === "exit") post({ type: "status", text: `the machine powered off (exit status ${o.exitCode}); Reset boots it again` });
  else if (o.reason === "halted") post({ type: "status", text: "the CPU halted with interrupts off; Reset boots again" });
  else if (o.reason === "shutdown") post({ type: "error", message: `triple fault:\n${o.report}` });
  else if (o.reason === "idle") post({ type: "status", text: "the machine is idle with nothing to wake it" });
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  switch (msg.type) {
    case "boot": memoryMiB = msg.memoryMiB ?? DEFAULT_MEMORY_MIB; void boot(msg.files); break;
    case "reset":
      if (msg.memoryMiB !== undefined) memoryMiB = msg.memoryMiB;
      void boot(lastFiles);
      break;
    case "input": machine?.sendSerial(msg.bytes); break; // the machine queues what the guest has not read yet
    case "pause":
      paused = msg.paused;
      if (paused) machine?.stop();
      break;
    case "trace":
      tracing = msg.on;
      machine?.setTrace(tracing ? [...TRACE_KINDS] : []);
      break;
    case "download": {
      const copy = diskBytes ? diskBytes.slice() : null;
      post({ type: "disk", bytes: copy }, copy ? [copy.buffer] : []);
      break;
    }
    case "share-put": case "share-list": case "share-get": shareMessage(msg, post); break;
  }
};

// The first boot starts here, not from the page, so that it does not wait
// for the page's script and terminal: the page keeps what it is sent
// until it listens. ?mem=MiB sizes it (the machine reports a bad size).
const params = new URLSearchParams(self.location.search);
const mem = params.get("mem");
memoryMiB = mem === null ? DEFAULT_MEMORY_MIB : Number(mem);
void boot(addressed(params));
