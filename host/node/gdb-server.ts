// --gdb PORT: waits for one GDB connection on the loopback interface, then
// lets the remote protocol stub drive the machine until GDB detaches or
// kills it, the guest ends, or the connection goes away.
import { createServer } from "node:net";
import { UserError } from "../errors.js";
import { GdbStub } from "../gdb.js";
import type { Machine, RunOutcome } from "../machine.js";

export function serveGdb(machine: Machine, port: number): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const server = createServer({ noDelay: true }, (socket) => {
      server.close(); // one debugger
      socket.setEncoding("latin1");
      // A client that vanishes (ECONNRESET, EPIPE) ends the session as a
      // detach does: 'close' follows the error.
      socket.on("error", () => {});
      const done = (code: number | undefined) => {
        socket.end();
        resolve(code === undefined ? { reason: "stopped" } : { reason: "exit", exitCode: code });
      };
      new GdbStub(machine, {
        send: (d) => socket.write(d, "latin1"),
        onData: (fn) => socket.on("data", (d: string) => fn(d)),
        onClose: (fn) => socket.on("close", () => { fn(); done(undefined); }),
      }, done, (e) => process.stderr.write(`wasm386: GDB stub error (the session goes on): ${(e as Error).message}\n`));
    });
    server.on("error", (e) => reject(new UserError(`cannot listen for GDB on 127.0.0.1:${port}: ${e.message}`)));
    server.listen(port, "127.0.0.1", () => {
      process.stderr.write(`wasm386: waiting for GDB on 127.0.0.1:${port} (target remote :${port})\n`);
    });
  });
}
