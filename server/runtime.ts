// The Node versions this package runs on. better-sqlite3 13 ships one prebuilt binary per platform,
// built against Node-API 10, which Node has from 22.14 and 23.6 on; an older Node cannot load it
// (Node 22.13 crashes with a segmentation fault). Checked before anything opens a database, so an
// old Node gets one clear line. package.json's engines says the same.
export const ENGINES = '^22.14.0 || >=23.6.0'

/** Why this Node cannot run the mock, or undefined when it can. */
export function unsupportedNode(version: string = process.versions.node): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  const ok = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 14)
  if (ok) return undefined
  return `Node 22.14.0 or newer is needed (22, 24 and 26 are tested); this is Node ${version}`
}
