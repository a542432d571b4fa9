// Which Node the mock accepts, and that package.json's engines says the same.
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ENGINES, unsupportedNode } from '../../server/runtime.js'

describe('supported Node versions', () => {
  it('accepts the Node versions with Node-API 10 (22.14+, 23.6+), and names the problem on others', () => {
    for (const v of ['22.14.0', '22.23.3', '23.6.0', '24.21.0', '26.10.0', '27.0.0'])
      expect(unsupportedNode(v)).toBeUndefined()
    for (const v of ['18.20.8', '22.13.1', '23.5.0']) expect(unsupportedNode(v)).toMatch(v)
    expect(unsupportedNode('20.20.2')).toBe(
      'Node 22.14.0 or newer is needed (22, 24 and 26 are tested); this is Node 20.20.2',
    )
    expect(unsupportedNode('22.13.1')).toMatch(/Node 22\.14\.0 or newer is needed/)
    expect(unsupportedNode()).toBeUndefined()
  })

  it('package.json engines states the same minimum', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
    expect(pkg.engines.node).toBe(ENGINES)
  })

  it('better-sqlite3 loads its prebuilt binary: npm install compiled nothing', async () => {
    // npm before 11.16 ignores better-sqlite3's `gypfile: false` and runs node-gyp, which finds the
    // prebuilt binary and builds no target; a compiled binary here would be loaded first.
    for (const mode of ['Release', 'Debug'])
      expect(existsSync(`node_modules/better-sqlite3/build/${mode}/better_sqlite3.node`)).toBe(
        false,
      )
    const { default: Database } = await import('better-sqlite3')
    new Database(':memory:').close()
    if (process.platform !== 'linux') return
    const report = process.report.getReport() as { header: { glibcVersionRuntime?: string } }
    const libc = report.header.glibcVersionRuntime ? 'linux' : 'linuxmusl'
    const loaded = readFileSync('/proc/self/maps', 'utf8')
      .split('\n')
      .filter((line) => line.includes('better-sqlite3'))
    expect(loaded.length).toBeGreaterThan(0)
    for (const line of loaded)
      expect(line.endsWith(`better-sqlite3/prebuilds/${libc}-${process.arch}.node`), line).toBe(
        true,
      )
  })
})
