// Devices the host implements (the shared folder, host/share.ts): the core
// only forwards their port window. An access that starts in the window
// goes to the host whole (1, 2 or 4 bytes); the host may read and write
// guest RAM meanwhile and then says what it wrote (ramWritten), so that
// code decoded from those bytes is dropped as after a CPU store.
import { RAM_SIZE } from "../layout";
import { notifyWrite } from "../mmu/codepages";

export const HOSTDEV_BASE: u32 = 0x540;
export const HOSTDEV_PORTS: u32 = 8;

@external("env", "hostPortIn") declare function hostPortIn(port: u32, size: u32): u32;
@external("env", "hostPortOut") declare function hostPortOut(port: u32, size: u32, value: u32): void;

export function hostIn(port: u32, size: u32): u32 { return hostPortIn(port, size); }
export function hostOut(port: u32, size: u32, value: u32): void { hostPortOut(port, size, value); }

// The host wrote guest RAM [phys, phys + len): each page's decoded code
// in that range stops matching. Out-of-range parts are ignored.
export function ramWritten(phys: u32, len: u32): void {
  const ram = load<u32>(RAM_SIZE);
  if (phys >= ram || len == 0) return;
  if (len > ram - phys) len = ram - phys;
  let at = phys;
  const end = phys + len;
  while (at < end) {
    const pageEnd = (at | 0xfff) + 1;
    const stop = pageEnd < end ? pageEnd : end; // RAM ends below 4 GiB: no wrap
    notifyWrite(at, stop - at);
    at = stop;
  }
}
