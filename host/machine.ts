// The platform-neutral machine: a Wasm core, guest RAM, a Multiboot boot,
// serial in and out. Node and the browser supply only I/O around it. Its
// parts are beside it: the core's instances (core.ts) and the state in its
// memory (core-memory.ts, registers.ts), the devices the host does the work
// of (host-devices.ts), the serial rings (serial-rings.ts), tracing
// (trace-records.ts), and how a run shares time (runloop.ts, pacing.ts).
import { type CoreExports, Stop, compileCore, instantiateCore, instantiateCoreSync, jitOf } from "./core.js";
import { type CoreMemory, coreMemory, guestRam, clockNs } from "./core-memory.js";
import { ChunkSizer, SLICE_MS, now, yieldToHost } from "./runloop.js";
import { Pacing } from "./pacing.js";
import { loadMultiboot, BootModule, BOOT_MAGIC } from "./multiboot.js";
import { isBzImage, loadLinux } from "./linux-boot.js";
import { UserError } from "./errors.js";
import { encodeState, decodeState, restoreDisk } from "./state.js";
import { JIT_MODES, type JitMode } from "./jit.js";
import { HostDevices } from "./host-devices.js";
import { SerialInput, drainRing } from "./serial-rings.js";
import { Emitter } from "./events.js";
import { translateLinear } from "./paging.js";
import { readRegisters, readSystemRegisters, writeRegister, tripleFaultReport, readFpu } from "./registers.js";
import { TraceRecords } from "./trace-records.js";
import type { TraceKind } from "./trace.js";
export { TRACE_KINDS, type TraceKind } from "./trace.js";

export { Stop } from "./core.js";
export { UserError } from "./errors.js";
export * from "./machine-options.js";
import {
  DEFAULT_MEMORY_MIB, MAX_MEMORY_MIB, DEFAULT_SLICE, DETERMINISTIC_EPOCH,
  type MachineOptions, type Registers, type SystemRegisters, type FpuState, type MachineEvents, type RunOutcome,
} from "./machine-options.js";

/** The outcomes after which the guest has ended its run. */
const GUEST_ENDS: ReadonlySet<RunOutcome["reason"]> = new Set(["exit", "halted", "shutdown", "reset"]);

/** The JIT mode when the options name none: WASM386_JIT from the
 *  environment where there is one (the test suite runs once per mode),
 *  else "on". */
function defaultJit(): JitMode {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.WASM386_JIT;
  return env !== undefined && (JIT_MODES as readonly string[]).includes(env) ? env as JitMode : "on";
}

export class Machine {
  private constructor(
    private core: CoreExports,
    private readonly module: WebAssembly.Module,
    private readonly devices: HostDevices,
    private readonly opts: MachineOptions,
  ) {
    this.pacing = new Pacing(opts.clock === "realtime", () => this.mem, () => this.stopRequested);
  }

  /** Nothing has written the core's memory since it was instantiated: the
   *  next reset can use it as it is. */
  private fresh = true;
  private readonly chunks = new ChunkSizer();

  private stopRequested = false;
  /** Instructions the last core call retired (exact: a call retires fewer than 2^32). */
  private retired = 0;
  /** Realtime pacing, and the waits of a halted CPU. */
  private readonly pacing: Pacing;
  /** A trap inside the core (a bug of ours, or state it could not take):
   *  the machine ends as a shutdown with this, until a reset or restore. */
  private coreFault: string | undefined;
  /** What setDebugTrap() last set: a host setting that lives in core memory. */
  private debugTrap = false;
  /** Set when the guest wrote to the debug-exit port. */
  exitCode: number | undefined;
  private readonly events = new Emitter<MachineEvents>();
  /** COM1 input the guest's receive ring has no room for yet. */
  private readonly serialInput = new SerialInput();
  /** What is traced, and the core's records made into "trace" events. */
  private readonly traces = new TraceRecords((lin, len, cr3, userOnly) => this.readLinear(lin, len, cr3, userOnly));

  /**
   * Calls fn for every later event of this name: "serial" and "debugcon"
   * (the bytes), "trace" (a TraceEvent), "exit" (the RunOutcome that ended
   * the guest's run). The onSerial, onDebugcon and onTrace options are
   * listeners added at create.
   */
  on<K extends keyof MachineEvents>(event: K, fn: (value: MachineEvents[K]) => void): this {
    this.events.on(event, fn);
    return this;
  }

  /** As on(), for the next event only. */
  once<K extends keyof MachineEvents>(event: K, fn: (value: MachineEvents[K]) => void): this {
    this.events.once(event, fn);
    return this;
  }

  /** Removes a listener added with on() or once(). */
  off<K extends keyof MachineEvents>(event: K, fn: (value: MachineEvents[K]) => void): this {
    this.events.off(event, fn);
    return this;
  }

  static async create(opts: MachineOptions): Promise<Machine> {
    const mib = opts.memoryMiB ?? DEFAULT_MEMORY_MIB;
    if (!Number.isInteger(mib) || mib < 2 || mib > MAX_MEMORY_MIB) {
      throw new UserError(`memory size must be a whole number of MiB from 2 to ${MAX_MEMORY_MIB} (got ${mib})`);
    }
    if (opts.bios && opts.kernel) throw new UserError("give either a kernel or a BIOS image, not both");
    if (opts.bios && (opts.bios.length === 0 || opts.bios.length > 1048576)) {
      throw new UserError(`a BIOS image must be 1 byte to 1 MiB (got ${opts.bios.length} bytes)`);
    }
    if (opts.clock !== undefined && opts.clock !== "realtime" && opts.clock !== "deterministic") {
      throw new UserError(`clock mode must be "deterministic" or "realtime" (got ${JSON.stringify(opts.clock)})`);
    }
    const epoch = opts.rtcEpoch ?? (opts.clock === "realtime" ? Math.floor(Date.now() / 1000) : DETERMINISTIC_EPOCH);
    if (!Number.isFinite(epoch) || epoch < 0) throw new UserError(`the RTC epoch must be Unix seconds (got ${epoch})`);
    const jit = opts.jit ?? defaultJit();
    if (!JIT_MODES.includes(jit)) throw new UserError(`jit must be one of ${JIT_MODES.join(", ")} (got ${JSON.stringify(jit)})`);
    // The devices reach the machine once it exists; the core calls them
    // only while running, after create() returns.
    let m!: Machine;
    const devices = new HostDevices(opts.disk, opts.share, () => m.mem, (e) => { m.diskError = e; });
    const module = await compileCore(opts.wasm);
    m = new Machine(await instantiateCore(module, devices), module, devices, { ...opts, rtcEpoch: Math.floor(epoch) });
    if (opts.onSerial) m.on("serial", opts.onSerial);
    if (opts.onDebugcon) m.on("debugcon", opts.onDebugcon);
    if (opts.onTrace) m.on("trace", opts.onTrace);
    m.configureCore();
    m.reset();
    if (opts.trace?.length) m.setTrace(opts.trace);
    return m;
  }

  /** Gives a new core instance this machine's RAM, disk, clock and
   *  execution settings. */
  private configureCore(): void {
    const mib = this.opts.memoryMiB ?? DEFAULT_MEMORY_MIB;
    if (!this.core.allocRam(mib * 1048576)) throw new UserError(`cannot allocate ${mib} MiB of guest RAM on this host`);
    this.core.ataAttach(this.opts.disk ? this.opts.disk.sectors : 0);
    this.core.configureClock(this.opts.clock === "realtime" ? 1 : 0, this.opts.rtcEpoch!);
    this.configureExecution();
  }

  /**
   * Swaps in a fresh core instance: zeroed memory that nothing has written,
   * so a reset commits no RAM and what the guest touched is given back.
   * Where the engine will not instantiate synchronously, clears the RAM.
   */
  private renew(): void {
    this.coreFault = undefined;
    if (this.fresh) return;
    try {
      this.core = instantiateCoreSync(this.module, this.devices);
      this.configureCore();
    } catch (e) {
      if (e instanceof UserError) throw e;
      this.core.clearRam();
    }
    this.fresh = true;
  }

  /** Gives the core this machine's block cache and JIT settings. */
  private configureExecution(): void {
    this.core.configureBlocks(this.opts.blockCache === false ? 0 : 1);
    this.core.setJitMode(JIT_MODES.indexOf(this.opts.jit ?? defaultJit()));
  }

  private views: CoreMemory | undefined;
  /** The core as it is now, with views of its memory (the run loop reads
   *  through them on every call: they are made again only for a new
   *  instance or buffer). */
  private get mem(): CoreMemory { return (this.views = coreMemory(this.core, this.views)); }

  /** Guest physical memory, as a view (valid until the next reset). After
   *  writing code through it into a machine that has run, call
   *  invalidateCode() so that nothing decoded from the old bytes runs. */
  get ram(): Uint8Array { return guestRam(this.mem); }

  /** Power-on, then (with a kernel) the Multiboot hand-over. */
  reset(): void {
    this.renew();
    this.fresh = false;
    this.devices.reset();
    this.pacing.restart();
    if (this.opts.bios) {
      const at = this.core.romBuffer(this.opts.bios.length);
      this.mem.u8.set(this.opts.bios, at);
    }
    this.core.resetReal();
    this.traces.putMask(this.mem);
    this.exitCode = undefined;
    const { kernel } = this.opts;
    if (!kernel) return;
    const modules: BootModule[] = [];
    if (this.opts.initrd) modules.push({ data: this.opts.initrd, string: this.opts.initrdName ?? "initrd" });
    if (isBzImage(kernel)) {
      // Linux's own protocol: its command line is just the options.
      const linux = loadLinux(this.ram, kernel, this.opts.cmdline ?? "", this.opts.initrd);
      this.core.bootFlat(linux.entry, 0, 0);
      this.setRegister("esi", linux.bootParams);
      return;
    }
    const cmdline = `${this.opts.kernelName ?? "kernel"} ${this.opts.cmdline ?? ""}`;
    const info = loadMultiboot(this.ram, kernel, cmdline, modules);
    this.core.bootFlat(info.entry, BOOT_MAGIC, info.infoAddr);
  }

  /**
   * Starts the CPU as a Multiboot loader would leave it (flat 32-bit
   * protected mode, paging off) at entry, for code placed in ram directly.
   */
  bootFlat(entry: number, eax = 0, ebx = 0): void {
    this.core.bootFlat(entry >>> 0, eax >>> 0, ebx >>> 0);
    this.exitCode = undefined;
  }

  /** Reads an I/O port as the CPU's IN would (size 1, 2 or 4). */
  ioRead(port: number, size: 1 | 2 | 4 = 1): number {
    const v = this.core.portIn(port, size) >>> 0;
    this.drain();
    return v;
  }

  /** Writes an I/O port as the CPU's OUT would. */
  ioWrite(port: number, value: number, size: 1 | 2 | 4 = 1): void {
    this.core.portOut(port, size, value >>> 0);
    this.drain();
  }

  /** Runs one slice of at most budget instructions; returns why it stopped. */
  runSlice(budget = DEFAULT_SLICE): Stop {
    const low = this.core.INSNS.value >> 2;
    const before = this.mem.u32[low];
    if (this.coreFault !== undefined) return Stop.Shutdown;
    let stop: Stop;
    try {
      stop = this.core.run(budget) as Stop;
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      this.coreFault = e.message;
      return Stop.Shutdown;
    }
    const u32 = this.mem.u32;
    this.retired = (u32[low] - before) >>> 0; // exact however large the count
    if (this.retired) this.pacing.stalls = 0;
    this.drain();
    if (stop === Stop.Exit) this.exitCode = u32[this.core.EXIT_CODE.value >> 2];
    if (stop === Stop.Trace)
      this.traces.drain(this.mem, this.events.listening("trace") ? (e) => this.events.emit("trace", e) : undefined);
    return stop;
  }

  /** With a debugger attached, INT3 stops the run ("break") instead of
   *  entering the guest's handler. */
  setDebugTrap(on: boolean): void {
    this.debugTrap = on;
    this.mem.u32[this.core.DEBUG_TRAP.value >> 2] = on ? 1 : 0;
  }

  /** Sets a general register or EIP (what a debugger may change). */
  setRegister(name: keyof Registers, value: number): void { writeRegister(this.mem, name, value); }

  /** Writes bytes at a linear address through the current page tables;
   *  false if any of it is not mapped to RAM. */
  writeLinear(lin: number, bytes: Uint8Array): boolean {
    const cr3 = this.registers().cr3, ram = this.ram;
    let ok = true;
    for (let i = 0; i < bytes.length && ok; i++) {
      const pa = this.translate((lin + i) >>> 0, cr3);
      if (pa === null || pa >= ram.length) ok = false;
      else ram[pa] = bytes[i];
    }
    if (bytes.length) this.invalidateCode();
    return ok;
  }

  /** Drops what the core decoded or fetched from guest memory: for a host
   *  that wrote code into RAM behind the CPU's back. */
  invalidateCode(): void { this.core.invalidateCode(); }

  /**
   * For a host that calls runSlice() itself (a debugger stepping): after a
   * call that retired nothing, a wait as runUntilDone() waits for an
   * interactive console (for the next event, or for input), so that a loop
   * of such calls never spins. After a call that ran, undefined: nothing
   * to wait for (and no promise to await on every step).
   */
  idleOnce(stop: Stop): Promise<void> | undefined {
    if (this.retired !== 0 || stop === Stop.Reset) return undefined;
    return this.pacing.halted(stop, true).then(() => undefined);
  }

  /** Changes what is traced (an empty list turns tracing off). */
  setTrace(kinds: TraceKind[]): void { this.traces.select(this.mem, kinds); }

  /** Guest physical address of a linear one under cr3 (paging as set now),
   *  or null when it is not mapped. Reads only: no accessed bits change. */
  translate(lin: number, cr3: number, userOnly = false): number | null {
    const u32 = this.mem.u32;
    const cr0 = u32[this.core.CR0.value >> 2], cr4 = u32[this.core.CR4.value >> 2];
    if (!(cr0 & 0x80000000)) return lin >>> 0;
    return translateLinear(this.ram, lin, cr3, cr4, userOnly);
  }

  /** len bytes at a linear address under cr3 (default: the current CR3). */
  readLinear(lin: number, len: number, cr3 = this.registers().cr3, userOnly = false): Uint8Array | null {
    const out = new Uint8Array(len);
    const ram = this.ram;
    for (let done = 0; done < len;) {
      const a = (lin + done) >>> 0;
      const pa = this.translate(a, cr3, userOnly);
      if (pa === null) return done ? out.subarray(0, done) : null;
      const n = Math.min(len - done, 4096 - (a & 0xfff));
      if (pa + n > ram.length) return done ? out.subarray(0, done) : null;
      out.set(ram.subarray(pa, pa + n), done);
      done += n;
    }
    return out;
  }

  /**
   * Runs until the guest exits, halts for good, shuts down, has run
   * maxInstructions (counted from this call), or stop() is called. The
   * core runs in slices of about sliceMs of wall time, each cut into calls
   * of about a millisecond after which serial output is handed on; between
   * slices the event loop gets a turn (input, stop(), timers).
   *
   * A halted CPU retires nothing, so the instruction limit cannot end a run
   * that waits; what does is in Pacing.halted(). In short: when nothing but input
   * can wake the CPU the run ends as "idle", unless waitForInput is set (an
   * interactive console), when it sleeps until input or stop() comes.
   * Realtime mode sleeps until the next timer is due. No path calls the
   * core in a loop that makes no progress, and stop() is noticed within
   * IDLE_POLL_MS however the run waits.
   */
  async runUntilDone(opts: { maxInstructions?: number; sliceMs?: number; waitForInput?: boolean } = {})
    : Promise<RunOutcome> {
    const outcome = await this.runLoop(opts);
    if (GUEST_ENDS.has(outcome.reason)) this.events.emit("exit", outcome);
    return outcome;
  }

  private async runLoop(opts: { maxInstructions?: number; sliceMs?: number; waitForInput?: boolean })
    : Promise<RunOutcome> {
    const sliceMs = opts.sliceMs ?? SLICE_MS;
    const limit = Math.floor(opts.maxInstructions ?? Infinity); // a budget of 0.5 would run nothing
    const waitForInput = opts.waitForInput ?? false;
    this.stopRequested = false;
    this.pacing.stalls = 0;
    // The guest JIT compiles in the background while this loop yields;
    // while a compile is out, a slice ends after one chunk so that the
    // compiled code goes into use within about a millisecond of being ready.
    // Start from a macrotask of the event loop's own. A caller that has just
    // awaited a WebAssembly compile (Machine.create does) resumes inside
    // Node's platform task drain, which between its tasks waits for every
    // background task to finish: the first yield would then wait out the
    // engine's optimizing compiles of the core's hot functions (50-90 ms).
    await yieldToHost();
    try {
      return await this.runSlices(sliceMs, limit, waitForInput);
    } finally {
      const jit = jitOf(this.core);
      if (jit) jit.background = false;
    }
  }

  private async runSlices(sliceMs: number, limit: number, waitForInput: boolean): Promise<RunOutcome> {
    let executed = 0; // in this call, across guest resets
    for (;;) {
      const jit = jitOf(this.core); // (a guest reset makes a new core)
      if (jit) jit.background = true;
      const sliceEnd = now() + sliceMs;
      for (let t = now(); t < sliceEnd;) {
        const left = limit - executed;
        if (left <= 0) return { reason: "limit" };
        this.pacing.catchUp();
        const budget = Math.min(this.chunks.size, left);
        const stop = this.runSlice(budget);
        const ran = this.retired;
        const after = now();
        if (stop === Stop.Budget) this.chunks.record(ran, after - t);
        t = after;
        executed += ran;
        switch (stop) {
          case Stop.Exit: return { reason: "exit", exitCode: this.exitCode! };
          case Stop.Halted: return { reason: "halted" };
          case Stop.Shutdown: return { reason: "shutdown", report: this.shutdownReport() };
          case Stop.Break: return { reason: "break" };
          case Stop.Reset:
            if (this.opts.onReset === "exit") return { reason: "reset" };
            this.reset();
            break;
          default:
            // Nothing retired: the CPU is halted (a running CPU retires at
            // least the instruction that faults).
            if (ran === 0) {
              if (!(await this.pacing.halted(stop, waitForInput))) return { reason: "idle" };
              t = now();
            }
        }
        if (this.stopRequested) return { reason: "stopped" };
        if (jit && jit.pending > 0) break;
      }
      await yieldToHost();
      if (this.stopRequested) return { reason: "stopped" };
    }
  }

  /**
   * Lets virtual time pass with the CPU not running, to ns since reset
   * (timers fire and raise their interrupts as they would have).
   */
  advanceClock(ns: bigint): void {
    this.core.idleUntil(ns);
  }

  /**
   * Performs an interrupt acknowledge cycle on the PICs, as the CPU does
   * when it takes an interrupt, and returns the vector (for tests and
   * debugging: the request goes in service).
   */
  interruptAcknowledge(): number {
    return this.core.interruptAcknowledge();
  }

  /** The last error a disk backend threw (the guest saw an I/O error). */
  diskError: Error | undefined;

  /** The last error the shared folder's backend threw that was not a
   *  refusal (the guest saw EIO). */
  get shareError(): unknown { return this.devices.shareError; }

  /** Virtual time since reset, in nanoseconds. */
  get clockNs(): bigint { return clockNs(this.mem); }

  stop(): void { this.stopRequested = true; }

  /**
   * The whole machine as one versioned, checksummed file: the core's memory
   * (CPU, devices, RAM) and the disk's contents. Call it between runs.
   */
  saveState(): Uint8Array {
    const disk = this.opts.disk;
    // The block cache lives in core memory: empty it, so the file holds
    // machine state only (it refills as the machine runs on).
    this.core.invalidateCode();
    return encodeState({
      coreVersion: this.core.STATE_VERSION.value,
      memory: new Uint8Array(this.core.memory.buffer),
      disk,
      exitCode: this.exitCode,
      ramMiB: this.opts.memoryMiB ?? DEFAULT_MEMORY_MIB,
    });
  }

  /**
   * Puts this machine in a saved state. It must have been created with the
   * same memory size and, if the state has one, a disk of the same size
   * (whose contents are replaced). Throws UserError for a file that is
   * damaged, of another version, or for another machine.
   */
  restoreState(bytes: Uint8Array): void {
    const s = decodeState(bytes);
    const version = this.core.STATE_VERSION.value;
    if (s.coreVersion !== version)
      throw new UserError(`the state file is from a core with state version ${s.coreVersion}; this one has ${version}`);
    const memory = this.core.memory;
    if (memory.buffer.byteLength !== s.memoryBytes)
      throw new UserError(`the state file is for a machine with a different memory size (${s.memoryBytes} bytes of core memory, this one has ${memory.buffer.byteLength})`);
    const disk = this.opts.disk;
    if (s.hasDisk !== !!disk || (disk && disk.sectors !== s.diskSectors))
      throw new UserError(s.hasDisk ? `the state file has a disk of ${s.diskSectors} sectors; give this machine one of that size`
        : "the state file has no disk; this machine has one");
    // A fresh instance is zero: only the file's pages are written.
    this.renew();
    this.fresh = false;
    const u8 = new Uint8Array(this.core.memory.buffer);
    for (const p of s.pages) u8.set(p.data, p.index * 4096);
    if (disk) restoreDisk(disk, s.sectors);
    this.exitCode = s.exitCode;
    this.pacing.restart();
    // The file holds the saving machine's settings where the core keeps
    // them, and a made-up file anything: this machine's own go back. (The
    // clock mode too would, but the core has no way to set it apart from
    // the RTC's epoch, which the guest may have set; a core whose mode is
    // not the machine's is handled where it idles, in Pacing.halted().)
    this.core.allocRam((this.opts.memoryMiB ?? DEFAULT_MEMORY_MIB) * 1048576); // the size the host's views use
    this.traces.putMask(this.mem);
    this.setDebugTrap(this.debugTrap);
    this.configureExecution();
    this.core.invalidateCode();
  }

  /**
   * Queues bytes for the guest's COM1 receiver and returns how many were
   * queued: all of them. What the core's receive ring cannot take now
   * waits in the machine and goes in as the guest reads (after every core
   * call), so input is never dropped however much is sent at once.
   */
  sendSerial(bytes: Uint8Array | string): number {
    const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
    this.serialInput.push(data);
    this.serialInput.feed(this.mem);
    return data.length;
  }

  /** Bytes given to sendSerial that the guest's receive ring has not taken yet. */
  get serialInputPending(): number { return this.serialInput.pending; }

  /** Hands on what the guest wrote and gives it the input it has room
   *  for: after every core call. */
  private drain(): void {
    const mem = this.mem;
    const serial = drainRing(mem, this.core.SERIAL_OUT.value);
    if (serial.length) this.events.emit("serial", serial);
    const dbg = drainRing(mem, this.core.DEBUGCON_OUT.value);
    if (dbg.length) this.events.emit("debugcon", dbg);
    this.serialInput.feed(mem);
  }

  /** Basic blocks the block cache has decoded since the last reset (0
   *  with the cache off). */
  get blocksDecoded(): number { return this.core.blocksDecoded() >>> 0; }

  /** Times the run loop has entered the block executor since the last
   *  reset (it runs on across blocks and regions until a budget, an event,
   *  an instruction only the interpreter runs, or a page it cannot fetch). */
  get blockRuns(): number { return this.core.blockRuns() >>> 0; }

  /** Regions (hot blocks with the blocks of their page they jump to)
   *  compiled to WebAssembly since the last reset (0 with the JIT off). */
  get blocksCompiled(): number { return this.core.jitCompiled() >>> 0; }

  /** Blocks that run as translated code, over all regions compiled since
   *  the last reset. */
  get blocksTranslated(): number { return this.core.jitTranslatedBlocks() >>> 0; }

  /**
   * Instructions executed since reset. The core counts them in a u64 (two
   * words of its memory); this is that count as a number, exact below
   * 2^53: 104 days of guest work without a pause at 1e9 instructions a
   * second, a few weeks at the JIT's best, all without a reset. No run of
   * this emulator gets there, so it is not a bigint; past it the count is
   * still right to one part in 2^53. The run loop does not depend on it: it
   * takes each call's instructions from the low word (runSlice), exactly.
   */
  get instructions(): number {
    const a = this.core.INSNS.value >> 2, u32 = this.mem.u32;
    return u32[a] + u32[a + 1] * 2 ** 32;
  }

  registers(): Registers { return readRegisters(this.mem); }

  /** The segment caches, descriptor tables, task and debug registers. */
  systemRegisters(): SystemRegisters { return readSystemRegisters(this.mem); }

  /** The x87 FPU's registers and environment. */
  fpu(): FpuState { return readFpu(this.mem); }

  /** Sets CR0, CR2, CR3 or CR4 between instructions as MOV CRn would (a
   *  debugger's write): false, with nothing changed, for a value that
   *  instruction refuses (PG without PE, a CR4 bit this CPU lacks). */
  setControlRegister(n: 0 | 2 | 3 | 4, value: number): boolean {
    return this.core.setControlRegister(n, value >>> 0) !== 0;
  }

  /** A triple fault's report: the vector chain and the registers. */
  shutdownReport(): string {
    if (this.coreFault !== undefined)
      return `the emulator's core stopped (${this.coreFault}): a bug in wasm386, please report it with what was running`;
    return tripleFaultReport(this.mem);
  }
}
