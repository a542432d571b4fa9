// Consumer WebAuthn and passkeys (the SDKs' `webauthn`): register, authenticate, update, list a
// user's credentials; the user's `webauthn_registrations` list is its user record's.
import { defineProduct } from '../../platform/product.js'
import { WebAuthnRegistrations } from './registrations.js'
import { webauthnRoutes } from './routes.js'
import { SCHEMA, WebAuthnStore } from './store.js'

export const webauthn = defineProduct<{ webauthn: WebAuthnRegistrations }>({
  name: 'webauthn',
  schema: SCHEMA,
  services: (p) => {
    const webauthn = new WebAuthnRegistrations({
      clock: p.clock,
      store: new WebAuthnStore(p.db),
      records: p.records,
      directory: p.directory,
      sessions: p.consumer,
      core: p.core,
    })
    // A registration removed from the user (users.deleteWebAuthnRegistration) signs in no more;
    // a deleted user's credentials go with it.
    p.records.onForget((gone) => webauthn.forget(gone))
    return { webauthn }
  },
  routes: webauthnRoutes,
})
