// Text for times and durations on the inspector page. Times are UTC, seconds precision, as the
// session timestamps of the API are; durations are rounded to what a reader needs.

/** 2026-11-24T12:00:03Z */
export const isoSeconds = (ms: number): string =>
  Number.isFinite(ms) && ms >= -8.64e15 && ms <= 8.64e15
    ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
    : String(ms)

/** "45 s", "3 min", "2 h 5 min", "3 d 4 h": a duration in seconds, sign ignored. */
export function duration(seconds: number): string {
  const s = Math.abs(Math.round(seconds))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min`
  if (s < 86_400) {
    const m = Math.floor((s % 3600) / 60)
    return `${Math.floor(s / 3600)} h${m ? ` ${m} min` : ''}`
  }
  const h = Math.floor((s % 86_400) / 3600)
  return `${Math.floor(s / 86_400)} d${h ? ` ${h} h` : ''}`
}

/** "in 3 min" / "3 min ago" / "now", from a signed difference (target - now) in seconds. */
export function relative(deltaSeconds: number): string {
  if (Math.abs(deltaSeconds) < 1) return 'now'
  return deltaSeconds > 0 ? `in ${duration(deltaSeconds)}` : `${duration(deltaSeconds)} ago`
}

/** "+1 d 2 h" / "-5 min" / "0 s": how far the mock's clock is from real time. */
export const offsetText = (seconds: number): string =>
  seconds === 0 ? '0 s' : `${seconds > 0 ? '+' : '-'}${duration(seconds)}`
