// Builds a fresh, self-contained world from a Config: the platform (platform/platform.ts), then
// every product of the registry (products/registry.ts), its tables and its services. No module
// state: two worlds in one process share nothing, which keeps tests isolated.
import { Clock } from './clock.js'
import type { Config } from './config.js'
import { createPlatform, type Platform } from './platform/platform.js'
import { PRODUCTS, type ProductServices } from './products/registry.js'

export type World = Platform & ProductServices

export async function createWorld(config: Config, clock = new Clock()): Promise<World> {
  const schemas = PRODUCTS.flatMap((p) => ('schema' in p && p.schema ? [p.schema] : []))
  const world = (await createPlatform(config, clock, schemas)) as World
  try {
    // Each product's services see the platform and the products above it in the registry.
    for (const product of PRODUCTS) {
      if ('services' in product && product.services) {
        const services = product.services(world as never)
        // A service named as something the world has would hide it from every product below.
        for (const name of Object.keys(services))
          if (name in world) throw new Error(`product ${product.name}: "${name}" is taken`)
        Object.assign(world, services)
      }
      if ('seed' in product && product.seed) world.state.addSeeder(product.seed(world as never))
    }
    if (world.fresh) world.state.seed(world.fixtures!)
    world.fixtures = undefined
  } catch (err) {
    world.close()
    throw err
  }
  return world
}
