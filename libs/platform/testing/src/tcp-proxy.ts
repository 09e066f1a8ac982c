import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server, so a suite can cut the network to
 * that server for its own clients only: the shared dev-stack server keeps
 * running for every other suite. Point the adapter under test at `port`.
 */
export interface TcpProxy {
  /** The local port clients connect to. */
  readonly port: number;
  /** `host:port` of the proxy, e.g. for MILVUS_HOST / MILVUS_PORT style settings. */
  readonly address: string;
  /** Swaps the server's `host:port` in a URL for the proxy's (`redis://127.0.0.1:6379/0` → `redis://127.0.0.1:<port>/0`). */
  url(serverUrl: string): string;
  /** Whether the link is cut now. */
  readonly isCut: boolean;
  /**
   * A network outage: destroys every live connection (clients see a reset,
   * as when a server or a link dies) and refuses new ones until `restore`.
   */
  cut(): void;
  /** Ends the outage: new connections are forwarded again (clients reconnect on their own). */
  restore(): void;
  /** Connections accepted so far (and forwarded, i.e. not refused during a cut). */
  readonly forwarded: number;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

/**
 * Starts a proxy on 127.0.0.1 (a free port) forwarding to `target` (`host:port`).
 * Refusing is done by destroying accepted sockets rather than by closing the
 * listener, so the port stays ours and `restore` cannot race another process for it.
 */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { host, port: targetPort } = parseHostPort(target);
  const live = new Set<Socket>();
  let cut = false;
  let forwarded = 0;

  const track = (socket: Socket) => {
    live.add(socket);
    socket.once('close', () => live.delete(socket));
    // A reset on one side is expected during a cut; without a listener it would be an uncaught error.
    socket.on('error', () => socket.destroy());
  };

  const server: Server = createServer((client) => {
    if (cut) {
      client.on('error', () => undefined);
      client.destroy();
      return;
    }
    forwarded += 1;
    const upstream = createConnection({ host, port: targetPort });
    track(client);
    track(upstream);
    // Either side closing closes the other, as a broken link would.
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const destroyAll = () => {
    for (const socket of live) socket.destroy();
    live.clear();
  };

  return {
    port,
    address: `127.0.0.1:${port}`,
    url: (serverUrl: string) => serverUrl.replace(/\/\/([^/@]*@)?[^/?]+/, (_, auth: string | undefined) => `//${auth ?? ''}127.0.0.1:${port}`),
    get isCut() {
      return cut;
    },
    get forwarded() {
      return forwarded;
    },
    cut() {
      cut = true;
      destroyAll();
    },
    restore() {
      cut = false;
    },
    close() {
      cut = true;
      destroyAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseHostPort(target: string): { host: string; port: number } {
  const match = /^(.+):(\d+)$/.exec(target);
  if (!match) throw new Error(`expected host:port, got '${target}'`);
  return { host: match[1], port: Number(match[2]) };
}
