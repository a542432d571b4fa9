// SAML connections (sso.saml.*): create, update, update from the IdP's metadata URL, and the
// deletion of a verification certificate or an encryption key. A connection is active once it
// has its IdP's SSO URL and entity id, a verification certificate and an attribute mapping.
import { rfc3339 } from '../../clock.js'
import { StytchError } from '../../errors.js'
import { newId } from '../../platform/tokens/ids.js'
import type { Actor } from '../b2b-sessions/member-actions.js'
import { rsaPrivateKey, signingCertificate, verificationCertificate } from './certificates.js'
import type { ConnectionRow, StoredConnection } from './connection-store.js'
import type { SsoConnections, VerificationCertificate } from './connections.js'
import { fetchIdpMetadata } from './metadata.js'

/** Stytch's cap on verification certificates ("a maximum of 5 certificates per connection"). */
const MAX_CERTIFICATES = 5
/** The mock's cap on encryption keys (too_many_encryption_certificates; Unverified). */
const MAX_ENCRYPTION_KEYS = 5

export interface SamlCreate {
  display_name?: string | undefined
  identity_provider?: string | undefined
}

export interface SamlUpdate extends SamlCreate {
  idp_entity_id?: string | undefined
  idp_sso_url?: string | undefined
  attribute_mapping?: Record<string, string> | undefined
  x509_certificate?: string | undefined
  saml_connection_implicit_role_assignments?: { role_id: string }[] | undefined
  saml_group_implicit_role_assignments?: { role_id: string; group: string }[] | undefined
  alternative_audience_uri?: string | undefined
  alternative_acs_url?: string | undefined
  nameid_format?: string | undefined
  idp_initiated_auth_disabled?: boolean | undefined
  allow_gateway_callback?: boolean | undefined
  signing_private_key?: string | undefined
  saml_encryption_private_key?: string | undefined
}

/** The fields an update replaces as given. */
const PLAIN = [
  'display_name',
  'identity_provider',
  'idp_entity_id',
  'idp_sso_url',
  'alternative_audience_uri',
  'alternative_acs_url',
  'nameid_format',
  'idp_initiated_auth_disabled',
  'allow_gateway_callback',
] as const

interface EncryptionKey {
  private_key_id: string
  private_key: string
  created_at: string
}

const certificates = (c: StoredConnection) =>
  c.verification_certificates as VerificationCertificate[]

/** Active once the four things Stytch lists are there (its docs for updateConnection). */
const statusOf = (c: StoredConnection) =>
  c.idp_sso_url &&
  c.idp_entity_id &&
  certificates(c).length > 0 &&
  Object.keys(c.attribute_mapping as object).length > 0
    ? 'active'
    : 'pending'

export class SamlConnections {
  constructor(private readonly sso: SsoConnections) {}

  /** sso.saml.createConnection (`stytch.sso` `create`): pending, with its signing certificate. */
  async create(organizationId: string, input: SamlCreate, actor: Actor | null) {
    const org = this.sso.scope(organizationId, actor, 'create')
    const signing = await signingCertificate(this.sso.now())
    const connection: StoredConnection = {
      organization_id: org.organization_id,
      connection_id: newId('saml-connection'),
      status: 'pending',
      idp_entity_id: '',
      display_name: input.display_name ?? '',
      idp_sso_url: '',
      signing_certificates: [signing],
      verification_certificates: [],
      encryption_private_keys: [],
      saml_connection_implicit_role_assignments: [],
      saml_group_implicit_role_assignments: [],
      alternative_audience_uri: '',
      identity_provider: input.identity_provider ?? 'generic',
      nameid_format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      alternative_acs_url: '',
      idp_initiated_auth_disabled: false,
      allow_gateway_callback: false,
      attribute_mapping: {},
    }
    this.sso.save('saml', connection, null, false)
    return { kind: 'saml' as const, connection }
  }

  /**
   * sso.saml.updateConnection (`stytch.sso` `update`): the fields given; a certificate is added
   * (at most 5), a signing key gives a new signing certificate, an encryption key is added.
   */
  async update(
    organizationId: string,
    connectionId: string,
    input: SamlUpdate,
    actor: Actor | null,
  ): Promise<ConnectionRow> {
    const org = this.sso.scope(organizationId, actor, 'update')
    this.sso.owned(org, connectionId, 'saml')
    this.sso.checkRoles(org.organization_id, input.saml_connection_implicit_role_assignments)
    this.sso.checkRoles(org.organization_id, input.saml_group_implicit_role_assignments)
    const now = this.sso.now()
    const certificate =
      input.x509_certificate === undefined
        ? undefined
        : verificationCertificate(input.x509_certificate, newId('saml-verification-key'), now)
    const signingKey =
      input.signing_private_key === undefined ? undefined : rsaPrivateKey(input.signing_private_key)
    let encryption: EncryptionKey | undefined
    if (input.saml_encryption_private_key !== undefined) {
      rsaPrivateKey(input.saml_encryption_private_key)
      encryption = {
        private_key_id: newId('saml-encryption-key'),
        private_key: input.saml_encryption_private_key.trim(),
        created_at: rfc3339(now),
      }
    }
    const signing = signingKey ? await signingCertificate(now, signingKey) : undefined

    // Read again after the wait: another write may have landed meanwhile.
    const before = this.sso.owned(org, connectionId, 'saml').connection
    const c: StoredConnection = { ...before }
    for (const field of PLAIN) if (input[field] !== undefined) c[field] = input[field] as never
    if (input.attribute_mapping !== undefined) c.attribute_mapping = { ...input.attribute_mapping }
    if (input.saml_connection_implicit_role_assignments !== undefined)
      c.saml_connection_implicit_role_assignments = unique(
        input.saml_connection_implicit_role_assignments.map(({ role_id }) => ({ role_id })),
      )
    if (input.saml_group_implicit_role_assignments !== undefined)
      c.saml_group_implicit_role_assignments = unique(
        input.saml_group_implicit_role_assignments.map(({ role_id, group }) => ({
          role_id,
          group,
        })),
      )
    const groupsMapped = Boolean((c.attribute_mapping as Record<string, string>).groups)
    if (
      (input.saml_group_implicit_role_assignments !== undefined ||
        input.attribute_mapping !== undefined) &&
      (c.saml_group_implicit_role_assignments as unknown[]).length > 0 &&
      !groupsMapped
    )
      throw new StytchError('saml_connection_attribute_mapping_missing_groups_key')
    if (certificate) c.verification_certificates = withCertificates(before, [certificate])
    if (signing) c.signing_certificates = [...(c.signing_certificates as unknown[]), signing]
    if (encryption) {
      const keys = c.encryption_private_keys as EncryptionKey[]
      if (keys.length >= MAX_ENCRYPTION_KEYS)
        throw new StytchError('too_many_encryption_certificates')
      c.encryption_private_keys = [...keys, encryption]
    }
    c.status = statusOf(c)
    const rolesChanged =
      input.saml_connection_implicit_role_assignments !== undefined ||
      input.saml_group_implicit_role_assignments !== undefined ||
      input.attribute_mapping !== undefined
    this.sso.save('saml', c, before, rolesChanged)
    return { kind: 'saml', connection: c }
  }

  /**
   * sso.saml.updateByURL (`stytch.sso` `update`): the IdP's entity id, SSO URL and signing
   * certificates from its metadata (the certificates added, as updateConnection adds one).
   */
  async updateByUrl(
    organizationId: string,
    connectionId: string,
    metadataUrl: string,
    actor: Actor | null,
  ): Promise<ConnectionRow> {
    const org = this.sso.scope(organizationId, actor, 'update')
    this.sso.owned(org, connectionId, 'saml')
    const metadata = await fetchIdpMetadata(metadataUrl)
    const now = this.sso.now()
    const read = metadata.certificates.map((pem) =>
      verificationCertificate(pem, newId('saml-verification-key'), now),
    )
    const before = this.sso.owned(org, connectionId, 'saml').connection
    const c: StoredConnection = {
      ...before,
      idp_entity_id: metadata.idp_entity_id,
      idp_sso_url: metadata.idp_sso_url,
      verification_certificates: withCertificates(before, read),
    }
    c.status = statusOf(c)
    this.sso.save('saml', c, before, false)
    return { kind: 'saml', connection: c }
  }

  /**
   * sso.saml.deleteVerificationCertificate (`stytch.sso` `update`): unknown 404
   * sso_verification_key_not_found; an active connection keeps at least one (400
   * cannot_delete_last_sso_verification_key).
   */
  deleteVerificationCertificate(
    organizationId: string,
    connectionId: string,
    certificateId: string,
    actor: Actor | null,
  ): string {
    const org = this.sso.scope(organizationId, actor, 'update')
    const before = this.sso.owned(org, connectionId, 'saml').connection
    const certs = certificates(before)
    if (!certs.some((cert) => cert.certificate_id === certificateId))
      throw new StytchError('sso_verification_key_not_found')
    if (before.status === 'active' && certs.length === 1)
      throw new StytchError('cannot_delete_last_sso_verification_key')
    const c: StoredConnection = {
      ...before,
      verification_certificates: certs.filter((cert) => cert.certificate_id !== certificateId),
    }
    c.status = statusOf(c)
    this.sso.save('saml', c, before, false)
    return certificateId
  }

  /** sso.saml.deleteEncryptionPrivateKey (`stytch.sso` `update`): unknown 404. */
  deleteEncryptionPrivateKey(
    organizationId: string,
    connectionId: string,
    privateKeyId: string,
    actor: Actor | null,
  ): string {
    const org = this.sso.scope(organizationId, actor, 'update')
    const before = this.sso.owned(org, connectionId, 'saml').connection
    const keys = before.encryption_private_keys as EncryptionKey[]
    if (!keys.some((k) => k.private_key_id === privateKeyId))
      throw new StytchError('sso_encryption_private_key_not_found')
    const c = {
      ...before,
      encryption_private_keys: keys.filter((k) => k.private_key_id !== privateKeyId),
    }
    this.sso.save('saml', c, before, false)
    return privateKeyId
  }
}

/**
 * The connection's verification certificates with these added (one it already has is not added
 * again): at most 5 (400 too_many_sso_verification_certificates).
 */
function withCertificates(
  c: StoredConnection,
  added: VerificationCertificate[],
): VerificationCertificate[] {
  const list = [...certificates(c)]
  for (const cert of added)
    if (!list.some((have) => have.certificate === cert.certificate)) list.push(cert)
  if (list.length > MAX_CERTIFICATES)
    throw new StytchError('too_many_sso_verification_certificates')
  return list
}

/** Assignments without repeats, in the order given. */
function unique<T extends object>(list: T[]): T[] {
  const seen = new Set<string>()
  return list.filter((item) => {
    const key = JSON.stringify(item)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
