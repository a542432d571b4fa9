// B2B SCIM (the SDKs' `scim`): an organization's SCIM connection, and the SCIM 2.0 endpoint its
// identity provider pushes users and groups to.
import { defineProduct } from '../../platform/product.js'
import type { MemberActions } from '../b2b-sessions/member-actions.js'

export const scim = defineProduct<Record<never, never>, { memberActions: MemberActions }>({
  name: 'scim',
})
