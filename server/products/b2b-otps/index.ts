// B2B email passcodes (the B2B SDKs' `otps.email`, organization-scoped; discovery's are in
// products/discovery).
import { defineProduct } from '../../platform/product.js'
import { MemberPasscodes } from './passcodes.js'
import { b2bOtpRoutes } from './routes.js'

export const b2bOtps = defineProduct<{ b2bPasscodes: MemberPasscodes }>({
  name: 'b2b-otps',
  services: (p) => ({
    b2bPasscodes: new MemberPasscodes({
      core: p.memberLogins,
      directory: p.directory,
      members: p.members,
      secrets: p.secrets,
      outbox: p.outbox,
    }),
  }),
  routes: b2bOtpRoutes,
})
