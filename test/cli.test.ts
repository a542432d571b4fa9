import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { FLAGS, helpText, parseCli } from '../server/cli.js'
import { DEFAULTS } from '../server/config.js'

const run = promisify(execFile)
const cli = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    env: { ...process.env, ...env },
  })

describe('parseCli', () => {
  it('maps every flag onto its environment variable', () => {
    const argv = Object.keys(FLAGS).flatMap((flag) => [`--${flag}`, `value-of-${flag}`])
    const plan = parseCli(argv)
    expect(plan.action).toBe('start')
    const env = (plan as { env: Record<string, string> }).env
    for (const [flag, [variable]] of Object.entries(FLAGS))
      expect(env[variable]).toBe(`value-of-${flag}`)
  })

  it('has a flag for every environment variable the configuration reads', () => {
    const variables = new Set(Object.values(FLAGS).map(([v]) => v))
    expect(Object.keys(DEFAULTS).filter((v) => !variables.has(v as never))).toEqual([])
  })

  it('knows --help, --version and --print-env, and rejects unknown flags', () => {
    expect(parseCli(['--help']).action).toBe('help')
    expect(parseCli(['-v']).action).toBe('version')
    expect(parseCli(['--print-env', '--port', '1234'])).toEqual({
      action: 'print-env',
      env: { PORT: '1234' },
    })
    expect(() => parseCli(['--prot', '1'])).toThrow(/prot/)
    expect(helpText('1.2.3')).toContain('--https-port')
  })
})

describe('the stytch-mock command', () => {
  it('prints the version and the help', async () => {
    expect((await cli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
    expect((await cli(['--help'])).stdout).toContain('--print-env')
  })

  it('--print-env prints what an app needs, flags winning over the environment, and makes the CA', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stytch-mock-cli-'))
    const { stdout } = await cli(['--print-env', '--port', '7777', '--data-dir', dataDir], {
      PORT: '1111',
      STYTCH_SECRET: 'from-env',
    })
    const env = Object.fromEntries(
      stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/=(.*)/s).slice(0, 2)),
    )
    expect(env).toMatchObject({
      STYTCH_PROJECT_ID: DEFAULTS.STYTCH_PROJECT_ID,
      STYTCH_SECRET: 'from-env',
      STYTCH_PUBLIC_TOKEN: DEFAULTS.STYTCH_PUBLIC_TOKEN,
      STYTCH_MOCK_URL: 'http://127.0.0.1:7777',
      STYTCH_MOCK_HTTPS_URL: 'https://localhost:9443',
      NODE_EXTRA_CA_CERTS: join(dataDir, 'ca.pem'),
    })
  })

  it('exits 1 on an unknown flag, saying so', async () => {
    await expect(cli(['--nope'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--nope'),
    })
  })
})
