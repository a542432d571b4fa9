// The image, built and run for real: the README's own `docker build` / `docker run` lines, run
// with podman on a local look-alike of every base image the Dockerfile names (built by
// lookalike.sh: no registry is reachable here). The Dockerfile is used unchanged; what this machine
// needs (runc, ulimits, the build-time CA of its TLS-re-signing proxy) is added here, never there.
// Needs root, podman, runc and mmdebstrap (.ci/run installs them).
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import stytch from 'stytch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packageRoot } from '../../server/paths.js'
import { fencedBlocks } from '../helpers/docs.js'
import { waitFor } from '../helpers/ports.js'
import { ensureVenv } from '../helpers/venv.js'
import { sdkOverHttps } from '../helpers/sdk-child.js'
import { SoftAuthenticator } from '../helpers/soft-authenticator.js'
import { ethereumWallet } from '../helpers/wallets.js'
import { FIXTURE } from '../helpers/world.js'

const exec = promisify(execFile)
const root = packageRoot()
const PROJECT_ID = 'project-test-11111111-1111-4111-8111-111111111111'
const SECRET = 'secret-test-stytch-mock-local-only-00000000000='
const BASIC = 'Basic ' + Buffer.from(`${PROJECT_ID}:${SECRET}`).toString('base64')
const HTTP = 'http://127.0.0.1:9010'
const HTTPS = 'https://localhost:9443'
const VOLUME = 'stytch-mock-data'
const TEST_LABEL = 'stytch-mock.image-test'
/** The base image names the look-alike imitates within a few MB (see lookalike.sh). */
const MB = 1_000_000

// This machine's container runtime needs these; they are not the user's concern.
const RUNTIME = ['--runtime', 'runc']
const LIMITS = ['--ulimit', 'nofile=20000:20000', '--ulimit', 'nproc=32768:32768']
const podman = (args: string[], timeout = 120_000) =>
  exec('podman', [...RUNTIME, ...args], { timeout, maxBuffer: 64 * MB })

/** The README's docker lines, as words, with `docker` replaced by podman and this machine's flags. */
function readmeLines(): { build: string[]; run: string[]; persistent: string[] } {
  const lines = readFileSync(join(root, 'README.md'), 'utf8')
    .split('\n')
    .filter((line) => /^docker (build|run) /.test(line))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
  for (const line of lines) expect(line, 'a README docker line with quotes').not.toMatch(/['"`$]/)
  const words = (line: string | undefined, what: string) => {
    expect(line, `the README's ${what} line`).toBeDefined()
    const [, sub, ...rest] = line!.split(/\s+/)
    const machine = sub === 'build' ? [...LIMITS, '--format', 'docker', '--pull=never'] : LIMITS
    return [sub!, ...machine, ...rest]
  }
  return {
    build: words(
      lines.find((l) => l.startsWith('docker build')),
      'docker build',
    ),
    run: words(
      lines.find((l) => l.startsWith('docker run') && !l.includes(' -v ')),
      'docker run',
    ),
    persistent: words(
      lines.find((l) => l.startsWith('docker run') && l.includes(` -v ${VOLUME}:/data`)),
      `docker run with the ${VOLUME} volume`,
    ),
  }
}

const readme = readmeLines()
const image = readme.build[readme.build.indexOf('-t') + 1]!
const bases = [
  ...new Set(
    readFileSync(join(root, 'Dockerfile'), 'utf8')
      .split('\n')
      .map((line) => /^FROM\s+(\S+)/i.exec(line)?.[1])
      .filter((ref): ref is string => ref !== undefined && ref.includes(':')),
  ),
]

let imageId = ''

interface Container {
  child: ChildProcess
  id: string
  output: () => string
  exited: Promise<[number | null, NodeJS.Signals | null]>
}

/** Starts one of the README's run lines in the foreground, as a user's CI step does. */
async function start(runLine: string[]): Promise<Container> {
  const taken = await fetch(`${HTTP}/_mock/health`).then(
    () => true,
    () => false,
  )
  expect(taken, 'port 9010 is free (the README line publishes 9010 and 9443)').toBe(false)
  const child = spawn('podman', [...RUNTIME, ...runLine], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  await waitFor(
    'the container answering /_mock/health',
    async () => {
      if (child.exitCode !== null)
        throw new Error(`the container exited ${child.exitCode}:\n${out}`)
      return fetch(`${HTTP}/_mock/health`).then(
        (r) => r.ok,
        () => false,
      )
    },
    30_000,
  )
  const { stdout } = await podman(['ps', '-q', '--no-trunc', '--filter', `ancestor=${imageId}`])
  const ids = stdout.trim().split('\n').filter(Boolean)
  expect(ids).toHaveLength(1)
  return { child, id: ids[0]!, output: () => out, exited }
}

/** SIGTERM, as `docker stop` sends it; resolves to the exit code and how long it took. */
async function terminate(c: Container): Promise<{ code: number | null; ms: number }> {
  const started = Date.now()
  await podman(['kill', '--signal', 'TERM', c.id])
  const [code] = await c.exited
  const ms = Date.now() - started
  console.log(`SIGTERM to exit ${code}: ${ms} ms, container teardown included`)
  return { code, ms }
}

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(HTTP + path, {
    method,
    headers: { authorization: BASIC, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

/** Removes the containers of the image and the volume this test made (never a user's volume). */
async function cleanUp(): Promise<void> {
  const { stdout } = await podman(['ps', '-a', '--format', '{{.ID}} {{.Image}}'])
  for (const [id, name] of stdout.split('\n').map((line) => line.split(' ')))
    if (id && (name === `localhost/${image}:latest` || name === imageId))
      await podman(['rm', '-f', id])
  const volumes = await podman(['volume', 'ls', '-q', '--filter', `label=${TEST_LABEL}`])
  if (volumes.stdout.split('\n').includes(VOLUME)) await podman(['volume', 'rm', '-f', VOLUME])
}

beforeAll(async () => {
  await cleanUp()
  // The README's volume name; made here, labelled, so a user's own volume of that name is never
  // touched: the test stops instead.
  const exists = await podman(['volume', 'exists', VOLUME]).then(
    () => true,
    () => false,
  )
  expect(exists, `a ${VOLUME} volume that this test did not make exists`).toBe(false)
  await podman(['volume', 'create', '--label', TEST_LABEL, VOLUME])
  for (const base of bases) {
    console.log(`image: a local look-alike of ${base} (about 40 s unless already built)`)
    await exec(join(root, 'test/image/lookalike.sh'), [base], { timeout: 300_000 })
  }
  console.log(`image: podman ${readme.build.join(' ')} (about 60 s; npm ci inside)`)
  // npm inside the build trusts this machine's CA (registries are reached through a
  // TLS-re-signing proxy): a home folder mounted for the build only, so nothing stays in the image.
  const home = mkdtempSync(join(tmpdir(), 'stytch-mock-build-home-'))
  copyFileSync('/etc/ssl/certs/ca-certificates.crt', join(home, 'ca-certificates.crt'))
  writeFileSync(join(home, '.npmrc'), 'cafile=/root/ca-certificates.crt\n')
  const [sub, ...rest] = readme.build
  try {
    await exec('podman', [...RUNTIME, sub!, '-v', `${home}:/root`, ...rest], {
      cwd: root,
      timeout: 600_000,
      maxBuffer: 64 * MB,
    })
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
  imageId = (await podman(['image', 'inspect', '--format', '{{.Id}}', image])).stdout.trim()
}, 900_000)

afterAll(cleanUp, 60_000)

describe('the image', () => {
  it('is built on the pinned base, small, and carries no compiler leftovers, dev dependencies or headers', async () => {
    expect(bases, 'an exact Node version on Debian slim').toEqual([
      expect.stringMatching(/^node:\d+\.\d+\.\d+-bookworm-slim$/),
    ])
    const nodeVersion = /^node:([\d.]+)-/.exec(bases[0]!)![1]!
    const ciNodes = /^NODES=\(([^)]*)\)/m.exec(readFileSync(join(root, '.ci/run'), 'utf8'))![1]!
    expect(ciNodes.split(' '), 'the image runs a Node that CI tests').toContain(nodeVersion)
    const size = async (ref: string) =>
      Number((await podman(['image', 'inspect', '--format', '{{.Size}}', ref])).stdout.trim())
    const total = await size(image)
    const base = await size(bases[0]!)
    console.log(
      `image ${(total / MB).toFixed(1)} MB = base ${bases[0]} ${(base / MB).toFixed(1)} MB + ` +
        `${((total - base) / MB).toFixed(1)} MB of stytch-mock`,
    )
    expect(total).toBeLessThan(250 * MB)
    expect(total - base).toBeLessThan(20 * MB)

    const inside = `
      const fs = require('fs'), path = require('path')
      const files = []
      const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name); e.isDirectory() ? walk(p) : files.push(p) } }
      walk('/app')
      console.log(JSON.stringify({
        uid: process.getuid(),
        node: process.version,
        modules: fs.readdirSync('/app/node_modules'),
        native: files.filter((f) => f.endsWith('.node')),
        prebuilt: '/app/node_modules/better-sqlite3/prebuilds/linux-' + process.arch + '.node',
        leftovers: files.filter((f) => /\\.(c|cc|cpp|h|hpp|o|gyp|mk)$|\\/build\\/Release\\//.test(f)),
      }))`
    const { stdout } = await podman(['run', '--rm', ...LIMITS, image, 'node', '-e', inside])
    const seen = JSON.parse(stdout)
    expect(seen.uid).toBe(1000)
    expect(seen.node).toBe(`v${nodeVersion}`)
    expect(seen.native).toEqual([seen.prebuilt])
    expect(seen.leftovers.filter((f: string) => !f.endsWith('binding.gyp'))).toEqual([])
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    for (const dev of Object.keys(pkg.devDependencies)) expect(seen.modules).not.toContain(dev)
    expect(seen.modules).not.toContain('node-addon-api')
  })

  it("README's docker run: health, the Node SDK over HTTP, uid 1000, its HEALTHCHECK, SIGTERM exits 0 within 2 s", async () => {
    const c = await start(readme.run)
    try {
      const client = new stytch.Client({ project_id: PROJECT_ID, secret: SECRET, env: `${HTTP}/` })
      const auth = await client.sessions.authenticate({ session_token: FIXTURE.adaToken })
      expect(auth.user.user_id).toBe(FIXTURE.adaUserId)
      const local = await client.sessions.authenticateJwtLocal({ session_jwt: auth.session_jwt })
      expect(local.session_id).toBe(FIXTURE.adaSessionId)
      // What loads on first use, from the image's trimmed node_modules: zxcvbn-ts for the
      // strength rule, hash-wasm for an imported bcrypt hash.
      const strength = await client.passwords.strengthCheck({ password: 'hunter22' })
      expect(strength).toMatchObject({ score: 1, strength_policy: 'zxcvbn' })
      await client.passwords.migrate({
        email: 'imported@example.com',
        hash_type: 'bcrypt',
        // 'correct-horse-battery', hashed by Python's bcrypt.
        hash: '$2b$04$Gp.w6x2nfDJ32ufFjzItROMaJFv2mg9VpRRus9Yhv8qHIj0DoK2ri',
      })
      await client.passwords.authenticate({
        email: 'imported@example.com',
        password: 'correct-horse-battery',
      })
      // The TOTP libraries (their Node builds) and the phone page's library (its browser build).
      const totp = await client.totps.create({ user_id: FIXTURE.adaUserId })
      expect(totp.qr_code).toMatch(/^data:image\/png;base64, /)
      const phones = await fetch(`${HTTP}/clientside-services/awesome-phonenumber.mjs`)
      expect(phones.status).toBe(200)
      expect((await phones.text()).length).toBeGreaterThan(100_000)
      // SimpleWebAuthn (outside the bundle, trimmed) verifies a passkey; the wallets' curve and
      // keccak (in the bundle) an Ethereum signature.
      const authenticator = new SoftAuthenticator({ origin: 'http://localhost:3000' })
      const start = await client.webauthn.registerStart({
        user_id: FIXTURE.adaUserId,
        domain: 'localhost',
        return_passkey_credential_options: true,
      })
      const credential = authenticator.create(start.public_key_credential_creation_options)
      const passkey = await client.webauthn.register({
        user_id: FIXTURE.adaUserId,
        public_key_credential: JSON.stringify(credential),
      })
      expect(passkey.webauthn_registration_id).toMatch(/^webauthn-registration-test-/)
      const wallet = ethereumWallet()
      const challenge = await client.cryptoWallets.authenticateStart({
        crypto_wallet_type: 'ethereum',
        crypto_wallet_address: wallet.address,
      })
      const signedIn = await client.cryptoWallets.authenticate({
        crypto_wallet_type: 'ethereum',
        crypto_wallet_address: wallet.address,
        signature: wallet.sign(challenge.challenge),
      })
      expect(signedIn.user_id).toBe(challenge.user_id)

      // PID 1 (the server itself) and anything exec'd run as the image's node user.
      const uid = await podman(['exec', c.id, 'sh', '-c', 'stat -c %u /proc/1; id -u'])
      expect(uid.stdout.trim().split('\n')).toEqual(['1000', '1000'])
      await expect(podman(['healthcheck', 'run', c.id])).resolves.toBeDefined()
    } finally {
      const stop = await terminate(c)
      expect(stop, c.output()).toMatchObject({ code: 0 })
      expect(stop.ms).toBeLessThan(2_000)
    }
  }, 120_000)

  it('with the /data volume: HTTPS with its CA, 60 s of mixed load and idle, then a restart keeps the CA, keys and sessions', async () => {
    let c = await start(readme.persistent)
    const mount = (
      await podman(['volume', 'inspect', '--format', '{{.Mountpoint}}', VOLUME])
    ).stdout.trim()
    const caFile = join(mount, 'ca.pem')
    expect(existsSync(caFile)).toBe(true)
    const ca = readFileSync(caFile, 'utf8')
    expect(await (await fetch(`${HTTP}/_mock/ca.pem`)).text()).toBe(ca)
    const sdk = (caFile: string) =>
      sdkOverHttps({
        baseUrl: HTTPS,
        projectId: PROJECT_ID,
        secret: SECRET,
        sessionToken: FIXTURE.adaToken,
        caFile,
      })
    expect(await sdk(caFile)).toEqual({
      user: FIXTURE.adaUserId,
      jwtSession: FIXTURE.adaSessionId,
      local: FIXTURE.adaUserId,
    })
    await expect(sdk(''), 'the certificate really is checked').rejects.toMatchObject({ code: 3 })

    // 45 s of mixed load from 8 clients, then 15 s idle: the container must still be up and healthy.
    const statuses = new Map<number, number>()
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1)
    const jwks = `/v1/sessions/jwks/${PROJECT_ID}`
    const until = Date.now() + 45_000
    const worker = async (w: number) => {
      for (let i = 0; Date.now() < until; i++) {
        const created = await api('POST', '/_mock/sessions', {
          email: `load-${w}-${i}@example.com`,
        })
        count(created.status)
        const { session_token, session_jwt } = (await created.json()) as Record<string, string>
        for (const res of await Promise.all([
          api('POST', '/v1/sessions/authenticate', { session_token }),
          api('POST', '/v1/sessions/authenticate', { session_jwt }),
          fetch(HTTP + jwks),
          api('POST', '/v1/sessions/authenticate', { session_token: 'x'.repeat(44) }),
          fetch(`${HTTP}/v1/sessions/authenticate`, {
            method: 'POST',
            headers: { authorization: BASIC, 'content-type': 'application/json' },
            body: '{not json',
          }),
          fetch(`${HTTP}/v1/sessions/authenticate`, { method: 'POST', body: '{}' }),
          api('POST', '/v1/sessions/revoke', { session_token }),
        ])) {
          count(res.status)
          await res.arrayBuffer()
        }
        if (i % 25 === 0) count((await api('POST', '/_mock/keys/rotate')).status)
      }
    }
    await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)))
    const served = [...statuses.values()].reduce((a, b) => a + b, 0)
    console.log(
      `mixed load: ${served} requests in 45 s, by status ${JSON.stringify([...statuses])}`,
    )
    expect([...statuses.keys()].sort()).toEqual([200, 400, 401, 404])
    await sleep(15_000)
    expect((await podman(['inspect', '--format', '{{.State.Status}}', c.id])).stdout.trim()).toBe(
      'running',
    )
    await expect(podman(['healthcheck', 'run', c.id])).resolves.toBeDefined()

    // What must survive a restart on the same volume.
    const seeded = (await (
      await api('POST', '/_mock/sessions', { email: 'restart@example.com' })
    ).json()) as Record<string, string>
    const { keys } = (await (await fetch(HTTP + jwks)).json()) as { keys: unknown[] }
    expect(keys.length).toBeGreaterThan(1)
    const stop = await terminate(c)
    expect(stop, c.output()).toMatchObject({ code: 0 })
    expect(stop.ms).toBeLessThan(2_000)

    c = await start(readme.persistent)
    try {
      expect(readFileSync(caFile, 'utf8')).toBe(ca)
      expect(await (await fetch(`${HTTP}/_mock/ca.pem`)).text()).toBe(ca)
      expect(await (await fetch(HTTP + jwks)).json()).toMatchObject({ keys })
      for (const body of [
        { session_token: seeded.session_token },
        { session_jwt: seeded.session_jwt },
      ]) {
        const res = await api('POST', '/v1/sessions/authenticate', body)
        expect(res.status, JSON.stringify(body)).toBe(200)
      }
      expect(await sdk(caFile)).toMatchObject({ user: FIXTURE.adaUserId })
    } finally {
      const again = await terminate(c)
      expect(again, c.output()).toMatchObject({ code: 0 })
    }
  }, 240_000)
})

/** A fenced block of docs/ci.md, by a marker in it. */
function ciBlock(marker: string): string {
  const found = fencedBlocks(readFileSync(join(root, 'docs/ci.md'), 'utf8')).filter((b) =>
    b.code.includes(marker),
  )
  expect(found, `one docs/ci.md block with ${marker}`).toHaveLength(1)
  return found[0]!.code
}

// testcontainers talks to a Docker API: podman's own (`podman system service`), on a socket of
// this test's. What this machine needs is given to the service (runc, ulimits) and to the clients
// (no Ryuk: its image cannot be pulled here; Python's client takes this VM for a container and
// would look for a gateway, so it is told to use the Docker host), never to the user's code.
describe("testcontainers, against podman's Docker API (docs/ci.md)", () => {
  let service: ChildProcess
  let dir: string
  let env: Record<string, string>
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stytch-mock-testcontainers-'))
    writeFileSync(
      join(dir, 'containers.conf'),
      '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n[engine]\nruntime = "runc"\n',
    )
    const socket = join(dir, 'podman.sock')
    service = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
      env: { ...process.env, CONTAINERS_CONF: join(dir, 'containers.conf') },
      stdio: 'ignore',
    })
    env = {
      DOCKER_HOST: `unix://${socket}`,
      TESTCONTAINERS_RYUK_DISABLED: 'true',
      TESTCONTAINERS_CONNECTION_MODE: 'docker_host',
    }
    await waitFor('podman system service', () => Promise.resolve(existsSync(socket)), 10_000)
  })
  afterAll(() => {
    service?.kill()
    rmSync(dir, { recursive: true, force: true })
  })

  it('stytch-mock/testcontainers starts the image with fixtures, and hands over the URL and the env', async () => {
    // The example as written (plain JavaScript, as an .mjs), in a folder inside this checkout (so
    // `stytch` resolves), its import
    // pointing at the build and its "your tests" line a real check.
    const app = join(root, 'node_modules/.cache/stytch-mock-testcontainers')
    rmSync(app, { recursive: true, force: true })
    mkdirSync(join(app, 'e2e'), { recursive: true })
    writeFileSync(
      join(app, 'e2e/fixtures.json'),
      JSON.stringify({
        users: [
          { user_id: 'user-test-00000000-0000-4000-8000-000000000c01', email: 'tc@example.com' },
        ],
        sessions: [
          {
            session_id: 'session-test-00000000-0000-4000-8000-000000000c01',
            user_id: 'user-test-00000000-0000-4000-8000-000000000c01',
            session_token: 'tc-session-token-tc-session-token-tc-0000001',
          },
        ],
      }),
    )
    const example = ciBlock("from 'stytch-mock/testcontainers'")
      .replace(
        "'stytch-mock/testcontainers'",
        JSON.stringify(join(root, 'dist/server/testcontainers.js')),
      )
      .replace(
        '// ... your tests ...',
        `const auth = await client.sessions.authenticate({ session_token: 'tc-session-token-tc-session-token-tc-0000001' })
console.log(JSON.stringify({ user: auth.user.user_id, env: Object.keys(mock.env), url: process.env.STYTCH_MOCK_URL }))`,
      )
    expect(example).toContain('console.log')
    writeFileSync(join(app, 'example.mjs'), example)
    const { stdout } = await exec(process.execPath, ['example.mjs'], {
      cwd: app,
      env: { ...process.env, ...env },
      timeout: 120_000,
    })
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!)
    expect(seen.user).toBe('user-test-00000000-0000-4000-8000-000000000c01')
    expect(seen.env).toEqual([
      'STYTCH_PROJECT_ID',
      'STYTCH_SECRET',
      'STYTCH_PUBLIC_TOKEN',
      'STYTCH_B2B_PUBLIC_TOKEN',
      'STYTCH_MOCK_URL',
    ])
    expect(seen.url).toMatch(/^http:\/\/[^/]+:\d+$/)
    rmSync(app, { recursive: true, force: true })
  }, 180_000)

  it('with https, the env trusts the local CA: the Node SDK over HTTPS', async () => {
    const before = { ...process.env }
    Object.assign(process.env, env)
    try {
      const { StytchMockContainer } = await import('../../server/testcontainers.js')
      const mock = await new StytchMockContainer({ https: true }).start()
      try {
        expect(mock.env.STYTCH_MOCK_HTTPS_URL).toBe(mock.httpsUrl)
        // NODE_EXTRA_CA_CERTS is read when Node starts: a child process with the env, as an app.
        const seen = await sdkOverHttps({
          baseUrl: mock.httpsUrl!,
          projectId: mock.env.STYTCH_PROJECT_ID!,
          secret: mock.env.STYTCH_SECRET!,
          sessionToken: FIXTURE.adaToken,
          caFile: mock.env.NODE_EXTRA_CA_CERTS!,
        })
        expect(seen).toMatchObject({ user: FIXTURE.adaUserId })
      } finally {
        await mock.stop()
      }
    } finally {
      process.env = before
    }
  }, 180_000)

  it('the Python equivalent (testcontainers on PyPI), as docs/ci.md writes it', async () => {
    const venv = await ensureVenv(
      join(
        process.env.XDG_CACHE_HOME || join(homedir(), '.cache'),
        'stytch-mock/testcontainers-venv',
      ),
      join(root, 'test/image/requirements.txt'),
      'testcontainers (Python)',
    )
    const script = `import urllib.request\n${ciBlock('HttpWaitStrategy')}\n    print(urllib.request.urlopen(url + "/_mock/health").status)\n`
    writeFileSync(join(dir, 'example.py'), script)
    const { stdout } = await exec(join(venv, 'bin/python'), [join(dir, 'example.py')], {
      env: { ...process.env, ...env },
      timeout: 120_000,
    })
    expect(stdout.trim()).toBe('200')
  }, 400_000)
})
