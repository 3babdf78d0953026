// --gdb PORT: waits for a GDB connection on the loopback interface, then
// lets the remote protocol stub drive the machine. As with QEMU, a detach
// (or a client that goes away) leaves the guest running, and the server
// takes the next connection, which stops it again; one debugger at a time.
// The run ends when GDB kills the guest, the guest ends, or the host
// aborts (Ctrl-A x).
import { createServer, type Socket } from "node:net";
import { UserError } from "../errors.js";
import { GdbStub } from "../gdb.js";
import type { Machine, RunOutcome } from "../machine.js";
import type { Monitor } from "../monitor.js";

export interface GdbServeOptions {
  /** What `monitor CMD` runs. */
  monitor?: Monitor;
  /** Ends the run: the session and any free run stop, the outcome is "stopped". */
  signal?: AbortSignal;
}

export function serveGdb(machine: Machine, port: number, opts: GdbServeOptions = {}): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    let session: { socket: Socket; stub?: GdbStub } | undefined;
    let freeRun: Promise<unknown> | undefined; // the guest running with no debugger attached
    let takingOver = false;
    let quitting = false; // the host ends the run
    let ended = false;

    const finish = (o: RunOutcome) => {
      if (ended) return;
      ended = true;
      server.close();
      session?.socket.end();
      resolve(o);
    };

    // After a detach: the guest runs as it would without --gdb (an
    // interactive console: waiting for input is not the end), until a
    // debugger connects or the run ends.
    const runFree = () => {
      const run = machine.runUntilDone({ waitForInput: true }).then((o) => {
        freeRun = undefined;
        if (quitting || !(o.reason === "stopped" && takingOver)) finish(o);
      });
      freeRun = run;
    };

    const attach = (socket: Socket) => {
      const s = session!;
      s.stub = new GdbStub(machine, {
        send: (d) => socket.write(d, "latin1"),
        onData: (fn) => socket.on("data", (d: string) => fn(d)),
        onClose: (fn) => socket.on("close", fn),
      }, (code) => finish(code === undefined ? { reason: "stopped" } : { reason: "exit", exitCode: code }),
      (e) => process.stderr.write(`wasm386: GDB stub error (the session goes on): ${(e as Error).message}\n`),
      {
        monitor: opts.monitor,
        onDetach: () => {
          if (session === s) session = undefined;
          socket.end();
          if (!ended && !quitting) runFree();
        },
      });
    };

    const server = createServer({ noDelay: true }, (socket) => {
      // A client that vanishes (ECONNRESET, EPIPE) ends its session as a
      // detach does: 'close' follows the error.
      socket.on("error", () => {});
      if (session || ended) { socket.destroy(); return; } // one debugger at a time
      session = { socket };
      socket.setEncoding("latin1"); // (no 'data' listener yet: what it sends waits)
      if (!freeRun) return attach(socket);
      // The guest runs on from a detach: stop it, then the new debugger has it.
      takingOver = true;
      machine.stop();
      freeRun.then(() => {
        takingOver = false;
        if (ended || socket.destroyed) { if (session?.socket === socket) session = undefined; if (!ended) runFree(); return; }
        attach(socket);
      });
    });

    opts.signal?.addEventListener("abort", () => {
      quitting = true;
      if (session?.stub) void session.stub.close().then(() => finish({ reason: "stopped" }));
      else if (freeRun) machine.stop(); // its end finishes
      else finish({ reason: "stopped" });
    });
    server.on("error", (e) => reject(new UserError(`cannot listen for GDB on 127.0.0.1:${port}: ${e.message}`)));
    server.listen(port, "127.0.0.1", () => {
      process.stderr.write(`wasm386: waiting for GDB on 127.0.0.1:${port} (target remote :${port})\n`);
    });
  });
}
