#!/usr/bin/env node
// The only file that reads process.env, listens and handles signals.
import { ConfigError, loadConfig, type Config } from './config.js'
import { listen, type Listening } from './listen.js'
import { FixtureError } from './sessions/fixtures.js'

function banner({ config, url, httpsUrl, caFile, world }: Listening): string {
  const token = world.fixtures.sessions.at(-1)?.session_token
  return [
    `stytch-mock listening on ${url}${httpsUrl ? ` and ${httpsUrl}` : ''}`,
    `  project_id  ${config.projectId}`,
    `  secret      ${config.secret}`,
    `  public tokens  ${config.publicToken} (consumer), ${config.b2bPublicToken} (B2B)`,
    `  database    ${config.db}`,
    ...(caFile ? [`  local CA    ${caFile}  (NODE_EXTRA_CA_CERTS=${caFile})`] : []),
    ...(token ? [`  a fixture session_token: ${token}`] : []),
    '',
    'Point the Stytch Node SDK at it (env over http; custom_base_url must be https):',
    `  const client = new stytch.Client({ project_id: '${config.projectId}', secret: '${config.secret}',`,
    `    env: '${url}/' })`,
    ...(httpsUrl ? [`  or custom_base_url: '${httpsUrl}' with NODE_EXTRA_CA_CERTS=${caFile ?? '<your CA>'}`] : []),
    'Point @stytch/vanilla-js at it:',
    `  new StytchClient('${config.publicToken}', { endpoints: { testAPIURL: '${url}', liveAPIURL: '${url}' } })`,
    '',
    'Try it:',
    `  curl -s -u '${config.projectId}:${config.secret}' ${url}/v1/sessions/authenticate \\`,
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
  let running: Listening
  try {
    running = await listen(config)
  } catch (err) {
    if (err instanceof FixtureError) console.error(`stytch-mock: bad fixtures, not starting:\n${err.message}`)
    else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`stytch-mock: cannot listen, the port is taken: ${(err as Error).message}`)
    } else console.error(`stytch-mock: cannot start: ${(err as Error).stack ?? err}`)
    process.exit(1)
  }
  if (config.logLevel !== 'silent') console.log(banner(running))

  const stop = () => {
    void running.close().finally(() => process.exit(0))
    // Why: never hang a container's shutdown on a stuck keep-alive connection.
    setTimeout(() => process.exit(0), 500).unref()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

await main()
