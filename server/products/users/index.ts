// Consumer users (the SDKs' `users` and the frontend's `user`): create, get, update, delete,
// search, the primary factor exchanged, a factor deleted. The user records themselves are the
// platform's (platform/sessions/user-store.ts, platform/login/user-records.ts): every login
// product writes them.
import { defineProduct } from '../../platform/product.js'
import { UserAdmin } from './admin.js'
import { userRoutes } from './routes.js'

export const users = defineProduct<{ userAdmin: UserAdmin }>({
  name: 'users',
  services: (p) => ({
    userAdmin: new UserAdmin({
      records: p.records,
      users: p.users,
      directory: p.directory,
      core: p.core,
    }),
  }),
  routes: userRoutes,
})
