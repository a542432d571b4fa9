// Consumer one-time passcodes by email, SMS and WhatsApp (the SDKs' `otps`).
import { defineProduct } from '../../platform/product.js'
import { Passcodes } from './passcodes.js'
import { otpRoutes } from './routes.js'

export const otps = defineProduct<{ passcodes: Passcodes }>({
  name: 'otps',
  services: (p) => ({
    passcodes: new Passcodes({
      clock: p.clock,
      recipients: p.recipients,
      sessions: p.consumer,
      secrets: p.secrets,
      outbox: p.outbox,
    }),
  }),
  routes: otpRoutes,
})
