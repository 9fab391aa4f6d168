import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** One direction of a proxied connection: bytes pass, or wait while the proxy is frozen. */
interface Direction {
  to: net.Socket;
  held: Buffer[];
}

/**
 * A TCP proxy in front of a server (the test PostgreSQL): `down()` cuts every connection and
 * refuses new ones, as when the database host goes away; `up()` lets them through again.
 * `freeze()` keeps every connection open but passes nothing, as when the server hangs or the
 * network silently drops packets (no reset, no error: only a deadline notices); `thaw()` passes
 * what was held and carries on.
 */
export class TcpProxy {
  private server?: net.Server;
  private readonly open = new Set<net.Socket>();
  private readonly directions = new Set<Direction>();
  private isDown = false;
  private isFrozen = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<this> {
    this.server = net.createServer((client) => {
      if (this.isDown) return void client.destroy();
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.open.add(socket);
        socket.on('close', () => this.open.delete(socket));
        socket.on('error', () => undefined);
      }
      this.forward(client, upstream);
      this.forward(upstream, client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  private forward(from: net.Socket, to: net.Socket): void {
    const direction: Direction = { to, held: [] };
    this.directions.add(direction);
    from.on('close', () => this.directions.delete(direction));
    from.on('data', (chunk: Buffer) => {
      if (this.isFrozen) direction.held.push(chunk);
      else to.write(chunk);
    });
  }

  down(): void {
    this.isDown = true;
    for (const socket of this.open) socket.destroy();
  }

  up(): void {
    this.isDown = false;
  }

  freeze(): void {
    this.isFrozen = true;
  }

  thaw(): void {
    this.isFrozen = false;
    for (const direction of this.directions) {
      for (const chunk of direction.held.splice(0)) direction.to.write(chunk);
    }
  }

  async stop(): Promise<void> {
    this.down();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** A proxy in front of a database, and the URL that reaches the database through it. */
export async function proxyDatabase(databaseUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
  const target = new URL(databaseUrl);
  const proxy = await new TcpProxy(target.hostname, Number(target.port)).start();
  const proxied = new URL(databaseUrl);
  proxied.port = String(proxy.port);
  return { proxy, url: proxied.toString() };
}
