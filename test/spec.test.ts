import { readFileSync } from 'node:fs'
import { Validator } from '@seriousme/openapi-schema-validator'
import { inspectRoutes } from 'hono/dev'
import { describe, expect, it } from 'vitest'
import { specOperations } from './helpers/spec.js'
import { testWorld } from './helpers/world.js'

describe('openapi.yaml', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator()
    const result = await validator.validate(readFileSync('openapi.yaml', 'utf8'))
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('declares exactly the routes the app serves, in both directions', async () => {
    const { app } = await testWorld()
    const served = new Set(
      inspectRoutes(app)
        .filter((r) => !r.isMiddleware && r.method !== 'ALL')
        .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`),
    )
    const declared = new Set(specOperations())
    expect([...served].filter((op) => !declared.has(op))).toEqual([])
    expect([...declared].filter((op) => !served.has(op))).toEqual([])
    expect(served.size).toBeGreaterThan(0)
  })
})
