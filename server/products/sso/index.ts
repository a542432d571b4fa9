// B2B single sign-on (the SDKs' `sso`). So far only the listing of an organization's
// connections, which the pre-built admin portal reads: the mock makes no SSO connections yet
// (their creation answers not_emulated), so every organization's lists are empty.
import { defineProduct } from '../../platform/product.js'
import type { MemberActions } from '../b2b-sessions/member-actions.js'
import { ssoRoutes } from './routes.js'

export const sso = defineProduct<Record<never, never>, { memberActions: MemberActions }>({
  name: 'sso',
  routes: ssoRoutes,
})
