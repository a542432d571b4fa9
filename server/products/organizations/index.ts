// B2B organizations and their members (the B2B SDKs' `organizations`, `organizations.members`, and
// the frontend's `organization` and `self`). The records are the platform's: every B2B login
// product finds and provisions members (platform/sessions/organization-store.ts).
import { defineProduct } from '../../platform/product.js'
import { organizationRoutes } from './routes.js'

export const organizations = defineProduct({
  name: 'organizations',
  routes: organizationRoutes,
})
