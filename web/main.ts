// The page: an xterm.js terminal on the guest's COM1, the machine in a
// Worker, and the controls around them.
import type { Terminal } from "@xterm/xterm";
import "./style.css";
import type { BootFiles, FromWorker, ToWorker } from "./protocol.js";
import { shareControls } from "./share.js";
import { openTerminal } from "./terminal.js";
import { memoryControl } from "./memory.js";
import { busyboxBoot } from "./busybox.js";
import { linuxBoot } from "./linux.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const errorBox = $<HTMLParagraphElement>("error");
const statusLine = $<HTMLParagraphElement>("status");
const stats = $<HTMLSpanElement>("stats");

function showError(message: string): void {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

function unsupported(): string | undefined {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function")
    return "This browser cannot run WebAssembly, which wasm386 is made of. Try a current Chrome, Firefox or Safari.";
  if (typeof Worker !== "function") return "This browser has no Web Workers, which wasm386 runs in.";
  return undefined;
}

const problem = unsupported();
if (problem) {
  showError(problem);
  stats.textContent = "";
} else {
  void start();
}

async function start(): Promise<void> {
  // The worker first (index.html's, normally): with the page's address it
  // boots what the address names while the page builds its terminal, and
  // what it says meanwhile waits in `early`.
  const started = window as unknown as { wasm386Worker?: Worker; wasm386Early?: FromWorker[] };
  const early = started.wasm386Early ?? [];
  const worker = started.wasm386Worker ?? new Worker(new URL(`worker.js${location.search}`, import.meta.url), { type: "module" });
  if (!started.wasm386Worker) worker.onmessage = (e: MessageEvent<FromWorker>) => early.push(e.data);
  const params = new URLSearchParams(location.search);

  const term = await openTerminal($("terminal"));
  term.focus();
  (window as unknown as { wasm386Terminal: Terminal }).wasm386Terminal = term; // for tests and curious users

  const send = (m: ToWorker, transfer: Transferable[] = []) => worker.postMessage(m, transfer);
  const encoder = new TextEncoder();
  term.onData((d) => send({ type: "input", bytes: encoder.encode(d) }));

  const share = shareControls(send, (text) => { statusLine.textContent = text; });
  const receive = (m: FromWorker) => {
    switch (m.type) {
      case "serial": term.write(m.bytes); break;
      case "status": statusLine.textContent = m.text; break;
      case "error": showError(m.message); term.write(`\r\n[wasm386] ${m.message.replace(/\n/g, "\r\n")}\r\n`); break;
      case "stats":
        stats.textContent = `${(m.ips / 1e6).toFixed(1)} MIPS · ${(m.instructions / 1e6).toFixed(0)} M instructions · ` +
          `${m.compiled} blocks compiled · uptime ${(m.uptimeNs / 1e9).toFixed(1)} s`;
        memory.show(m.memoryMiB);
        break;
      case "disk": download(m.bytes); break;
      case "done":
        // For scripts driving the page (the bench): how the run ended, the
        // worker's count and time, and the time since the page's load.
        (window as unknown as { wasm386Done: unknown }).wasm386Done = { ...m, pageMs: performance.now() };
        break;
      case "trace": showTrace(m.lines, m.ring, m.perSecond); break;
      case "share-files": case "share-file": case "share-status": share.receive(m); break;
    }
  };


  const restart = (m: ToWorker) => {
    errorBox.hidden = true;
    term.reset();
    send(m);
    term.focus();
  };
  // ?mem= sets the first boot's size; the machine checks it (a bad one is
  // its one-line error). Choosing another size reboots what runs now.
  const memory = memoryControl($<HTMLSelectElement>("memory"), params.get("mem"), (mib) => {
    const url = new URL(location.href);
    url.searchParams.set("mem", String(mib));
    history.replaceState(null, "", url); // a reload or a copied address keeps the size
    restart({ type: "reset", memoryMiB: mib });
  });
  const boot = (files?: BootFiles) => restart({ type: "boot", files, memoryMiB: memory.chosen() });

  const traceLog = $<HTMLPreElement>("trace-log");
  const traceCounts = $<HTMLParagraphElement>("trace-counts");
  const traceKept: string[] = [];
  function showTrace(lines: string[], ring: number, per: { transitions: number; faults: number; interrupts: number }) {
    traceCounts.textContent = `CPU in ring ${ring} · per second: ${per.transitions} ring transitions, ${per.faults} faults, ${per.interrupts} interrupts`;
    if (!lines.length) return;
    traceKept.push(...lines);
    traceKept.splice(0, Math.max(0, traceKept.length - 300));
    traceLog.textContent = traceKept.join("\n");
    traceLog.scrollTop = traceLog.scrollHeight;
  }
  $<HTMLInputElement>("trace-on").onchange = (e) => {
    const on = (e.target as HTMLInputElement).checked;
    $("trace-panel").hidden = !on;
    send({ type: "trace", on });
  };

  let paused = false;
  $("reset").onclick = () => restart({ type: "reset" });
  $("pause").onclick = () => {
    paused = !paused;
    $("pause").textContent = paused ? "Resume" : "Pause";
    statusLine.textContent = paused ? "paused" : "";
    send({ type: "pause", paused });
  };
  $("download").onclick = () => send({ type: "download" });
  $("boot-default").onclick = () => boot();
  $("boot").onclick = async () => {
    const files = await chosenFiles();
    if (files) boot(files);
  };
  $("boot-busybox").onclick = async () => {
    const file = ($("busybox-file") as HTMLInputElement).files?.[0];
    if (!file) { showError("choose a busybox file first (busybox-static for i386)"); return; }
    try {
      const files = await busyboxBoot(new Uint8Array(await file.arrayBuffer()), file.name);
      if (typeof files === "string") showError(files);
      else boot(files);
    } catch (e) {
      showError(`cannot build the busybox system: ${(e as Error).message}`);
    }
  };
  $("boot-linux").onclick = async () => {
    const kernel = ($("kernel-file") as HTMLInputElement).files?.[0], busybox = ($("busybox-file") as HTMLInputElement).files?.[0];
    if (!kernel || !busybox) { showError("choose Linux's kernel (Kernel) and busybox (Busybox) first"); return; }
    const bytes = async (f: File) => new Uint8Array(await f.arrayBuffer());
    const files = linuxBoot(await bytes(kernel), kernel.name, await bytes(busybox), busybox.name);
    if (typeof files === "string") showError(files);
    else boot(files);
  };
  $("copy-link").onclick = async () => {
    const url = ($("readme-link") as HTMLAnchorElement).href;
    try {
      await navigator.clipboard.writeText(url);
      statusLine.textContent = "link copied";
    } catch {
      statusLine.textContent = url; // no clipboard access: show it to copy by hand
    }
  };

  // Drag and drop: the first file is the kernel, then initrd, then disk
  // (or by name: *.cpio is an initrd, *.img a disk).
  document.addEventListener("dragover", (e) => { e.preventDefault(); document.body.classList.add("dragging"); });
  document.addEventListener("dragleave", () => document.body.classList.remove("dragging"));
  document.addEventListener("drop", async (e) => {
    e.preventDefault();
    document.body.classList.remove("dragging");
    const dropped = [...(e.dataTransfer?.files ?? [])];
    if (!dropped.length) return;
    const byKind = (test: RegExp) => dropped.find((f) => test.test(f.name));
    const initrd = byKind(/\.cpio$/i), disk = byKind(/\.(img|raw)$/i);
    const kernel = dropped.find((f) => f !== initrd && f !== disk);
    if (!kernel) { showError("drop a kernel file (with an initrd or disk image if you like)"); return; }
    boot(await readFiles(kernel, initrd, disk));
  });

  async function chosenFiles(): Promise<BootFiles | undefined> {
    const pick = (id: string) => ($(id) as HTMLInputElement).files?.[0];
    const kernel = pick("kernel-file");
    if (!kernel) { showError("choose a kernel file first"); return undefined; }
    return readFiles(kernel, pick("initrd-file"), pick("disk-file"));
  }

  async function readFiles(kernel: File, initrd?: File, disk?: File): Promise<BootFiles> {
    const bytes = async (f?: File) => (f ? new Uint8Array(await f.arrayBuffer()) : undefined);
    return {
      kernel: (await bytes(kernel))!, kernelName: kernel.name,
      initrd: await bytes(initrd), initrdName: initrd?.name, disk: await bytes(disk),
    };
  }

  function download(bytes: Uint8Array | null): void {
    if (!bytes) { statusLine.textContent = "this machine has no disk"; return; }
    const url = URL.createObjectURL(new Blob([bytes.slice()], { type: "application/octet-stream" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "disk.img";
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  // Everything the messages touch exists now: what the worker said while
  // the page loaded is taken first, then the rest as it comes.
  worker.onmessage = (e: MessageEvent<FromWorker>) => receive(e.data);
  worker.onerror = (e) => receive({ type: "error", message: `the emulator's worker failed: ${e.message}` });
  for (const m of early.splice(0)) receive(m);
}
