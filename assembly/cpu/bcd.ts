// Decimal adjust: daa das aaa aas aam aad (SDM vol. 2 pseudocode). Flags the
// SDM leaves undefined are set as QEMU sets them (OF = 0 after daa/das;
// CF = OF = AF = 0 after aam/aad; aaa/aas leave OF SF ZF PF alone).
import { EFLAGS } from "../layout";
import { reg8, reg16, setReg8, setReg16, raise, EAX, DE } from "./state";
import { getCF, getAF, setLazy, materialize, Op, ARITH, CF, AF, PF, ZF, SF } from "./flags";

const AH: u32 = 4; // register number of AH in the 8-bit encoding

// CF and AF given; ZF SF PF from the new AL; OF cleared.
function setAdjustFlags(al: u32, cf: bool, af: bool): void {
  store<u32>(EFLAGS, (load<u32>(EFLAGS) & ~ARITH) | (cf ? CF : 0) | (af ? AF : 0));
  setLazy(Op.RESULT, al, 0, 0, 7, PF | ZF | SF);
}

export function daa(): void {
  const old = reg8(EAX);
  const cf = getCF();
  let al = old;
  let af = false;
  if ((al & 0x0f) > 9 || getAF()) { al = (al + 6) & 0xff; af = true; }
  let newCf = false;
  if (old > 0x99 || cf) { al = (al + 0x60) & 0xff; newCf = true; }
  setReg8(EAX, al);
  setAdjustFlags(al, newCf, af);
}

export function das(): void {
  const old = reg8(EAX);
  const cf = getCF();
  let al = old;
  let af = false;
  let newCf = false;
  if ((al & 0x0f) > 9 || getAF()) {
    af = true;
    if (al < 6 || cf) newCf = true; // borrow out of AL - 6
    al = (al - 6) & 0xff;
  }
  if (old > 0x99 || cf) { al = (al - 0x60) & 0xff; newCf = true; }
  setReg8(EAX, al);
  setAdjustFlags(al, newCf, af);
}

// aaa/aas change only CF and AF (and AX).
function setCarryAux(on: bool): void {
  materialize(ARITH);
  const f = load<u32>(EFLAGS) & ~(CF | AF);
  store<u32>(EFLAGS, on ? f | CF | AF : f);
}

export function aaa(): void {
  const ax = reg16(EAX);
  if ((ax & 0x0f) > 9 || getAF()) {
    const sum = ax + 0x106; // AL + 6 carries into AH, and AH + 1
    setReg16(EAX, sum & 0xff0f);
    setCarryAux(true);
  } else {
    setReg16(EAX, ax & 0xff0f);
    setCarryAux(false);
  }
}

export function aas(): void {
  const ax = reg16(EAX);
  if ((ax & 0x0f) > 9 || getAF()) {
    const al = ax & 0xff;
    const ah = ((ax >> 8) - 1 - (al < 6 ? 1 : 0)) & 0xff;
    setReg16(EAX, (ah << 8) | ((al - 6) & 0x0f));
    setCarryAux(true);
  } else {
    setReg16(EAX, ax & 0xff0f);
    setCarryAux(false);
  }
}

// aam: AH = AL / base, AL = AL % base; base 0 raises #DE.
export function aam(base: u32): void {
  if (base == 0) { raise(DE); return; }
  const al = reg8(EAX);
  const lo = al % base;
  setReg16(EAX, ((al / base) << 8) | lo);
  setAdjustFlags(lo, false, false);
}

// aad: AL = AH * base + AL (low byte), AH = 0.
export function aad(base: u32): void {
  const al = (reg8(AH) * base + reg8(EAX)) & 0xff;
  setReg16(EAX, al);
  setAdjustFlags(al, false, false);
}
