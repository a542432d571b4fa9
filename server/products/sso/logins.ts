// SSO logins: a start, the identity provider's answer, and sso.authenticate.
import type { Platform } from '../../platform/platform.js'
import type { SsoConnections } from './connections.js'

export const JOURNEY_SCHEMA = ''

export class SsoLogins {
  constructor(readonly deps: Platform & { connections: SsoConnections }) {}
}
