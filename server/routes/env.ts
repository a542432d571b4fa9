import type { World } from '../world.js'

/** Hono's typing for what middleware hands to handlers. */
export interface AppEnv {
  Variables: { requestId: string }
}

export type Deps = World
