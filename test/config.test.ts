import { describe, expect, it } from 'vitest'
import { ConfigError, DEFAULTS, loadConfig } from '../server/config.js'

describe('loadConfig', () => {
  it('works out of the box with test-style defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 9010,
      db: ':memory:',
      projectId: DEFAULTS.STYTCH_PROJECT_ID,
    })
    expect(config.projectId).toMatch(/^project-test-/)
  })

  it('reads every variable', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      PORT: '0',
      STYTCH_PROJECT_ID: 'project-test-abc',
      STYTCH_SECRET: 's3cret',
      STYTCH_PUBLIC_TOKEN: 'public-token-test-abc',
      STYTCH_MOCK_DB: '/tmp/x.db',
      LOG_LEVEL: 'debug',
    })
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      projectId: 'project-test-abc',
      secret: 's3cret',
      db: '/tmp/x.db',
      logLevel: 'debug',
    })
  })

  it('reads the bootstrap switches, true or false only', () => {
    expect(loadConfig({})).toMatchObject({ pkce: false, createOrganizations: false })
    expect(
      loadConfig({ STYTCH_MOCK_PKCE: 'true', STYTCH_MOCK_CREATE_ORGANIZATIONS: 'true' }),
    ).toMatchObject({ pkce: true, createOrganizations: true })
    expect(() => loadConfig({ STYTCH_MOCK_PKCE: 'yes' })).toThrow(
      /STYTCH_MOCK_PKCE must be true or false, got "yes"/,
    )
  })

  it('reports every problem at once', () => {
    let error: unknown
    try {
      loadConfig({
        PORT: 'eighty',
        STYTCH_PROJECT_ID: 'nope',
        STYTCH_MOCK_FIXTURES: '/does/not/exist',
        LOG_LEVEL: 'loud',
      })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems
    expect(problems).toHaveLength(4)
    expect(problems.join('\n')).toMatch(
      /PORT[\s\S]*STYTCH_PROJECT_ID[\s\S]*STYTCH_MOCK_FIXTURES[\s\S]*LOG_LEVEL/,
    )
  })
})
