#!/usr/bin/env node
// The only file that reads process.env, listens and handles signals.
import { serve } from '@hono/node-server'
import { createApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { FixtureError } from './sessions/fixtures.js'
import { createWorld } from './world.js'

function banner(config: Config, baseUrl: string, token: string | undefined): string {
  return [
    `stytch-mock listening on ${baseUrl}`,
    `  project_id  ${config.projectId}`,
    `  secret      ${config.secret}`,
    `  database    ${config.db}`,
    ...(token ? [`  a fixture session_token: ${token}`] : []),
    '',
    'Point the Stytch Node SDK at it (env over http; custom_base_url must be https):',
    `  const client = new stytch.Client({ project_id: '${config.projectId}', secret: '${config.secret}',`,
    `    env: '${baseUrl}/' })`,
    '',
    'Try it:',
    `  curl -s -u '${config.projectId}:${config.secret}' ${baseUrl}/v1/sessions/authenticate \\`,
    `    -H 'Content-Type: application/json' -d '{"session_token":"${token ?? '<token>'}"}'`,
  ].join('\n')
}

async function main(): Promise<void> {
  let config: Config
  try {
    config = loadConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`stytch-mock: ${err.message}`)
      process.exit(1)
    }
    throw err
  }
  const world = await createWorld(config).catch((err: unknown) => {
    if (err instanceof FixtureError) {
      console.error(`stytch-mock: bad fixtures, not starting:\n${err.message}`)
      process.exit(1)
    }
    throw err
  })
  const app = createApp(world)
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
    const token = world.fixtures.sessions.at(-1)?.session_token
    if (config.logLevel !== 'silent') console.log(banner(config, `http://${host}:${info.port}`, token))
  })
  server.on('error', (err) => {
    console.error(`stytch-mock: cannot listen on ${config.host}:${config.port}: ${err.message}`)
    process.exit(1)
  })

  const stop = () => {
    server.close()
    world.close()
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

await main()
