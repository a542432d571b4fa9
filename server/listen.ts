// Starts a world on real sockets: HTTP, and HTTPS with the local CA unless turned off.
import { resolve } from 'node:path'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { createApp } from './app.js'
import { Clock } from './clock.js'
import type { Config } from './config.js'
import { createLogger, type Logger } from './log.js'
import { fsProblem, StartupError } from './startup-error.js'
import { loadTls } from './tls.js'
import { createWorld, type World } from './world.js'

export interface Listening {
  config: Config
  world: World
  /** e.g. http://127.0.0.1:9010 (no trailing slash). */
  url: string
  /** e.g. https://localhost:9443, or null when HTTPS is off. */
  httpsUrl: string | null
  /** The local CA certificate file, for NODE_EXTRA_CA_CERTS; null without a local CA. */
  caFile: string | null
  close(): Promise<void>
}

export async function listen(
  config: Config,
  options: { clock?: Clock; logger?: Logger } = {},
): Promise<Listening> {
  const world = await createWorld(config, options.clock ?? new Clock())
  const logger = options.logger ?? createLogger(config.logLevel)
  const servers: ServerType[] = []
  const close = async () => {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((done) => {
            server.close(() => done())
            ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
          }),
      ),
    )
    world.close()
    logger.flush()
  }
  try {
    const tls = config.httpsPort === null ? null : await tlsFor(config, world.clock.wallMs())
    const app = createApp(world, {
      caPem: tls?.caPem ?? null,
      logger,
    })
    const http = await start(
      serve({ fetch: app.fetch, hostname: config.host, port: config.port }),
      'PORT',
      config,
    )
    servers.push(http)
    let httpsUrl: string | null = null
    if (tls && config.httpsPort !== null) {
      const https = await start(
        serve({
          fetch: app.fetch,
          hostname: config.host,
          port: config.httpsPort,
          // Loaded only when HTTPS is on: importing node:https costs start-up time.
          createServer: (await import('node:https')).createServer,
          serverOptions: { key: tls.key, cert: tls.cert },
        }),
        'HTTPS_PORT',
        config,
      )
      servers.push(https)
      // The certificate names localhost, not 0.0.0.0: advertise a name clients can verify.
      httpsUrl = `https://localhost:${(https.address() as AddressInfo).port}`
    }
    return { config, world, url: urlOf(http, 'http'), httpsUrl, caFile: tls?.caFile ?? null, close }
  } catch (err) {
    await close()
    throw err
  }
}

function start(
  server: ServerType,
  setting: 'PORT' | 'HTTPS_PORT',
  config: Config,
): Promise<ServerType> {
  const port = setting === 'PORT' ? config.port : config.httpsPort
  return new Promise((done, fail) => {
    if (server.listening) return done(server)
    server.once('listening', () => done(server))
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${config.host}:${port}`
      if (err.code === 'EADDRINUSE')
        fail(
          new StartupError(
            setting,
            String(port),
            `${where} is taken (another stytch-mock still running?)`,
            `Stop the other process, or use ${setting}=0 (any free port)${setting === 'HTTPS_PORT' ? ' or HTTPS_PORT=off' : ' and HTTPS_PORT=0 or off'}.`,
          ),
        )
      else if (err.code === 'EACCES')
        fail(new StartupError(setting, String(port), `${where}: ports below 1024 need root`))
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
        fail(new StartupError('HOST', config.host, 'is not an address of this machine'))
      else fail(err)
    })
  })
}

/** The TLS material: the user's certificate, or the local CA's, made in the data folder. */
async function tlsFor(config: Config, nowMs: number) {
  try {
    return await loadTls({
      dataDir: resolve(config.dataDir),
      certFile: config.tlsCert,
      keyFile: config.tlsKey,
      hostnames: config.tlsHostnames,
      nowMs,
    })
  } catch (err) {
    if (config.tlsCert)
      throw new StartupError(
        'STYTCH_MOCK_TLS_CERT',
        config.tlsCert,
        `or its key: ${fsProblem(err)}`,
      )
    throw new StartupError(
      'STYTCH_MOCK_DATA_DIR',
      config.dataDir,
      `cannot hold the local CA: ${fsProblem(err)}`,
      'Point STYTCH_MOCK_DATA_DIR at a writable folder, or use HTTPS_PORT=off.',
    )
  }
}

function urlOf(server: ServerType, scheme: 'http' | 'https'): string {
  const { address, family, port } = server.address() as AddressInfo
  const host =
    address === '0.0.0.0' || address === '::'
      ? '127.0.0.1'
      : family === 'IPv6'
        ? `[${address}]`
        : address
  return `${scheme}://${host}:${port}`
}
