// A point a tool under test waits at until the test lets it go, wherever the tool runs (this
// process, a Lambda emulator's child, workerd): the tool GETs `url`, and the answer comes only
// once the test calls `release()`. That turns "the client saw X before the tool went on" into an
// order of events instead of a measured delay.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Latch {
  /** What the tool fetches. */
  url: string;
  /** Resolves when the tool has arrived at the latch. */
  reached: Promise<void>;
  /** Lets the tool go on (its GET is answered); idempotent. */
  release(): void;
  close(): Promise<void>;
}

export async function openLatch(): Promise<Latch> {
  let arrived!: () => void;
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = createServer((_request, response) => {
    arrived();
    void released.then(() => response.end('released'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    reached,
    release,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
