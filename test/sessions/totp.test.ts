// The platform's authenticator apps (platform/login/totp.ts), below the products: codes follow the
// mock's clock, each works once, the QR code is a real one of the otpauth:// URI.
import jsqr from 'jsqr'
import { Secret, TOTP } from 'otpauth'
import { PNG } from 'pngjs'
import { beforeEach, describe, expect, it } from 'vitest'
import { Clock } from '../../server/clock.js'
import { openDatabase } from '../../server/platform/db.js'
import { Totps } from '../../server/platform/login/totp.js'

const START = Date.UTC(2026, 0, 1, 0, 0, 5)
let clock: Clock
let totps: Totps

beforeEach(() => {
  clock = new Clock()
  clock.freeze(START)
  totps = new Totps(openDatabase(':memory:'), clock)
})

const enroll = () =>
  totps.create({ owner_id: 'user-1' }, 60, { issuer: 'Acme', account: 'ada@example.com' })
const codeAt = (secret: string, ms: number) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: ms })
const typeOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    return (err as { errorType?: string }).errorType
  }
  return 'no error'
}

describe('TOTP registrations', async () => {
  it('the QR code is a PNG of the otpauth:// URI an authenticator app scans', async () => {
    const { row, qr_code } = await enroll()
    expect(qr_code).toMatch(/^data:image\/png;base64, /)
    const png = PNG.sync.read(Buffer.from(qr_code.split(',')[1]!.trim(), 'base64'))
    expect([png.width, png.height]).toEqual([200, 200])
    const decoded = jsqr.default(new Uint8ClampedArray(png.data), png.width, png.height)
    const uri = new URL(decoded!.data)
    expect(`${uri.protocol}//${uri.host}`).toBe('otpauth://totp')
    expect(decodeURIComponent(uri.pathname)).toBe('/Acme:ada@example.com')
    expect(uri.searchParams.get('secret')).toBe(row.secret)
    expect(row.recovery_codes.map((c) => c.code)).toHaveLength(10)
    for (const { code } of row.recovery_codes)
      expect(code).toMatch(/^[a-z0-9]{4}(-[a-z0-9]{4}){2}$/)
  })

  it("codes follow the mock's clock; the previous and next windows work, each code once", async () => {
    const { row } = await enroll()
    expect(totps.currentCode('user-1')!.code).toBe(codeAt(row.secret, START))
    const wrong = String((Number(codeAt(row.secret, START)) + 1) % 1_000_000).padStart(6, '0')
    expect(typeOf(() => totps.authenticate('user-1', wrong))).toBe('otp_code_not_found')
    // A code of the previous window verifies the registration...
    expect(totps.authenticate('user-1', codeAt(row.secret, START - 30_000)).verified).toBe(true)
    // ...the current one works after it, once; the previous one no longer.
    expect(totps.authenticate('user-1', codeAt(row.secret, START)).last_step).toBeGreaterThan(0)
    expect(typeOf(() => totps.authenticate('user-1', codeAt(row.secret, START)))).toBe(
      'totp_code_already_authenticated',
    )
    expect(typeOf(() => totps.authenticate('user-1', codeAt(row.secret, START - 30_000)))).toBe(
      'totp_code_already_authenticated',
    )
    // Two windows back is too old; the next window's code is early enough.
    clock.advance(90)
    expect(typeOf(() => totps.authenticate('user-1', codeAt(row.secret, START)))).toBe(
      'otp_code_not_found',
    )
    expect(totps.authenticate('user-1', codeAt(row.secret, clock.nowMs() + 30_000)).verified).toBe(
      true,
    )
  })

  it('an unverified registration ends at its expiry; a verified one blocks another', async () => {
    const { row } = await enroll()
    clock.advance(60 * 60)
    expect(totps.currentCode('user-1')).toBeUndefined()
    expect(typeOf(() => totps.authenticate('user-1', codeAt(row.secret, clock.nowMs())))).toBe(
      'totp_not_found',
    )
    const second = (await enroll()).row
    totps.authenticate('user-1', totps.currentCode('user-1')!.code)
    await expect(enroll()).rejects.toMatchObject({ errorType: 'active_totp_exists' })
    expect(totps.list('user-1').map((r) => r.totp_id)).toEqual([second.totp_id])
  })

  it('recovery codes work once, case-insensitively; rotating retires the old ones', async () => {
    const { row } = await enroll()
    const [first, second] = row.recovery_codes
    expect(typeOf(() => totps.recover('user-1', first!.code))).toBe('totp_not_found')
    totps.authenticate('user-1', totps.currentCode('user-1')!.code)
    expect(totps.recover('user-1', first!.code.toUpperCase()).recovery_code_id).toBe(first!.id)
    expect(typeOf(() => totps.recover('user-1', first!.code))).toBe('invalid_recovery_code')
    totps.rotateRecoveryCodes('user-1')
    expect(typeOf(() => totps.recover('user-1', second!.code))).toBe('invalid_recovery_code')
  })
})
