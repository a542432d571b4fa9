// The project (the SDKs' `project` and `debug`; the frontend's bootstrap and telemetry). Uses M2M
// through its named interface (M2MCount).
import { defineProduct } from '../../platform/product.js'
import type { M2MCount } from '../m2m/clients.js'
import { projectRoutes } from './routes.js'

export const project = defineProduct<object, { m2mClients: M2MCount }>({
  name: 'project',
  routes: projectRoutes,
})
