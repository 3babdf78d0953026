// Child processes for tests that must not block the event loop (a server
// in this process has to answer them): a busy port, and a run with a
// deadline whose stderr is kept.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";

/** A loopback port held by a listening server; close() frees it. */
export async function busyPort(): Promise<{ port: number; close(): void }> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { port: (server.address() as { port: number }).port, close: () => server.close() };
}

/** Runs node with args; its exit status, or null when killed at the deadline. */
export function runNode(args: string[], cwd: string, deadlineMs: number): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => { stderr += d; });
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
    child.on("close", (status) => { clearTimeout(t); resolve({ status, stderr }); });
  });
}
