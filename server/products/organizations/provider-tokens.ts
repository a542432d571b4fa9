// organizations.members.oauthProviders.{google, microsoft, slack, hubspot, github}: the tokens a
// member's last B2B OAuth login with the provider left, as Stytch saves them. The OAuth product
// records them through the named interface MemberProviderTokens; no login with the provider is
// 404 member_oauth_token_not_found.
import type { Clock } from '../../clock.js'
import { StytchError } from '../../errors.js'
import { B2B_PROVIDERS, findProvider } from '../../platform/login/oauth-providers.js'
import type { ProviderTokens, ProviderTokenStore } from './store.js'

/** What other products use: record a member's tokens after an OAuth login. */
export interface MemberProviderTokens {
  record(memberId: string, provider: string, tokens: ProviderTokens): void
}

export type ProviderId = 'google' | 'microsoft' | 'slack' | 'hubspot' | 'github'

export class ProviderTokenAnswers implements MemberProviderTokens {
  constructor(
    private readonly store: ProviderTokenStore,
    private readonly clock: Clock,
  ) {}

  record(memberId: string, provider: string, tokens: ProviderTokens): void {
    this.store.put(memberId, provider, tokens)
  }

  /** The provider's answer for the member, in the shape its SDK method declares. */
  answer(memberId: string, provider: ProviderId, includeRefreshToken: boolean) {
    const tokens = this.store.get(memberId, provider)
    if (!tokens) throw new StytchError('member_oauth_token_not_found')
    const provider_type = findProvider(B2B_PROVIDERS, provider)!.name
    const expiresIn = Math.max(0, tokens.access_token_expires_at - this.clock.nowSeconds())
    const refresh = includeRefreshToken ? { refresh_token: tokens.refresh_token } : {}
    const tenant = tokens.provider_tenant_ids[0] ?? ''
    switch (provider) {
      case 'google':
      case 'microsoft':
        return {
          provider_type,
          provider_subject: tokens.provider_subject,
          id_token: tokens.id_token,
          scopes: tokens.scopes,
          access_token: tokens.access_token,
          access_token_expires_in: expiresIn,
          ...refresh,
        }
      case 'slack':
        return {
          provider_type,
          registrations: [
            {
              provider_subject: tokens.provider_subject,
              provider_tenant_id: tenant,
              access_token: tokens.access_token,
              scopes: tokens.scopes,
              bot_access_token: '',
              bot_scopes: [],
            },
          ],
        }
      case 'hubspot':
        return {
          provider_type,
          registrations: [
            {
              provider_subject: tokens.provider_subject,
              provider_tenant_id: tenant,
              access_token: tokens.access_token,
              access_token_expires_in: expiresIn,
              scopes: tokens.scopes,
              ...refresh,
            },
          ],
        }
      case 'github':
        return {
          provider_type,
          registrations: [
            {
              provider_subject: tokens.provider_subject,
              provider_tenant_ids: tokens.provider_tenant_ids,
              access_token: tokens.access_token,
              scopes: tokens.scopes,
            },
          ],
        }
    }
  }
}
