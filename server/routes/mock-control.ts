// /_mock: reset, snapshots, the virtual clock, signing keys, faults and the request journal.
import { Hono } from 'hono'
import { isoMs, MAX_MS, MIN_MS } from '../clock.js'
import type { FaultMatch } from '../control/faults.js'
import { StytchError } from '../errors.js'
import {
  jsonBody,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalObject,
  optionalString,
} from './body.js'
import { ok, type AppEnv, type Deps } from './env.js'

export function mockControlRoutes({ state, clock, keys, faults, journal }: Deps) {
  const app = new Hono<AppEnv>()

  app.post('/_mock/reset', async (c) => {
    await state.reset()
    return ok(c)
  })

  app.post('/_mock/snapshots', (c) => ok(c, state.snapshot()))

  app.post('/_mock/snapshots/:snapshot_id/restore', (c) => {
    state.restore(c.req.param('snapshot_id'))
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
    const body = await jsonBody(c)
    const advance = optionalNumber(body, 'advance_seconds')
    const now = body.now
    const reset = optionalBoolean(body, 'reset')
    const freeze = optionalBoolean(body, 'freeze')
    const given = [advance !== undefined, now !== undefined && now !== null, reset === true].filter(
      Boolean,
    ).length
    if (given > 1)
      throw new StytchError('invalid_argument', 'Give only one of advance_seconds, now, reset.')
    if (given === 0 && freeze === undefined) {
      throw new StytchError(
        'invalid_argument',
        'Give advance_seconds, now (RFC 3339 or Unix seconds), reset: true or freeze.',
      )
    }
    const target =
      now !== undefined && now !== null
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
    if (now !== undefined && now !== null) clock.set(target!)
    // Freezing right at the target, not a millisecond after it.
    if (freeze === true) clock.freeze(now !== undefined && now !== null ? target : undefined)
    if (freeze === false && clock.frozen) clock.set(clock.nowMs())
    return ok(c, clockState())
  })

  app.get('/_mock/keys', (c) => ok(c, { keys: keys.list() }))
  app.post('/_mock/keys/rotate', async (c) => ok(c, { keys: await keys.rotate() }))
  app.post('/_mock/keys/retire', (c) => ok(c, { keys: keys.retire() }))

  app.post('/_mock/faults', async (c) => {
    const body = await jsonBody(c)
    const path = optionalString(body, 'path')
    if (!path)
      throw new StytchError(
        'invalid_argument',
        'path is required, e.g. "/v1/sessions/authenticate" or "/v1/*".',
      )
    const fault = faults.add({
      path,
      method: optionalString(body, 'method'),
      status: optionalInteger(body, 'status'),
      error_type: optionalString(body, 'error_type'),
      delay_ms: optionalInteger(body, 'delay_ms'),
      times: optionalInteger(body, 'times'),
      match: optionalObject(body, 'match') as FaultMatch | undefined,
    })
    return ok(c, { fault })
  })
  app.get('/_mock/faults', (c) => ok(c, { faults: faults.list() }))
  app.delete('/_mock/faults', (c) => {
    faults.clear()
    return ok(c)
  })
  app.delete('/_mock/faults/:fault_id', (c) => {
    if (!faults.remove(c.req.param('fault_id')))
      throw new StytchError('route_not_found', 'No fault with that fault_id.')
    return ok(c)
  })

  app.get('/_mock/requests', (c) => {
    const limit = c.req.query('limit')
    if (limit !== undefined && !/^[1-9][0-9]{0,5}$/.test(limit)) {
      throw new StytchError('invalid_argument', 'limit must be a positive integer.')
    }
    const requests = journal.list({
      path: c.req.query('path'),
      method: c.req.query('method'),
      limit: limit === undefined ? undefined : Number(limit),
    })
    return ok(c, { requests })
  })
  app.delete('/_mock/requests', (c) => {
    journal.clear()
    return ok(c)
  })

  return app
}

function parseInstant(value: unknown): number {
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
