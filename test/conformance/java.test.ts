// The official Java SDK (com.stytch.java:sdk, pinned in java/pom.xml, resolved from Maven Central)
// against the mock over HTTPS, trusting the local CA through a trust store as a Java user would.
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe } from 'vitest'
import type { Listening } from '../../server/listen.js'
import { packageRoot } from '../../server/paths.js'
import {
  cacheDir,
  itPasses,
  mockEnv,
  run,
  runChecks,
  startHttpsMock,
  type CheckResult,
} from './harness.js'

const here = join(packageRoot(), 'test/conformance/java')
const CHECKS = [
  'authenticate by session_token',
  'authenticateJwtLocal against the JWKS',
  'expired JWT falls back to the API after the clock moves 301 s',
  'revoke, then session_not_found',
  'B2B authenticate and exchange',
  'errors surface as StytchException.Response with the error_type',
]

let mock: Listening & { dataDir: string }
let results = new Map<string, CheckResult>()

beforeAll(async () => {
  // The SDK and its dependencies from Maven Central; a missing registry fails loudly.
  const classpathFile = join(cacheDir, 'java-classpath.txt')
  console.log(
    'conformance: the Java SDK and its dependencies from Maven Central (cached after the first run)',
  )
  await run(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(here, 'pom.xml'),
      'dependency:build-classpath',
      `-Dmdep.outputFile=${classpathFile}`,
    ],
    { timeout: 300_000 },
  )
  mock = await startHttpsMock()
  const trustStore = join(mock.dataDir, 'truststore.p12')
  await run('keytool', [
    '-importcert',
    '-noprompt',
    '-alias',
    'stytch-mock',
    '-file',
    mock.caFile!,
    '-keystore',
    trustStore,
    '-storetype',
    'PKCS12',
    '-storepass',
    'changeit',
  ])
  results = await runChecks(
    'java',
    [
      `-Djavax.net.ssl.trustStore=${trustStore}`,
      '-Djavax.net.ssl.trustStorePassword=changeit',
      '-cp',
      readFileSync(classpathFile, 'utf8').trim(),
      join(here, 'Conformance.java'),
    ],
    { ...mockEnv(mock), ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}) },
  )
}, 400_000)
afterAll(() => mock?.close())

describe('the official Java SDK (com.stytch.java:sdk on Maven Central)', () => {
  itPasses(CHECKS, () => results)
})
