// The project as the frontend SDKs see it: the bootstrap and the telemetry events.
import { defineProduct } from '../../platform/product.js'
import { projectRoutes } from './routes.js'

export const project = defineProduct({
  name: 'project',
  routes: projectRoutes,
})
