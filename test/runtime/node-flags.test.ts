// Node's flags for the mock are written in package.json's start script; the image's CMD must run
// the mock with the same ones (npm run bench measures what npm start runs).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const startFlags = () =>
  /exec node (.*?)\s*dist\/server\/main\.js/
    .exec(JSON.parse(readFileSync('package.json', 'utf8')).scripts.start)![1]!
    .split(/\s+/)
    .filter(Boolean)

describe("the mock's node flags", () => {
  it('npm start and the image CMD agree, and keep the young generation small', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync('Dockerfile', 'utf8'))![1]!
    expect(JSON.parse(cmd)).toEqual(['node', ...startFlags(), 'dist/server/main.js'])
    expect(startFlags()).toContain('--max-semi-space-size=8')
  })
})
