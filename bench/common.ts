// What the bench scripts share: the fixture project's credentials, a work folder whose child
// processes die with the script, and small helpers.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import type { ClientJob, ClientResult } from './client.js'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const PROJECT = 'project-test-11111111-1111-4111-8111-111111111111'
export const SECRET = 'secret-test-stytch-mock-local-only-00000000000='
export const PUBLIC_TOKEN = 'public-token-test-11111111-1111-4111-8111-111111111111'
export const AUTH = 'Basic ' + Buffer.from(`${PROJECT}:${SECRET}`).toString('base64')

/**
 * A temporary folder, the list of child processes (both gone when the script exits), and the
 * load client run on a job in a process of its own.
 */
export function workspace(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const children: ChildProcess[] = []
  process.on('exit', () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })
  let jobs = 0
  async function runClient(job: ClientJob): Promise<ClientResult> {
    const file = join(dir, `job-${jobs++}.json`)
    writeFileSync(file, JSON.stringify(job))
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/client.ts', file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    children.push(child)
    let out = ''
    child.stdout!.on('data', (d: Buffer) => (out += d))
    const code = await new Promise((r) => child.once('exit', r))
    if (code !== 0) throw new Error(`load client exited ${code}`)
    return JSON.parse(out) as ClientResult
  }
  return { dir, children, runClient }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
export const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => done(port))
    })
  })
