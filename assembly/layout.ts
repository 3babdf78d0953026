// Where every piece of machine state lives in linear memory.
//
// The host reads the same offsets (through the exported getters in index.ts)
// to inspect registers and drain the serial rings, and save/restore is a copy
// of [STATE_BASE, RAM_BASE + ram size). Nothing between instructions lives in
// Wasm globals; the decoder keeps only per-instruction temporaries there.

// ---- CPU ---------------------------------------------------------------
export const STATE_BASE: u32 = 0x1000;

// General registers in encoding order: EAX ECX EDX EBX ESP EBP ESI EDI.
export const REGS: u32 = 0x1000;
export const EIP: u32 = 0x1020;
// EFLAGS with the arithmetic flags named in LF_MASK stale (see cpu/flags.ts).
export const EFLAGS: u32 = 0x1024;

// Lazy flags: the last flag-setting operation and its inputs.
export const LF_MASK: u32 = 0x1030; // which of CF PF AF ZF SF OF are lazy
export const LF_OP: u32 = 0x1034; // Op.* in cpu/flags.ts
export const LF_RES: u32 = 0x1038;
export const LF_A: u32 = 0x103c;
export const LF_B: u32 = 0x1040;
export const LF_BITS: u32 = 0x1044; // operand width - 1: 7, 15 or 31

// Segment registers in encoding order: ES CS SS DS FS GS. Each has a visible
// selector and a hidden descriptor cache (base, limit, access rights).
export const SEG_SEL: u32 = 0x1060; // 6 x u32
export const SEG_BASE: u32 = 0x1080; // 6 x u32
export const SEG_LIMIT: u32 = 0x10a0; // 6 x u32
export const SEG_FLAGS: u32 = 0x10c0; // 6 x u32: descriptor bits 40..55 (type, S, DPL, P, AVL, D/B, G)
// 6 x u8: 0 when any access through the segment passes the limit and type
// checks (a writable, expand-up, 4 GiB data segment); see cpu/segcheck.ts.
// Bit 0: limit/type checks needed; bit 1: alignment checking is on (CR0.AM
// and EFLAGS.AC; it applies at CPL 3).
export const SEG_CHECK: u32 = 0x10d8;

export const GDTR_BASE: u32 = 0x10e0;
export const GDTR_LIMIT: u32 = 0x10e4;
export const IDTR_BASE: u32 = 0x10e8;
export const IDTR_LIMIT: u32 = 0x10ec;
export const LDTR_SEL: u32 = 0x10f0;
export const LDTR_BASE: u32 = 0x10f4;
export const LDTR_LIMIT: u32 = 0x10f8;
export const TR_SEL: u32 = 0x1100;
export const TR_BASE: u32 = 0x1104;
export const TR_LIMIT: u32 = 0x1108;
export const TR_FLAGS: u32 = 0x110c;

export const CR0: u32 = 0x1110;
export const CR2: u32 = 0x1114;
export const CR3: u32 = 0x1118;
export const CR4: u32 = 0x111c;
export const DR: u32 = 0x1120; // DR0..DR7, 8 x u32

export const CPL: u32 = 0x1140;
export const CODE32: u32 = 0x1144; // 1 when CS is a 32-bit segment (D bit)
export const STACK32: u32 = 0x1148; // 1 when SS is a 32-bit segment (B bit)

// A fault raised by the current instruction: vector, or -1 when none.
export const FAULT_VEC: u32 = 0x1160;
export const FAULT_CODE: u32 = 0x1164;
export const FAULT_HAS_CODE: u32 = 0x1168;

// Run state.
export const HALTED: u32 = 0x1180; // 1 after HLT until an interrupt
export const STOP: u32 = 0x1184; // Stop.* requested by a device or the CPU
export const INSNS: u32 = 0x1188; // u64: instructions retired since reset
export const EXIT_CODE: u32 = 0x1190; // set with Stop.Exit
export const RAM_SIZE: u32 = 0x1194; // bytes of guest RAM
export const SHUTDOWN_VEC: u32 = 0x1198; // u64: the vector chain that ended in a triple fault
export const SYSENTER_MSRS: u32 = 0x11a0; // SYSENTER_CS, _ESP, _EIP: 3 x u32
// Anything the run loop must look at between instructions sets a bit here,
// so that the loop tests one word per instruction (EV_* in cpu/state.ts).
export const EVENTS: u32 = 0x11b0;
export const ROM_SIZE: u32 = 0x11b4; // bytes of firmware ROM (0 when none)
// Virtual time (dev/clock.ts): nanoseconds since reset, the next moment a
// device has something to do, the clock mode, and the RTC's epoch.
export const CLOCK_NS: u32 = 0x11c0; // u64
export const NEXT_EVENT_NS: u32 = 0x11c8; // u64, or all ones for none
export const CLOCK_MODE: u32 = 0x11d0; // 0 deterministic, 1 realtime
export const RTC_EPOCH: u32 = 0x11d8; // u64: Unix seconds at reset
// Interrupts are not taken after STI / MOV SS / POP SS until one more
// instruction has run: 1 while that shadow lasts.
export const INT_SHADOW: u32 = 0x11e0;
// Tracing for the host (cpu/trace.ts): which events stop the run, and the
// events recorded since the last stop, TRACE_MAX records of 64 bytes.
export const TRACE_MASK: u32 = 0x11e4;
export const TRACE_COUNT: u32 = 0x11e8;
export const TRACE_EVENTS: u32 = 0x1200;
export const TRACE_MAX: u32 = 16;
// 1 while a debugger is attached: INT3 stops the run (Stop.Break) at the
// breakpoint instead of entering the guest's handler.
export const DEBUG_TRAP: u32 = 0x11ec;
// The decoded-block cache's switch (cpu/blocks.ts): 1 to run 32-bit code
// from decoded blocks, 0 for the plain interpreter. Set by the host and
// kept across resets, like CLOCK_MODE.
export const BLOCKS_ON: u32 = 0x11f0;
// A word that always reads 0: decoded memory operands without a base or an
// index register point here, so the address sum needs no branches.
export const ZERO_WORD: u32 = 0x11f4;
// The JIT's mode (jit/jit.ts): 0 off, 1 on, 2 force; kept across resets.
export const JIT_MODE: u32 = 0x11f8;
// The x87 FPU (fpu/stack.ts): eight 80-bit registers by physical number,
// 16 bytes each (significand u64, sign/exponent u16), then the control
// word, the status word without TOP, TOP, a bit per physical register
// that is empty (the abridged tag word inverted), and the last
// instruction's pointers: FIP, FCS, FOP, FDP, FDS.
export const FPU_ST: u32 = 0x1700;
export const FPU_CW: u32 = 0x1780;
export const FPU_SW: u32 = 0x1784;
export const FPU_TOP: u32 = 0x1788;
export const FPU_EMPTY: u32 = 0x178c;
export const FPU_IP: u32 = 0x1790;
export const FPU_CS: u32 = 0x1794;
export const FPU_OP: u32 = 0x1798;
export const FPU_DP: u32 = 0x179c;
export const FPU_DS: u32 = 0x17a0;
// Scratch for a task switch: the incoming task's 8 registers and 6
// selectors, read before the outgoing task is saved (cpu/task.ts).
export const TASK_SCRATCH: u32 = 0x1f00;

// ---- Devices -------------------------------------------------------------
export const UART0: u32 = 0x2000; // 16550 on COM1, 64 bytes (dev/uart.ts)
export const PIC: u32 = 0x2040; // 8259A master and slave, 2 x 16 bytes (dev/pic.ts)
export const PIT: u32 = 0x2080; // 8254, 3 channels x 48 bytes + 0x61 (dev/pit.ts)
export const RTC: u32 = 0x2140; // MC146818 CMOS: 128 bytes of registers + state (dev/rtc.ts)
export const PORT92: u32 = 0x21f0; // system control port A (dev/bus.ts)
export const ATA: u32 = 0x2200; // primary channel registers (dev/ata.ts)
export const KBD: u32 = 0x2280; // 8042 keyboard controller and keyboard, 64 bytes (dev/kbd.ts)
export const ATA_BUF: u32 = 0x14000; // ATA data buffer: up to 128 sectors

// Byte rings shared with the host: u32 head (written by the producer),
// u32 tail (written by the consumer), then RING_SIZE bytes of data.
export const RING_HDR: u32 = 8;
export const RING_SIZE: u32 = 0x4000;
export const SERIAL_OUT: u32 = 0x4000; // COM1 transmit -> host
export const SERIAL_IN: u32 = 0x9000; // host -> COM1 receive
export const DEBUGCON_OUT: u32 = 0xe000; // port 0xE9 -> host

// ---- Firmware ROM ------------------------------------------------------------
// Mapped at the top of the 4 GiB space (the reset vector is its last 16
// bytes); its last 128 KiB are also copied to RAM below 1 MiB at reset, as
// a PC's BIOS shadow.
export const ROM_BASE: u32 = 0x00200000;
export const ROM_MAX: u32 = 0x00100000;

// ---- Software TLB ------------------------------------------------------------
// TLB_ENTRIES x 8 bytes (mmu/tlb.ts).
export const TLB: u32 = 0x00300000;
export const TLB_ENTRIES: u32 = 4096;

// ---- JIT --------------------------------------------------------------------
// The WebAssembly module being generated for the host to compile (jit/).
export const JIT_BUF: u32 = 0x00310000;
export const JIT_BUF_SIZE: u32 = 0x000f0000;

// ---- Decoded-block cache -------------------------------------------------------
// Not machine state: a cache of decoded guest code, dropped at every reset,
// restore or host write to RAM (cpu/blocks.ts).
// PAGE_INFO: a u32 per physical page of RAM (up to 3 GiB): a generation
// that a write to decoded code in the page advances, so its blocks no
// longer match. CODE_MASK: a u16 per page, the 256-byte granules of the
// page that hold decoded code (mmu/codepages.ts).
export const PAGE_INFO: u32 = 0x00400000;
export const CODE_MASK: u32 = 0x00780000;
// BLOCK_TABLE: BLOCK_SLOTS slots of 32 bytes, direct-mapped by the physical
// address of the block's first byte (cpu/blocks.ts has the slot layout).
export const BLOCK_TABLE: u32 = 0x00700000;
export const BLOCK_SLOTS: u32 = 16384;
export const BLOCK_SLOT_BYTES: u32 = 32;
// BLOCK_ENTRIES: the decoded instructions, 16 bytes each, allocated in
// order; when full the whole cache is dropped.
export const BLOCK_ENTRIES: u32 = 0x00900000;
export const BLOCK_ENTRY_MAX: u32 = (0x00f00000 - 0x00900000) / 16;

// ---- Guest RAM -------------------------------------------------------------
// The AssemblyScript data segment sits just below RAM (asconfig memoryBase),
// leaving the low megabytes to the state above and to the TLB to come.
export const RAM_BASE: u32 = 0x01000000;
