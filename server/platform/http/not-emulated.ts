// What a route no product serves answers. One that Stytch's API has (the official SDKs call it:
// stytch-api.json, generated from them by scripts/coverage.ts) is 501 not_emulated, naming the
// SDK methods that call it and pointing to docs/coverage.md, logged at warn once per route; any
// other path is 404 route_not_found, as Stytch answers a typo.
import { StytchError } from '../../errors.js'
import type { Logger } from '../../log.js'

interface Endpoint {
  method: string
  path: string
  sdk: string[]
  host?: string
}

export function notEmulated(logger: Logger) {
  // Loaded on the first unserved call, not at start-up.
  let routes: { method: string; pattern: RegExp; endpoint: Endpoint }[] | undefined
  const warned = new Set<string>()
  const load = async () => {
    const { default: endpoints } = (await import('../stytch-api.json', {
      with: { type: 'json' },
    })) as { default: Endpoint[] }
    // The fraud host's routes too: an SDK whose fraud_env points at the mock meets them here.
    return endpoints.map((endpoint) => ({
      method: endpoint.method,
      pattern: new RegExp(
        `^${endpoint.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`,
      ),
      endpoint,
    }))
  }
  return async (method: string, path: string): Promise<StytchError> => {
    routes ??= await load()
    const found = routes.find((r) => r.method === method && r.pattern.test(path))
    if (!found) return new StytchError('route_not_found')
    const { endpoint } = found
    const key = `${endpoint.method} ${endpoint.path}`
    if (!warned.has(key)) {
      warned.add(key)
      logger.warn('not emulated', { route: key, sdk: endpoint.sdk })
    }
    return new StytchError(
      'not_emulated',
      `stytch-mock does not emulate ${key} (${endpoint.sdk.join(', ')}) yet; docs/coverage.md lists what it serves.`,
    )
  }
}
