// Docker cannot run here, so this replays the Dockerfile on a temporary copy: the production
// install, the compiled output, the runtime stage's files, start as the image would, the
// HEALTHCHECK, and SIGTERM. It reads the Dockerfile, so the two cannot drift apart silently.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packageRoot } from '../../server/paths.js'
import { FIXTURE } from '../helpers/world.js'
import { all, copies, env, execForm, parseDockerfile } from './dockerfile.js'

const run = promisify(execFile)
const root = packageRoot()
const stages = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'))
const runtime = stages.at(-1)!
const image = mkdtempSync(join(tmpdir(), 'stytch-mock-image-'))
const dataDir = mkdtempSync(join(tmpdir(), 'stytch-mock-image-data-'))
let ports: { http: number; https: number }
let child: ChildProcess | undefined

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => done(port))
    })
  })

/** The container's environment: the Dockerfile's ENV, with free ports and a temporary /data. */
const containerEnv = () => ({
  PATH: process.env.PATH ?? '',
  ...env(runtime),
  PORT: String(ports.http),
  HTTPS_PORT: String(ports.https),
  STYTCH_MOCK_DATA_DIR: dataDir,
})
const command = (argv: string[]) =>
  [argv[0] === 'node' ? process.execPath : argv[0]!, argv.slice(1)] as const

beforeAll(async () => {
  ports = { http: await freePort(), https: await freePort() }
  // The build stage ends with production dependencies only (npm ci, then npm prune --omit=dev).
  for (const file of ['package.json', 'package-lock.json'])
    cpSync(join(root, file), join(image, file))
  await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], {
    cwd: image,
    timeout: 300_000,
  })
  // The runtime stage's COPY lines from the build context.
  for (const copy of copies(runtime).filter((c) => c.from === undefined)) {
    for (const source of copy.sources)
      cpSync(join(root, source), join(image, copy.target.endsWith('/') ? source : copy.target), {
        recursive: true,
      })
  }
  // ...and the compiled output of `npm run build` (tsc, then the precompiled fixture validator).
  expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.build).toBe(
    'tsc -p tsconfig.build.json && node scripts/compile-fixture-schema.mjs',
  )
  await run(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(root, 'tsconfig.build.json'),
      '--outDir',
      join(image, 'dist'),
    ],
    { cwd: root },
  )
  await run(process.execPath, [join(root, 'scripts/compile-fixture-schema.mjs')], { cwd: image })
}, 360_000)

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
})

describe('the Dockerfile', () => {
  it('is multi-stage on node:24-bookworm-slim, runs as a non-root user, exposes both ports and the data volume', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2)
    for (const stage of stages) expect(stage.from).toBe('node:24-bookworm-slim')
    expect(all(runtime, 'USER')).toEqual(['node'])
    expect(all(runtime, 'EXPOSE').join(' ').split(' ').sort()).toEqual(['9010', '9443'])
    expect(all(runtime, 'VOLUME').join(' ')).toContain('/data')
    expect(env(runtime)).toMatchObject({ HOST: '0.0.0.0', STYTCH_MOCK_DATA_DIR: '/data' })
    expect(all(runtime, 'HEALTHCHECK').join(' ')).toContain('/_mock/health')
  })

  it('copies from the build stage only what exists after the build steps', () => {
    for (const copy of copies(runtime).filter((c) => c.from !== undefined)) {
      for (const source of copy.sources)
        expect(existsSync(join(image, source.replace(/^\/app\//, ''))), source).toBe(true)
    }
    expect(existsSync(join(image, 'node_modules/typescript'))).toBe(false)
    expect(
      existsSync(join(image, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')),
    ).toBe(true)
  })

  it('lets every file the stages COPY from the context through .dockerignore, and nothing else', () => {
    const allowed = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1).replace(/\/$/, ''))
    const copied = stages.flatMap((s) =>
      copies(s)
        .filter((c) => c.from === undefined)
        .flatMap((c) => c.sources.map((x) => x.replace(/\/$/, ''))),
    )
    const covers = (entry: string, path: string) => path === entry || path.startsWith(`${entry}/`)
    for (const path of copied)
      expect(
        allowed.some((entry) => covers(entry, path)),
        `${path} is ignored`,
      ).toBe(true)
    for (const entry of allowed)
      expect(
        copied.some((path) => covers(entry, path)),
        `${entry} is never copied`,
      ).toBe(true)
  })
})

describe('the image, started as Docker would start it', () => {
  it('starts, answers its HEALTHCHECK, serves the fixtures over HTTP and HTTPS, and stops on SIGTERM within a second', async () => {
    const [cmd, args] = command(execForm(all(runtime, 'CMD')[0]!))
    child = spawn(cmd, args, { cwd: image, env: containerEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no banner in 20 s:\n${out}`)), 20_000)
      child!.stdout!.on('data', () => out.includes('listening on') && (clearTimeout(timer), done()))
      child!.once('exit', (code) => fail(new Error(`exited ${code}:\n${out}`)))
    })

    const [hcCmd, hcArgs] = command(execForm(all(runtime, 'HEALTHCHECK')[0]!))
    await expect(run(hcCmd, hcArgs, { env: containerEnv() })).resolves.toBeDefined()
    await expect(
      run(hcCmd, hcArgs, { env: { ...containerEnv(), PORT: String(await freePort()) } }),
    ).rejects.toMatchObject({ code: 1 })

    const res = await fetch(`http://127.0.0.1:${ports.http}/v1/sessions/authenticate`, {
      method: 'POST',
      headers: {
        authorization:
          'Basic ' +
          Buffer.from(
            'project-test-11111111-1111-4111-8111-111111111111:secret-test-stytch-mock-local-only-00000000000=',
          ).toString('base64'),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ session_token: FIXTURE.adaToken }),
    })
    expect(res.status).toBe(200)
    expect(existsSync(join(dataDir, 'ca.pem'))).toBe(true)
    const leaf = readFileSync(join(dataDir, 'tls-cert.pem'), 'utf8')
    expect(leaf).toContain('BEGIN CERTIFICATE')
    expect(out).toContain(`https://localhost:${ports.https}`)

    const started = Date.now()
    child.kill('SIGTERM')
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it("is importable as 'stytch-mock' with type declarations, and starts in-process", async () => {
    const pkg = JSON.parse(readFileSync(join(image, 'package.json'), 'utf8'))
    expect(existsSync(join(image, pkg.exports['.'].types))).toBe(true)
    const user = mkdtempSync(join(tmpdir(), 'stytch-mock-user-'))
    mkdirSync(join(user, 'node_modules'))
    symlinkSync(image, join(user, 'node_modules', 'stytch-mock'))
    const script = `
      import { startStytchMock } from 'stytch-mock'
      const mock = await startStytchMock()
      const seeded = await mock.createSession({ email: 'user@example.com' })
      console.log(JSON.stringify({ url: mock.url, token: seeded.session_token.length }))
      await mock.close()`
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: user,
    })
    expect(JSON.parse(stdout)).toMatchObject({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      token: 44,
    })
  })
})
