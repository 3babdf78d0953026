// The run loop and machine reset.
import { fpuInit } from "./fpu/stack";
import { tracing, traceEvent, T_IRQ } from "./cpu/trace";
import {
  STATE_BASE, RAM_BASE, RAM_SIZE, EIP, EFLAGS, LF_MASK, SEG_FLAGS, CR0, CPL, CODE32, STACK32,
  FAULT_VEC, HALTED, STOP, INSNS, EXIT_CODE, IDTR_LIMIT, GDTR_LIMIT, LDTR_LIMIT, TR_LIMIT,
  SERIAL_OUT, SERIAL_IN, DEBUGCON_OUT, REGS, SHUTDOWN_VEC, EVENTS, ROM_SIZE, ROM_BASE, ROM_MAX,
  NEXT_EVENT_NS, CLOCK_MODE, INT_SHADOW, RTC_EPOCH, PORT92, BLOCKS_ON, JIT_MODE,
} from "./layout";
import { runBlocks, blocksUsable } from "./cpu/blockexec";
import { resetBlocks, flushBlocks } from "./cpu/blocks";
import { interpret } from "./cpu/execute";
import { tlbFlush } from "./mmu/tlb";
import { writeCR, CPU_SIGNATURE } from "./cpu/system";
import { insnStart, invalidateFetch } from "./cpu/decode";
import { deliverFault } from "./cpu/interrupt";
import { IF } from "./cpu/flags";
import { setSegCache, setReg32, EV_FAULT, EV_STOP, EV_HALT, EV_IRQ, EV_TIMER, EAX, EBX, EDX, CS, SS, DS, ES, FS, GS } from "./cpu/state";
import { FLAGS_FIXED } from "./cpu/flags";
import { SEGF_DB, SEGF_G, SEGF_PRESENT } from "./cpu/segment";
import { uartReset, uartUpdateIrq } from "./dev/uart";
import { picReset, picInterrupt, picAcknowledge } from "./dev/pic";
import { pitReset, pitAdvance } from "./dev/pit";
import { rtcReset, rtcAdvance } from "./dev/rtc";
import { ataReset } from "./dev/ata";
import { kbdReset } from "./dev/kbd";
import { clockNs, syncClock, advanceTo, clockReset, NS_PER_INSN, NEVER } from "./dev/clock";
import { deliver } from "./cpu/interrupt";
import { ringReset } from "./dev/ring";
import { Stop } from "./dev/bus";

// Grows Wasm memory to hold ramBytes of guest RAM. Returns false when the
// host cannot give that much.
export function allocRam(ramBytes: u32): bool {
  const needPages = <i32>((<u64>RAM_BASE + <u64>ramBytes + 0xffff) >> 16);
  const have = memory.size();
  if (needPages > have && memory.grow(needPages - have) < 0) return false;
  store<u32>(RAM_SIZE, ramBytes);
  return true;
}

// The state every reset starts from; then reset() or bootFlat() pick a mode.
function clearState(): void {
  // What the host configured survives a reset.
  const ram = load<u32>(RAM_SIZE);
  const mode = load<u32>(CLOCK_MODE);
  const epoch = load<u64>(RTC_EPOCH);
  const blocks = load<u32>(BLOCKS_ON);
  const jit = load<u32>(JIT_MODE);
  memory.fill(STATE_BASE, 0, 0x1000);
  store<u32>(RAM_SIZE, ram);
  store<u32>(CLOCK_MODE, mode);
  store<u32>(BLOCKS_ON, blocks);
  store<u32>(JIT_MODE, jit);
  store<u64>(RTC_EPOCH, epoch);
  clockReset();
  store<i32>(FAULT_VEC, -1);
  store<u32>(EFLAGS, FLAGS_FIXED);
  store<u32>(LF_MASK, 0);
  store<u32>(CR0, 0x60000010); // CD NW ET, as at power-on
  store<u32>(IDTR_LIMIT, 0x3ff);
  store<u32>(GDTR_LIMIT, 0xffff);
  store<u32>(LDTR_LIMIT, 0xffff);
  store<u32>(TR_LIMIT, 0xffff);
  ringReset(SERIAL_OUT);
  ringReset(SERIAL_IN);
  ringReset(DEBUGCON_OUT);
  uartReset();
  fpuInit();
  picReset();
  store<u8>(PORT92, 2); // A20 enabled
  pitReset();
  rtcReset();
  ataReset();
  kbdReset();
  tlbFlush(false);
  invalidateFetch();
  resetBlocks();
}

// Where the host writes a firmware image before resetReal(); returns the
// Wasm address, or 0 when the image is too large.
export function romBuffer(bytes: u32): u32 {
  if (bytes > ROM_MAX) return 0;
  store<u32>(ROM_SIZE, bytes);
  return ROM_BASE;
}

// Zeroes guest RAM. Hosts normally reset into a fresh instance instead,
// whose memory is zero without being written (pages the guest never
// touches are never committed); this is for hosts that cannot.
export function clearRam(): void {
  memory.fill(RAM_BASE, 0, load<u32>(RAM_SIZE));
}

// Power-on state: real mode at F000:FFF0 (the ROM below 4 GiB). RAM is
// left as it is: fresh memory is zero (see clearRam).
export function resetReal(): void {
  const rom = load<u32>(ROM_SIZE);
  clearState();
  store<u32>(ROM_SIZE, rom);
  const data: u32 = 0x93; // present, writable, accessed data segment
  for (let s: u32 = 0; s < 6; s++) setSegCache(s, 0, 0, 0xffff, data);
  setSegCache(CS, 0xf000, 0xffff0000, 0xffff, 0x9b);
  store<u32>(EIP, 0xfff0);
  setReg32(EDX, CPU_SIGNATURE); // as after RESET
  store<u32>(CODE32, 0);
  store<u32>(STACK32, 0);
  // Shadow the ROM's last 128 KiB (or all of a smaller one) below 1 MiB.
  const shadow = rom < 0x20000 ? rom : 0x20000;
  if (shadow != 0 && load<u32>(RAM_SIZE) >= 0x100000) {
    memory.copy(RAM_BASE + 0x100000 - shadow, ROM_BASE + rom - shadow, shadow);
  }
}

// The state a Multiboot loader hands over: protected mode, paging off,
// flat 4 GiB code and data segments, interrupts off, EAX = magic, EBX = info.
export function bootFlat(entry: u32, eax: u32, ebx: u32): void {
  clearState();
  store<u32>(CR0, 0x00000011); // PE, ET
  const flat: u32 = SEGF_G | SEGF_DB | SEGF_PRESENT;
  setSegCache(CS, 0x08, 0, 0xffffffff, flat | 0x1b); // code, execute/read, accessed
  const data = flat | 0x13; // data, read/write, accessed
  setSegCache(SS, 0x10, 0, 0xffffffff, data);
  setSegCache(DS, 0x10, 0, 0xffffffff, data);
  setSegCache(ES, 0x10, 0, 0xffffffff, data);
  setSegCache(FS, 0x10, 0, 0xffffffff, data);
  setSegCache(GS, 0x10, 0, 0xffffffff, data);
  store<u32>(CODE32, 1);
  store<u32>(STACK32, 1);
  store<u32>(CPL, 0);
  setReg32(EAX, eax);
  setReg32(EBX, ebx);
  store<u32>(EIP, entry);
}

// Devices whose timers are due: each looks at the clock and schedules its
// next event.
function devicesAdvance(): void {
  store<u64>(NEXT_EVENT_NS, NEVER);
  pitAdvance();
  rtcAdvance();
}

// Takes an interrupt from the PIC if the CPU accepts one now.
function takeInterrupt(): void {
  if (load<u32>(INT_SHADOW)) {
    // One more instruction first (after STI, MOV SS, POP SS).
    store<u32>(INT_SHADOW, 0);
    store<u32>(EVENTS, load<u32>(EVENTS) | EV_IRQ);
    return;
  }
  if ((load<u32>(EFLAGS) & IF) == 0 || !picInterrupt()) return;
  const vec = picAcknowledge();
  store<u32>(HALTED, 0);
  if (tracing(T_IRQ)) traceEvent(T_IRQ, vec, 0, load<u32>(EIP));
  deliver(vec, false, false, 0);
  if (load<i32>(FAULT_VEC) >= 0) deliverFault();
}

// Instructions that run before the clock reaches the next device event:
// the event is handled at the first instruction boundary where clockNs()
// >= its time, which is also what the check at the end of every run()
// sees, so that where the host cuts its slices never moves an interrupt.
function untilEvent(): u32 {
  const next = load<u64>(NEXT_EVENT_NS);
  const now = clockNs();
  if (next <= now) return 0;
  const n = (next - now - 1) / NS_PER_INSN + 1; // ceil, without overflow when next is "never"
  return n > 0xffffffff ? 0xffffffff : <u32>n;
}

// Executes up to budget instructions. Returns why it stopped (Stop.*); the
// host drains the serial rings after every call.
//
// A halted CPU with interrupts enabled waits for the next device event: in
// deterministic mode the clock jumps there at once; in realtime mode run()
// returns Stop.Idle and the host sleeps until then (or until input comes)
// and calls idleUntil().
export function run(budget: u32): u32 {
  store<u32>(STOP, 0);
  store<u32>(EVENTS, load<u32>(EVENTS) | EV_IRQ); // host input may have raised one
  uartUpdateIrq();
  let n: u32 = 0;
  let reason: u32 = Stop.Budget;
  let skips: u32 = 0;
  while (n < budget) {
    if (load<u32>(HALTED)) {
      // Skipping from event to event with no interrupt taken (all masked)
      // retires nothing: bound it so the host gets control back.
      if (++skips > 1000) break;
      const ev = load<u32>(EVENTS);
      store<u32>(EVENTS, 0);
      if (ev & EV_IRQ) takeInterrupt();
      if (load<u32>(HALTED)) {
        if ((load<u32>(EFLAGS) & IF) == 0) { reason = Stop.Halted; break; }
        const next = load<u64>(NEXT_EVENT_NS);
        if (next == NEVER || load<u32>(CLOCK_MODE) != 0) { reason = Stop.Idle; break; }
        advanceTo(next);
        devicesAdvance();
        takeInterrupt();
        continue;
      }
    }
    store<u32>(EVENTS, load<u32>(EVENTS) & ~EV_TIMER);
    let limit = untilEvent();
    limit = limit < budget - n ? n + limit : budget;
    while (n < limit) {
      // The interpreter runs one instruction where the block cache could
      // not (the instruction at EIP ends every block that would start there,
      // or the budget is short of a whole block), else up to the limit.
      const blocks = blocksUsable();
      const ran = blocks ? runBlocks(limit - n) : 0;
      n += ran != 0 ? ran : interpret(blocks ? 1 : limit - n);
      const ev = load<u32>(EVENTS);
      if (ev != 0) {
        store<u32>(EVENTS, 0);
        if (ev & EV_FAULT) {
          store<u32>(EIP, insnStart);
          deliverFault();
        }
        if (ev & EV_IRQ) takeInterrupt();
        if (ev & (EV_STOP | EV_HALT | EV_TIMER)) break;
      }
    }
    if (clockNs() >= load<u64>(NEXT_EVENT_NS)) {
      devicesAdvance();
      takeInterrupt();
    }
    const s = load<u32>(STOP);
    if (s != 0) { reason = s; break; }
  }
  syncClock();
  return reason;
}

// Realtime mode: the host waited for wall time to reach ns (or for input)
// while the CPU was halted; catch the devices up.
export function idleUntil(ns: u64): void {
  advanceTo(ns);
  if (clockNs() >= load<u64>(NEXT_EVENT_NS)) devicesAdvance();
  syncClock();
}

// Turns the decoded-block cache on (1) or off (0); kept across resets.
export function configureBlocks(on: u32): void {
  store<u32>(BLOCKS_ON, on != 0 ? 1 : 0);
  flushBlocks();
}

// The host changed guest memory or registers behind the CPU's back (a
// restore, a debugger's write): drop what was decoded and fetched from it.
export function invalidateCode(): void {
  invalidateFetch();
  resetBlocks();
}

// The next device event, for a host that sleeps while the CPU idles.
export function nextEventNs(): u64 { return load<u64>(NEXT_EVENT_NS); }

// The host's clock settings: mode 0 deterministic, 1 realtime; the RTC's
// time at reset in Unix seconds. Kept across resets.
export function configureClock(mode: u32, epochSeconds: f64): void {
  store<u32>(CLOCK_MODE, mode);
  store<u64>(RTC_EPOCH, <u64>epochSeconds);
}

// The vector an interrupt acknowledge would read now (debugging and tests:
// it changes the PIC's state as the CPU's acknowledge does).
export function interruptAcknowledge(): u32 { return picAcknowledge(); }

// A debugger's write to CR0, CR2, CR3 or CR4, between instructions: MOV
// CRn's checks and effects (the TLB, the fetch cache, alignment checking).
// A value the instruction would refuse with #GP is refused here, with
// nothing changed and no fault left pending for the guest.
export function setControlRegister(n: u32, v: u32): bool {
  if (n != 0 && n != 2 && n != 3 && n != 4) return false;
  const events = load<u32>(EVENTS);
  store<i32>(FAULT_VEC, -1); // between instructions none is pending
  writeCR(n, v);
  if (load<i32>(FAULT_VEC) < 0) return true;
  store<i32>(FAULT_VEC, -1);
  store<u32>(EVENTS, events);
  return false;
}
