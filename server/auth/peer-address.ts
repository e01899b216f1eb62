/**
 * Stamps every HTTP request this process serves with the socket's peer address
 * (`x-tidings-peer`), overwriting any value the client sent. Route handlers cannot see the
 * socket, and `X-Forwarded-For` is whatever the client says; this header is what the server
 * itself saw. Installed once per process from `instrumentation.ts`.
 */
import { Server, type IncomingMessage } from "node:http";
import { PEER_HEADER } from "@/server/http/client-address";

const INSTALLED = Symbol.for("tidings.peerAddress");

export function stampPeerAddresses(): void {
  const proto = Server.prototype as Server & { [INSTALLED]?: boolean };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const emit = Reflect.get(proto, "emit") as (
    this: Server,
    event: string | symbol,
    ...args: unknown[]
  ) => boolean;
  proto.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as IncomingMessage;
      req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? "";
    }
    return emit.call(this, event, ...args);
  } as typeof proto.emit;
}
