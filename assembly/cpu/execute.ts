// The interpreter's loop: the fast path for common 32-bit register forms,
// and step(), which runs one instruction through the full decoder: the
// dispatch generated from the instruction table (gen/dispatch.ts, from
// isa/opcodes.mjs), the prefixes (prefixes.ts) and the operand forms
// (forms.ts, forms0f.ts), whose handlers are width-generic (T = u8, u16,
// u32) so that the 16- and 32-bit forms are one source.
import { CODE32, EIP as EIP_ADDR, EVENTS } from "../layout";
import { retireN } from "../dev/clock";
import { fastInsn, FAST_MAX_LENGTH } from "./fastpath";
import { faulted } from "./state";
import { beginInsn, endInsn, fetchAt, fetchWindowValid, fetchWindowIp, fetchWindowPtr } from "./decode";
import { execute } from "./gen/dispatch";

// The interpreter: runs instructions from CS:EIP until limit have retired
// or an event is pending. Returns how many retired. On a fault the run
// loop rewinds EIP to insnStart; otherwise EIP is written back at the end.
//
// The loop takes the common register-only instructions of 32-bit code
// itself (fastpath.ts), with the instruction pointer in a local and no
// call on the way; everything else goes through step(), one instruction
// at a time. Retirements are counted here and folded into the clock before
// each step(), the only place the clock can be read (in, out, rdtsc).
export function interpret(limit: u32): u32 {
  // An event already pending is taken after the first instruction, as
  // after any other (only step() can raise one).
  if (load<u32>(EVENTS) != 0) limit = 1;
  let n: u32 = 0;
  let folded: u32 = 0;
  let ip = load<u32>(EIP_ADDR);
  let windowIp = fetchWindowIp();
  let windowPtr = fetchWindowPtr();
  let span = fastSpan();
  while (n < limit) {
    const off = ip - windowIp;
    if (off < span) {
      const p = windowPtr + off;
      const next = fastInsn(<u32>load<u8>(p), p, ip);
      if (next != ip) {
        ip = next;
        n++;
        continue;
      }
    }
    retireN(n - folded);
    folded = n;
    ip = step(ip);
    n++;
    if (load<u32>(EVENTS) != 0) break;
    windowIp = fetchWindowIp();
    windowPtr = fetchWindowPtr();
    span = fastSpan();
  }
  retireN(n - folded);
  store<u32>(EIP_ADDR, ip);
  return n;
}

// One instruction from CS:EIP through the full decoder, retired: how the
// block executor runs the instructions it does not decode.
export function stepOne(): void {
  store<u32>(EIP_ADDR, step(load<u32>(EIP_ADDR)));
  retireN(1);
}

// The offsets in the fetched page where an instruction of the fast path
// starts and ends inside it: none unless there is a page and the code is
// 32-bit.
// @ts-ignore: decorator
@inline function fastSpan(): u32 {
  return fetchWindowValid() && load<u32>(CODE32) != 0 ? 0x1000 - FAST_MAX_LENGTH + 1 : 0;
}

// One instruction through the full decoder, from ip; returns the next EIP.
// (Exported only so that binaryen does not inline it into interpret(): see
// index.ts.)
export function step(ip: u32): u32 {
  beginInsn(ip);
  const op = fetchAt<u8>(ip);
  // An opcode that could not be fetched is not executed: nothing but the
  // fault may happen (the next bytes' garbage would otherwise run).
  if (!faulted()) ip = execute(op, ip + 1);
  return endInsn(ip);
}

