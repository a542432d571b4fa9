// Loopback ports for tests that start real processes: a free one, whether one accepts, waiting.
import { connect, createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

export function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => done(port))
    })
  })
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.destroy(), done(true)))
    socket.once('error', () => done(false))
  })
}

/** Polls until `check` holds; resolves to the milliseconds it took, or rejects after `ms`. */
export async function waitFor(what: string, check: () => Promise<boolean>, ms: number) {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`)
    await sleep(50)
  }
  return Date.now() - started
}
