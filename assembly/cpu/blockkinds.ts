// The decoded forms of the block cache (cpu/blocks.ts decodes into them,
// cpu/blockexec.ts runs them) and the layout of one decoded instruction.
//
// An entry is 16 bytes:
//   +0 u8  kind (K.*)           +1 u8  length in bytes
//   +2 u8  d: destination register, or the ModRM reg field
//   +3 u8  s: source register; for memory forms, segment | scale << 4
//   +4 u32 imm: immediate, displacement of a jump, condition code, shift op
//   +8 u16 address of the base register (or of ZERO_WORD)
//   +10 u16 address of the index register (or of ZERO_WORD)
//   +12 u32 displacement of the memory operand
// Kinds with an operation (ALU ones) come in runs of eight in the order of
// the opcode's operation field (add or adc sbb and sub xor cmp).

export const ENTRY_BYTES: u32 = 16;

export namespace K {
  export const GENERIC: u32 = 0; // anything else: the interpreter runs it, and the block ends
  export const ALU_RR: u32 = 1; // d op= s
  export const ALU_RI: u32 = 9; // d op= imm
  export const ALU_RM: u32 = 17; // d op= [m]
  export const ALU_MR: u32 = 25; // [m] op= d
  export const ALU_MI: u32 = 33; // [m] op= imm
  export const ALU_RR_NF: u32 = 41; // as ALU_RR with no flags: a later instruction redefines them unseen
  export const ALU_RI_NF: u32 = 49;
  export const ALU8_RR: u32 = 57;
  export const ALU8_RI: u32 = 65;
  export const ALU8_RM: u32 = 73;
  export const ALU8_MI: u32 = 81;
  export const INC: u32 = 89, DEC: u32 = 90, INC_NF: u32 = 91, DEC_NF: u32 = 92;
  export const MOV_RR: u32 = 93, MOV_RI: u32 = 94, MOV_RM: u32 = 95, MOV_MR: u32 = 96, MOV_MI: u32 = 97;
  export const MOV8_RR: u32 = 98, MOV8_RI: u32 = 99, MOV8_RM: u32 = 100, MOV8_MR: u32 = 101, MOV8_MI: u32 = 102;
  export const MOVZX8_R: u32 = 103, MOVZX8_M: u32 = 104, MOVZX16_R: u32 = 105, MOVZX16_M: u32 = 106;
  export const MOVSX8_R: u32 = 107, MOVSX8_M: u32 = 108, MOVSX16_R: u32 = 109, MOVSX16_M: u32 = 110;
  export const LEA: u32 = 111;
  export const TEST_RR: u32 = 112, TEST_RI: u32 = 113, TEST_MR: u32 = 114, TEST8_RR: u32 = 115, TEST8_RI: u32 = 116, TEST8_MI: u32 = 117;
  export const PUSH_R: u32 = 118, POP_R: u32 = 119, PUSH_I: u32 = 120, PUSH_M: u32 = 121;
  export const JCC: u32 = 122; // 16 kinds, one per condition code
  export const JMP: u32 = 138, CALL: u32 = 139, RET: u32 = 140, RET_IMM: u32 = 141, JMP_R: u32 = 142, CALL_R: u32 = 143, JMP_M: u32 = 144, CALL_M: u32 = 145;
  export const SHIFT_RI: u32 = 146, SHIFT_RC: u32 = 147, NOT_R: u32 = 148, NEG_R: u32 = 149;
  export const IMUL_RR: u32 = 150, IMUL_RM: u32 = 151, IMUL_RRI: u32 = 152, IMUL_RMI: u32 = 153;
  export const CDQ: u32 = 154, CWDE: u32 = 155, XCHG_RR: u32 = 156, NOP: u32 = 157;
  export const SETCC_R: u32 = 158, CMOV_RR: u32 = 159, CMOV_RM: u32 = 160, LEAVE: u32 = 161;
  // An instruction with no form here that neither branches nor changes the
  // CPU's mode: the interpreter runs it and the block goes on (midblock.ts).
  export const INTERP: u32 = 162;
  // 16-bit operand forms (an operand-size prefix): the 32-bit forms' work on
  // the low words. The ALU runs start where (kind - 1) & 7 is the operation.
  export const ALU16_RR: u32 = 169, ALU16_RI: u32 = 177, ALU16_RM: u32 = 185, ALU16_MR: u32 = 193, ALU16_MI: u32 = 201;
  export const MOV16_RR: u32 = 209, MOV16_RI: u32 = 210, MOV16_RM: u32 = 211, MOV16_MR: u32 = 212, MOV16_MI: u32 = 213;
  export const TEST16_RR: u32 = 214, TEST16_RI: u32 = 215, TEST16_MR: u32 = 216, INC16: u32 = 217, DEC16: u32 = 218;
  // inc/dec of memory at each width, and of a byte register.
  export const INC_M: u32 = 219, DEC_M: u32 = 220, INC16_M: u32 = 221, DEC16_M: u32 = 222;
  export const INC8_R: u32 = 223, DEC8_R: u32 = 224, INC8_M: u32 = 225, DEC8_M: u32 = 226;
  // mul, imul, div, idiv of EDX:EAX by a register or memory (F7 /4../7):
  // the operation (4..7) is the ModRM reg field, s for the register form and
  // d for the memory form.
  export const MULDIV_R: u32 = 227, MULDIV_M: u32 = 228;
  // shld/shrd of a register (d) with a register (s) by imm or CL.
  export const SHLD_RI: u32 = 229, SHRD_RI: u32 = 230, SHLD_RC: u32 = 231, SHRD_RC: u32 = 232;
  // [m] op= d at 8 bits (the run starts where (kind - 1) & 7 is the operation).
  export const ALU8_MR: u32 = 233;
  export const BSWAP: u32 = 241;
  // An x87 instruction (D8-DF): imm holds the escape byte and the ModRM
  // byte (op | modrm << 8); for a memory operand, the usual operand fields.
  // Its handler runs without the interpreter's decoding (fpu/entry.ts).
  export const X87: u32 = 242;
  // 16-bit shifts and rotates of a register (an operand-size prefix on
  // C1, D1 and D3 with a register operand): the operation in s, the count
  // in imm (SHIFT16_RI) or CL (SHIFT16_RC). The LZMA decoder's
  // probability updates (prob -= prob >> 5 on u16) are these.
  export const SHIFT16_RI: u32 = 243, SHIFT16_RC: u32 = 244;
  export const COUNT: u32 = 245;
}

// An entry's fields.
// @ts-ignore: decorator
@inline export function fD(e: usize): u32 { return <u32>load<u8>(e, 2); }
// @ts-ignore: decorator
@inline export function fS(e: usize): u32 { return <u32>load<u8>(e, 3); }
// @ts-ignore: decorator
@inline export function fImm(e: usize): u32 { return load<u32>(e, 4); }
// @ts-ignore: decorator
@inline export function fSeg(e: usize): u32 { return <u32>load<u8>(e, 3) & 15; }
// The memory operand's offset: base + index << scale + displacement.
// @ts-ignore: decorator
@inline export function fOff(e: usize): u32 {
  const scale = <u32>load<u8>(e, 3) >> 4;
  return load<u32>(<usize>load<u16>(e, 8)) + (load<u32>(<usize>load<u16>(e, 10)) << scale) + load<u32>(e, 12);
}
