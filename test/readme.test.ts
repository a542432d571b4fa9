// The README and docs/ are test subjects. Every fenced block must be claimed by an entry below:
// run here against a started mock (curl, the CLI's env recipes, the Node SDK, the programmatic API,
// the Vitest set-up, every control-API table), checked against what the program prints (the CI
// and compose examples), named as run by another test, which must exist and contain the marker, or
// named as not runnable on this machine, with the reason. A new block that no entry claims fails
// this test, so the docs cannot drift from what is tested.
import { execFile } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadConfig } from '../server/config.js'
import { listen, type Listening } from '../server/listen.js'
import { fencedBlocks, type FencedBlock } from './helpers/docs.js'
import { FIXTURE } from './helpers/world.js'

const exec = promisify(execFile)
const root = resolve('.')
const FILES = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
]
const TEXTS = FILES.map((file) => ({ file, text: readFileSync(file, 'utf8') }))
const ALL = TEXTS.map((t) => t.text).join('\n')
const work = mkdtempSync(join(tmpdir(), 'stytch-mock-readme-'))

type Block = FencedBlock & { file: string }
const blocks: Block[] = TEXTS.flatMap(({ file, text }) =>
  fencedBlocks(text).map((b) => ({ ...b, file })),
)

/** Blocks that another test runs: [a marker in the block, the test file, a marker in that file]. */
const ELSEWHERE: [string, string, string][] = [
  ['npm install && npm start', '.ci/run', 'npm run test:image'],
  ['new_with_base_url', 'test/conformance/rust/src/main.rs', 'new_with_base_url'],
  [
    "from 'stytch-mock/testcontainers'",
    'test/image/image.test.ts',
    'ciBlock("from \'stytch-mock/testcontainers\'")',
  ],
  ['HttpWaitStrategy', 'test/image/image.test.ts', "ciBlock('HttpWaitStrategy')"],
  ['docker build -t stytch-mock .', 'test/image/image.test.ts', "README's docker lines"],
  ['-v stytch-mock-data:/data', 'test/image/image.test.ts', 'readme.persistent'],
  ['npm start &', 'test/process.test.ts', "docs/ci.md's recipe without Docker"],
  ['NODE_EXTRA_CA_CERTS=.stytch-mock/ca.pem', 'test/helpers/sdk-child.ts', 'NODE_EXTRA_CA_CERTS'],
  ["custom_base_url: 'https://localhost:9443'", 'test/helpers/sdk-child.ts', 'custom_base_url'],
  ['testAPIURL', 'test/browser/frontend-sdk.test.ts', 'testAPIURL'],
  [
    "context.route('https://test.stytch.com/**'",
    'test/browser/frontend-sdk.test.ts',
    'test.stytch.com',
  ],
  [
    "context.route('https://js.stytch.com/clientside-services/**'",
    'test/browser/phone-ui.test.ts',
    "route('https://js.stytch.com/clientside-services/**'",
  ],
  [
    "cdp.send('WebAuthn.addVirtualAuthenticator'",
    'test/browser/passkeys-ui.test.ts',
    "cdp.send('WebAuthn.addVirtualAuthenticator'",
  ],
  ['REQUESTS_CA_BUNDLE', 'test/conformance/python.test.ts', 'SSL_CERT_FILE'],
  [
    'client.sessions.authenticate(session_token=',
    'test/conformance/python/conformance.py',
    'custom_base_url',
  ],
  ['keytool -importcert', 'test/conformance/java.test.ts', 'keytool'],
  ['OptionalClientConfig', 'test/conformance/java/Conformance.java', 'OptionalClientConfig'],
  [
    '"$schema": "./node_modules/stytch-mock',
    'test/sessions/fixtures.test.ts',
    'docs/fixtures.md example',
  ],
  ['npm run dev', '.ci/run', 'npm run test:e2e'],
  [
    'base.extend<',
    'test/routes/parallel-workers.test.ts',
    'match: { session_id: faulted.session.session_id }',
  ],
  ['scripts/node-bin.sh 22.23.3', '.ci/run', 'scripts/node-bin.sh'],
  [
    "getByLabel('One-time passcode')",
    'test/browser/login-ui.test.ts',
    "getByLabel('One-time passcode')",
  ],
  ["name: 'Continue with Google'", 'test/browser/login-ui.test.ts', '/_mock/oauth/answers'],
  [
    "'Select an organization to continue'",
    'test/browser/b2b-login-ui.test.ts',
    "'Select an organization to continue'",
  ],
  ['b2b.sso.saml.updateByURL', 'test/helpers/sso.ts', 'b2b.sso.saml.updateByURL'],
  ['/_mock/sso/answers`', 'test/browser/sso-ui.test.ts', "'/_mock/sso/answers'"],
  [
    'oidc.dynamicClientRegistration(',
    'test/contract/oidc-client.test.ts',
    'client.dynamicClientRegistration(',
  ],
  [
    'b2b.scim.connection.create',
    'test/contract/node-sdk-scim.test.ts',
    'b2b.scim.connection.create',
  ],
]
/** Blocks that cannot run on this machine, and why. */
const NOT_HERE: [string, string][] = [
  [
    'new GenericContainer<>("stytch-mock")',
    'the Java equivalent: the suites run the Node module and the Python one against podman, not Java',
  ],
  ['-p 443:9443', 'needs port 443'],
  ["customBaseUrl: 'https://localhost'", 'needs the HTTPS listener on port 443'],
]

let mock: Listening
let port: number
const local = (text: string) =>
  text
    .replaceAll('127.0.0.1:9010', `127.0.0.1:${port}`)
    .replaceAll('localhost:9010', `127.0.0.1:${port}`)
const bash = async (script: string, env: Record<string, string> = {}) =>
  (await exec('bash', ['-euo', 'pipefail', '-c', script], { env: { ...process.env, ...env } }))
    .stdout
const claimed = new Map<Block, string>()
/** The block with this marker; a page may repeat a block of another, word for word. */
const claim = (marker: string, how: string): Block => {
  const found = blocks.filter((b) => b.code.includes(marker))
  expect(found.length, `a block with ${JSON.stringify(marker)}`).toBeGreaterThan(0)
  for (const b of found)
    expect(b.code, `${b.file}:${b.line} repeats ${found[0]!.file}:${found[0]!.line}`).toBe(
      found[0]!.code,
    )
  for (const b of found) claimed.set(b, how)
  return found[0]!
}

beforeAll(async () => {
  mock = await listen(
    loadConfig({ PORT: '0', HTTPS_PORT: 'off', LOG_LEVEL: 'silent', STYTCH_MOCK_DATA_DIR: work }),
  )
  port = Number(new URL(mock.url).port)
})
afterAll(async () => {
  await mock.close()
  rmSync(work, { recursive: true, force: true })
})

describe('README and docs/', () => {
  it('its curl examples authenticate and switch organization', async () => {
    for (const marker of ['/v1/sessions/authenticate \\', '/v1/b2b/sessions/exchange \\']) {
      const out = JSON.parse(await bash(local(claim(marker, 'run').code)))
      expect(out.status_code, out.error_message).toBe(200)
    }
  })

  it('every call of every control-API table answers 200, in order', async () => {
    const setUp = local(claim("A='project-test-", 'run').code)
    const tables = TEXTS.flatMap(({ text }) =>
      text
        .split('| situation | one call |')
        .slice(1)
        .map((rest) => rest.slice(0, rest.indexOf('\n\n'))),
    )
    // The README's five, and docs/control-api.md's full table.
    expect(tables.length).toBe(2)
    const calls = tables.flatMap((table) =>
      [...table.matchAll(/`(curl [^`]+)`/g)].map((m) => m[1]!),
    )
    expect(calls.length).toBeGreaterThan(20)
    // Placeholders take the ids of the calls before them.
    const last = { snapshot_id: '', session_id: '', user_id: '', fault_id: '' }
    for (const call of calls) {
      const command = call
        .replace('<snapshot_id>', last.snapshot_id)
        .replace('<session_id>', last.session_id)
        .replace('<user_id>', last.user_id)
        .replace('<fault_id>', last.fault_id)
      const out = JSON.parse(await bash(`${setUp}\n${command}`))
      expect(out.status_code, `${call}: ${out.error_message}`).toBe(200)
      last.snapshot_id = out.snapshot_id ?? last.snapshot_id
      last.session_id = out.session?.session_id ?? last.session_id
      last.user_id = out.user?.user_id ?? last.user_id
      last.fault_id = out.fault?.fault_id ?? last.fault_id
    }
    await bash(`${setUp}\ncurl -s -u "$A" -X POST $M/_mock/reset`)
  })

  it("the env recipes export what --print-env prints (the CLI's own --help says the same)", async () => {
    writeFileSync(
      join(work, 'stytch-mock'),
      `#!/bin/sh\nexec "${process.execPath}" --import tsx "${join(root, 'server/main.ts')}" "$@"\n`,
    )
    chmodSync(join(work, 'stytch-mock'), 0o755)
    const env = {
      PATH: `${work}:${process.env.PATH}`,
      HTTPS_PORT: 'off',
      GITHUB_ENV: join(work, 'github-env'),
    }
    // `npx stytch-mock` in a project that installed it; here, a stand-in for it on PATH.
    const recipes = [...ALL.matchAll(/`([^`]*npx stytch-mock --print-env[^`]*)`/g)].map((m) =>
      m[1]!.replace('npx stytch-mock', 'stytch-mock'),
    )
    expect(recipes).toEqual([
      'stytch-mock --print-env',
      'stytch-mock --print-env >> "$GITHUB_ENV"',
      `eval "$(stytch-mock --print-env | sed 's/^/export /')"`,
    ])
    await bash(recipes[1]!, env)
    expect(readFileSync(env.GITHUB_ENV, 'utf8')).toContain(
      'STYTCH_MOCK_URL=http://127.0.0.1:9010\n',
    )
    const exported = await bash(
      `${recipes[2]}\nbash -c 'echo "$STYTCH_PROJECT_ID $STYTCH_MOCK_URL"'`,
      env,
    )
    expect(exported.trim()).toBe(
      'project-test-11111111-1111-4111-8111-111111111111 http://127.0.0.1:9010',
    )
    expect(await bash('stytch-mock --help', env)).toContain(recipes[2])
  })

  it('the Node SDK set-up authenticates the fixture session', async () => {
    const code = local(claim("env: 'http://127.0.0.1:9010/'", 'run').code)
    const { stdout } = await exec(process.execPath, [
      '-e',
      `${code}\nclient.sessions.authenticate({ session_token: '${FIXTURE.adaToken}' }).then((r) => console.log(r.user.user_id))`,
    ])
    expect(stdout.trim()).toBe(FIXTURE.adaUserId)
  })

  it('the programmatic API example and the Vitest global set-up run', async () => {
    const fromSource = (code: string) =>
      code.replace("from 'stytch-mock'", `from '${join(root, 'server/index.ts')}'`)
    const example = join(work, 'example.mts')
    writeFileSync(example, fromSource(claim('await startStytchMock()            //', 'run').code))
    await exec(process.execPath, ['--import', 'tsx', example], { cwd: root })
    const setup = join(work, 'stytch-mock-setup.mts')
    writeFileSync(setup, fromSource(claim('// test/stytch-mock.ts', 'run').code))
    const driver = join(work, 'driver.mts')
    writeFileSync(
      driver,
      `import setup from ${JSON.stringify(setup)}
const teardown = await setup()
const res = await fetch(process.env.STYTCH_MOCK_URL + '/_mock/health')
console.log(process.env.STYTCH_PROJECT_ID, res.status)
await teardown()
`,
    )
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', driver], { cwd: root })
    expect(stdout.trim()).toBe('project-test-11111111-1111-4111-8111-111111111111 200')
  })

  it('the CI and compose examples use the variables --print-env prints, and the image health check', async () => {
    const printed = (
      await exec(process.execPath, [
        '--import',
        'tsx',
        'server/main.ts',
        '--print-env',
        '--https-port',
        'off',
      ])
    ).stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('=')[0]!)
    const actions = parse(claim('runs-on: ubuntu-latest', 'checked').code)
    const gitlab = parse(claim('alias: stytch-mock', 'checked').code)
    const compose = parse(claim('depends_on:', 'checked').code)
    for (const env of [
      actions.jobs.e2e.env,
      gitlab.e2e.variables,
      compose.services.app.environment,
    ])
      for (const name of Object.keys(env)) expect(printed, name).toContain(name)
    const healthcheck = /HEALTHCHECK[\s\S]*?CMD \["node", "-e", "(.*)"\]/.exec(
      readFileSync('Dockerfile', 'utf8'),
    )![1]!
    const options = actions.jobs.e2e.services.stytch.options as string
    const fetched = /fetch\('([^']+)'\)/.exec(options)![1]!
    expect(fetched).toBe('http://127.0.0.1:9010/_mock/health')
    expect(healthcheck).toContain("/_mock/health')")
  })

  it('every other block is run by a test named here, or cannot run on this machine', () => {
    for (const [marker, file, inFile] of ELSEWHERE) {
      claim(marker, `run by ${file}`)
      expect(existsSync(file), file).toBe(true)
      expect(readFileSync(file, 'utf8'), `${file} contains ${inFile}`).toContain(inFile)
    }
    for (const [marker, why] of NOT_HERE) claim(marker, `not here: ${why}`)
  })

  it('no block is left unclaimed', () => {
    const unclaimed = blocks
      .filter((b) => !claimed.has(b))
      .map((b) => `${b.file}:${b.line} (${b.lang})`)
    expect(unclaimed).toEqual([])
  })
})
