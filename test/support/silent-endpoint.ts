import { createServer, type Socket } from "node:net";

/** A loopback endpoint that accepts connections, reads whatever is sent and never answers. */
export interface SilentEndpoint {
  /** e.g. http://127.0.0.1:40123 (no trailing slash): give it to a client as its endpoint or queue URL host. */
  url: string;
  port: number;
  /** Connections accepted so far: shows that a client did reach the endpoint (and was not refused). */
  connections(): number;
  /** Destroys every open socket and closes the server; safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Starts a TCP server on 127.0.0.1 (random port) standing in for an AWS endpoint that hangs: the TCP handshake
 * succeeds, so a connection timeout never fires, and no byte ever comes back, so only a request timeout or an
 * abort signal ends a call to it. Use it for DynamoDB, SQS or Secrets Manager alike (the protocol does not matter).
 */
export async function startSilentEndpoint(): Promise<SilentEndpoint> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    // Reading keeps the client's writes from blocking on a full buffer; the data is dropped.
    socket.on("data", () => {});
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("silent endpoint has no TCP address");
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    connections: () => accepted,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
      return stopped;
    },
  };
}
