// Runs hand-assembled machine code in flat 32-bit protected mode.
import { Machine } from "../../host/machine.js";
import { coreModule } from "./machine.js";

export const CODE_AT = 0x10000;

export async function runCode(bytes: number[], opts: { maxInstructions?: number; memoryMiB?: number } = {}) {
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: opts.memoryMiB ?? 2 });
  m.ram.set(bytes, CODE_AT);
  m.bootFlat(CODE_AT);
  // ESP somewhere harmless.
  const outcome = await m.runUntilDone({ maxInstructions: opts.maxInstructions ?? 100_000 });
  return { m, outcome, regs: m.registers() };
}

export const HLT = 0xf4;
export const CF = 1, PF = 4, AF = 16, ZF = 64, SF = 128, OF = 2048;
export const ARITH = CF | PF | AF | ZF | SF | OF;
