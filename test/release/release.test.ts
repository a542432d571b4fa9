// The release workflow (.github/workflows/release.yml), linted with actionlint (the workflow
// linter by rhysd, built here from the Go module proxy at a pinned version; shellcheck, when on
// PATH, checks its run: scripts too: .ci/run installs it). Nothing here runs or publishes.
// actionlint needs Go 1.25: the machine's if it is that new, else Go's own toolchain module from
// the Go module proxy (Debian's golang-go is 1.19, too old to build it or to fetch a newer Go).
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { packageRoot } from '../../server/paths.js'

const exec = promisify(execFile)
const root = packageRoot()
const ACTIONLINT = 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12'
const WORKFLOW = join(root, '.github/workflows/release.yml')
const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'stytch-mock')
const bin = join(cache, 'go-bin')
const TOOLCHAIN = 'go1.25.14'

/** A `go` command of at least 1.25. */
async function goCommand(): Promise<string> {
  const version = await exec('go', ['env', 'GOVERSION']).then(
    (r) => r.stdout.trim(),
    () => '',
  )
  const [major = 0, minor = 0] = (/^go(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number)
  if (major > 1 || (major === 1 && minor >= 25)) return 'go'
  const platform = `linux-${process.arch === 'arm64' ? 'arm64' : 'amd64'}`
  const dir = join(cache, `go/${TOOLCHAIN}.${platform}`)
  const go = join(dir, `golang.org/toolchain@v0.0.1-${TOOLCHAIN}.${platform}/bin/go`)
  if (!existsSync(go)) {
    console.log(
      `release: Go ${TOOLCHAIN} from the Go module proxy (no Go 1.25 here: ${version || 'none'})`,
    )
    mkdirSync(dir, { recursive: true })
    const zip = join(dir, 'toolchain.zip')
    const url = `https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-${TOOLCHAIN}.${platform}.zip`
    const res = await fetch(url)
    if (!res.ok) throw new Error(`${url}: ${res.status}`)
    writeFileSync(zip, Buffer.from(await res.arrayBuffer()))
    // A module zip keeps no file modes: the commands are made executable again.
    await exec('python3', ['-m', 'zipfile', '-e', zip, dir], { timeout: 300_000 })
    await exec('sh', ['-c', 'chmod -R +x "$0"/golang.org/*/bin "$0"/golang.org/*/pkg/tool', dir])
    rmSync(zip)
  }
  return go
}

describe('the release workflow', () => {
  it('passes actionlint (with shellcheck on its run: steps where installed)', async () => {
    if (!existsSync(join(bin, 'actionlint'))) {
      console.log(`release: go install ${ACTIONLINT} (first run only)`)
      await exec(await goCommand(), ['install', ACTIONLINT], {
        env: { ...process.env, GOBIN: bin, GOTOOLCHAIN: 'local' },
        timeout: 300_000,
      })
    }
    const shellcheck = await exec('sh', ['-c', 'command -v shellcheck']).then(
      () => true,
      () => false,
    )
    console.log(
      `release: actionlint${shellcheck ? ' with shellcheck' : ' (no shellcheck on PATH)'}`,
    )
    const result = await exec(join(bin, 'actionlint'), ['-color=false', WORKFLOW], {
      cwd: root,
    }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        out: e.stdout + e.stderr,
      }),
    )
    expect(result.out).toBe('')
    expect(result.code).toBe(0)
  }, 400_000)

  it('publishes on a version tag what it tested, and says so where a maintainer looks', () => {
    const workflow = parse(readFileSync(WORKFLOW, 'utf8'))
    expect(workflow.on.push.tags).toEqual(['v*'])
    const { check, image, manifest, npm } = workflow.jobs
    const runs = (job: { steps: { run?: string }[] }) =>
      job.steps.map((s) => s.run ?? '').join('\n')
    expect(runs(check)).toContain('"$GITHUB_REF_NAME" != "v$version"')
    expect(image.needs).toBe('check')
    expect(image.strategy.matrix.include.map((p: { platform: string }) => p.platform)).toEqual([
      'amd64',
      'arm64',
    ])
    expect(runs(image)).toContain('npm run test:image')
    expect(runs(image)).toContain('podman push localhost/stytch-mock:latest')
    expect(manifest.needs).toBe('image')
    expect(npm.needs).toBe('image')
    expect(npm.permissions['id-token']).toBe('write')
    expect(runs(npm)).toContain('npm publish --provenance --access public')
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    expect(readme).toContain('.github/workflows/release.yml')
    expect(readme).toContain('NPM_TOKEN')
  })
})
