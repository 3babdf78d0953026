// The guest's serial lines as the core keeps them: byte rings in its memory
// (a head and a tail word, then the bytes). Devices put what the guest
// writes in output rings (COM1, the debug console) and the host takes it
// out after every core call; the host puts input in COM1's receive ring
// from a queue of its own, so that none is dropped when the ring is full.
import type { CoreMemory } from "./core-memory.js";

/** The bytes waiting in the output ring at ring, taken out. */
export function drainRing({ core, u8, u32 }: CoreMemory, ring: number): Uint8Array {
  const size = core.RING_SIZE.value;
  const hdr = core.RING_HDR.value;
  const head = u32[ring >> 2];
  let tail = u32[(ring >> 2) + 1];
  if (head === tail) return new Uint8Array(0);
  const out = new Uint8Array((head - tail) & (size - 1));
  for (let i = 0; i < out.length; i++) {
    out[i] = u8[ring + hdr + tail];
    tail = (tail + 1) & (size - 1);
  }
  u32[(ring >> 2) + 1] = tail;
  return out;
}

/** Input for COM1 that its receive ring has not taken yet, oldest first. */
export class SerialInput {
  private readonly queue: Uint8Array[] = [];

  /** Queues bytes (the caller may reuse its array). */
  push(data: Uint8Array): void {
    if (data.length) this.queue.push(data.slice());
  }

  get pending(): number {
    return this.queue.reduce((n, b) => n + b.length, 0);
  }

  /** Moves queued input into the core's receive ring, as much as fits. */
  feed({ core, u8, u32 }: CoreMemory): void {
    if (!this.queue.length) return;
    const ring = core.SERIAL_IN.value;
    const size = core.RING_SIZE.value;
    const hdr = core.RING_HDR.value;
    let head = u32[ring >> 2];
    const tail = u32[(ring >> 2) + 1];
    while (this.queue.length) {
      const data = this.queue[0];
      let n = 0;
      for (; n < data.length; n++) {
        const next = (head + 1) & (size - 1);
        if (next === tail) break;
        u8[ring + hdr + head] = data[n];
        head = next;
      }
      if (n < data.length) { this.queue[0] = data.subarray(n); break; }
      this.queue.shift();
    }
    u32[ring >> 2] = head;
  }
}
