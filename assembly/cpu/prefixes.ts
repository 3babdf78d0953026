// Instruction prefixes: what each prefix byte sets, and the LOCK rule.
import {
  nextIp, setNextIp, code32, countPrefix, setOpsize, setAddrsize, setSegOverride, setRep, setLock, fetchAt,
} from "./decode";
import { faulted, raise, segBase, ES, CS, SS, DS, FS, GS, UD } from "./state";
import { readLin } from "../mmu/memory";
import { lockAllowed } from "./gen/lock";

// The byte after a prefix, at ip.
export function afterPrefix(ip: u32): u32 {
  countPrefix();
  return fetchAt<u8>(ip);
}

// Applies a prefix byte; false when b is not one.
export function applyPrefix(b: u32): bool {
  switch (b) {
    case 0x26: setSegOverride(ES); return true;
    case 0x2e: setSegOverride(CS); return true;
    case 0x36: setSegOverride(SS); return true;
    case 0x3e: setSegOverride(DS); return true;
    case 0x64: setSegOverride(FS); return true;
    case 0x65: setSegOverride(GS); return true;
    case 0x66: setOpsize(!code32); return true;
    case 0x67: setAddrsize(!code32); return true;
    case 0xf0: setLock(); return true;
    case 0xf2: setRep(0xf2); return true;
    case 0xf3: setRep(0xf3); return true;
    default: return false;
  }
}

// After a LOCK prefix (at the global cursor): takes the remaining prefixes,
// then checks that the instruction may be locked (SDM vol. 2, LOCK): only
// the read-modify-write forms the instruction table marks, and only with a
// memory destination; anything else is #UD.
export function lockedOpcode(): u32 {
  let op = afterPrefix(nextIp);
  setNextIp(nextIp + 1);
  while (!faulted() && applyPrefix(op)) { op = afterPrefix(nextIp); setNextIp(nextIp + 1); }
  if (faulted()) return op;
  const m = peekCode(0);
  const ok = op == 0x0f ? lockAllowed(0x100 | m, peekCode(1)) : lockAllowed(op, m);
  if (!faulted() && !ok) raise(UD);
  return op;
}

// A code byte ahead of the decoder, without consuming it.
export function peekCode(ahead: u32): u32 {
  return readLin<u8>(segBase(CS) + nextIp + ahead);
}

