// Consumer users (the SDKs' `users` and the frontend's `user`). The user records themselves are
// the platform's (platform/sessions/user-store.ts): every login product writes them.
import { defineProduct } from '../../platform/product.js'
import { userRoutes } from './routes.js'

export const users = defineProduct({
  name: 'users',
  routes: userRoutes,
})
