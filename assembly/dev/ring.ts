// Byte rings shared with the host (layout.ts: RING_HDR, RING_SIZE).
// The producer owns head, the consumer owns tail; one slot stays empty so
// that head == tail always means empty.
import { RING_HDR, RING_SIZE } from "../layout";

// @ts-ignore: decorator
@inline function head(r: u32): u32 { return load<u32>(r); }
// @ts-ignore: decorator
@inline function tail(r: u32): u32 { return load<u32>(r + 4); }

export function ringUsed(r: u32): u32 { return (head(r) - tail(r)) & (RING_SIZE - 1); }
export function ringFree(r: u32): u32 { return RING_SIZE - 1 - ringUsed(r); }

// Returns false when the ring is full and the byte was not taken.
export function ringPut(r: u32, b: u32): bool {
  const h = head(r);
  const next = (h + 1) & (RING_SIZE - 1);
  if (next == tail(r)) return false;
  store<u8>(r + RING_HDR + h, <u8>b);
  store<u32>(r, next);
  return true;
}

// Returns the next byte, or -1 when empty.
export function ringGet(r: u32): i32 {
  const t = tail(r);
  if (t == head(r)) return -1;
  const b = <i32>load<u8>(r + RING_HDR + t);
  store<u32>(r + 4, (t + 1) & (RING_SIZE - 1));
  return b;
}

export function ringReset(r: u32): void {
  store<u32>(r, 0);
  store<u32>(r + 4, 0);
}
