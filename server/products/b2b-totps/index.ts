// B2B TOTP (the B2B SDKs' `totps`, the frontend's `totp`): a member's authenticator app as a
// second factor: create, authenticate, migrate. The registrations are the platform's
// (platform/login/totp.ts), as is what every second factor shares (SecondFactorLogins).
import { defineProduct } from '../../platform/product.js'
import { SecondFactorLogins } from '../../platform/sessions/second-factor.js'
import { b2bTotpRoutes } from './routes.js'
import { MemberTotps } from './totps.js'

export const b2bTotps = defineProduct<{ memberTotps: MemberTotps }>({
  name: 'b2b-totps',
  services: (p) => ({
    memberTotps: new MemberTotps({
      clock: p.clock,
      orgs: p.orgs,
      totps: p.totps,
      logins: new SecondFactorLogins({ directory: p.directory, members: p.members }),
    }),
  }),
  routes: b2bTotpRoutes,
})
