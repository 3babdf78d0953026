// The x87's transcendental instructions: fsin, fcos, fsincos, fptan,
// fpatan, f2xm1, fyl2x, fyl2xp1. Not built yet: they are #UD until
// assembly/fpu/transcend.ts exists.
import { raise, UD } from "../cpu/state";

export function fsin(): void { raise(UD); }
export function fcos(): void { raise(UD); }
export function fsincos(): void { raise(UD); }
export function fptan(): void { raise(UD); }
export function fpatan(): void { raise(UD); }
export function f2xm1(): void { raise(UD); }
export function fyl2x(): void { raise(UD); }
export function fyl2xp1(): void { raise(UD); }
