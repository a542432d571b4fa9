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

  it('gives each project its own default redirect URLs, per kind, over one default', () => {
    const both = 'http://localhost:3000/authenticate'
    expect(loadConfig({}).redirectUrls.b2b.discovery).toBe(both)
    const config = loadConfig({
      STYTCH_MOCK_REDIRECT_URL: 'http://app.test/any',
      STYTCH_MOCK_CONSUMER_REDIRECT_URLS: 'http://shop.test/auth, reset=http://shop.test/reset',
      STYTCH_MOCK_B2B_REDIRECT_URLS: 'discovery=http://b2b.test/discover,invite=http://b2b.test/i',
    })
    expect(config.redirectUrls).toEqual({
      consumer: {
        login: 'http://shop.test/auth',
        signup: 'http://shop.test/auth',
        reset: 'http://shop.test/reset',
        invite: 'http://shop.test/auth',
      },
      b2b: {
        login: 'http://app.test/any',
        signup: 'http://app.test/any',
        reset: 'http://app.test/any',
        invite: 'http://b2b.test/i',
        discovery: 'http://b2b.test/discover',
      },
    })
    expect(() =>
      loadConfig({
        STYTCH_MOCK_CONSUMER_REDIRECT_URLS: 'discovery=http://shop.test/d',
        STYTCH_MOCK_B2B_REDIRECT_URLS: 'login=not-a-url',
      }),
    ).toThrow(
      /CONSUMER_REDIRECT_URLS: "discovery" is not one of[\s\S]*B2B_REDIRECT_URLS: "not-a-url"/,
    )
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
