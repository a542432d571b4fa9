// RBAC (the SDKs' `rbac`): the project's policy and organizations' own roles. The policies and
// the checks against them are the platform's (platform/sessions/rbac-policies.ts): every session
// authenticate with an authorization_check uses them.
import { defineProduct } from '../../platform/product.js'
import { rbacRoutes } from './routes.js'

export const rbac = defineProduct({
  name: 'rbac',
  routes: rbacRoutes,
})
