// /_mock: reset, snapshots, the virtual clock, signing keys, faults and the request journal.
import { Hono } from 'hono'
import { isoMs, MAX_MS, MIN_MS } from '../clock.js'
import { StytchError } from '../errors.js'
import { jsonBody, queryInput, readInput } from '../platform/http/body.js'
import { ok, type AppEnv } from '../platform/http/env.js'
import type { Platform } from '../platform/platform.js'

export function mockControlRoutes({ state, clock, keys, faults, journal }: Platform) {
  const app = new Hono<AppEnv>()

  app.post('/_mock/reset', async (c) => {
    await state.reset()
    return ok(c)
  })

  app.post('/_mock/snapshots', (c) => ok(c, state.snapshot()))

  app.post('/_mock/snapshots/:snapshot_id/restore', async (c) => {
    state.restore((await readInput(c)).params.snapshot_id!)
    return ok(c)
  })

  const clockState = () => ({
    now: isoMs(clock.nowMs()),
    now_unix: clock.nowSeconds(),
    offset_seconds: clock.offsetSeconds,
    frozen: clock.frozen,
  })

  app.get('/_mock/clock', (c) => ok(c, clockState()))

  app.post('/_mock/clock', async (c) => {
    // One of advance_seconds, now, reset: true, or freeze alone (openapi.yaml).
    const {
      advance_seconds: advance,
      now,
      reset,
      freeze,
    } = await jsonBody<{
      advance_seconds?: number
      now?: string | number
      reset?: boolean
      freeze?: boolean
    }>(c)
    const target =
      now !== undefined
        ? parseInstant(now)
        : advance !== undefined
          ? clock.nowMs() + advance * 1000
          : undefined
    if (target !== undefined && !(target >= MIN_MS && target <= MAX_MS)) {
      throw new StytchError(
        'invalid_argument',
        'The clock must stay between 1970-01-01 and 9999-12-31.',
      )
    }
    if (reset) clock.reset()
    if (advance !== undefined) clock.advance(advance)
    if (now !== undefined) clock.set(target!)
    // Freezing right at the target, not a millisecond after it.
    if (freeze === true) clock.freeze(now !== undefined ? target : undefined)
    if (freeze === false && clock.frozen) clock.set(clock.nowMs())
    return ok(c, clockState())
  })

  app.get('/_mock/keys', (c) => ok(c, { keys: keys.list() }))
  app.post('/_mock/keys/rotate', async (c) => ok(c, { keys: await keys.rotate() }))
  app.post('/_mock/keys/retire', (c) => ok(c, { keys: keys.retire() }))

  app.post('/_mock/faults', async (c) => {
    const fault = faults.add(await jsonBody<Parameters<typeof faults.add>[0]>(c))
    return ok(c, { fault })
  })
  app.get('/_mock/faults', (c) => ok(c, { faults: faults.list() }))
  app.delete('/_mock/faults', (c) => {
    faults.clear()
    return ok(c)
  })
  app.delete('/_mock/faults/:fault_id', async (c) => {
    if (!faults.remove((await readInput(c)).params.fault_id!))
      throw new StytchError('route_not_found', 'No fault with that fault_id.')
    return ok(c)
  })

  app.get('/_mock/requests', async (c) => {
    const query = await queryInput<{ path?: string; method?: string; limit?: number }>(c)
    return ok(c, { requests: journal.list(query) })
  })
  app.delete('/_mock/requests', (c) => {
    journal.clear()
    return ok(c)
  })

  return app
}

function parseInstant(value: string | number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value)
    if (!Number.isNaN(ms)) return ms
  }
  throw new StytchError(
    'invalid_argument',
    'now must be an RFC 3339 time (2030-01-01T00:00:00Z) or Unix seconds.',
  )
}
