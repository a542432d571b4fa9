// Issue #30, SSO connections through the official `stytch` Node SDK (B2BClient): sso.getConnections,
// deleteConnection, sso.saml.* (certificates, keys, metadata by URL from a local IdP metadata
// server), sso.oidc.* (issuer discovery), sso.external.*, each failure Stytch names, the
// organization's SSO fields they keep, the writes run as a member (RBAC, tenancy), their frontend
// twins (/sdk/v1/b2b/sso/...), and the roles the connections grant members with SSO registrations.
import { generateKeyPairSync, X509Certificate } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as stytch from 'stytch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { x509Library } from '../../server/platform/tokens/x509.js'
import { controlOf, failure, mockWithSdk, type RunningMock } from '../helpers/server.js'
import { basicHeader, FIXTURE, ORIGIN } from '../helpers/world.js'

let mock: RunningMock
let control: ReturnType<typeof controlOf>
let b2b: stytch.B2BClient

const sdk = mockWithSdk((options) => new stytch.B2BClient(options))
beforeAll(() => {
  ;({ mock, client: b2b } = sdk)
  control = controlOf(mock)
})

const random = () => Math.random().toString(36).slice(2, 10)

async function newOrg(settings: Partial<stytch.B2BOrganizationsCreateRequest> = {}) {
  const { organization } = await b2b.organizations.create({
    organization_name: 'SSO Org',
    organization_slug: `sso-${random()}`,
    ...settings,
  })
  return organization
}

async function loginAs(
  organization_id: string,
  extra: { is_admin?: boolean; roles?: string[]; email_address?: string } = {},
) {
  const { status, body } = await control('POST', '/_mock/b2b/sessions', {
    organization_id,
    email_address: `sso-${random()}@example.com`,
    ...extra,
  })
  expect(status).toBe(200)
  return body as { session_token: string; session_jwt: string; member: stytch.Member }
}

const as = (session_token: string) => ({ authorization: { session_token } })

/** A self-signed certificate (PEM) an IdP would sign its assertions with. */
async function idpCertificate(cn = 'Test IdP'): Promise<string> {
  const x509 = await x509Library()
  const alg = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  }
  const keys = await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '0a',
    name: `CN=${cn}, O=Example`,
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter: new Date('2034-01-01T00:00:00Z'),
    keys,
    signingAlgorithm: alg,
  })
  return cert.toString('pem')
}

const MAPPING = { email: 'NameID', first_name: 'firstName', last_name: 'lastName' }

/** A SAML connection made active: IdP URL and entity id, a certificate and a mapping. */
async function activeSaml(
  organization_id: string,
  extra: Partial<stytch.B2BSSOSAMLUpdateConnectionRequest> = {},
) {
  const { connection } = await b2b.sso.saml.createConnection({
    organization_id,
    display_name: 'Acme SAML',
    identity_provider: 'okta',
  })
  const updated = await b2b.sso.saml.updateConnection({
    organization_id,
    connection_id: connection!.connection_id,
    idp_sso_url: 'https://idp.example.com/sso',
    idp_entity_id: 'https://idp.example.com/entity',
    x509_certificate: await idpCertificate(),
    attribute_mapping: MAPPING,
    ...extra,
  })
  expect(updated.connection!.status).toBe('active')
  return updated.connection!
}

/** An HTTP server of the test's own, answering each path as `routes` says. */
async function serveLocally(
  routes: Record<string, { status?: number; type?: string; body: string }>,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const route = routes[req.url ?? '']
    if (!route) {
      res.writeHead(404).end('not here')
      return
    }
    res.writeHead(route.status ?? 200, { 'content-type': route.type ?? 'application/xml' })
    res.end(route.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

/** A frontend SDK call (/sdk/v1) as a B2B member: the B2B public token and its session. */
async function sdkCall(method: string, path: string, session: string | null, body?: object) {
  const res = await fetch(`${mock.url}/sdk/v1${path}`, {
    method,
    headers: {
      origin: ORIGIN,
      'content-type': 'application/json',
      authorization: basicHeader(mock.config.b2bPublicToken, session ?? mock.config.b2bPublicToken),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const json = (await res.json()) as Record<string, any>
  return { status: res.status, data: json.data, error: json.error_type as string | undefined }
}

describe('sso.saml.createConnection and getConnections', () => {
  it('makes a pending connection with Stytch URLs and a signing certificate; lists it', async () => {
    const org = await newOrg()
    const { connection, status_code } = await b2b.sso.saml.createConnection({
      organization_id: org.organization_slug,
      display_name: 'Okta',
      identity_provider: 'okta',
    })
    expect(status_code).toBe(200)
    const id = connection!.connection_id
    expect(id).toMatch(/^saml-connection-test-[0-9a-f-]{36}$/)
    const url = `${mock.url}/v1/b2b/sso/callback/${id}`
    expect(connection).toMatchObject({
      organization_id: org.organization_id,
      status: 'pending',
      display_name: 'Okta',
      identity_provider: 'okta',
      acs_url: url,
      audience_uri: url,
      idp_entity_id: '',
      idp_sso_url: '',
      verification_certificates: [],
      encryption_private_keys: [],
      saml_connection_implicit_role_assignments: [],
      saml_group_implicit_role_assignments: [],
      nameid_format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      idp_initiated_auth_disabled: false,
      allow_gateway_callback: false,
      attribute_mapping: {},
    })
    const [signing] = connection!.signing_certificates
    expect(signing).toMatchObject({ certificate_id: '', issuer: 'Stytch' })
    const cert = new X509Certificate(signing!.certificate)
    expect(cert.subject).toBe('CN=Stytch')
    const years = (Date.parse(signing!.expires_at!) - Date.parse(signing!.created_at!)) / 3.1536e10
    expect(Math.round(years)).toBe(10)

    const listed = await b2b.sso.getConnections({ organization_id: org.organization_id })
    expect(listed.saml_connections).toEqual([connection])
    expect(listed.oidc_connections).toEqual([])
    // A pending connection is not among the organization's active ones.
    const { organization } = await b2b.organizations.get({ organization_id: org.organization_id })
    expect(organization.sso_active_connections).toEqual([])
  })

  it('defaults to generic with no name; refuses an unknown IdP and an unknown organization', async () => {
    const org = await newOrg()
    const { connection } = await b2b.sso.saml.createConnection({
      organization_id: org.organization_id,
    })
    expect(connection).toMatchObject({ display_name: '', identity_provider: 'generic' })
    expect(
      await failure(
        b2b.sso.saml.createConnection({
          organization_id: org.organization_id,
          identity_provider: 'myspace',
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_sso_idp' })
    expect(await failure(b2b.sso.saml.createConnection({ organization_id: 'nowhere' }))).toEqual({
      status: 404,
      type: 'organization_not_found',
    })
  })
})

describe('sso.saml.updateConnection', () => {
  it('stays pending until the IdP URL, entity id, a certificate and a mapping are given', async () => {
    const org = await newOrg()
    const { connection } = await b2b.sso.saml.createConnection({
      organization_id: org.organization_id,
      display_name: 'Entra',
    })
    const id = connection!.connection_id
    const partial = await b2b.sso.saml.updateConnection({
      organization_id: org.organization_id,
      connection_id: id,
      idp_sso_url: 'https://login.example.com/saml',
      idp_entity_id: 'https://login.example.com/entity',
    })
    expect(partial.connection).toMatchObject({
      status: 'pending',
      idp_sso_url: 'https://login.example.com/saml',
      idp_entity_id: 'https://login.example.com/entity',
    })
    const pem = await idpCertificate('Entra Signing')
    const full = await b2b.sso.saml.updateConnection({
      organization_id: org.organization_id,
      connection_id: id,
      x509_certificate: pem,
      attribute_mapping: { email: 'NameID', full_name: 'displayName', groups: 'groups' },
      alternative_audience_uri: 'https://old.example.com/audience',
      idp_initiated_auth_disabled: true,
    })
    expect(full.connection).toMatchObject({
      status: 'active',
      attribute_mapping: { email: 'NameID', full_name: 'displayName', groups: 'groups' },
      alternative_audience_uri: 'https://old.example.com/audience',
      idp_initiated_auth_disabled: true,
      display_name: 'Entra',
    })
    const [cert] = full.connection!.verification_certificates
    expect(cert!.certificate_id).toMatch(/^saml-verification-key-test-/)
    expect(cert!.issuer).toBe('Entra Signing')
    expect(new X509Certificate(cert!.certificate).fingerprint256).toBe(
      new X509Certificate(pem).fingerprint256,
    )
    expect(cert!.expires_at).toBe('2034-01-01T00:00:00Z')
    // Active: the organization lists it, and it is the default (it had none).
    const { organization } = await b2b.organizations.get({ organization_id: org.organization_id })
    expect(organization.sso_active_connections).toEqual([
      { connection_id: id, display_name: 'Entra', identity_provider: 'generic' },
    ])
    expect(organization.sso_default_connection_id).toBe(id)
    // A rename shows in the organization's list.
    await b2b.sso.saml.updateConnection({
      organization_id: org.organization_id,
      connection_id: id,
      display_name: 'Entra ID',
      identity_provider: 'microsoft-entra',
    })
    const after = await b2b.organizations.get({ organization_id: org.organization_id })
    expect(after.organization.sso_active_connections).toEqual([
      { connection_id: id, display_name: 'Entra ID', identity_provider: 'microsoft-entra' },
    ])
  })

  it('refuses a bad certificate, a sixth certificate, bad mappings and an SSO URL that is no URL', async () => {
    const org = await newOrg()
    const { connection } = await b2b.sso.saml.createConnection({
      organization_id: org.organization_id,
    })
    const ids = { organization_id: org.organization_id, connection_id: connection!.connection_id }
    const update = (fields: Partial<stytch.B2BSSOSAMLUpdateConnectionRequest>) =>
      failure(b2b.sso.saml.updateConnection({ ...ids, ...fields }))
    expect(await update({ x509_certificate: 'not a certificate' })).toEqual({
      status: 400,
      type: 'invalid_x509_certificate',
    })
    expect(
      await update({
        x509_certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      }),
    ).toEqual({ status: 400, type: 'invalid_x509_certificate' })
    expect(await update({ attribute_mapping: { first_name: 'a', last_name: 'b' } })).toEqual({
      status: 400,
      type: 'saml_connection_email_mapping_required',
    })
    expect(await update({ attribute_mapping: { email: 'NameID', first_name: 'a' } })).toEqual({
      status: 400,
      type: 'saml_connection_name_mapping_required',
    })
    expect(
      await update({ attribute_mapping: { email: 'NameID', full_name: { nested: 'x' } } }),
    ).toEqual({ status: 400, type: 'saml_connection_no_nested_keys_in_attribute_mapping' })
    expect(await update({ idp_sso_url: 'idp.example.com/sso' })).toEqual({
      status: 400,
      type: 'saml_connection_idp_sso_url_invalid_format',
    })
    expect(
      await update({
        attribute_mapping: MAPPING,
        saml_group_implicit_role_assignments: [{ role_id: 'stytch_admin', group: 'admins' }],
      }),
    ).toEqual({ status: 400, type: 'saml_connection_attribute_mapping_missing_groups_key' })
    expect(
      await update({ saml_connection_implicit_role_assignments: [{ role_id: 'no-such-role' }] }),
    ).toEqual({ status: 400, type: 'invalid_rbac_role_id' })
    // Five certificates (the same one twice counts once), a sixth refused.
    const first = await idpCertificate('One')
    for (const pem of [
      first,
      first,
      ...(await Promise.all([2, 3, 4, 5].map((n) => idpCertificate(`N${n}`)))),
    ])
      await b2b.sso.saml.updateConnection({ ...ids, x509_certificate: pem })
    const listed = await b2b.sso.getConnections({ organization_id: org.organization_id })
    expect(listed.saml_connections[0]!.verification_certificates).toHaveLength(5)
    expect(await update({ x509_certificate: await idpCertificate('Six') })).toEqual({
      status: 400,
      type: 'too_many_sso_verification_certificates',
    })
    // Nothing a refused update carried was kept.
    const again = await b2b.sso.getConnections({ organization_id: org.organization_id })
    expect(again.saml_connections[0]).toMatchObject({ idp_sso_url: '', attribute_mapping: {} })
  })

  it('makes a signing certificate from a PKCS#1 key; keeps an encryption key until it is deleted', async () => {
    const org = await newOrg()
    const { connection } = await b2b.sso.saml.createConnection({
      organization_id: org.organization_id,
    })
    const ids = { organization_id: org.organization_id, connection_id: connection!.connection_id }
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string
    const signed = await b2b.sso.saml.updateConnection({ ...ids, signing_private_key: pkcs1 })
    const signing = signed.connection!.signing_certificates
    expect(signing).toHaveLength(2)
    const made = new X509Certificate(signing[1]!.certificate)
    expect(made.publicKey.export({ type: 'spki', format: 'pem' })).toBe(
      publicKey.export({ type: 'spki', format: 'pem' }),
    )
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    expect(
      await failure(b2b.sso.saml.updateConnection({ ...ids, signing_private_key: pkcs8 })),
    ).toEqual({ status: 400, type: 'saml_signing_private_key_format_not_supported' })
    expect(
      await failure(
        b2b.sso.saml.updateConnection({
          ...ids,
          signing_private_key:
            '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----',
        }),
      ),
    ).toEqual({ status: 400, type: 'saml_signing_private_key_invalid' })

    const withKey = await b2b.sso.saml.updateConnection({
      ...ids,
      saml_encryption_private_key: pkcs1,
    })
    const [key] = withKey.connection!.encryption_private_keys
    expect(key!.private_key_id).toMatch(/^saml-encryption-key-test-/)
    expect(key!.private_key).toBe(pkcs1.trim())
    expect(
      await failure(
        b2b.sso.saml.deleteEncryptionPrivateKey({
          ...ids,
          private_key_id: 'saml-encryption-key-test-nope',
        }),
      ),
    ).toEqual({ status: 404, type: 'sso_encryption_private_key_not_found' })
    const gone = await b2b.sso.saml.deleteEncryptionPrivateKey({
      ...ids,
      private_key_id: key!.private_key_id,
    })
    expect(gone).toMatchObject({ status_code: 200, private_key_id: key!.private_key_id })
    const listed = await b2b.sso.getConnections({ organization_id: org.organization_id })
    expect(listed.saml_connections[0]!.encryption_private_keys).toEqual([])
  })
})

describe('sso.saml.deleteVerificationCertificate', () => {
  it("deletes a certificate; refuses an unknown one and an active connection's last", async () => {
    const org = await newOrg()
    const connection = await activeSaml(org.organization_id)
    const ids = { organization_id: org.organization_id, connection_id: connection.connection_id }
    const [only] = connection.verification_certificates
    expect(
      await failure(
        b2b.sso.saml.deleteVerificationCertificate({
          ...ids,
          certificate_id: only!.certificate_id,
        }),
      ),
    ).toEqual({ status: 400, type: 'cannot_delete_last_sso_verification_key' })
    expect(
      await failure(
        b2b.sso.saml.deleteVerificationCertificate({
          ...ids,
          certificate_id: 'saml-verification-key-test-x',
        }),
      ),
    ).toEqual({ status: 404, type: 'sso_verification_key_not_found' })
    // With a second one (a rotation), the first can go.
    await b2b.sso.saml.updateConnection({ ...ids, x509_certificate: await idpCertificate('Next') })
    const done = await b2b.sso.saml.deleteVerificationCertificate({
      ...ids,
      certificate_id: only!.certificate_id,
    })
    expect(done).toMatchObject({ status_code: 200, certificate_id: only!.certificate_id })
    const listed = await b2b.sso.getConnections({ organization_id: org.organization_id })
    expect(listed.saml_connections[0]!.verification_certificates.map((c) => c.issuer)).toEqual([
      'Next',
    ])
    expect(listed.saml_connections[0]!.status).toBe('active')
  })
})

describe('sso.saml.updateByURL', () => {
  let idp: { url: string; server: Server }
  let pem: string
  const entity = 'http://www.okta.com/exk1a2b3c4d5e6f7g8h9'
  const metadataOf = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">
  <md:EntityDescriptor entityID="https://sp.example.com/not-an-idp">
    <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/>
  </md:EntityDescriptor>
  ${body}
</md:EntitiesDescriptor>`
  const idpDescriptor = (cert: string) => `<md:EntityDescriptor entityID="${entity}">
    <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <md:KeyDescriptor use="encryption"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
      <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>
${cert.replace(/-----[^-]+-----/g, '').trim()}
      </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
      <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
      <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://acme.okta.com/app/acme/exk1/sso/saml/post"/>
      <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://acme.okta.com/app/acme/exk1/sso/saml"/>
    </md:IDPSSODescriptor>
  </md:EntityDescriptor>`

  beforeAll(async () => {
    pem = await idpCertificate('Okta Signing')
    idp = await serveLocally({
      '/metadata': { body: metadataOf(idpDescriptor(pem)) },
      '/missing': { status: 404, body: 'nothing' },
      '/html': { type: 'text/html', body: '<html><body><p>Sign in</body></html>' },
      '/text': { type: 'text/plain', body: 'metadata goes here' },
      '/sp-only': { body: metadataOf('') },
      '/doctype': { body: '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>' },
    })
  })
  afterAll(() => new Promise<void>((resolve) => idp.server.close(() => resolve())))

  it('reads the entity id, the redirect SSO URL and the signing certificate from IdP metadata', async () => {
    const org = await newOrg()
    const { connection } = await b2b.sso.saml.createConnection({
      organization_id: org.organization_id,
      identity_provider: 'okta',
    })
    const ids = { organization_id: org.organization_id, connection_id: connection!.connection_id }
    const read = await b2b.sso.saml.updateByURL({ ...ids, metadata_url: `${idp.url}/metadata` })
    expect(read.connection).toMatchObject({
      idp_entity_id: entity,
      idp_sso_url: 'https://acme.okta.com/app/acme/exk1/sso/saml',
      status: 'pending', // no attribute mapping yet
    })
    const certs = read.connection!.verification_certificates
    expect(certs).toHaveLength(1)
    expect(new X509Certificate(certs[0]!.certificate).fingerprint256).toBe(
      new X509Certificate(pem).fingerprint256,
    )
    const mapped = await b2b.sso.saml.updateConnection({ ...ids, attribute_mapping: MAPPING })
    expect(mapped.connection!.status).toBe('active')
    // Read again: the certificate it has is not added twice.
    const again = await b2b.sso.saml.updateByURL({ ...ids, metadata_url: `${idp.url}/metadata` })
    expect(again.connection!.verification_certificates).toHaveLength(1)
  })

  it("configures a connection from the mock's own stand-in IdP metadata", async () => {
    const org = await newOrg()
    const { connection } = await b2b.sso.saml.createConnection({
      organization_id: org.organization_id,
    })
    const id = connection!.connection_id
    const ids = { organization_id: org.organization_id, connection_id: id }
    const metadataUrl = `${mock.url}/v1/public/sso/idp/${id}/metadata`
    const read = await b2b.sso.saml.updateByURL({ ...ids, metadata_url: metadataUrl })
    expect(read.connection).toMatchObject({
      idp_entity_id: `${mock.url}/v1/public/sso/idp/${id}`,
      idp_sso_url: expect.stringMatching(new RegExp(`^${mock.url}/v1/public/sso/idp/${id}/`)),
    })
    expect(read.connection!.verification_certificates).toHaveLength(1)
    const mapped = await b2b.sso.saml.updateConnection({ ...ids, attribute_mapping: MAPPING })
    expect(mapped.connection!.status).toBe('active')
    const login = await ssoLogin(id, {
      email: `meta-${random()}@example.com`,
      first_name: 'M',
      last_name: 'D',
    })
    expect(login.organization_id).toBe(org.organization_id)
  })

  it('refuses a URL that fails, an answer that is not XML, and XML that is no IdP metadata', async () => {
    const org = await newOrg()
    const { connection } = await b2b.sso.saml.createConnection({
      organization_id: org.organization_id,
    })
    const ids = { organization_id: org.organization_id, connection_id: connection!.connection_id }
    const byUrl = (metadata_url: string) =>
      failure(b2b.sso.saml.updateByURL({ ...ids, metadata_url }))
    expect(await byUrl(`${idp.url}/missing`)).toEqual({
      status: 400,
      type: 'invalid_saml_metadata_url',
    })
    expect(await byUrl('ftp://idp.example.com/metadata')).toEqual({
      status: 400,
      type: 'invalid_saml_metadata_url',
    })
    // A port nothing listens on.
    const closed = await serveLocally({})
    await new Promise<void>((resolve) => closed.server.close(() => resolve()))
    expect(await byUrl(`${closed.url}/metadata`)).toEqual({
      status: 400,
      type: 'invalid_saml_metadata_url',
    })
    for (const path of ['/html', '/text', '/doctype'])
      expect(await byUrl(`${idp.url}${path}`)).toEqual({
        status: 400,
        type: 'invalid_xml_from_saml_metadata_url',
      })
    expect(await byUrl(`${idp.url}/sp-only`)).toEqual({
      status: 400,
      type: 'saml_connection_metadata_invalid_format',
    })
    expect(
      await failure(
        b2b.sso.saml.updateByURL({
          organization_id: org.organization_id,
          connection_id: 'saml-connection-test-00000000-0000-4000-8000-000000000000',
          metadata_url: `${idp.url}/metadata`,
        }),
      ),
    ).toEqual({ status: 404, type: 'saml_connection_not_found' })
  })
})

describe('sso.saml.updateByURL, given a hostile metadata URL', () => {
  it('refuses an SSO URL that is not http(s), and an answer past 4 MB without reading on', async () => {
    const org = await newOrg()
    const { connection } = await b2b.sso.saml.createConnection({
      organization_id: org.organization_id,
    })
    const ids = { organization_id: org.organization_id, connection_id: connection!.connection_id }
    const cert = (await idpCertificate('Hostile')).replace(/-----[^-]+-----|\s/g, '')
    // The stand-in's page links to a connection's own idp_sso_url: metadata may not make it a script.
    const scripted = await serveLocally({
      '/metadata': {
        body: `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example/e"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="javascript:alert(document.domain)//"/></md:IDPSSODescriptor></md:EntityDescriptor>`,
      },
    })
    try {
      expect(
        await failure(
          b2b.sso.saml.updateByURL({ ...ids, metadata_url: `${scripted.url}/metadata` }),
        ),
      ).toEqual({ status: 400, type: 'saml_connection_metadata_invalid_format' })
    } finally {
      await new Promise<void>((resolve) => scripted.server.close(() => resolve()))
    }
    // More than 4 MB with no length, and no end: refused once past the cap, not at the timeout.
    const endless = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' })
      res.write(`<x>${'x'.repeat(4 * 1024 * 1024)}`)
    })
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = endless.address() as AddressInfo
      const began = Date.now()
      const err = (await b2b.sso.saml
        .updateByURL({ ...ids, metadata_url: `http://127.0.0.1:${port}/metadata` })
        .catch((e: unknown) => e)) as {
        status_code: number
        error_type: string
        error_message: string
      }
      expect(err).toMatchObject({ status_code: 400, error_type: 'invalid_saml_metadata_url' })
      expect(err.error_message).toMatch(/4 MB/)
      expect(Date.now() - began).toBeLessThan(4000)
    } finally {
      endless.closeAllConnections()
      await new Promise<void>((resolve) => endless.close(() => resolve()))
    }
  })
})

describe('sso.oidc', () => {
  let issuer: { url: string; server: Server }
  beforeAll(async () => {
    issuer = await serveLocally({
      '/tenant/.well-known/openid-configuration': {
        type: 'application/json',
        body: JSON.stringify({
          issuer: 'placeholder',
          authorization_endpoint: 'https://idp.example.com/authorize',
          token_endpoint: 'https://idp.example.com/token',
          userinfo_endpoint: 'https://idp.example.com/userinfo',
          jwks_uri: 'https://idp.example.com/jwks',
        }),
      },
    })
  })
  afterAll(() => new Promise<void>((resolve) => issuer.server.close(() => resolve())))

  it('creates a pending connection; a new issuer fills the URLs the request leaves out', async () => {
    const org = await newOrg()
    const { connection } = await b2b.sso.oidc.createConnection({
      organization_id: org.organization_id,
      display_name: 'Okta OIDC',
      identity_provider: 'okta',
    })
    const id = connection!.connection_id
    expect(id).toMatch(/^oidc-connection-test-/)
    expect(connection).toMatchObject({
      status: 'pending',
      redirect_url: `${mock.url}/v1/b2b/sso/callback/${id}`,
      client_id: '',
      client_secret: '',
      issuer: '',
      custom_scopes: '',
      attribute_mapping: {},
    })
    const updated = await b2b.sso.oidc.updateConnection({
      organization_id: org.organization_id,
      connection_id: id,
      issuer: `${issuer.url}/tenant`,
      jwks_url: 'https://keys.example.com/jwks',
      client_id: 'client-1',
    })
    expect(updated.warning).toBeUndefined()
    expect(updated.connection).toMatchObject({
      status: 'pending', // no client secret yet
      issuer: `${issuer.url}/tenant`,
      authorization_url: 'https://idp.example.com/authorize',
      token_url: 'https://idp.example.com/token',
      userinfo_url: 'https://idp.example.com/userinfo',
      jwks_url: 'https://keys.example.com/jwks', // the request's value wins
    })
    const active = await b2b.sso.oidc.updateConnection({
      organization_id: org.organization_id,
      connection_id: id,
      client_secret: 'secret-1',
      custom_scopes: 'openid email profile groups',
      attribute_mapping: { email: 'email', first_name: 'given_name' },
    })
    expect(active.connection).toMatchObject({
      status: 'active',
      client_secret: 'secret-1',
      custom_scopes: 'openid email profile groups',
    })
    const listed = await b2b.sso.getConnections({ organization_id: org.organization_id })
    expect(listed.oidc_connections).toEqual([active.connection])
    const { organization } = await b2b.organizations.get({ organization_id: org.organization_id })
    expect(organization.sso_active_connections).toEqual([
      { connection_id: id, display_name: 'Okta OIDC', identity_provider: 'okta' },
    ])
  })

  it('updates with a warning when the issuer has no discovery document; refuses bad URLs', async () => {
    const org = await newOrg()
    const { connection } = await b2b.sso.oidc.createConnection({
      organization_id: org.organization_id,
    })
    const ids = { organization_id: org.organization_id, connection_id: connection!.connection_id }
    const updated = await b2b.sso.oidc.updateConnection({
      ...ids,
      issuer: `${issuer.url}/elsewhere`,
      token_url: 'https://idp.example.com/token',
    })
    expect(updated.warning).toEqual(expect.any(String))
    expect(updated.connection).toMatchObject({
      issuer: `${issuer.url}/elsewhere`,
      token_url: 'https://idp.example.com/token',
      authorization_url: '',
    })
    for (const [field, type] of [
      ['issuer', 'oidc_connection_issuer_url_invalid_format'],
      ['authorization_url', 'oidc_connection_authorization_url_invalid_format'],
      ['token_url', 'oidc_connection_token_url_invalid_format'],
      ['userinfo_url', 'oidc_connection_userinfo_url_invalid_format'],
      ['jwks_url', 'oidc_connection_jwks_url_invalid_format'],
    ] as const)
      expect(
        await failure(b2b.sso.oidc.updateConnection({ ...ids, [field]: 'not a url' })),
      ).toEqual({ status: 400, type })
    // A SAML connection's id is no OIDC connection.
    const saml = await b2b.sso.saml.createConnection({ organization_id: org.organization_id })
    expect(
      await failure(
        b2b.sso.oidc.updateConnection({ ...ids, connection_id: saml.connection!.connection_id }),
      ),
    ).toEqual({ status: 404, type: 'oidc_connection_not_found' })
  })
})

describe('sso.external', () => {
  it("trusts another organization's active connection; always active, its roles its own", async () => {
    const source = await newOrg()
    const saml = await activeSaml(source.organization_id)
    const org = await newOrg()
    const { connection } = await b2b.sso.external.createConnection({
      organization_id: org.organization_id,
      external_organization_id: source.organization_slug,
      external_connection_id: saml.connection_id,
      display_name: 'Parent company SSO',
      connection_implicit_role_assignments: [{ role_id: 'stytch_admin' }],
    })
    const id = connection!.connection_id
    expect(id).toMatch(/^external-connection-test-/)
    expect(connection).toEqual({
      organization_id: org.organization_id,
      connection_id: id,
      external_organization_id: source.organization_id,
      external_connection_id: saml.connection_id,
      display_name: 'Parent company SSO',
      status: 'active',
      external_connection_implicit_role_assignments: [{ role_id: 'stytch_admin' }],
      external_group_implicit_role_assignments: [],
    })
    const { organization } = await b2b.organizations.get({ organization_id: org.organization_id })
    expect(organization.sso_active_connections).toEqual([
      { connection_id: id, display_name: 'Parent company SSO', identity_provider: 'okta' },
    ])
    expect(organization.sso_default_connection_id).toBe(id)
    const updated = await b2b.sso.external.updateConnection({
      organization_id: org.organization_id,
      connection_id: id,
      display_name: 'Parent',
      external_connection_implicit_role_assignments: [],
      external_group_implicit_role_assignments: [{ role_id: 'stytch_admin', group: 'it' }],
    })
    expect(updated.connection).toMatchObject({
      display_name: 'Parent',
      external_connection_implicit_role_assignments: [],
      external_group_implicit_role_assignments: [{ role_id: 'stytch_admin', group: 'it' }],
    })
    const listed = await b2b.sso.getConnections({ organization_id: org.organization_id })
    expect(listed.external_connections).toEqual([updated.connection])
    // The source organization's list is its own.
    const theirs = await b2b.sso.getConnections({ organization_id: source.organization_id })
    expect(theirs.external_connections).toEqual([])
  })

  it('refuses its own organization, an unknown or pending connection, and a second one', async () => {
    const source = await newOrg()
    const saml = await activeSaml(source.organization_id)
    const pending = await b2b.sso.oidc.createConnection({ organization_id: source.organization_id })
    const org = await newOrg()
    const create = (fields: Partial<stytch.B2BSSOExternalCreateConnectionRequest>) =>
      failure(
        b2b.sso.external.createConnection({
          organization_id: org.organization_id,
          external_organization_id: source.organization_id,
          external_connection_id: saml.connection_id,
          ...fields,
        }),
      )
    expect(await create({ external_organization_id: org.organization_id })).toEqual({
      status: 400,
      type: 'external_organization_id_same_as_organization_id',
    })
    expect(await create({ external_connection_id: 'saml-connection-test-nope' })).toEqual({
      status: 404,
      type: 'external_connection_id_not_found',
    })
    // The connection exists, but not in the organization named.
    expect(await create({ external_organization_id: FIXTURE.globex.organization_id })).toEqual({
      status: 404,
      type: 'external_connection_id_not_found',
    })
    expect(await create({ external_connection_id: pending.connection!.connection_id })).toEqual({
      status: 400,
      type: 'external_connection_not_active',
    })
    expect(await create({ connection_implicit_role_assignments: [{ role_id: 'nope' }] })).toEqual({
      status: 400,
      type: 'invalid_rbac_role_id',
    })
    await b2b.sso.external.createConnection({
      organization_id: org.organization_id,
      external_organization_id: source.organization_id,
      external_connection_id: saml.connection_id,
    })
    expect(await create({})).toEqual({ status: 400, type: 'duplicate_external_sso_connection' })
  })
})

describe('sso.deleteConnection and the organization SSO fields', () => {
  it('keeps sso_active_connections, the default and the JIT list; the default goes last', async () => {
    const org = await newOrg()
    const first = await activeSaml(org.organization_id)
    const second = await activeSaml(org.organization_id)
    const pending = await b2b.sso.oidc.createConnection({ organization_id: org.organization_id })
    const orgId = org.organization_id
    let { organization } = await b2b.organizations.get({ organization_id: orgId })
    expect(organization.sso_active_connections.map((c) => c.connection_id)).toEqual([
      first.connection_id,
      second.connection_id,
    ])
    expect(organization.sso_default_connection_id).toBe(first.connection_id)

    // The organization's settings name only its connections.
    const update = (fields: Partial<stytch.B2BOrganizationsUpdateRequest>) =>
      failure(b2b.organizations.update({ organization_id: orgId, ...fields }))
    const elsewhere = await activeSaml((await newOrg()).organization_id)
    expect(await update({ sso_default_connection_id: elsewhere.connection_id })).toEqual({
      status: 400,
      type: 'invalid_sso_default_connection_id',
    })
    expect(
      await update({
        sso_jit_provisioning: 'RESTRICTED',
        sso_jit_provisioning_allowed_connections: [first.connection_id, 'saml-connection-test-x'],
      }),
    ).toEqual({ status: 400, type: 'invalid_connection_for_jit_provisioning' })
    expect(
      await update({
        sso_jit_provisioning: 'RESTRICTED',
        sso_jit_provisioning_allowed_connections: [],
      }),
    ).toEqual({ status: 400, type: 'invalid_restricted_sso_setting' })
    ;({ organization } = await b2b.organizations.update({
      organization_id: orgId,
      sso_default_connection_id: second.connection_id,
      sso_jit_provisioning: 'RESTRICTED',
      sso_jit_provisioning_allowed_connections: [
        first.connection_id,
        pending.connection!.connection_id,
      ],
    }))
    expect(organization).toMatchObject({
      sso_default_connection_id: second.connection_id,
      sso_jit_provisioning: 'RESTRICTED',
      sso_jit_provisioning_allowed_connections: [
        first.connection_id,
        pending.connection!.connection_id,
      ],
    })

    // The default goes only when it is the organization's last SAML or OIDC connection.
    expect(
      await failure(
        b2b.sso.deleteConnection({ organization_id: orgId, connection_id: second.connection_id }),
      ),
    ).toEqual({ status: 400, type: 'cannot_delete_default_sso_connection' })
    for (const gone of [first.connection_id, pending.connection!.connection_id])
      expect(
        await b2b.sso.deleteConnection({ organization_id: orgId, connection_id: gone }),
      ).toMatchObject({
        status_code: 200,
        connection_id: gone,
      })
    ;({ organization } = await b2b.organizations.get({ organization_id: orgId }))
    expect(organization.sso_active_connections.map((c) => c.connection_id)).toEqual([
      second.connection_id,
    ])
    expect(organization.sso_jit_provisioning_allowed_connections).toEqual([])
    await b2b.sso.deleteConnection({ organization_id: orgId, connection_id: second.connection_id })
    ;({ organization } = await b2b.organizations.get({ organization_id: orgId }))
    expect(organization.sso_active_connections).toEqual([])
    expect(organization.sso_default_connection_id).toBeUndefined()
    expect(await b2b.sso.getConnections({ organization_id: orgId })).toMatchObject({
      saml_connections: [],
      oidc_connections: [],
    })
    expect(
      await failure(
        b2b.sso.deleteConnection({ organization_id: orgId, connection_id: second.connection_id }),
      ),
    ).toEqual({ status: 404, type: 'sso_connection_not_found' })
    // Another organization's connection is not this one's to delete.
    expect(
      await failure(
        b2b.sso.deleteConnection({
          organization_id: orgId,
          connection_id: elsewhere.connection_id,
        }),
      ),
    ).toEqual({ status: 400, type: 'sso_connection_organization_mismatch' })
    expect(
      await failure(
        b2b.sso.saml.updateConnection({
          organization_id: orgId,
          connection_id: elsewhere.connection_id,
          display_name: 'mine now',
        }),
      ),
    ).toEqual({ status: 400, type: 'sso_connection_organization_mismatch' })
  })

  it('an empty default clears it; deleting a source connection or its organization ends the external ones', async () => {
    const source = await newOrg()
    const saml = await activeSaml(source.organization_id)
    const org = await newOrg()
    const external = await b2b.sso.external.createConnection({
      organization_id: org.organization_id,
      external_organization_id: source.organization_id,
      external_connection_id: saml.connection_id,
    })
    const cleared = await b2b.organizations.update({
      organization_id: org.organization_id,
      sso_default_connection_id: '',
    })
    expect(cleared.organization.sso_default_connection_id).toBeUndefined()
    await b2b.sso.deleteConnection({
      organization_id: source.organization_id,
      connection_id: saml.connection_id,
    })
    const after = await b2b.sso.getConnections({ organization_id: org.organization_id })
    expect(after.external_connections).toEqual([])
    const { organization } = await b2b.organizations.get({ organization_id: org.organization_id })
    expect(organization.sso_active_connections).toEqual([])
    expect(external.connection!.status).toBe('active')

    // Organization deletion: its connections go, and the external ones trusting them.
    const saml2 = await activeSaml(source.organization_id)
    await b2b.sso.external.createConnection({
      organization_id: org.organization_id,
      external_organization_id: source.organization_id,
      external_connection_id: saml2.connection_id,
    })
    await b2b.organizations.delete({ organization_id: source.organization_id })
    expect(
      (await b2b.sso.getConnections({ organization_id: org.organization_id })).external_connections,
    ).toEqual([])
    expect(mock.world.ssoConnections.find(saml2.connection_id)).toBeNull()
  })
})

describe('SSO connection writes as a member, and the frontend twins', () => {
  it('hold a member session to stytch.sso and its organization', async () => {
    const org = await newOrg()
    const admin = await loginAs(org.organization_id, { is_admin: true })
    const plain = await loginAs(org.organization_id)
    const made = await b2b.sso.saml.createConnection(
      { organization_id: org.organization_id, display_name: 'By admin' },
      as(admin.session_token),
    )
    const ids = {
      organization_id: org.organization_id,
      connection_id: made.connection!.connection_id,
    }
    for (const call of [
      () =>
        b2b.sso.saml.createConnection(
          { organization_id: org.organization_id },
          as(plain.session_token),
        ),
      () =>
        b2b.sso.oidc.createConnection(
          { organization_id: org.organization_id },
          as(plain.session_token),
        ),
      () => b2b.sso.saml.updateConnection({ ...ids, display_name: 'x' }, as(plain.session_token)),
      () => b2b.sso.deleteConnection(ids, as(plain.session_token)),
      () =>
        b2b.sso.getConnections({ organization_id: org.organization_id }, as(plain.session_token)),
    ])
      expect(await failure(call())).toEqual({ status: 403, type: 'session_authorization_error' })
    // An admin of another organization reaches none of this one's.
    const stranger = await loginAs(FIXTURE.globex.organization_id, { is_admin: true })
    expect(
      await failure(
        b2b.sso.saml.updateConnection({ ...ids, display_name: 'x' }, as(stranger.session_token)),
      ),
    ).toEqual({ status: 403, type: 'session_authorization_tenancy_error' })
    expect(await failure(b2b.sso.deleteConnection(ids, as(stranger.session_token)))).toEqual({
      status: 403,
      type: 'session_authorization_tenancy_error',
    })
    expect(
      (await b2b.sso.getConnections({ organization_id: org.organization_id })).saml_connections,
    ).toHaveLength(1)
  })

  it('/sdk/v1/b2b/sso/...: the caller configures its own organization as its roles allow', async () => {
    const org = await newOrg()
    const admin = await loginAs(org.organization_id, { is_admin: true })
    const plain = await loginAs(org.organization_id)
    const created = await sdkCall('POST', '/b2b/sso/saml', admin.session_token, {
      display_name: 'Frontend SAML',
      identity_provider: 'generic',
    })
    expect(created.status).toBe(200)
    const connection = created.data.connection
    const id = connection.connection_id as string
    expect(connection.acs_url).toBe(`${mock.url}/v1/b2b/sso/callback/${id}`)
    const pem = await idpCertificate('Frontend IdP')
    const configured = await sdkCall('PUT', `/b2b/sso/saml/${id}`, admin.session_token, {
      connection_id: id,
      idp_sso_url: 'https://idp.example.com/sso',
      idp_entity_id: 'https://idp.example.com',
      x509_certificate: pem,
      attribute_mapping: MAPPING,
    })
    expect(configured.data.connection.status).toBe('active')
    const certId = configured.data.connection.verification_certificates[0].certificate_id
    const second = await sdkCall('PUT', `/b2b/sso/saml/${id}`, admin.session_token, {
      connection_id: id,
      x509_certificate: await idpCertificate('Rotated'),
      saml_encryption_private_key: generateKeyPairSync('rsa', {
        modulusLength: 2048,
      }).privateKey.export({ type: 'pkcs1', format: 'pem' }),
    })
    const keyId = second.data.connection.encryption_private_keys[0].private_key_id
    expect(
      await sdkCall(
        'DELETE',
        `/b2b/sso/saml/${id}/verification_certificates/${certId}`,
        admin.session_token,
      ),
    ).toMatchObject({ status: 200, data: { certificate_id: certId } })
    expect(
      await sdkCall(
        'DELETE',
        `/b2b/sso/saml/${id}/encryption_private_key/${keyId}`,
        admin.session_token,
      ),
    ).toMatchObject({ status: 200, data: { private_key_id: keyId } })
    const oidc = await sdkCall('POST', '/b2b/sso/oidc', admin.session_token, {
      display_name: 'OIDC',
    })
    const oidcId = oidc.data.connection.connection_id as string
    expect(oidc.data.connection.redirect_url).toBe(`${mock.url}/v1/b2b/sso/callback/${oidcId}`)
    const oidcUpdated = await sdkCall('PUT', `/b2b/sso/oidc/${oidcId}`, admin.session_token, {
      connection_id: oidcId,
      client_id: 'abc',
    })
    expect(oidcUpdated.data.connection.client_id).toBe('abc')
    const listed = await sdkCall('GET', '/b2b/sso', plain.session_token)
    expect(listed).toMatchObject({ status: 403, error: 'session_authorization_error' })
    const mine = await sdkCall('GET', '/b2b/sso', admin.session_token)
    expect(
      mine.data.saml_connections.map((c: { connection_id: string }) => c.connection_id),
    ).toEqual([id])
    expect(
      await sdkCall('PUT', `/b2b/sso/saml/${id}`, plain.session_token, { display_name: 'no' }),
    ).toMatchObject({ status: 403, error: 'session_authorization_error' })
    expect(await sdkCall('POST', '/b2b/sso/saml', null, {})).toMatchObject({
      status: 401,
      error: 'unauthorized_credentials',
    })
    // Another organization's connection, named from this caller's session: not its own.
    const stranger = await loginAs(FIXTURE.globex.organization_id, { is_admin: true })
    expect(await sdkCall('DELETE', `/b2b/sso/${id}`, stranger.session_token)).toMatchObject({
      status: 400,
      error: 'sso_connection_organization_mismatch',
    })
    expect(
      await sdkCall('PUT', `/b2b/sso/saml/${id}/url`, stranger.session_token, {
        connection_id: id,
        metadata_url: 'http://127.0.0.1:9/metadata',
      }),
    ).toMatchObject({ status: 400, error: 'sso_connection_organization_mismatch' })
    // External connections from the frontend, then deletes.
    const source = await newOrg()
    const sourceSaml = await activeSaml(source.organization_id)
    const ext = await sdkCall('POST', '/b2b/sso/external', admin.session_token, {
      external_organization_id: source.organization_id,
      external_connection_id: sourceSaml.connection_id,
      display_name: 'Ext',
    })
    expect(ext.data.connection.status).toBe('active')
    const extId = ext.data.connection.connection_id as string
    expect(
      (
        await sdkCall('PUT', `/b2b/sso/external/${extId}`, admin.session_token, {
          connection_id: extId,
          display_name: 'Ext 2',
        })
      ).data.connection.display_name,
    ).toBe('Ext 2')
    for (const gone of [extId, oidcId])
      expect(await sdkCall('DELETE', `/b2b/sso/${gone}`, admin.session_token)).toMatchObject({
        status: 200,
        data: { connection_id: gone },
      })
    expect(await sdkCall('DELETE', `/b2b/sso/${id}`, admin.session_token)).toMatchObject({
      status: 200,
      data: { connection_id: id },
    })
  })
})

/** A login through the connection (the mock's IdP answering from its queue): sso.authenticate. */
async function ssoLogin(
  connection_id: string,
  answer: { email: string; first_name?: string; last_name?: string; groups?: string[] },
) {
  expect((await control('POST', '/_mock/sso/answers', { connection_id, ...answer })).status).toBe(
    200,
  )
  const start = new URL(`${mock.url}/v1/public/sso/start`)
  start.searchParams.set('connection_id', connection_id)
  start.searchParams.set('public_token', mock.config.b2bPublicToken)
  const res = await fetch(start, { redirect: 'manual' })
  expect(res.status).toBe(302)
  const token = new URL(res.headers.get('location')!).searchParams.get('token')!
  return b2b.sso.authenticate({ sso_token: token, session_duration_minutes: 60 })
}

const rolesOf = (member: { roles: { role_id: string; sources: unknown[] }[] }) =>
  Object.fromEntries(member.roles.map((r) => [r.role_id, r.sources]))

describe('the roles SSO connections grant', () => {
  async function orgWithRoles() {
    const org = await newOrg()
    const role = (role_id: string) => ({
      role_id,
      description: role_id,
      permissions: [{ resource_id: 'documents', actions: ['read'] }],
    })
    await b2b.rbac.organizations.setOrgPolicy({
      organization_id: org.organization_id,
      org_policy: { roles: [role('auditor'), role('engineer')] },
    })
    return org
  }

  it('a SAML login: the connection role and the roles of the groups the IdP sent, in SSO sessions only', async () => {
    const org = await orgWithRoles()
    const orgId = org.organization_id
    const saml = await activeSaml(orgId, {
      attribute_mapping: { ...MAPPING, groups: 'memberOf' },
      saml_connection_implicit_role_assignments: [{ role_id: 'auditor' }],
      saml_group_implicit_role_assignments: [
        { role_id: 'engineer', group: 'eng' },
        { role_id: 'stytch_admin', group: 'admins' },
      ],
    })
    const id = saml.connection_id
    const email = `ada-${random()}@example.com`
    const login = await ssoLogin(id, {
      email,
      first_name: 'Ada',
      last_name: 'Lovelace',
      groups: ['eng', 'sales'],
    })
    expect(login.member.sso_registrations).toEqual([
      expect.objectContaining({
        connection_id: id,
        registration_id: expect.stringMatching(/^saml-member-registration-test-/),
      }),
    ])
    expect(rolesOf(login.member)).toEqual({
      stytch_member: [{ type: 'direct_assignment', details: {} }],
      auditor: [{ type: 'sso_connection', details: { connection_id: id } }],
      engineer: [{ type: 'sso_connection_group', details: { connection_id: id, group: 'eng' } }],
    })
    expect(login.member_session!.roles.sort()).toEqual(['auditor', 'engineer', 'stytch_member'])

    // The same member logged in another way holds none of them (Stytch: only with the factor).
    const other = await loginAs(orgId, { email_address: email })
    expect(rolesOf(other.member)).toHaveProperty('auditor')
    const plain = await b2b.sessions.authenticate({ session_token: other.session_token })
    expect(plain.member_session.roles).toEqual(['stytch_member'])

    // An assignment changed: the member's roles and its SSO session's follow at once.
    await b2b.sso.saml.updateConnection({
      organization_id: orgId,
      connection_id: id,
      saml_group_implicit_role_assignments: [{ role_id: 'stytch_admin', group: 'eng' }],
    })
    const after = await b2b.sessions.authenticate({ session_token: login.session_token })
    expect(after.member_session.roles.sort()).toEqual(['auditor', 'stytch_admin', 'stytch_member'])
    expect(rolesOf(after.member).stytch_admin).toEqual([
      { type: 'sso_connection_group', details: { connection_id: id, group: 'eng' } },
    ])
    expect(after.member.is_admin).toBe(true)

    // A direct role taken away that the connection still grants: the SSO sessions end, unless
    // preserve_existing_sessions.
    const memberId = login.member_id
    await b2b.organizations.members.update({
      organization_id: orgId,
      member_id: memberId,
      roles: ['auditor'],
    })
    await b2b.organizations.members.update({
      organization_id: orgId,
      member_id: memberId,
      roles: [],
      preserve_existing_sessions: true,
    })
    expect(
      (await b2b.sessions.authenticate({ session_token: login.session_token })).member.member_id,
    ).toBe(memberId)
    await b2b.organizations.members.update({
      organization_id: orgId,
      member_id: memberId,
      roles: ['auditor'],
    })
    await b2b.organizations.members.update({
      organization_id: orgId,
      member_id: memberId,
      roles: [],
    })
    expect(
      await failure(b2b.sessions.authenticate({ session_token: login.session_token })),
    ).toEqual({
      status: 404,
      type: 'session_not_found',
    })
    // The session without an SSO factor lives on.
    expect(
      (await b2b.sessions.authenticate({ session_token: other.session_token })).member.member_id,
    ).toBe(memberId)

    // The connection deleted: its registrations and roles go.
    await b2b.organizations.update({ organization_id: orgId, sso_default_connection_id: '' })
    await b2b.sso.deleteConnection({ organization_id: orgId, connection_id: id })
    const { member } = await b2b.organizations.members.get({
      organization_id: orgId,
      member_id: memberId,
    })
    expect(member.sso_registrations).toEqual([])
    expect(member.roles.map((r) => r.role_id)).toEqual(['stytch_member'])
  })

  it('an external connection grants its own roles; a registration with another organization’s connection grants none', async () => {
    const source = await orgWithRoles()
    const saml = await activeSaml(source.organization_id, {
      attribute_mapping: { ...MAPPING, groups: 'groups' },
      saml_connection_implicit_role_assignments: [{ role_id: 'auditor' }],
    })
    const org = await orgWithRoles()
    const { connection } = await b2b.sso.external.createConnection({
      organization_id: org.organization_id,
      external_organization_id: source.organization_id,
      external_connection_id: saml.connection_id,
      group_implicit_role_assignments: [{ role_id: 'engineer', group: 'eng' }],
    })
    const ext = connection!.connection_id
    const login = await ssoLogin(ext, { email: `grace-${random()}@example.com`, groups: ['eng'] })
    expect(login.organization_id).toBe(org.organization_id)
    expect(rolesOf(login.member)).toEqual({
      stytch_member: [{ type: 'direct_assignment', details: {} }],
      engineer: [{ type: 'sso_connection_group', details: { connection_id: ext, group: 'eng' } }],
    })
    expect(login.member_session!.roles.sort()).toEqual(['engineer', 'stytch_member'])

    // A member of another organization whose registration names the source connection (as a
    // store edit could make it): the connection is not its organization's, so it grants nothing.
    const stranger = await loginAs(FIXTURE.globex.organization_id)
    const { orgs } = mock.world
    const stored = orgs.member(stranger.member.member_id)!
    orgs.updateMember({
      ...stored,
      sso_registrations: [
        {
          connection_id: saml.connection_id,
          external_id: 'x',
          registration_id: 'saml-member-registration-test-x',
          sso_attributes: {},
        },
      ],
    })
    expect(orgs.member(stranger.member.member_id)!.roles).toEqual([
      { role_id: 'stytch_member', sources: [{ type: 'direct_assignment', details: {} }] },
    ])
  })
})

describe('the inspector (/_mock/ui)', () => {
  it("lists an organization's SSO connections with their default, JIT and roles", async () => {
    const org = await newOrg()
    const saml = await activeSaml(org.organization_id, {
      saml_connection_implicit_role_assignments: [{ role_id: 'stytch_user' }],
    })
    const oidc = await b2b.sso.oidc.createConnection({
      organization_id: org.organization_id,
      display_name: 'Pending OIDC',
    })
    const res = await fetch(`${mock.url}/_mock/ui?org=${org.organization_id}`, {
      headers: { authorization: basicHeader(mock.config.projectId, mock.config.secret) },
    })
    expect(res.status).toBe(200)
    const text = (await res.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
    expect(text).toContain('SSO connections')
    expect(text).toContain(
      `Acme SAML ${saml.connection_id} saml active okta https://idp.example.com/sso yes yes stytch_user`,
    )
    expect(text).toContain(
      `Pending OIDC ${oidc.connection!.connection_id} oidc pending generic no yes`,
    )
  })
})

describe('connections in the mock state', () => {
  it('a snapshot keeps them; its restore brings back the organization fields with them', async () => {
    const org = await newOrg()
    const saml = await activeSaml(org.organization_id)
    const snap = await control('POST', '/_mock/snapshots')
    expect(snap.status).toBe(200)
    await b2b.organizations.update({
      organization_id: org.organization_id,
      sso_default_connection_id: '',
    })
    await b2b.sso.deleteConnection({
      organization_id: org.organization_id,
      connection_id: saml.connection_id,
    })
    const restored = await control('POST', `/_mock/snapshots/${snap.body.snapshot_id}/restore`)
    expect(restored.status).toBe(200)
    const listed = await b2b.sso.getConnections({ organization_id: org.organization_id })
    expect(listed.saml_connections.map((c) => c.connection_id)).toEqual([saml.connection_id])
    const { organization } = await b2b.organizations.get({ organization_id: org.organization_id })
    expect(organization.sso_default_connection_id).toBe(saml.connection_id)
    expect(organization.sso_active_connections.map((c) => c.connection_id)).toEqual([
      saml.connection_id,
    ])
  })
})
