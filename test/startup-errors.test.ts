// Every start-up failure of the real entry point is one or two lines naming the setting (variable
// and flag), the value and the cause, with exit code 1 and no stack trace.
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'stytch-mock-startup-'))
const isRoot = process.getuid?.() === 0

async function failure(env: Record<string, string>, args: string[] = []): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    env: { ...process.env, PORT: '0', HTTPS_PORT: 'off', STYTCH_MOCK_DATA_DIR: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const [code] = await once(child, 'exit')
  expect({ code, err }).toMatchObject({ code: 1 })
  expect(err, 'no stack trace').not.toMatch(/^\s+at /m)
  expect(err.trim().split('\n').length, err).toBeLessThanOrEqual(2)
  return err.trim()
}

const listening: Server[] = []
afterAll(() => {
  listening.forEach((s) => s.close())
  rmSync(dir, { recursive: true, force: true })
})
async function takenPort(): Promise<number> {
  const server = createServer()
  listening.push(server)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return (server.address() as { port: number }).port
}

describe('start-up failures name the setting, the value and the cause', () => {
  it('STYTCH_MOCK_DB in a folder that does not exist', async () => {
    const db = join(dir, 'missing', 'mock.db')
    expect(await failure({ STYTCH_MOCK_DB: db })).toBe(
      `stytch-mock: STYTCH_MOCK_DB (--db) ${db}: its folder ${join(dir, 'missing')} does not exist`,
    )
  })

  it('STYTCH_MOCK_DB that is a folder', async () => {
    expect(await failure({ STYTCH_MOCK_DB: dir })).toBe(
      `stytch-mock: STYTCH_MOCK_DB (--db) ${dir}: is a folder; give a file path in it, e.g. STYTCH_MOCK_DB=<folder>/stytch-mock.db`,
    )
  })

  it('STYTCH_MOCK_DB in a read-only place', async () => {
    // Root may write anywhere its permissions allow, but not create files in sysfs.
    let db = '/sys/stytch-mock.db'
    if (!isRoot) {
      const readOnly = join(dir, 'read-only')
      mkdirSync(readOnly)
      chmodSync(readOnly, 0o555)
      db = join(readOnly, 'mock.db')
    }
    expect(await failure({ STYTCH_MOCK_DB: db })).toBe(
      `stytch-mock: STYTCH_MOCK_DB (--db) ${db}: cannot be created or written: permission denied`,
    )
  })

  it('STYTCH_MOCK_DB that is not a SQLite file', async () => {
    const db = join(dir, 'notes.txt')
    writeFileSync(db, 'these are not the sessions you are looking for\n'.repeat(50))
    expect(await failure({ STYTCH_MOCK_DB: db })).toBe(
      `stytch-mock: STYTCH_MOCK_DB (--db) ${db}: is not a SQLite database`,
    )
  })

  it('STYTCH_MOCK_SIGNING_KEY that is not a key, or not an RSA key', async () => {
    const bad = join(dir, 'bad.pem')
    writeFileSync(bad, 'not a key\n')
    expect(await failure({ STYTCH_MOCK_SIGNING_KEY: bad })).toBe(
      `stytch-mock: STYTCH_MOCK_SIGNING_KEY (--signing-key) ${bad}: is not a PEM private key (expected -----BEGIN PRIVATE KEY----- or RSA PRIVATE KEY)`,
    )
    const ec = join(dir, 'ec.pem')
    writeFileSync(
      ec,
      execFileSync(process.execPath, [
        '-e',
        "const c=require('crypto');process.stdout.write(c.generateKeyPairSync('ec',{namedCurve:'P-256'}).privateKey.export({type:'pkcs8',format:'pem'}))",
      ]),
    )
    expect(await failure({ STYTCH_MOCK_SIGNING_KEY: ec })).toBe(
      `stytch-mock: STYTCH_MOCK_SIGNING_KEY (--signing-key) ${ec}: is an EC key; session JWTs are RS256 and need an RSA key`,
    )
  })

  it('a fixture file that cannot be read is not called invalid JSON', async () => {
    const folder = join(dir, 'fixtures-with-a-folder')
    mkdirSync(join(folder, 'users.json'), { recursive: true })
    expect(await failure({ STYTCH_MOCK_FIXTURES: folder })).toBe(
      `stytch-mock: STYTCH_MOCK_FIXTURES (--fixtures): bad fixtures, not starting:\n${join(folder, 'users.json')}: cannot be read: is a folder, not a file`,
    )
    // Permission denied: a file without read permission; for root (which reads any file whatever
    // its mode), a write-only sysfs attribute, which refuses even root.
    let file = join(dir, 'secret.json')
    if (isRoot) file = '/sys/bus/cpu/uevent'
    else {
      writeFileSync(file, '{}')
      chmodSync(file, 0o000)
    }
    expect(await failure({ STYTCH_MOCK_FIXTURES: file })).toBe(
      `stytch-mock: STYTCH_MOCK_FIXTURES (--fixtures): bad fixtures, not starting:\n${file}: cannot be read: permission denied`,
    )
  })

  it('an empty fixtures folder is said, not silent', async () => {
    const empty = join(dir, 'empty')
    mkdirSync(empty)
    expect(await failure({ STYTCH_MOCK_FIXTURES: empty })).toBe(
      `stytch-mock: STYTCH_MOCK_FIXTURES (--fixtures): bad fixtures, not starting:\n${empty}: the folder holds no *.json fixture file (to start with no fixtures, point STYTCH_MOCK_FIXTURES at a file holding {})`,
    )
  })

  it('an occupied port names the port and the way out', async () => {
    const port = await takenPort()
    expect(await failure({ PORT: String(port) })).toBe(
      `stytch-mock: PORT (--port) ${port}: 127.0.0.1:${port} is taken (another stytch-mock still running?)\n` +
        '  Stop the other process, or use PORT=0 (any free port) and HTTPS_PORT=0 or off.',
    )
    const https = await takenPort()
    expect(await failure({ HTTPS_PORT: String(https) })).toBe(
      `stytch-mock: HTTPS_PORT (--https-port) ${https}: 127.0.0.1:${https} is taken (another stytch-mock still running?)\n` +
        '  Stop the other process, or use HTTPS_PORT=0 (any free port) or HTTPS_PORT=off.',
    )
  })
  it('--print-env with PORT=0 says why it cannot print a URL', async () => {
    expect(await failure({}, ['--print-env', '--port', '0'])).toBe(
      'stytch-mock: --print-env needs a fixed port: with PORT=0 the port is only chosen at start-up',
    )
  })
})
