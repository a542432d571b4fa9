// The release workflow (.github/workflows/release.yml), linted with actionlint (the workflow
// linter by rhysd, built here from the Go module proxy at a pinned version; shellcheck, when on
// PATH, checks its run: scripts too: .ci/run installs it). Nothing here runs or publishes.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
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
const bin = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'stytch-mock/go-bin')

describe('the release workflow', () => {
  it('passes actionlint (with shellcheck on its run: steps where installed)', async () => {
    if (!existsSync(join(bin, 'actionlint'))) {
      console.log(`release: go install ${ACTIONLINT} (first run only)`)
      await exec('go', ['install', ACTIONLINT], {
        env: { ...process.env, GOBIN: bin },
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
