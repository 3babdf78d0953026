// The devices whose work the host does for the core (its CoreHooks): the
// ATA disk's backing store, called once per block transfer, and the shared
// folder's device at ports 0x540-0x547 (host/share.ts).
import type { CoreHooks } from "./core.js";
import { type CoreMemory, guestRam } from "./core-memory.js";
import { type Disk, SECTOR } from "./disk.js";
import { ShareDevice, SHARE_PORT, type ShareBackend } from "./share.js";

export class HostDevices implements CoreHooks {
  private readonly share: ShareDevice | undefined;

  /**
   * memory gives the machine's core as it is now (a reset replaces it);
   * failed hears of an error a disk backend threw (the guest sees an I/O
   * error, the user may want the reason).
   */
  constructor(
    private readonly disk: Disk | undefined,
    share: ShareBackend | undefined,
    private readonly memory: () => CoreMemory,
    private readonly failed: (e: Error) => void,
  ) {
    if (share) this.share = new ShareDevice(share);
  }

  diskRead(lba: number, count: number, addr: number): number { return this.diskIo(false, lba, count, addr); }

  diskWrite(lba: number, count: number, addr: number): number { return this.diskIo(true, lba, count, addr); }

  diskFlush(): number {
    try {
      this.disk?.flush();
      return 0;
    } catch (e) {
      this.failed(e as Error);
      return 1;
    }
  }

  portIn(port: number, size: number): number {
    const mask = size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
    if (!this.share) return mask;
    return (this.share.portIn(port - SHARE_PORT, size) & mask) >>> 0;
  }

  portOut(port: number, size: number, value: number): void {
    if (!this.share) return;
    const mem = this.memory();
    this.share.portOut(port - SHARE_PORT, size, value, {
      bytes: guestRam(mem),
      written: (phys, len) => mem.core.ramWritten(phys, len),
    });
  }

  /** A machine reset: the shared folder forgets the guest's handles. */
  reset(): void { this.share?.reset(); }

  /** The last error the shared folder's backend threw that was not a
   *  refusal (the guest saw EIO). */
  get shareError(): unknown { return this.share?.lastError; }

  private diskIo(write: boolean, lba: number, count: number, addr: number): number {
    const disk = this.disk;
    if (!disk || lba + count > disk.sectors) return 1;
    const view = new Uint8Array(this.memory().core.memory.buffer, addr, count * SECTOR);
    try {
      if (write) disk.write(lba, count, view); else disk.read(lba, count, view);
      return 0;
    } catch (e) {
      this.failed(e as Error);
      return 1;
    }
  }
}
