// LAR, LSL, VERR and VERW: questions about a selector that answer in ZF
// instead of faulting (SDM vol. 2). A selector the current privilege may
// not see, or of the wrong type, clears ZF and leaves the destination.
import { GDTR_LIMIT, LDTR_LIMIT, CPL } from "../layout";
import { protectedMode, raise, faulted, UD } from "./state";
import { putFlag, ZF } from "./flags";
import {
  readDescriptor, descLo, descHi, descDpl, descLimit, isCodeOrData, isCode, isData, isConforming, systemType,
} from "./segment";

// Reads the descriptor when sel is inside its table; false (no fault) when not.
function visibleDescriptor(sel: u32): bool {
  if ((sel & 0xfffc) == 0) return false;
  const limit = load<u32>((sel & 4) ? LDTR_LIMIT : GDTR_LIMIT);
  if ((sel & 0xfff8) + 7 > limit) return false;
  return readDescriptor(sel);
}

// Privilege: conforming code is visible from anywhere; everything else
// needs DPL >= CPL and DPL >= RPL.
function privileged(sel: u32, hi: u32): bool {
  if (isCode(hi) && isConforming(hi)) return true;
  const dpl = descDpl(hi);
  return dpl >= load<u32>(CPL) && dpl >= (sel & 3);
}

// Which system types each instruction accepts.
function larType(t: u32): bool { return t == 1 || t == 2 || t == 3 || t == 4 || t == 5 || t == 9 || t == 11 || t == 12; }
function lslType(t: u32): bool { return t == 1 || t == 2 || t == 3 || t == 9 || t == 11; }

export const LAR: u32 = 0, LSL: u32 = 1, VERR: u32 = 2, VERW: u32 = 3;

// Returns the value for LAR/LSL's destination; ZF says whether to write it.
// #UD outside protected mode.
export function selectorQuery(kind: u32, sel: u32): u32 {
  if (!protectedMode()) { raise(UD); return 0; }
  let ok = visibleDescriptor(sel);
  if (faulted()) return 0;
  const hi = descHi;
  if (ok) {
    if (!isCodeOrData(hi)) ok = (kind == LAR && larType(systemType(hi))) || (kind == LSL && lslType(systemType(hi)));
    else if (kind == VERR) ok = isData(hi) || (hi & 0x200) != 0; // data, or readable code
    else if (kind == VERW) ok = isData(hi) && (hi & 0x200) != 0; // writable data
    ok = ok && privileged(sel, hi);
  }
  putFlag(ZF, ok);
  if (!ok) return 0;
  return kind == LSL ? descLimit(descLo, hi) : hi & 0x00f0ff00;
}
