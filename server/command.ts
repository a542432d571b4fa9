// The command: the only file that reads process.env and argv, listens and handles signals.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { helpText, parseCli, type CliPlan } from './cli.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { listen, type Listening } from './listen.js'
import { packageRoot } from './paths.js'
import { unsupportedNode } from './runtime.js'
import { StartupError } from './startup-error.js'
import { FixtureError } from './platform/sessions/fixtures.js'
import { loadTls } from './tls.js'

const version = (
  JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
).version

function banner({ config, url, httpsUrl, caFile, world }: Listening): string {
  const token = world.fixtureToken
  // Why localhost: the browser SDK's cookies are same-site only with a page on localhost too.
  const browserUrl = url.replace('//127.0.0.1:', '//localhost:')
  return [
    `stytch-mock ${version} listening on ${url}${httpsUrl ? ` and ${httpsUrl}` : ''}`,
    `  project_id     ${config.projectId}`,
    `  secret         ${config.secret}`,
    `  public tokens  ${config.publicToken} (consumer), ${config.b2bPublicToken} (B2B)`,
    `  database       ${config.db}`,
    `  inspector      ${url}/_mock/ui (sign in with the project_id and secret)`,
    ...(caFile ? [`  local CA       ${caFile}`] : []),
    ...(token ? [`  a fixture session_token: ${token}`] : []),
    '',
    'Node SDK (stytch): env takes http; custom_base_url must be https',
    `  new stytch.Client({ project_id: '${config.projectId}', secret: '${config.secret}', env: '${url}/' })`,
    ...(httpsUrl
      ? [
          `  or custom_base_url: '${httpsUrl}' with NODE_EXTRA_CA_CERTS=${caFile ?? '<your CA file>'}`,
        ]
      : []),
    'Frontend SDK (@stytch/vanilla-js, react, nextjs), from a page on localhost:',
    `  new StytchClient('${config.publicToken}', { endpoints: { testAPIURL: '${browserUrl}', liveAPIURL: '${browserUrl}' } })`,
    'Try it:',
    `  curl -s -u '${config.projectId}:${config.secret}' ${url}/v1/sessions/authenticate \\`,
    `    -H 'Content-Type: application/json' -d '{"session_token":"${token ?? '<token>'}"}'`,
  ].join('\n')
}

/** KEY=value lines for an app's environment (dotenv, --env-file and $GITHUB_ENV all read them). */
async function printEnv(config: Config): Promise<string> {
  if (config.port === 0)
    fail('--print-env needs a fixed port: with PORT=0 the port is only chosen at start-up')
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host
  const lines = {
    STYTCH_PROJECT_ID: config.projectId,
    STYTCH_SECRET: config.secret,
    STYTCH_PUBLIC_TOKEN: config.publicToken,
    STYTCH_B2B_PUBLIC_TOKEN: config.b2bPublicToken,
    STYTCH_MOCK_URL: `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`,
  } as Record<string, string>
  if (config.httpsPort !== null) {
    lines.STYTCH_MOCK_HTTPS_URL = `https://localhost:${config.httpsPort}`
    const tls = await loadTls({
      dataDir: resolve(config.dataDir),
      certFile: config.tlsCert,
      keyFile: config.tlsKey,
      hostnames: config.tlsHostnames,
      nowMs: Date.now(),
    })
    if (tls.caFile) lines.NODE_EXTRA_CA_CERTS = tls.caFile
  }
  return Object.entries(lines)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')
}

function fail(message: string): never {
  console.error(`stytch-mock: ${message}`)
  process.exit(1)
}

async function main(): Promise<void> {
  const tooOld = unsupportedNode()
  if (tooOld) fail(tooOld)
  let plan: CliPlan
  try {
    plan = parseCli(process.argv.slice(2))
  } catch (err) {
    fail(`${(err as Error).message}\nRun stytch-mock --help for the flags.`)
  }
  if (plan.action === 'help') return void console.log(helpText(version))
  if (plan.action === 'version') return void console.log(version)

  let config: Config
  try {
    config = loadConfig({ ...process.env, ...plan.env })
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message)
    throw err
  }
  if (plan.action === 'print-env') return void console.log(await printEnv(config))

  let running: Listening
  try {
    running = await listen(config)
  } catch (err) {
    if (err instanceof StartupError) fail(err.message)
    if (err instanceof FixtureError)
      fail(`STYTCH_MOCK_FIXTURES (--fixtures): bad fixtures, not starting:\n${err.message}`)
    fail(
      config.logLevel === 'debug'
        ? `cannot start: ${(err as Error).stack ?? String(err)}`
        : `cannot start: ${(err as Error).message ?? String(err)} (LOG_LEVEL=debug prints the stack trace)`,
    )
  }
  if (config.logLevel !== 'silent') console.log(banner(running))

  const stop = () => {
    void running.close().finally(() => process.exit(0))
    // Why: never hang a container's shutdown on a stuck keep-alive connection.
    setTimeout(() => process.exit(0), 500).unref()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  // Why: `npx stytch-mock` runs this under `sh -c`, and a SIGTERM to npx reaches only that shell.
  // When npm started the mock and its parent goes away, stop too, so `kill $!` frees the ports. (A
  // mock started by a CI step's own shell outlives that step, as CI recipes expect.)
  if (process.env.npm_command) {
    const parent = process.ppid
    const watch = setInterval(() => {
      if (process.ppid === parent) return
      clearInterval(watch)
      stop()
    }, 200).unref()
  }
}

await main()
