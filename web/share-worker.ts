// The worker's side of the page's shared folder: one folder in memory for
// the worker's life (it outlives resets and boots), which every machine the
// worker makes mounts on /host, and the page's uploads and downloads.
import { memoryShare } from "../host/share-memory.js";
import { ShareError, validName } from "../host/share.js";
import type { ShareFromWorker, ShareToWorker } from "./protocol.js";

export const share = memoryShare();

/** What an upload's name cannot be, in words (undefined: it can be). */
function badName(name: string): string | undefined {
  if (!validName(name)) return `${JSON.stringify(name)} cannot be a file name in /host`;
  return undefined;
}

const GUEST_NAME_MAX = 59; // the teaching kernel's: longer names are not listed there

export function shareMessage(msg: ShareToWorker, post: (m: ShareFromWorker, transfer?: Transferable[]) => void): void {
  const list = () => post({ type: "share-files", files: share.files(), usedBytes: share.usedBytes });
  try {
    switch (msg.type) {
      case "share-put": {
        const done: string[] = [], notes: string[] = [];
        for (const f of msg.files) {
          const bad = badName(f.name);
          if (bad) { notes.push(bad); continue; }
          share.putFile([f.name], f.bytes);
          done.push(f.name);
          if (new TextEncoder().encode(f.name).length > GUEST_NAME_MAX)
            notes.push(`${f.name}: longer than the guest's ${GUEST_NAME_MAX}-byte names, so ls /host leaves it out`);
        }
        const what = done.length === 1 ? `/host/${done[0]}` : `${done.length} files to /host`;
        post({ type: "share-status", text: [done.length ? `copied ${what}` : "", ...notes].filter(Boolean).join("; ") });
        list();
        break;
      }
      case "share-list": list(); break;
      case "share-get": {
        const bytes = share.getFile(msg.path);
        post({ type: "share-file", path: msg.path, bytes }, [bytes.buffer as ArrayBuffer]);
        break;
      }
    }
  } catch (e) {
    const why = e instanceof ShareError && e.errno === 28 ? "the folder is full (256 MiB)" : (e as Error).message;
    post({ type: "share-status", text: `shared folder: ${why}` });
    list();
  }
}
