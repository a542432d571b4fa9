// stytch-mock/testcontainers: the image as a testcontainers module. It starts the container,
// waits until /_mock/health answers, and hands over the URL and the environment an app reads
// (what `stytch-mock --print-env` prints inside the container, with the addresses this machine
// reaches it at). Needs the `testcontainers` package (an optional peer dependency) and a Docker
// API: Docker, or podman's `podman system service`.
import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers'

const HTTP_PORT = 9010
const HTTPS_PORT = 9443

export interface StytchMockContainerOptions {
  /** The image to run. Default `stytch-mock`, as the README's `docker build` line tags it. */
  image?: string
  /** A fixture file or a folder of them on this machine, copied in and loaded (STYTCH_MOCK_FIXTURES). */
  fixtures?: string
  /** Any other setting (docs/settings.md), e.g. `{ STYTCH_MOCK_OTP_CODE: '123456' }`. */
  env?: Record<string, string>
  /** Also the HTTPS listener; the env then holds the local CA in NODE_EXTRA_CA_CERTS. Default off. */
  https?: boolean
}

export interface StartedStytchMock {
  /** e.g. http://localhost:32768: the Node SDK's `env: url + '/'`, the browser SDK's endpoints. */
  url: string
  /** e.g. https://localhost:32769, or null without `https`. */
  httpsUrl: string | null
  /**
   * STYTCH_PROJECT_ID, STYTCH_SECRET, STYTCH_PUBLIC_TOKEN, STYTCH_B2B_PUBLIC_TOKEN,
   * STYTCH_MOCK_URL (and STYTCH_MOCK_HTTPS_URL, NODE_EXTRA_CA_CERTS with `https`).
   */
  env: Record<string, string>
  container: StartedTestContainer
  stop(): Promise<void>
}

export class StytchMockContainer {
  constructor(private readonly options: StytchMockContainerOptions = {}) {}

  async start(): Promise<StartedStytchMock> {
    const { image = 'stytch-mock', fixtures, env = {}, https = false } = this.options
    // Both ports, even with HTTPS off: the image EXPOSEs both, and podman's Docker API then lists
    // an unpublished one among the bindings, which testcontainers waits for in vain.
    let definition = new GenericContainer(image)
      .withExposedPorts(HTTP_PORT, HTTPS_PORT)
      .withEnvironment({ ...(https ? {} : { HTTPS_PORT: 'off' }), ...env })
      .withWaitStrategy(Wait.forHttp('/_mock/health', HTTP_PORT).forStatusCode(200))
    if (fixtures !== undefined) {
      const source = resolve(fixtures)
      const target = `/fixtures/${basename(source)}`
      definition = statSync(source).isDirectory()
        ? definition.withCopyDirectoriesToContainer([{ source, target }])
        : definition.withCopyFilesToContainer([{ source, target }])
      definition = definition.withEnvironment({ STYTCH_MOCK_FIXTURES: target })
    }
    const container = await definition.start()
    try {
      const host = container.getHost()
      const url = `http://${host}:${container.getMappedPort(HTTP_PORT)}`
      // The certificate names localhost and 127.0.0.1, not every name a Docker host may have.
      const httpsUrl = https ? `https://localhost:${container.getMappedPort(HTTPS_PORT)}` : null
      const printed = await container.exec(['node', 'dist/server/main.js', '--print-env'])
      if (printed.exitCode !== 0) throw new Error(`stytch-mock --print-env: ${printed.output}`)
      const inside = Object.fromEntries(
        printed.stdout
          .split('\n')
          .filter((line) => line.includes('='))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      )
      const result: Record<string, string> = { ...inside, STYTCH_MOCK_URL: url }
      delete result.STYTCH_MOCK_HTTPS_URL
      delete result.NODE_EXTRA_CA_CERTS
      if (httpsUrl) {
        const ca = await container.exec(['cat', inside.NODE_EXTRA_CA_CERTS ?? '/data/ca.pem'])
        if (ca.exitCode !== 0) throw new Error(`the container's CA: ${ca.output}`)
        const file = join(mkdtempSync(join(tmpdir(), 'stytch-mock-ca-')), 'ca.pem')
        writeFileSync(file, ca.stdout)
        result.STYTCH_MOCK_HTTPS_URL = httpsUrl
        result.NODE_EXTRA_CA_CERTS = file
      }
      return {
        url,
        httpsUrl,
        env: result,
        container,
        stop: async () => {
          await container.stop()
        },
      }
    } catch (err) {
      await container.stop()
      throw err
    }
  }
}
