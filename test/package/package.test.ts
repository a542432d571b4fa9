// The package as a user gets it: `npm pack`, then `npm i ./stytch-mock-<v>.tgz` into a fresh empty
// project; and `npm i git+file://...` (a git URL, which builds through `prepare`). In that project:
// npx stytch-mock (--help, --print-env, start and stop), an ESM import, a TypeScript file
// type-checked against the shipped declarations, and the README's fixture $schema path.
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accepts, freePort, waitFor } from '../helpers/ports.js'

const exec = promisify(execFile)
const root = resolve('.')
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string }
const work = mkdtempSync(join(tmpdir(), 'stytch-mock-package-'))
const app = join(work, 'app')
const tsc = join(root, 'node_modules/typescript/bin/tsc')
const npm = (args: string[], cwd: string) =>
  exec('npm', [...args, '--no-audit', '--no-fund'], { cwd, timeout: 300_000, maxBuffer: 1 << 26 })

/** An empty project, as `npm init -y` leaves it (plus ESM). */
function freshProject(dir: string): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }, null, 2),
  )
}

beforeAll(async () => {
  console.log(
    'package: npm pack, then npm install of the tarball into a fresh project (about 15 s)',
  )
  const { stdout } = await npm(['pack', '--pack-destination', work], root)
  const tarball = stdout.trim().split('\n').at(-1)!
  expect(tarball).toBe(`${pkg.name}-${pkg.version}.tgz`)
  freshProject(app)
  await npm(['install', `../${tarball}`], app)
}, 400_000)
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('npm pack, installed into a fresh project', () => {
  it('npx stytch-mock --help and --print-env', async () => {
    const help = await exec('npx', ['stytch-mock', '--help'], { cwd: app })
    expect(help.stdout).toContain('Usage: stytch-mock [flags]')
    const env = await exec('npx', ['stytch-mock', '--print-env', '--https-port', 'off'], {
      cwd: app,
    })
    expect(env.stdout).toContain(
      'STYTCH_PROJECT_ID=project-test-11111111-1111-4111-8111-111111111111',
    )
    expect(env.stdout).toMatch(/^STYTCH_MOCK_URL=http:\/\/127\.0\.0\.1:9010$/m)
  })

  it('npx stytch-mock serves, and SIGTERM to npx frees both ports within 2 s', async () => {
    const ports = [await freePort(), await freePort()]
    const child = spawn(
      'npx',
      ['stytch-mock', '--port', `${ports[0]}`, '--https-port', `${ports[1]}`],
      {
        cwd: app,
        env: { ...process.env, STYTCH_MOCK_DATA_DIR: join(work, 'data'), LOG_LEVEL: 'error' },
        stdio: 'ignore',
      },
    )
    const exited = once(child, 'exit')
    await waitFor(
      'npx stytch-mock listening',
      async () => (await accepts(ports[0]!)) && (await accepts(ports[1]!)),
      60_000,
    )
    const health = await fetch(`http://127.0.0.1:${ports[0]}/_mock/health`)
    expect(health.status).toBe(200)
    child.kill('SIGTERM')
    const ms = await waitFor(
      'both ports free',
      async () => !(await accepts(ports[0]!)) && !(await accepts(ports[1]!)),
      2_000,
    )
    expect(ms).toBeLessThan(2_000)
    await exited
  }, 90_000)

  it('the command validates requests by an openapi.yaml it was not built from (compiled on demand)', async () => {
    const spec = join(app, 'node_modules/stytch-mock/openapi.yaml')
    const text = readFileSync(spec, 'utf8')
    writeFileSync(spec, `${text}# edited after the build\n`)
    const port = await freePort()
    const child = spawn(
      process.execPath,
      ['node_modules/stytch-mock/dist/server/main.js', '--port', `${port}`, '--https-port', 'off'],
      {
        cwd: app,
        env: { ...process.env, STYTCH_MOCK_DATA_DIR: join(work, 'data-spec'), LOG_LEVEL: 'error' },
        stdio: 'ignore',
      },
    )
    try {
      await waitFor('the command listening', () => accepts(port), 60_000)
      const authenticate = (body: object) =>
        fetch(`http://127.0.0.1:${port}/v1/sessions/authenticate`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(
              'project-test-11111111-1111-4111-8111-111111111111:secret-test-stytch-mock-local-only-00000000000=',
            ).toString('base64')}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, ...((await r.json()) as object) }))
      expect(await authenticate({})).toMatchObject({
        status: 400,
        error_type: 'no_session_arguments',
      })
      expect(await authenticate({ session_token: 'A'.repeat(44) })).toMatchObject({
        status: 404,
        error_type: 'session_not_found',
      })
    } finally {
      child.kill('SIGTERM')
      writeFileSync(spec, text)
    }
  }, 90_000)

  it('the command starts with a fixtures schema it was not built from (compiled on demand)', async () => {
    const schema = join(app, 'node_modules/stytch-mock/fixtures/fixtures.schema.json')
    const text = readFileSync(schema, 'utf8')
    writeFileSync(schema, `${text}\n`)
    const port = await freePort()
    const child = spawn(
      process.execPath,
      ['node_modules/stytch-mock/dist/server/main.js', '--port', `${port}`, '--https-port', 'off'],
      {
        cwd: app,
        env: {
          ...process.env,
          STYTCH_MOCK_DATA_DIR: join(work, 'data-schema'),
          LOG_LEVEL: 'error',
        },
        stdio: 'ignore',
      },
    )
    try {
      await waitFor('the command listening', () => accepts(port), 60_000)
      const jwks = await fetch(
        `http://127.0.0.1:${port}/v1/sessions/jwks/project-test-11111111-1111-4111-8111-111111111111`,
      )
      expect(jwks.status).toBe(200)
    } finally {
      child.kill('SIGTERM')
      writeFileSync(schema, text)
    }
  }, 90_000)

  it("import { startStytchMock } from 'stytch-mock' in ESM, with a fixture that uses the README's $schema path", async () => {
    const schema = './node_modules/stytch-mock/fixtures/fixtures.schema.json'
    expect(existsSync(join(app, schema))).toBe(true)
    writeFileSync(
      join(app, 'fixtures.json'),
      JSON.stringify({
        $schema: schema,
        users: [
          { user_id: 'user-test-00000000-0000-4000-8000-000000000001', email: 'qa@example.com' },
        ],
      }),
    )
    writeFileSync(
      join(app, 'check.mjs'),
      `import { startStytchMock } from 'stytch-mock'
const mock = await startStytchMock({ fixtures: './fixtures.json' })
const seeded = await mock.createSession({ email: 'qa@example.com' })
console.log(JSON.stringify({ url: mock.url, user: seeded.user.user_id, token: seeded.session_token.length }))
await mock.close()
`,
    )
    const { stdout } = await exec(process.execPath, ['check.mjs'], { cwd: app })
    expect(JSON.parse(stdout)).toEqual({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      user: 'user-test-00000000-0000-4000-8000-000000000001',
      token: 44,
    })
  })

  it('a TypeScript file type-checks against the shipped declarations (strict; bundler and node16)', async () => {
    writeFileSync(
      join(app, 'check.ts'),
      `import { startStytchMock, type StytchMock, type SeededSession } from 'stytch-mock'

export async function seed(): Promise<string> {
  const mock: StytchMock = await startStytchMock({ httpsPort: 'off', logLevel: 'silent' })
  const seeded: SeededSession = await mock.createSession({ email: 'e2e@example.com' })
  const clock = await mock.clock.advance(301)
  const frozen: boolean = clock.frozen
  await mock.close()
  return seeded.session_token + String(frozen)
}
`,
    )
    const options = (module: string, moduleResolution: string) => ({
      compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module, moduleResolution },
      files: ['check.ts'],
    })
    for (const [name, config] of [
      ['tsconfig.bundler.json', options('esnext', 'bundler')],
      ['tsconfig.node16.json', options('node16', 'node16')],
    ] as const) {
      writeFileSync(join(app, name), JSON.stringify(config))
      await expect(
        exec(process.execPath, [tsc, '-p', name], { cwd: app }),
        name,
      ).resolves.toBeDefined()
    }
    // The check can fail: a wrong type is an error.
    writeFileSync(
      join(app, 'wrong.ts'),
      `import { startStytchMock } from 'stytch-mock'\nexport const n: number = startStytchMock\n`,
    )
    writeFileSync(
      join(app, 'tsconfig.wrong.json'),
      JSON.stringify({ ...options('esnext', 'bundler'), files: ['wrong.ts'] }),
    )
    await expect(
      exec(process.execPath, [tsc, '-p', 'tsconfig.wrong.json'], { cwd: app }),
    ).rejects.toMatchObject({
      stdout: expect.stringContaining('TS2322'),
    })
  })
})

describe('npm i git+file://<this repository>', () => {
  it('builds through prepare and gives a working npx stytch-mock', async () => {
    const fromGit = join(work, 'from-git')
    freshProject(fromGit)
    console.log(
      'package: npm install git+file://<this repository>: clone, install, build (about 20 s)',
    )
    await npm(['install', `git+file://${root}`], fromGit)
    expect(existsSync(join(fromGit, 'node_modules/stytch-mock/dist/server/main.js'))).toBe(true)
    const { stdout } = await exec('npx', ['stytch-mock', '--version'], { cwd: fromGit })
    expect(stdout.trim()).toBe(pkg.version)
  }, 400_000)
})
