// The oldest Node this package runs on. better-sqlite3 13 ships one prebuilt binary per platform,
// built against Node-API 10, which Node has from 22.14 on; an older Node cannot load it. Checked
// before anything opens a database, so an old Node gets one clear line instead of a dlopen trace.
export const MIN_NODE = '22.14.0'

/** Why this Node cannot run the mock, or undefined when it can. */
export function unsupportedNode(version: string = process.versions.node): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  if (major > 22 || (major === 22 && minor >= 14)) return undefined
  return `Node ${MIN_NODE} or newer is needed (22, 24 and 26 are tested); this is Node ${version}`
}
