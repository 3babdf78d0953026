// Messages between the page and the worker that runs the machine.

export interface BootFiles {
  kernel: Uint8Array;
  kernelName: string;
  initrd?: Uint8Array;
  initrdName?: string;
  disk?: Uint8Array;
  /** The kernel command line (after the kernel's name). */
  cmdline?: string;
}

export type ToWorker =
  | { type: "boot"; files?: BootFiles; memoryMiB?: number } // no files: the bundled images
  | { type: "input"; bytes: Uint8Array }
  | { type: "reset"; memoryMiB?: number } // the last files again; with memoryMiB, that much RAM from now on
  | { type: "pause"; paused: boolean }
  | { type: "download" }
  | { type: "trace"; on: boolean }
  | ShareToWorker;

/** The shared folder (web/share.ts, web/share-worker.ts): the guest's /host,
 *  in the worker's memory. Paths are lists of names. */
export type ShareToWorker =
  | { type: "share-put"; files: { name: string; bytes: Uint8Array }[] }
  | { type: "share-list" }
  | { type: "share-get"; path: string[] };

export type ShareFromWorker =
  | { type: "share-files"; files: { path: string[]; size: number }[]; usedBytes: number }
  | { type: "share-file"; path: string[]; bytes: Uint8Array }
  | { type: "share-status"; text: string };

export type FromWorker =
  | { type: "serial"; bytes: Uint8Array }
  | { type: "stats"; instructions: number; ips: number; uptimeNs: number; compiled: number; memoryMiB: number }
  | { type: "status"; text: string }
  /** The run ended: why, and the worker's own count and wall time (from
   *  creating the machine to the end). */
  | { type: "done"; reason: string; exitCode?: number; instructions: number; runMs: number }
  | { type: "error"; message: string }
  | { type: "disk"; bytes: Uint8Array | null }
  | { type: "trace"; lines: string[]; ring: number; perSecond: { transitions: number; faults: number; interrupts: number } }
  | ShareFromWorker;
