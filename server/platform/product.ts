// What a Stytch product is to the platform: a folder under products/ exporting one of these, and
// a line in products/registry.ts. createWorld makes its tables and services; createApp mounts its
// routes, each group behind what its place needs (journal and faults, credentials, CORS).
import type { Hono } from 'hono'
import type { AppEnv } from './http/env.js'
import type { Platform } from './platform.js'
import type { ProductSeeder } from './state.js'

export interface ProductRoutes {
  /** Public routes a browser navigates to (no project credentials); journaled, open to faults. */
  public?: Hono<AppEnv>
  /** The backend API (/v1), behind the project's Basic auth. */
  api?: Hono<AppEnv>
  /** The frontend SDK API (/sdk/v1), behind CORS and the allowed origins. */
  sdk?: Hono<AppEnv>
  /** Test control for this product (/_mock), behind the project's Basic auth. */
  control?: Hono<AppEnv>
}

/**
 * A product: `S`, the services it adds to the world; `N`, the named interfaces it uses of the
 * products listed before it in the registry (never their internals).
 */
export interface Product<S extends object = object, N extends object = object> {
  name: string
  /** SQL for its tables (CREATE ... IF NOT EXISTS). Reset and snapshots cover every table. */
  schema?: string
  services?: (platform: Platform & N) => S
  /** Its part of the fixtures, seeded after the platform's (start-up on a new database, reset). */
  seed?: (world: Platform & N & S) => ProductSeeder
  routes?: (world: Platform & N & S) => ProductRoutes
}

export const defineProduct = <S extends object = object, N extends object = object>(
  product: Product<S, N>,
) => product
