// The page's shared folder controls: files chosen here go into the guest's
// /host (a folder in the worker's memory), and what is there (the guest's
// files too) can be listed and downloaded. Nothing leaves the tab.
import type { ShareFromWorker, ShareToWorker } from "./protocol.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export interface ShareControls {
  /** A share-* message from the worker. */
  receive(m: ShareFromWorker): void;
}

export function shareControls(send: (m: ShareToWorker, transfer?: Transferable[]) => void,
  status: (text: string) => void): ShareControls {
  const upload = $<HTMLInputElement>("share-upload");
  const panel = $<HTMLDivElement>("share-panel");
  const list = $<HTMLUListElement>("share-files");
  const summary = $<HTMLParagraphElement>("share-summary");

  upload.onchange = async () => {
    const files = [...(upload.files ?? [])];
    if (!files.length) return;
    const read = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    upload.value = ""; // the same file again is a new upload
    send({ type: "share-put", files: read }, read.map((f) => f.bytes.buffer));
  };
  $("share-show").onclick = () => {
    panel.hidden = !panel.hidden;
    if (!panel.hidden) send({ type: "share-list" });
  };
  $("share-refresh").onclick = () => send({ type: "share-list" });

  function show(files: { path: string[]; size: number }[], usedBytes: number): void {
    list.replaceChildren(...files.map((f) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "#";
      a.textContent = `/host/${f.path.join("/")}`;
      a.onclick = (e) => { e.preventDefault(); send({ type: "share-get", path: f.path }); };
      li.append(a, ` (${f.size} bytes)`);
      return li;
    }));
    summary.textContent = files.length ? `${files.length} file${files.length === 1 ? "" : "s"}, ${usedBytes} bytes` : "/host is empty";
  }

  function save(path: string[], bytes: Uint8Array): void {
    const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = path[path.length - 1];
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return {
    receive(m) {
      if (m.type === "share-files") show(m.files, m.usedBytes);
      else if (m.type === "share-file") save(m.path, m.bytes);
      else status(m.text);
    },
  };
}
