// The instruction table: one row per encoding of the one-byte map (ONE_BYTE)
// and the 0F map (TWO_BYTE), the only place an opcode is described.
// scripts/gen-isa.js turns it into the interpreter's dispatch
// (assembly/cpu/gen/dispatch.ts) and the LOCK rule (assembly/cpu/gen/lock.ts);
// test/cpu/forms.test.ts builds an instance of every form from it and runs it
// in every tier. isa/forms.mjs reads the notation.
//
// A row: row(opcodes, mnemonic, properties, code).
// - opcodes: one byte, a list, or range(first, count) (the register or the
//   condition in the low bits: Zb/Zv/Zd name that register, $cc that condition).
// - mnemonic: the SDM's opcode-map notation (Appendix A) for the operands,
//   which says everything about the encoding: E, G, M, R, S, C, D take a
//   ModRM byte; Ib (Ibs: sign-extended), Iw, Iz/Iv (16 or 32 bits by the
//   operand size), Jb, Jz, Ob/Ov (an offset of the address size) and Ap (a far
//   pointer) are immediates; b, w, d, v (16/32) are widths. "grpN" rows take
//   ModRM, and their members say what each reg field does; a member's
//   immediate ("test I") has the row's width.
// - properties: r and w, the flags read and written (letters of OSZAPC, and D,
//   I; "*" all; "$cc" those of the condition); lock "mem" (LOCK allowed with a
//   memory destination; otherwise LOCK is #UD); ends, how it ends a basic
//   block (branch, jump, call, ret, far, int, halt, mode: the CPU's mode or
//   tables change, shadow: an interrupt shadow follows); nofault (never
//   faults); prefix (a prefix byte); block, the decoded-block cache's form
//   (assembly/cpu/blockkinds.ts) for 32-bit code without prefixes: a kind,
//   or [register kind, memory kind] for a ModRM form, a memory kind for
//   an Ob/Ov form (the offset is its displacement) ("GENERIC": the
//   interpreter runs that one), with "$cc" the condition and "$8" "8" in a
//   byte row's group; blockPost, code run after decoding it (m is the ModRM
//   byte). Forms without one end the block and run in the interpreter.
// - code: the interpreter's case body. One-byte rows run with the cursor ip
//   (after the opcode) and return the next EIP, or work at the global cursor
//   nextIp and return it; 0F rows work at nextIp. The semantics stay in the
//   handlers (assembly/cpu/forms.ts, forms0f.ts, alu, flags, shift, muldiv,
//   string): a row only binds an encoding to them. "$alu" in code is the
//   opcode's ALU operation (bits 5:3: add or adc sbb and sub xor cmp) and
//   "$cc" its condition (bits 3:0); rows whose code is the same share a case.
//
// Opcodes in no row are #UD.

export const range = (first, count) => Array.from({ length: count }, (_, i) => first + i);
const row = (ops, mn, props, code) => ({ ops: Array.isArray(ops) ? ops : [ops], mn, ...props, code: code.replace(/^\n|\n\s*$/g, "") });

const GRP1 = [
  { reg: 0, mn: "add", block: ["ALU$8_RI + 0", "ALU$8_MI + 0"], w: "OSZAPC", lock: "mem" },
  { reg: 1, mn: "or", block: ["ALU$8_RI + 1", "ALU$8_MI + 1"], w: "OSZAPC", lock: "mem" },
  { reg: 2, mn: "adc", block: ["ALU$8_RI + 2", "ALU$8_MI + 2"], r: "C", w: "OSZAPC", lock: "mem" },
  { reg: 3, mn: "sbb", block: ["ALU$8_RI + 3", "ALU$8_MI + 3"], r: "C", w: "OSZAPC", lock: "mem" },
  { reg: 4, mn: "and", block: ["ALU$8_RI + 4", "ALU$8_MI + 4"], w: "OSZAPC", lock: "mem" },
  { reg: 5, mn: "sub", block: ["ALU$8_RI + 5", "ALU$8_MI + 5"], w: "OSZAPC", lock: "mem" },
  { reg: 6, mn: "xor", block: ["ALU$8_RI + 6", "ALU$8_MI + 6"], w: "OSZAPC", lock: "mem" },
  { reg: 7, mn: "cmp", block: ["ALU$8_RI + 7", "ALU$8_MI + 7"], w: "OSZAPC" },
];

const GRP2_ONE = [
  { reg: 0, mn: "rol", w: "OC" },
  { reg: 1, mn: "ror", w: "OC" },
  { reg: 2, mn: "rcl", r: "C", w: "OC" },
  { reg: 3, mn: "rcr", r: "C", w: "OC" },
  { reg: 4, mn: "shl", w: "OSZAPC" },
  { reg: 5, mn: "shr", w: "OSZAPC" },
  { reg: 6, mn: "sal", w: "OSZAPC" },
  { reg: 7, mn: "sar", w: "OSZAPC" },
];

const GRP2_COUNT = [
  { reg: 0, mn: "rol", r: "OC", w: "OC" },
  { reg: 1, mn: "ror", r: "OC", w: "OC" },
  { reg: 2, mn: "rcl", r: "OC", w: "OC" },
  { reg: 3, mn: "rcr", r: "OC", w: "OC" },
  { reg: 4, mn: "shl", r: "OSZAPC", w: "OSZAPC" },
  { reg: 5, mn: "shr", r: "OSZAPC", w: "OSZAPC" },
  { reg: 6, mn: "sal", r: "OSZAPC", w: "OSZAPC" },
  { reg: 7, mn: "sar", r: "OSZAPC", w: "OSZAPC" },
];

// v: the row is the 16/32-bit one, whose forms the block cache decodes.
const GRP3 = (v) => [
  { reg: 0, mn: "test I", w: "OSZAPC", block: v ? ["TEST_RI", "GENERIC"] : ["TEST8_RI", "TEST8_MI"] },
  { reg: 1, mn: "test I", w: "OSZAPC" },
  { reg: 2, mn: "not", lock: "mem", ...(v && { block: ["NOT_R", "GENERIC"] }) },
  { reg: 3, mn: "neg", w: "OSZAPC", lock: "mem", ...(v && { block: ["NEG_R", "GENERIC"] }) },
  { reg: 4, mn: "mul", w: "OSZAPC", ...(v && { block: ["MULDIV_R", "MULDIV_M"] }) },
  { reg: 5, mn: "imul", w: "OSZAPC", ...(v && { block: ["MULDIV_R", "MULDIV_M"] }) },
  { reg: 6, mn: "div", w: "OSZAPC", ...(v && { block: ["MULDIV_R", "MULDIV_M"] }) },
  { reg: 7, mn: "idiv", w: "OSZAPC", ...(v && { block: ["MULDIV_R", "MULDIV_M"] }) },
];

export const ONE_BYTE = [
  row(0x00, "add Eb, Gb", { block: ["ALU8_RR + 0", "ALU8_MR + 0"], w: "OSZAPC", lock: "mem" },
    `return aluEG<u8>($alu, ip);`),
  row(0x01, "add Ev, Gv", { block: ["ALU_RR + 0", "ALU_MR + 0"], w: "OSZAPC", lock: "mem" },
    `return opsize32 ? aluEG<u32>($alu, ip) : aluEG<u16>($alu, ip);`),
  row(0x02, "add Gb, Eb", { block: ["ALU8_RR + 0", "ALU8_RM + 0"], w: "OSZAPC" },
    `return aluGE<u8>($alu, ip);`),
  row(0x03, "add Gv, Ev", { block: ["ALU_RR + 0", "ALU_RM + 0"], w: "OSZAPC" },
    `return opsize32 ? aluGE<u32>($alu, ip) : aluGE<u16>($alu, ip);`),
  row(0x04, "add AL, Ib", { block: "ALU8_RI + 0", w: "OSZAPC", nofault: true },
    `return aluAI<u8>($alu, ip);`),
  row(0x05, "add eAX, Iz", { block: "ALU_RI + 0", w: "OSZAPC", nofault: true },
    `return opsize32 ? aluAI<u32>($alu, ip) : aluAI<u16>($alu, ip);`),
  row(0x06, "push ES", {  },
    `pushSeg(ES); return nextIp;`),
  row(0x07, "pop ES", {  },
    `popSeg(ES); return nextIp;`),
  row(0x08, "or Eb, Gb", { block: ["ALU8_RR + 1", "ALU8_MR + 1"], w: "OSZAPC", lock: "mem" },
    `return aluEG<u8>($alu, ip);`),
  row(0x09, "or Ev, Gv", { block: ["ALU_RR + 1", "ALU_MR + 1"], w: "OSZAPC", lock: "mem" },
    `return opsize32 ? aluEG<u32>($alu, ip) : aluEG<u16>($alu, ip);`),
  row(0x0a, "or Gb, Eb", { block: ["ALU8_RR + 1", "ALU8_RM + 1"], w: "OSZAPC" },
    `return aluGE<u8>($alu, ip);`),
  row(0x0b, "or Gv, Ev", { block: ["ALU_RR + 1", "ALU_RM + 1"], w: "OSZAPC" },
    `return opsize32 ? aluGE<u32>($alu, ip) : aluGE<u16>($alu, ip);`),
  row(0x0c, "or AL, Ib", { block: "ALU8_RI + 1", w: "OSZAPC", nofault: true },
    `return aluAI<u8>($alu, ip);`),
  row(0x0d, "or eAX, Iz", { block: "ALU_RI + 1", w: "OSZAPC", nofault: true },
    `return opsize32 ? aluAI<u32>($alu, ip) : aluAI<u16>($alu, ip);`),
  row(0x0e, "push CS", {  },
    `pushSeg(CS); return nextIp;`),
  row(0x0f, "(two-byte escape)", {  },
    `dispatch0F(fetch8()); return nextIp;`),
  row(0x10, "adc Eb, Gb", { block: ["ALU8_RR + 2", "ALU8_MR + 2"], r: "C", w: "OSZAPC", lock: "mem" },
    `return aluEG<u8>($alu, ip);`),
  row(0x11, "adc Ev, Gv", { block: ["ALU_RR + 2", "ALU_MR + 2"], r: "C", w: "OSZAPC", lock: "mem" },
    `return opsize32 ? aluEG<u32>($alu, ip) : aluEG<u16>($alu, ip);`),
  row(0x12, "adc Gb, Eb", { block: ["ALU8_RR + 2", "ALU8_RM + 2"], r: "C", w: "OSZAPC" },
    `return aluGE<u8>($alu, ip);`),
  row(0x13, "adc Gv, Ev", { block: ["ALU_RR + 2", "ALU_RM + 2"], r: "C", w: "OSZAPC" },
    `return opsize32 ? aluGE<u32>($alu, ip) : aluGE<u16>($alu, ip);`),
  row(0x14, "adc AL, Ib", { block: "ALU8_RI + 2", r: "C", w: "OSZAPC", nofault: true },
    `return aluAI<u8>($alu, ip);`),
  row(0x15, "adc eAX, Iz", { block: "ALU_RI + 2", r: "C", w: "OSZAPC", nofault: true },
    `return opsize32 ? aluAI<u32>($alu, ip) : aluAI<u16>($alu, ip);`),
  row(0x16, "push SS", {  },
    `pushSeg(SS); return nextIp;`),
  row(0x17, "pop SS", { ends: "shadow" },
    `popSeg(SS); return nextIp;`),
  row(0x18, "sbb Eb, Gb", { block: ["ALU8_RR + 3", "ALU8_MR + 3"], r: "C", w: "OSZAPC", lock: "mem" },
    `return aluEG<u8>($alu, ip);`),
  row(0x19, "sbb Ev, Gv", { block: ["ALU_RR + 3", "ALU_MR + 3"], r: "C", w: "OSZAPC", lock: "mem" },
    `return opsize32 ? aluEG<u32>($alu, ip) : aluEG<u16>($alu, ip);`),
  row(0x1a, "sbb Gb, Eb", { block: ["ALU8_RR + 3", "ALU8_RM + 3"], r: "C", w: "OSZAPC" },
    `return aluGE<u8>($alu, ip);`),
  row(0x1b, "sbb Gv, Ev", { block: ["ALU_RR + 3", "ALU_RM + 3"], r: "C", w: "OSZAPC" },
    `return opsize32 ? aluGE<u32>($alu, ip) : aluGE<u16>($alu, ip);`),
  row(0x1c, "sbb AL, Ib", { block: "ALU8_RI + 3", r: "C", w: "OSZAPC", nofault: true },
    `return aluAI<u8>($alu, ip);`),
  row(0x1d, "sbb eAX, Iz", { block: "ALU_RI + 3", r: "C", w: "OSZAPC", nofault: true },
    `return opsize32 ? aluAI<u32>($alu, ip) : aluAI<u16>($alu, ip);`),
  row(0x1e, "push DS", {  },
    `pushSeg(DS); return nextIp;`),
  row(0x1f, "pop DS", {  },
    `popSeg(DS); return nextIp;`),
  row(0x20, "and Eb, Gb", { block: ["ALU8_RR + 4", "ALU8_MR + 4"], w: "OSZAPC", lock: "mem" },
    `return aluEG<u8>($alu, ip);`),
  row(0x21, "and Ev, Gv", { block: ["ALU_RR + 4", "ALU_MR + 4"], w: "OSZAPC", lock: "mem" },
    `return opsize32 ? aluEG<u32>($alu, ip) : aluEG<u16>($alu, ip);`),
  row(0x22, "and Gb, Eb", { block: ["ALU8_RR + 4", "ALU8_RM + 4"], w: "OSZAPC" },
    `return aluGE<u8>($alu, ip);`),
  row(0x23, "and Gv, Ev", { block: ["ALU_RR + 4", "ALU_RM + 4"], w: "OSZAPC" },
    `return opsize32 ? aluGE<u32>($alu, ip) : aluGE<u16>($alu, ip);`),
  row(0x24, "and AL, Ib", { block: "ALU8_RI + 4", w: "OSZAPC", nofault: true },
    `return aluAI<u8>($alu, ip);`),
  row(0x25, "and eAX, Iz", { block: "ALU_RI + 4", w: "OSZAPC", nofault: true },
    `return opsize32 ? aluAI<u32>($alu, ip) : aluAI<u16>($alu, ip);`),
  row(0x26, "es", { prefix: true },
    `setSegOverride(ES); break;`),
  row(0x27, "daa", { r: "AC", w: "OSZAPC", nofault: true },
    `daa(); return nextIp;`),
  row(0x28, "sub Eb, Gb", { block: ["ALU8_RR + 5", "ALU8_MR + 5"], w: "OSZAPC", lock: "mem" },
    `return aluEG<u8>($alu, ip);`),
  row(0x29, "sub Ev, Gv", { block: ["ALU_RR + 5", "ALU_MR + 5"], w: "OSZAPC", lock: "mem" },
    `return opsize32 ? aluEG<u32>($alu, ip) : aluEG<u16>($alu, ip);`),
  row(0x2a, "sub Gb, Eb", { block: ["ALU8_RR + 5", "ALU8_RM + 5"], w: "OSZAPC" },
    `return aluGE<u8>($alu, ip);`),
  row(0x2b, "sub Gv, Ev", { block: ["ALU_RR + 5", "ALU_RM + 5"], w: "OSZAPC" },
    `return opsize32 ? aluGE<u32>($alu, ip) : aluGE<u16>($alu, ip);`),
  row(0x2c, "sub AL, Ib", { block: "ALU8_RI + 5", w: "OSZAPC", nofault: true },
    `return aluAI<u8>($alu, ip);`),
  row(0x2d, "sub eAX, Iz", { block: "ALU_RI + 5", w: "OSZAPC", nofault: true },
    `return opsize32 ? aluAI<u32>($alu, ip) : aluAI<u16>($alu, ip);`),
  row(0x2e, "cs", { prefix: true },
    `setSegOverride(CS); break;`),
  row(0x2f, "das", { r: "AC", w: "OSZAPC", nofault: true },
    `das(); return nextIp;`),
  row(0x30, "xor Eb, Gb", { block: ["ALU8_RR + 6", "ALU8_MR + 6"], w: "OSZAPC", lock: "mem" },
    `return aluEG<u8>($alu, ip);`),
  row(0x31, "xor Ev, Gv", { block: ["ALU_RR + 6", "ALU_MR + 6"], w: "OSZAPC", lock: "mem" },
    `return opsize32 ? aluEG<u32>($alu, ip) : aluEG<u16>($alu, ip);`),
  row(0x32, "xor Gb, Eb", { block: ["ALU8_RR + 6", "ALU8_RM + 6"], w: "OSZAPC" },
    `return aluGE<u8>($alu, ip);`),
  row(0x33, "xor Gv, Ev", { block: ["ALU_RR + 6", "ALU_RM + 6"], w: "OSZAPC" },
    `return opsize32 ? aluGE<u32>($alu, ip) : aluGE<u16>($alu, ip);`),
  row(0x34, "xor AL, Ib", { block: "ALU8_RI + 6", w: "OSZAPC", nofault: true },
    `return aluAI<u8>($alu, ip);`),
  row(0x35, "xor eAX, Iz", { block: "ALU_RI + 6", w: "OSZAPC", nofault: true },
    `return opsize32 ? aluAI<u32>($alu, ip) : aluAI<u16>($alu, ip);`),
  row(0x36, "ss", { prefix: true },
    `setSegOverride(SS); break;`),
  row(0x37, "aaa", { r: "A", w: "OSZAPC", nofault: true },
    `aaa(); return nextIp;`),
  row(0x38, "cmp Eb, Gb", { block: ["ALU8_RR + 7", "ALU8_MR + 7"], w: "OSZAPC" },
    `return aluEG<u8>($alu, ip);`),
  row(0x39, "cmp Ev, Gv", { block: ["ALU_RR + 7", "ALU_MR + 7"], w: "OSZAPC" },
    `return opsize32 ? aluEG<u32>($alu, ip) : aluEG<u16>($alu, ip);`),
  row(0x3a, "cmp Gb, Eb", { block: ["ALU8_RR + 7", "ALU8_RM + 7"], w: "OSZAPC" },
    `return aluGE<u8>($alu, ip);`),
  row(0x3b, "cmp Gv, Ev", { block: ["ALU_RR + 7", "ALU_RM + 7"], w: "OSZAPC" },
    `return opsize32 ? aluGE<u32>($alu, ip) : aluGE<u16>($alu, ip);`),
  row(0x3c, "cmp AL, Ib", { block: "ALU8_RI + 7", w: "OSZAPC", nofault: true },
    `return aluAI<u8>($alu, ip);`),
  row(0x3d, "cmp eAX, Iz", { block: "ALU_RI + 7", w: "OSZAPC", nofault: true },
    `return opsize32 ? aluAI<u32>($alu, ip) : aluAI<u16>($alu, ip);`),
  row(0x3e, "ds", { prefix: true },
    `setSegOverride(DS); break;`),
  row(0x3f, "aas", { r: "A", w: "OSZAPC", nofault: true },
    `aas(); return nextIp;`),
  row(range(0x40, 8), "inc Zv", { block: "INC", w: "OSZAP", nofault: true },
    `incReg(op & 7); return ip;`),
  row(range(0x48, 8), "dec Zv", { block: "DEC", w: "OSZAP", nofault: true },
    `decReg(op & 7); return ip;`),
  row(range(0x50, 8), "push Zv", { block: "PUSH_R",  },
    `pushReg(op & 7); return ip;`),
  row(range(0x58, 8), "pop Zv", { block: "POP_R",  },
    `popReg(op & 7); return ip;`),
  row(0x60, "pusha", {  },
    `pusha(); return nextIp;`),
  row(0x61, "popa", {  },
    `popa(); return nextIp;`),
  row(0x62, "bound Gv, Ma", {  },
    `bound(); return nextIp;`),
  row(0x63, "arpl Ew, Gw", { w: "Z" },
    `arpl(); return nextIp;`),
  row(0x64, "fs", { prefix: true },
    `setSegOverride(FS); break;`),
  row(0x65, "gs", { prefix: true },
    `setSegOverride(GS); break;`),
  row(0x66, "(operand size)", { prefix: true },
    `setOpsize(!code32); break;`),
  row(0x67, "(address size)", { prefix: true },
    `setAddrsize(!code32); break;`),
  row(0x68, "push Iz", { block: "PUSH_I",  },
    `{ const v = fetchImmVAt(ip); if (!faulted()) pushV(v); return ip + immVSize(); }`),
  row(0x69, "imul Gv, Ev, Iz", { block: ["IMUL_RRI", "IMUL_RMI"], w: "OSZAPC" },
    `return opsize32 ? imul3<u32>(false, ip) : imul3<u16>(false, ip);`),
  row(0x6a, "push Ibs", { block: "PUSH_I",  },
    `{ const v = fetchS8At(ip); if (!faulted()) pushV(v); return ip + 1; }`),
  row(0x6b, "imul Gv, Ev, Ibs", { block: ["IMUL_RRI", "IMUL_RMI"], w: "OSZAPC" },
    `return opsize32 ? imul3<u32>(true, ip) : imul3<u16>(true, ip);`),
  row(0x6c, "insb", { r: "D" },
    `ins<u8>(); return nextIp;`),
  row(0x6d, "insv", { r: "D" },
    `if (opsize32) ins<u32>(); else ins<u16>(); return nextIp;`),
  row(0x6e, "outsb", { r: "D" },
    `outs<u8>(); return nextIp;`),
  row(0x6f, "outsv", { r: "D" },
    `if (opsize32) outs<u32>(); else outs<u16>(); return nextIp;`),
  row(range(0x70, 16), "j$cc Jb", { block: "JCC + $cc", r: "$cc", ends: "branch", nofault: true },
    `return jcc8($cc, ip);`),
  row([0x80, 0x82], "grp1 Eb, Ib", { members: GRP1 },
    `return group1<u8>(false, ip);`),
  row(0x81, "grp1 Ev, Iz", { members: GRP1 },
    `return opsize32 ? group1<u32>(false, ip) : group1<u16>(false, ip);`),
  row(0x83, "grp1 Ev, Ibs", { members: GRP1 },
    `return opsize32 ? group1<u32>(true, ip) : group1<u16>(true, ip);`),
  row(0x84, "test Eb, Gb", { block: ["TEST8_RR", "GENERIC"], w: "OSZAPC" },
    `return testEG<u8>(ip);`),
  row(0x85, "test Ev, Gv", { block: ["TEST_RR", "TEST_MR"], w: "OSZAPC" },
    `return opsize32 ? testEG<u32>(ip) : testEG<u16>(ip);`),
  row(0x86, "xchg Eb, Gb", { lock: "mem" },
    `return xchgEG<u8>(ip);`),
  row(0x87, "xchg Ev, Gv", { block: ["XCHG_RR", "GENERIC"], lock: "mem" },
    `return opsize32 ? xchgEG<u32>(ip) : xchgEG<u16>(ip);`),
  row(0x88, "mov Eb, Gb", { block: ["MOV8_RR", "MOV8_MR"],  },
    `return movEG<u8>(ip);`),
  row(0x89, "mov Ev, Gv", { block: ["MOV_RR", "MOV_MR"],  },
    `return opsize32 ? movEG<u32>(ip) : movEG<u16>(ip);`),
  row(0x8a, "mov Gb, Eb", { block: ["MOV8_RR", "MOV8_RM"],  },
    `return movGE<u8>(ip);`),
  row(0x8b, "mov Gv, Ev", { block: ["MOV_RR", "MOV_RM"],  },
    `return opsize32 ? movGE<u32>(ip) : movGE<u16>(ip);`),
  row(0x8c, "mov Ew, Sw", {  },
    `movFromSeg(); return nextIp;`),
  row(0x8d, "lea Gv, M", { block: ["GENERIC", "LEA"],  },
    `
      ip = decodeModRMAt(ip);
      if (isReg()) raise(UD);
      else if (opsize32) setRegOp<u32>(eaOffset);
      else setRegOp<u16>(eaOffset);
      return ip;
    `),
  row(0x8e, "mov Sw, Ew", { ends: "shadow" },
    `movToSeg(); return nextIp;`),
  row(0x8f, "grp1a Ev", { members: [
      { reg: 0, mn: "pop" },
    ] },
    `
      {
      // pop r/m: ESP is incremented before the address is computed.
      const esp = reg32(ESP);
      const v = popV();
      if (faulted()) return nextIp;
      decodeModRM();
      if (opsize32) writeRM<u32>(v); else writeRM<u16>(v);
      if (faulted()) setReg32(ESP, esp);
      return nextIp;
      }
    `),
  row(0x90, "nop", { block: "NOP", nofault: true },
    `return ip; // nop (xchg eax, eax); with F3 it is pause`),
  row(range(0x91, 7), "xchg Zv, eAX", { block: { k: "XCHG_RR", d: "0", s: "op & 7" }, nofault: true },
    `xchgAcc(op & 7); return ip;`),
  row(0x98, "cbw/cwde", { block: "CWDE", nofault: true },
    `
      // cbw / cwde
      if (opsize32) setReg32(EAX, <u32><i32><i16>reg16(EAX));
      else setReg16(EAX, <u32><i32><i8>reg8(EAX));
      return ip;
    `),
  row(0x99, "cwd/cdq", { block: "CDQ", nofault: true },
    `
      // cwd / cdq
      if (opsize32) setReg32(EDX, <u32>(<i32>reg32(EAX) >> 31));
      else setReg16(EDX, <u32>(<i32><i16>reg16(EAX) >> 15));
      return ip;
    `),
  row(0x9a, "call Ap", { ends: "far" },
    `
      {
      const off = fetchImmV();
      const sel = fetch16();
      if (!faulted()) callFar(sel, off);
      return nextIp;
      }
    `),
  row(0x9b, "fwait", {  },
    `fwait(); return nextIp;`),
  row(0x9c, "pushf", { r: "*" },
    `pushf(); return nextIp;`),
  row(0x9d, "popf", { w: "*", ends: "mode" },
    `popf(); return nextIp;`),
  row(0x9e, "sahf", { w: "SZAPC", nofault: true },
    `sahf(); return nextIp;`),
  row(0x9f, "lahf", { r: "SZAPC", nofault: true },
    `lahf(); return nextIp;`),
  row(0xa0, "mov AL, Ob", { block: "MOV8_RM" },
    `{ ip = moffs(ip); const v = readMem<u8>(); if (!faulted()) setReg8(EAX, v); return ip; }`),
  row(0xa1, "mov eAX, Ov", { block: "MOV_RM" },
    `
      {
      ip = moffs(ip);
      if (opsize32) { const v = readMem<u32>(); if (!faulted()) setReg32(EAX, v); }
      else { const v = readMem<u16>(); if (!faulted()) setReg16(EAX, v); }
      return ip;
      }
    `),
  row(0xa2, "mov Ob, AL", { block: "MOV8_MR" },
    `ip = moffs(ip); writeMem<u8>(reg8(EAX)); return ip;`),
  row(0xa3, "mov Ov, eAX", { block: "MOV_MR" },
    `ip = moffs(ip); if (opsize32) writeMem<u32>(reg32(EAX)); else writeMem<u16>(reg16(EAX)); return ip;`),
  row(0xa4, "movsb", { r: "D" },
    `movs<u8>(); return nextIp;`),
  row(0xa5, "movsv", { r: "D" },
    `if (opsize32) movs<u32>(); else movs<u16>(); return nextIp;`),
  row(0xa6, "cmpsb", { r: "D", w: "OSZAPC" },
    `cmps<u8>(); return nextIp;`),
  row(0xa7, "cmpsv", { r: "D", w: "OSZAPC" },
    `if (opsize32) cmps<u32>(); else cmps<u16>(); return nextIp;`),
  row(0xa8, "test AL, Ib", { block: "TEST8_RI", w: "OSZAPC", nofault: true },
    `{ const b = fetchAt<u8>(ip); if (!faulted()) test<u8>(reg8(EAX), b); return ip + 1; }`),
  row(0xa9, "test eAX, Iz", { block: "TEST_RI", w: "OSZAPC", nofault: true },
    `
      {
      if (opsize32) { const b = fetchAt<u32>(ip); if (!faulted()) test<u32>(reg32(EAX), b); return ip + 4; }
      const b = fetchAt<u16>(ip);
      if (!faulted()) test<u16>(reg16(EAX), b);
      return ip + 2;
      }
    `),
  row(0xaa, "stosb", { r: "D" },
    `stos<u8>(); return nextIp;`),
  row(0xab, "stosv", { r: "D" },
    `if (opsize32) stos<u32>(); else stos<u16>(); return nextIp;`),
  row(0xac, "lodsb", { r: "D" },
    `lods<u8>(); return nextIp;`),
  row(0xad, "lodsv", { r: "D" },
    `if (opsize32) lods<u32>(); else lods<u16>(); return nextIp;`),
  row(0xae, "scasb", { r: "D", w: "OSZAPC" },
    `scas<u8>(); return nextIp;`),
  row(0xaf, "scasv", { r: "D", w: "OSZAPC" },
    `if (opsize32) scas<u32>(); else scas<u16>(); return nextIp;`),
  row(range(0xb0, 8), "mov Zb, Ib", { block: "MOV8_RI", nofault: true },
    `return movReg8Imm(op & 7, ip);`),
  row(range(0xb8, 8), "mov Zv, Iv", { block: "MOV_RI", nofault: true },
    `return movRegImm(op & 7, ip);`),
  row(0xc0, "grp2 Eb, Ib", { members: GRP2_COUNT },
    `return group2<u8>(-1, ip);`),
  row(0xc1, "grp2 Ev, Ib", { block: ["SHIFT_RI", "GENERIC"], blockPost: "store<u8>(e, <u8>((m >> 3) & 7), 3);", members: GRP2_COUNT },
    `return opsize32 ? group2<u32>(-1, ip) : group2<u16>(-1, ip);`),
  row(0xc2, "ret Iw", { block: "RET_IMM", ends: "ret" },
    `{ const n = fetchAt<u16>(ip); return faulted() ? ip : retNear(n); }`),
  row(0xc3, "ret", { block: "RET", ends: "ret" },
    `return retNear(0);`),
  row(0xc4, "les Gz, Mp", {  },
    `loadFarPointer(ES); return nextIp;`),
  row(0xc5, "lds Gz, Mp", {  },
    `loadFarPointer(DS); return nextIp;`),
  row(0xc6, "grp11 Eb, Ib", { members: [
      { reg: 0, mn: "mov", block: ["MOV8_RI", "MOV8_MI"] },
    ] },
    `return movEI<u8>(ip);`),
  row(0xc7, "grp11 Ev, Iz", { members: [
      { reg: 0, mn: "mov", block: ["MOV_RI", "MOV_MI"] },
    ] },
    `return opsize32 ? movEI<u32>(ip) : movEI<u16>(ip);`),
  row(0xc8, "enter Iw, Ib", {  },
    `enter(); return nextIp;`),
  row(0xc9, "leave", { block: "LEAVE",  },
    `leave(); return ip;`),
  row(0xca, "retf Iw", { ends: "far" },
    `{ const n = fetch16(); if (!faulted()) retFar(n); return nextIp; }`),
  row(0xcb, "retf", { ends: "far" },
    `retFar(0); return nextIp;`),
  row(0xcc, "int3", { ends: "int" },
    `softInt(BP); return nextIp;`),
  row(0xcd, "int Ib", { ends: "int" },
    `{ const v = fetch8(); if (!faulted()) intN(v); return nextIp; }`),
  row(0xce, "into", { r: "O", ends: "int" },
    `if ((getFlags() & OF) != 0) softInt(<u32>OFV); return nextIp;`),
  row(0xcf, "iret", { w: "*", ends: "far" },
    `iret(); return nextIp;`),
  row(0xd0, "grp2 Eb, 1", { members: GRP2_ONE },
    `return group2<u8>(1, ip);`),
  row(0xd1, "grp2 Ev, 1", { block: ["SHIFT_RI", "GENERIC"], blockPost: "store<u8>(e, <u8>((m >> 3) & 7), 3); store<u32>(e, 1, 4);", members: GRP2_ONE },
    `return opsize32 ? group2<u32>(1, ip) : group2<u16>(1, ip);`),
  row(0xd2, "grp2 Eb, CL", { members: GRP2_COUNT },
    `return group2<u8>(0, ip);`),
  row(0xd3, "grp2 Ev, CL", { block: ["SHIFT_RC", "GENERIC"], blockPost: "store<u8>(e, <u8>((m >> 3) & 7), 3);", members: GRP2_COUNT },
    `return opsize32 ? group2<u32>(0, ip) : group2<u16>(0, ip);`),
  row(0xd4, "aam Ib", { w: "OSZAPC" },
    `{ const b = fetch8(); if (!faulted()) aam(b); return nextIp; }`),
  row(0xd5, "aad Ib", { w: "OSZAPC" },
    `{ const b = fetch8(); if (!faulted()) aad(b); return nextIp; }`),
  row(0xd6, "salc", { r: "C", nofault: true },
    `setReg8(EAX, getCF() ? 0xff : 0); return nextIp; // salc (undocumented, on every P6)`),
  row(0xd7, "xlat", {  },
    `
      { // xlat
      const off = addr32 ? reg32(EBX) + reg8(EAX) : (reg16(EBX) + reg8(EAX)) & 0xffff;
      setEA(dataSeg(), off);
      const v = readMem<u8>();
      if (!faulted()) setReg8(EAX, v);
      return nextIp;
      }
    `),
  row(range(0xd8, 8), "esc (x87) E", { block: ["X87", "X87"], blockPost: "store<u32>(e, op | (m << 8), 4);" },
    `
      // The x87 forms are rows of their own table (isa/x87.mjs).
      decodeModRM();
      if (!faulted() && fpuAvailable()) x87(op);
      return nextIp;
    `),
  row(range(0xe0, 3), "loopne Jb", { r: "Z", ends: "branch" },
    `
      { // loopne, loope, loop
      const d = fetchS8();
      if (faulted()) return nextIp;
      const c = counter() - 1;
      setCounter(c);
      const zf = (getFlags() & ZF) != 0;
      const go = (addr32 ? c : c & 0xffff) != 0 && (op == 0xe2 || (op == 0xe1 ? zf : !zf));
      if (go) jumpRel(d);
      return nextIp;
      }
    `),
  row(0xe3, "jcxz Jb", { ends: "branch" },
    `{ const d = fetchS8(); if (!faulted() && counter() == 0) jumpRel(d); return nextIp; }`),
  row(0xe4, "in AL, Ib", {  },
    `{ const p = fetch8(); if (!faulted()) inAcc<u8>(p); return nextIp; }`),
  row(0xe5, "in eAX, Ib", {  },
    `{ const p = fetch8(); if (!faulted()) { if (opsize32) inAcc<u32>(p); else inAcc<u16>(p); } return nextIp; }`),
  row(0xe6, "out Ib, AL", {  },
    `{ const p = fetch8(); if (!faulted()) outAcc<u8>(p); return nextIp; }`),
  row(0xe7, "out Ib, eAX", {  },
    `{ const p = fetch8(); if (!faulted()) { if (opsize32) outAcc<u32>(p); else outAcc<u16>(p); } return nextIp; }`),
  row(0xe8, "call Jz", { block: "CALL", ends: "call" },
    `
      {
      const d = fetchImmVAt(ip);
      const ret = ip + immVSize();
      return faulted() ? ret : callNear(ret, ret + d);
      }
    `),
  row(0xe9, "jmp Jz", { block: "JMP", ends: "jump" },
    `return jmpV(ip);`),
  row(0xea, "jmp Ap", { ends: "far" },
    `
      {
      const off = fetchImmV();
      const sel = fetch16();
      if (!faulted()) jumpFar(sel, off);
      return nextIp;
      }
    `),
  row(0xeb, "jmp Jb", { block: "JMP", ends: "jump" },
    `{ const d = fetchS8At(ip); return nearTarget(ip + 1 + d); }`),
  row(0xec, "in AL, DX", {  },
    `inAcc<u8>(reg16(EDX)); return nextIp;`),
  row(0xed, "in eAX, DX", {  },
    `if (opsize32) inAcc<u32>(reg16(EDX)); else inAcc<u16>(reg16(EDX)); return nextIp;`),
  row(0xee, "out DX, AL", {  },
    `outAcc<u8>(reg16(EDX)); return nextIp;`),
  row(0xef, "out DX, eAX", {  },
    `if (opsize32) outAcc<u32>(reg16(EDX)); else outAcc<u16>(reg16(EDX)); return nextIp;`),
  row(0xf0, "lock", { prefix: true },
    `
      {
      setLock();
      setNextIp(ip);
      op = lockedOpcode();
      ip = nextIp;
      if (faulted()) return ip;
      continue;
      }
    `),
  row(0xf1, "icebp", { ends: "int" },
    `icebp(); return nextIp;`),
  row(0xf2, "repne", { prefix: true },
    `setRep(0xf2); break;`),
  row(0xf3, "rep", { prefix: true },
    `setRep(0xf3); break;`),
  row(0xf4, "hlt", { ends: "halt" },
    `hlt(); return nextIp;`),
  row(0xf5, "cmc", { r: "C", w: "C", nofault: true },
    `putFlag(CF, !getCF()); return ip;`),
  row(0xf6, "grp3 Eb", { members: GRP3(false) },
    `return group3<u8>(ip);`),
  row(0xf7, "grp3 Ev", { members: GRP3(true) },
    `return opsize32 ? group3<u32>(ip) : group3<u16>(ip);`),
  row(0xf8, "clc", { w: "C", nofault: true },
    `putFlag(CF, false); return ip;`),
  row(0xf9, "stc", { w: "C", nofault: true },
    `putFlag(CF, true); return ip;`),
  row(0xfa, "cli", { w: "I" },
    `setIF(false); return nextIp;`),
  row(0xfb, "sti", { w: "I", ends: "shadow" },
    `setIF(true); return nextIp;`),
  row(0xfc, "cld", { w: "D", nofault: true },
    `putFlag(DFLAG, false); return ip;`),
  row(0xfd, "std", { w: "D", nofault: true },
    `putFlag(DFLAG, true); return ip;`),
  row(0xfe, "grp4 Eb", { members: [
      { reg: 0, mn: "inc", w: "OSZAP", lock: "mem", block: ["INC8_R", "INC8_M"] },
      { reg: 1, mn: "dec", w: "OSZAP", lock: "mem", block: ["DEC8_R", "DEC8_M"] },
    ] },
    `
      {
      ip = decodeModRMAt(ip);
      const r = regField();
      if (r > 1) raise(UD);
      else incDecRM<u8>(r == 1);
      return ip;
      }
    `),
  row(0xff, "grp5 Ev", { members: [
      { reg: 0, mn: "inc", w: "OSZAP", lock: "mem", block: ["INC", "INC_M"] },
      { reg: 1, mn: "dec", w: "OSZAP", lock: "mem", block: ["DEC", "DEC_M"] },
      { reg: 2, mn: "call near", ends: "call", block: ["CALL_R", "CALL_M"] },
      { reg: 3, mn: "call far Mp", ends: "far" },
      { reg: 4, mn: "jmp near", ends: "jump", block: ["JMP_R", "JMP_M"] },
      { reg: 5, mn: "jmp far Mp", ends: "far" },
      { reg: 6, mn: "push", block: ["PUSH_R", "PUSH_M"] },
    ] },
    `return group5(ip);`),
];

export const TWO_BYTE = [
  row(0x00, "grp6 Ew", { members: [
      { reg: 0, mn: "sldt" },
      { reg: 1, mn: "str" },
      { reg: 2, mn: "lldt", ends: "mode" },
      { reg: 3, mn: "ltr", ends: "mode" },
      { reg: 4, mn: "verr", w: "Z" },
      { reg: 5, mn: "verw", w: "Z" },
    ] },
    `group6(); break;`),
  row(0x01, "grp7 Ev", { members: [
      { reg: 0, mn: "sgdt Ms" },
      { reg: 1, mn: "sidt Ms" },
      { reg: 2, mn: "lgdt Ms", ends: "mode" },
      { reg: 3, mn: "lidt Ms", ends: "mode" },
      { reg: 4, mn: "smsw" },
      { reg: 6, mn: "lmsw", ends: "mode" },
      { reg: 7, mn: "invlpg Mb", ends: "mode" },
    ] },
    `group7(); break;`),
  row(0x02, "lar Gv, Ew", { w: "Z" },
    `larLsl(LAR); break;`),
  row(0x03, "lsl Gv, Ew", { w: "Z" },
    `larLsl(LSL); break;`),
  row(0x06, "clts", {  },
    `
      // clts
      if (requireRing0()) store<u32>(CR0, load<u32>(CR0) & ~8);
      break;
    `),
  row(range(0x08, 2), "invd / wbinvd", {  },
    `requireRing0(); break; // invd, wbinvd: no caches to model`),
  row(0x0b, "ud2", {  },
    `raise(UD); break; // ud2`),
  row(range(0x19, 7), "nop Ev (reserved hints)", {  },
    `decodeModRM(); break;`),
  row(0x20, "mov Rd, Cd", {  },
    `
      { // mov r32, crN (mod is ignored: always a register)
      decodeModRM();
      if (!requireRing0()) break;
      const v = readCR(regField());
      if (!faulted()) setReg32(rmField(), v);
      break;
      }
    `),
  row(0x21, "mov Rd, Dd", {  },
    `
      { // mov r32, drN
      decodeModRM();
      const n = debugRegister(regField());
      if (n >= 0 && requireRing0()) setReg32(rmField(), load<u32>(DR + (<u32>n << 2)));
      break;
      }
    `),
  row(0x22, "mov Cd, Rd", { ends: "mode" },
    `
      decodeModRM();
      if (!requireRing0()) break;
      writeCR(regField(), reg32(rmField()));
      break;
    `),
  row(0x23, "mov Dd, Rd", { ends: "mode" },
    `
      { // mov drN, r32
      decodeModRM();
      const n = debugRegister(regField());
      if (n >= 0 && requireRing0()) store<u32>(DR + (<u32>n << 2), reg32(rmField()));
      break;
      }
    `),
  row(0x30, "wrmsr", { ends: "mode" },
    `wrmsr(); break;`),
  row(0x31, "rdtsc", {  },
    `rdtsc(); break;`),
  row(0x32, "rdmsr", {  },
    `rdmsr(); break;`),
  row(0x34, "sysenter", { ends: "far" },
    `sysenter(); break;`),
  row(0x35, "sysexit", { ends: "far" },
    `sysexit(); break;`),
  row(range(0x40, 16), "cmovcc Gv, Ev", { block: ["CMOV_RR", "CMOV_RM"], blockPost: "store<u32>(e, op & 15, 4);", r: "$cc" },
    `
      if (opsize32) cmov<u32>(op & 15); else cmov<u16>(op & 15);
      break;
    `),
  row(range(0x80, 16), "j$cc Jz", { block: "JCC + $cc", r: "$cc", ends: "branch", nofault: true },
    `jccV($cc); break;`),
  row(range(0x90, 16), "setcc Eb", { block: ["SETCC_R", "GENERIC"], blockPost: "store<u32>(e, op & 15, 4);", r: "$cc" },
    `
      decodeModRM();
      writeRM<u8>(testCC(op & 15) ? 1 : 0);
      break;
    `),
  row(0xa0, "push FS", {  },
    `pushSeg(FS); break;`),
  row(0xa1, "pop FS", {  },
    `popSeg(FS); break;`),
  row(0xa2, "cpuid", {  },
    `cpuid(); break;`),
  row(0xa3, "bt Ev, Gv", { w: "C" },
    `if (opsize32) bitTest<u32>(0); else bitTest<u16>(0); break;`),
  row(0xa4, "shld Ev, Gv, Ib", { block: ["SHLD_RI", "GENERIC"], r: "OSZAPC", w: "OSZAPC" },
    `if (opsize32) shiftDouble<u32>(true, true); else shiftDouble<u16>(true, true); break;`),
  row(0xa5, "shld Ev, Gv, CL", { block: ["SHLD_RC", "GENERIC"], r: "OSZAPC", w: "OSZAPC" },
    `if (opsize32) shiftDouble<u32>(true, false); else shiftDouble<u16>(true, false); break;`),
  row(0xa8, "push GS", {  },
    `pushSeg(GS); break;`),
  row(0xa9, "pop GS", {  },
    `popSeg(GS); break;`),
  row(0xab, "bts Ev, Gv", { w: "C", lock: "mem" },
    `if (opsize32) bitTest<u32>(1); else bitTest<u16>(1); break;`),
  row(0xac, "shrd Ev, Gv, Ib", { block: ["SHRD_RI", "GENERIC"], r: "OSZAPC", w: "OSZAPC" },
    `if (opsize32) shiftDouble<u32>(false, true); else shiftDouble<u16>(false, true); break;`),
  row(0xad, "shrd Ev, Gv, CL", { block: ["SHRD_RC", "GENERIC"], r: "OSZAPC", w: "OSZAPC" },
    `if (opsize32) shiftDouble<u32>(false, false); else shiftDouble<u16>(false, false); break;`),
  row(0xae, "grp15 M", { members: [
      { reg: 0, mn: "fxsave M" },
      { reg: 1, mn: "fxrstor M" },
    ] },
    `
      {
      decodeModRM();
      if (faulted()) break;
      const r = regField();
      if (isReg() || r > 1) { raise(UD); break; }
      if (!fpuAvailable()) break;
      if (r == 0) fxsave(); else fxrstor();
      break;
      }
    `),
  row(0xaf, "imul Gv, Ev", { block: ["IMUL_RR", "IMUL_RM"], w: "OSZAPC" },
    `
      {
      decodeModRM();
      if (opsize32) { const b = readRM<u32>(); if (!faulted()) setRegOp<u32>(imulTrunc<u32>(getRegOp<u32>(), b)); }
      else { const b = readRM<u16>(); if (!faulted()) setRegOp<u16>(imulTrunc<u16>(getRegOp<u16>(), b)); }
      break;
      }
    `),
  row(0xb0, "cmpxchg Eb, Gb", { w: "OSZAPC", lock: "mem" },
    `cmpxchg<u8>(); break;`),
  row(0xb1, "cmpxchg Ev, Gv", { w: "OSZAPC", lock: "mem" },
    `if (opsize32) cmpxchg<u32>(); else cmpxchg<u16>(); break;`),
  row(0xb2, "lss Gz, Mp", { ends: "shadow" },
    `loadFarPointer(SS); break;`),
  row(0xb3, "btr Ev, Gv", { w: "C", lock: "mem" },
    `if (opsize32) bitTest<u32>(2); else bitTest<u16>(2); break;`),
  row(0xb4, "lfs Gz, Mp", {  },
    `loadFarPointer(FS); break;`),
  row(0xb5, "lgs Gz, Mp", {  },
    `loadFarPointer(GS); break;`),
  row(0xb6, "movzx Gv, Eb", { block: ["MOVZX8_R", "MOVZX8_M"],  },
    `if (opsize32) movzx<u8, u32>(); else movzx<u8, u16>(); break;`),
  row(0xb7, "movzx Gv, Ew", { block: ["MOVZX16_R", "MOVZX16_M"],  },
    `if (opsize32) movzx<u16, u32>(); else movzx<u16, u16>(); break;`),
  row(0xba, "grp8 Ev, Ib", { members: [
      { reg: 4, mn: "bt", w: "C" },
      { reg: 5, mn: "bts", w: "C", lock: "mem" },
      { reg: 6, mn: "btr", w: "C", lock: "mem" },
      { reg: 7, mn: "btc", w: "C", lock: "mem" },
    ] },
    `
      {
      decodeModRM();
      const r = regField();
      if (r < 4) { raise(UD); break; }
      if (opsize32) bitTestImm<u32>(r - 4); else bitTestImm<u16>(r - 4);
      break;
      }
    `),
  row(0xbb, "btc Ev, Gv", { w: "C", lock: "mem" },
    `if (opsize32) bitTest<u32>(3); else bitTest<u16>(3); break;`),
  row(0xbc, "bsf Gv, Ev", { w: "OSZAPC" },
    `if (opsize32) bitScan<u32>(false); else bitScan<u16>(false); break;`),
  row(0xbd, "bsr Gv, Ev", { w: "OSZAPC" },
    `if (opsize32) bitScan<u32>(true); else bitScan<u16>(true); break;`),
  row(0xbe, "movsx Gv, Eb", { block: ["MOVSX8_R", "MOVSX8_M"],  },
    `if (opsize32) movsx<u8, u32>(); else movsx<u8, u16>(); break;`),
  row(0xbf, "movsx Gv, Ew", { block: ["MOVSX16_R", "MOVSX16_M"],  },
    `if (opsize32) movsx<u16, u32>(); else movsx<u16, u16>(); break;`),
  row(0xc0, "xadd Eb, Gb", { w: "OSZAPC", lock: "mem" },
    `xadd<u8>(); break;`),
  row(0xc1, "xadd Ev, Gv", { w: "OSZAPC", lock: "mem" },
    `if (opsize32) xadd<u32>(); else xadd<u16>(); break;`),
  row(0xc7, "grp9", { members: [
      { reg: 1, mn: "cmpxchg8b Mq", w: "Z", lock: "mem" },
    ] },
    `cmpxchg8b(); break;`),
  row(range(0xc8, 8), "bswap Zd", { block: "BSWAP", nofault: true },
    `
      setReg32(op & 7, bswap<u32>(reg32(op & 7)));
      break;
    `),
];
