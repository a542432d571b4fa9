// trusted_metadata and untrusted_metadata updates, as Stytch documents them: merged into the stored
// object at the top level only, a top-level null deleting its key; at most 20 top-level keys and
// 4 KB (https://stytch.com/docs/api/metadata).
import { StytchError } from '../../errors.js'

const MAX_KEYS = 20
const MAX_BYTES = 4096

type Metadata = Record<string, unknown>

export function mergeMetadata(current: unknown, patch: Metadata | undefined): Metadata {
  const merged: Metadata = { ...((current as Metadata | undefined) ?? {}) }
  if (patch === undefined) return merged
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key]
    else merged[key] = value
  }
  checkMetadata(merged)
  return merged
}

/** The limits, for a metadata object as given. */
export function checkMetadata(metadata: Metadata | undefined): void {
  if (metadata === undefined) return
  if (Object.keys(metadata).length > MAX_KEYS) throw new StytchError('metadata_too_many_keys')
  if (Buffer.byteLength(JSON.stringify(metadata)) > MAX_BYTES)
    throw new StytchError('metadata_too_large')
}
