"""The official Stytch Python SDK against a running stytch-mock, used the way a user would.

Reads STYTCH_PROJECT_ID, STYTCH_SECRET, STYTCH_MOCK_URL (http) and STYTCH_MOCK_HTTPS_URL from the
environment; the HTTPS CA is trusted through REQUESTS_CA_BUNDLE (API calls, made with requests)
and SSL_CERT_FILE (the JWKS fetch, made with urllib by PyJWT). For sessions.attest and
sessions.migrate: TRUSTED_PROFILE_ID, TRUSTED_ISSUER, TRUSTED_AUDIENCE and TRUSTED_PRIVATE_KEY_PEM
(the Trusted Auth Token profile the test put in the mock's fixtures, and the key that signs its
JWT), MIGRATED_EMAIL (what the test's userinfo endpoint answers for "old-token"). Prints one JSON
line per check and exits 1 if any failed.
"""
import base64
import json
import os
import sys
import traceback
import urllib.error
import urllib.parse
import urllib.request
import warnings

import ecdsa
import pyotp
import stytch
from stytch.core.response_base import StytchError
from Crypto.Hash import keccak

warnings.simplefilter("ignore")
PROJECT_ID = os.environ["STYTCH_PROJECT_ID"]
SECRET = os.environ["STYTCH_SECRET"]
HTTP_URL = os.environ["STYTCH_MOCK_URL"]
HTTPS_URL = os.environ["STYTCH_MOCK_HTTPS_URL"]
AUTH = "Basic " + base64.b64encode(f"{PROJECT_ID}:{SECRET}".encode()).decode()
failed = False


def control(method, path, body=None):
    """The mock's test-control API, over plain HTTP."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(HTTP_URL + path, data=data, method=method,
                                 headers={"Authorization": AUTH, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as res:
        return json.loads(res.read())


def check(name):
    def run(fn):
        global failed
        try:
            detail = fn()
            print(json.dumps({"check": name, "ok": True, "detail": detail}), flush=True)
        except Exception as e:  # noqa: BLE001 - every failure is reported, then the run fails
            failed = True
            print(json.dumps({"check": name, "ok": False, "detail": repr(e), "trace": traceback.format_exc()}), flush=True)
    return run


def expect(cond, message):
    if not cond:
        raise AssertionError(message)


client = stytch.Client(project_id=PROJECT_ID, secret=SECRET, custom_base_url=HTTPS_URL)
b2b = stytch.B2BClient(project_id=PROJECT_ID, secret=SECRET, custom_base_url=HTTPS_URL)
control("POST", "/_mock/reset")


@check("authenticate by session_token")
def _():
    seeded = control("POST", "/_mock/sessions", {"email": "python@example.com"})
    res = client.sessions.authenticate(session_token=seeded["session_token"])
    expect(res.user.user_id == seeded["user"]["user_id"], "wrong user")
    expect(res.session.session_id == seeded["session"]["session_id"], "wrong session")
    return res.session.session_id


@check("authenticate_jwt_local against the JWKS")
def _():
    seeded = control("POST", "/_mock/sessions", {"email": "python-jwt@example.com", "custom_claims": {"tier": "gold"}})
    session = client.sessions.authenticate_jwt_local(session_jwt=seeded["session_jwt"])
    expect(session is not None, "local verification failed")
    expect(session.user_id == seeded["user"]["user_id"], "wrong user")
    expect(session.custom_claims == {"tier": "gold"}, f"custom claims {session.custom_claims}")
    jwks = control("GET", "/_mock/requests?path=/v1/sessions/jwks/*")["requests"]
    expect(len(jwks) >= 1 and jwks[-1]["status"] == 200, "the SDK did not fetch the JWKS")
    return session.session_id


@check("expired JWT falls back to the API after the clock moves 301 s")
def _():
    # Python verifies with the real clock, so the JWT is minted 301 s in the (virtual) past.
    control("POST", "/_mock/clock", {"advance_seconds": -301})
    seeded = control("POST", "/_mock/sessions", {"email": "python-expired@example.com"})
    control("POST", "/_mock/clock", {"advance_seconds": 301})
    expect(client.sessions.authenticate_jwt_local(session_jwt=seeded["session_jwt"]) is None, "expired JWT verified locally")
    before = len(control("GET", "/_mock/requests?path=/v1/sessions/authenticate")["requests"])
    res = client.sessions.authenticate_jwt(session_jwt=seeded["session_jwt"])
    after = control("GET", "/_mock/requests?path=/v1/sessions/authenticate")["requests"]
    expect(len(after) == before + 1 and after[-1]["status"] == 200, "no API fallback")
    expect(res.session_jwt != seeded["session_jwt"], "no fresh JWT")
    expect(client.sessions.authenticate_jwt_local(session_jwt=res.session_jwt) is not None, "fresh JWT does not verify")
    return res.session.session_id


@check("revoke, then session_not_found")
def _():
    seeded = control("POST", "/_mock/sessions", {"email": "python-revoke@example.com"})
    client.sessions.revoke(session_id=seeded["session"]["session_id"])
    try:
        client.sessions.authenticate(session_token=seeded["session_token"])
    except StytchError as e:
        expect(e.details.error_type == "session_not_found", e.details.error_type)
        expect(e.details.status_code == 404, str(e.details.status_code))
        return e.details.error_type
    raise AssertionError("a revoked session authenticated")


@check("B2B authenticate and exchange")
def _():
    seeded = control("POST", "/_mock/b2b/sessions", {"organization_slug": "acme", "email_address": "grace@example.com"})
    res = b2b.sessions.authenticate(session_token=seeded["session_token"])
    expect(res.organization.organization_slug == "acme", "wrong organization")
    local = b2b.sessions.authenticate_jwt_local(session_jwt=res.session_jwt)
    expect(local is not None and local.organization_id == res.organization.organization_id, "B2B JWT did not verify locally")
    ex = b2b.sessions.exchange(organization_id="globex", session_token=seeded["session_token"])
    expect(ex.member_authenticated and ex.member_session.organization_slug == "globex", "exchange did not switch")
    mfa = b2b.sessions.exchange(organization_id="initech", session_token=seeded["session_token"])
    expect(not mfa.member_authenticated and len(mfa.intermediate_session_token) == 44, "MFA organization did not ask for MFA")
    return ex.member_session.member_session_id


@check("users.get, organizations.get and organizations.members.get next to a session")
def _():
    seeded = control("POST", "/_mock/sessions", {"email": "python-reader@example.com"})
    res = client.sessions.authenticate(session_token=seeded["session_token"])
    user = client.users.get(user_id=res.session.user_id)
    expect(user.user_id == res.user.user_id and user.emails == res.user.emails, "users.get differs")
    member_seed = control("POST", "/_mock/b2b/sessions", {"organization_slug": "acme", "email_address": "grace@example.com"})
    auth = b2b.sessions.authenticate(session_token=member_seed["session_token"])
    org = b2b.organizations.get(organization_id=auth.organization.organization_id)
    expect(org.organization.organization_slug == "acme", "organizations.get differs")
    member = b2b.organizations.members.get(organization_id=auth.organization.organization_id, email_address="grace@example.com")
    expect(member.member.member_id == auth.member.member_id, "members.get differs")
    try:
        client.users.get(user_id="user-test-00000000-0000-4000-8000-00000000dead")
    except StytchError as e:
        expect(e.details.error_type == "user_not_found" and e.details.status_code == 404, e.details.error_type)
        return member.member.member_id
    raise AssertionError("no user_not_found")


@check("every factor type and delivery method the mock accepts is one this SDK parses")
def _():
    from stytch.consumer.models.sessions import AuthenticationFactorDeliveryMethod, AuthenticationFactorType
    types = json.loads(os.environ["MOCK_FACTOR_TYPES"])
    methods = json.loads(os.environ["MOCK_FACTOR_DELIVERY_METHODS"])
    expect(sorted(types) == sorted(t.value for t in AuthenticationFactorType), "factor types differ from the SDK's enum")
    expect(sorted(methods) == sorted(m.value for m in AuthenticationFactorDeliveryMethod), "delivery methods differ from the SDK's enum")
    factors = [{"type": types[i % len(types)], "delivery_method": m} for i, m in enumerate(methods)]
    seeded = control("POST", "/_mock/sessions", {"email": "python-factors@example.com", "authentication_factors": factors})
    res = client.sessions.authenticate(session_token=seeded["session_token"])
    expect(len(res.session.authentication_factors) == len(methods), "factors lost")
    member = control("POST", "/_mock/b2b/sessions", {"organization_slug": "acme", "email_address": "grace@example.com", "authentication_factors": factors})
    b2b_res = b2b.sessions.authenticate(session_token=member["session_token"])
    expect(len(b2b_res.member_session.authentication_factors) == len(methods), "B2B factors lost")
    return len(methods)


@check("a fault scoped to one user, and sessions aged without the clock")
def _():
    mine = control("POST", "/_mock/sessions", {"email": "python-scoped@example.com"})
    other = control("POST", "/_mock/sessions", {"email": "python-unscoped@example.com"})
    control("POST", "/_mock/faults", {"path": "/v1/sessions/authenticate", "status": 429, "times": -1,
                                      "match": {"user_id": mine["user"]["user_id"]}})
    try:
        client.sessions.authenticate(session_token=mine["session_token"])
        raise AssertionError("the scoped fault did not apply")
    except StytchError as e:
        expect(e.details.status_code == 429, str(e.details.status_code))
    ok = client.sessions.authenticate(session_token=other["session_token"])
    expect(ok.user.user_id == other["user"]["user_id"], "the other user was affected")
    control("DELETE", "/_mock/faults")
    aged = control("POST", "/_mock/sessions", {"email": "python-aged@example.com", "jwt_age_seconds": 400})
    expect(client.sessions.authenticate_jwt_local(session_jwt=aged["session_jwt"]) is None, "a JWT minted 400 s ago verified locally")
    renewed = client.sessions.authenticate_jwt(session_jwt=aged["session_jwt"])
    expect(renewed.session.session_id == aged["session"]["session_id"], "the API did not renew the aged JWT")
    control("POST", f"/_mock/sessions/{aged['session']['session_id']}/expire")
    try:
        client.sessions.authenticate(session_token=aged["session_token"])
        raise AssertionError("an expired session authenticated")
    except StytchError as e:
        expect(e.details.error_type == "session_not_found", e.details.error_type)
    return "isolated"


@check("one-time passcode login, the code read from the outbox")
def _():
    email = "py-otp@example.com"
    sent = client.otps.email.login_or_create(email=email)
    messages = control("GET", f"/_mock/outbox?to={email}&limit=1")["messages"]
    expect(messages and messages[-1]["method_id"] == sent.email_id, "no passcode in the outbox")
    res = client.otps.authenticate(method_id=sent.email_id, code=messages[-1]["otp_code"], session_duration_minutes=30)
    factor = res.session.authentication_factors[0]
    expect(factor.type.value == "otp" and factor.delivery_method.value == "email", f"factor {factor}")
    expect(client.sessions.authenticate_jwt_local(session_jwt=res.session_jwt) is not None, "JWT does not verify")
    try:
        client.otps.authenticate(method_id=sent.email_id, code=messages[-1]["otp_code"])
        raise AssertionError("a used passcode authenticated")
    except StytchError as e:
        expect(e.details.error_type == "unable_to_auth_otp_code", e.details.error_type)
    return factor.type.value


@check("password login for a user seeded through /_mock/users")
def _():
    seeded = control("POST", "/_mock/users", {"email": "py-pw@example.com", "password": "a-long-passphrase-42"})
    res = client.passwords.authenticate(email="py-pw@example.com", password="a-long-passphrase-42", session_duration_minutes=30)
    expect(res.user_id == seeded["user_id"], "wrong user")
    expect(res.session.authentication_factors[0].delivery_method.value == "knowledge", "not a password factor")
    try:
        client.passwords.authenticate(email="py-pw@example.com", password="wrong")
        raise AssertionError("a wrong password authenticated")
    except StytchError as e:
        expect(e.details.error_type == "unauthorized_credentials", e.details.error_type)
    strength = client.passwords.strength_check(password="hunter22")
    expect(not strength.valid_password and strength.feedback.luds_requirements is not None, "strength_check")
    return res.user_id


@check("M2M: a client, a token from its credentials, authenticate_token against the JWKS")
def _():
    made = client.m2m.clients.create(scopes=["read:orders", "write:orders"], client_name="py-m2m").m2m_client
    token = client.m2m.token(client_id=made.client_id, client_secret=made.client_secret, scopes=["read:orders"])
    expect(token.token_type == "bearer" and token.expires_in == 3600, "token answer")
    claims = client.m2m.authenticate_token(access_token=token.access_token, required_scopes=["read:orders"])
    expect(claims is not None and claims.client_id == made.client_id, "authenticate_token")
    expect(claims.scopes == ["read:orders"], str(claims.scopes))
    # Python answers None for a token without a required scope.
    denied = client.m2m.authenticate_token(access_token=token.access_token, required_scopes=["write:orders"])
    expect(denied is None, "a token without write:orders passed required_scopes")
    try:
        client.m2m.token(client_id=made.client_id, client_secret="wrong")
        raise AssertionError("a wrong secret got a token")
    except StytchError as e:
        expect(e.details.status_code == 401, str(e.details.status_code))
    fixture = client.m2m.token(client_id="m2m-client-test-4f3e2d1c-0b9a-4876-a543-210fedcba987",
                               client_secret="stytch-mock-fixture-m2m-secret-orders-000001")
    expect(b2b.m2m.authenticate_token(access_token=fixture.access_token).scopes == ["read:users", "write:users"],
           "fixture client")
    return made.client_id


@check("Connected Apps: clients created, read, listed, rotated and deleted parse as the SDK's models")
def _():
    apps = client.connected_app.clients

    def refused(call, error_type, status_code):  # the file's refused() is defined further down
        try:
            call()
        except StytchError as e:
            expect((e.details.error_type, e.details.status_code) == (error_type, status_code), str(e.details))
            return
        raise AssertionError(f"no {error_type}")

    made = apps.create(client_type="first_party", client_name="py-app",
                       redirect_urls=["http://localhost:3000/callback"], full_access_allowed=True).connected_app
    expect(len(made.client_secret) == 48 and made.client_secret_last_four == made.client_secret[-4:], "secret")
    public = b2b.connected_app.clients.create(client_type="third_party_public").connected_app
    expect(public.client_secret is None and public.client_secret_last_four is None, "a public client's secret")
    got = apps.get(client_id=made.client_id).connected_app
    expect(got.creation_method == "api" and got.access_token_expiry_minutes == 60, str(got))
    updated = apps.update(client_id=made.client_id, client_description="py", access_token_expiry_minutes=30)
    expect(updated.connected_app.access_token_expiry_minutes == 30, "update")
    page = apps.search(limit=1)
    expect(len(page.connected_apps) == 1 and page.results_metadata.next_cursor, "a first page")
    rest = apps.search(cursor=page.results_metadata.next_cursor, limit=1000)
    ids = [c.client_id for c in page.connected_apps + rest.connected_apps]
    expect(made.client_id in ids and public.client_id in ids, "search")
    expect(len(ids) == rest.results_metadata.total, str(rest.results_metadata))
    started = apps.secrets.rotate_start(client_id=made.client_id).connected_app
    expect(started.next_client_secret_last_four == started.next_client_secret[-4:], "rotate_start")
    cancelled = apps.secrets.rotate_cancel(client_id=made.client_id).connected_app
    expect(cancelled.next_client_secret_last_four is None, "rotate_cancel")
    apps.secrets.rotate_start(client_id=made.client_id)
    rotated = apps.secrets.rotate(client_id=made.client_id).connected_app
    expect(rotated.client_secret_last_four != made.client_secret_last_four, "rotate")
    refused(lambda: apps.secrets.rotate_start(client_id=public.client_id),
            "connected_app_public_client_has_no_secret", 400)
    expect(apps.delete(client_id=made.client_id).client_id == made.client_id, "delete")
    refused(lambda: apps.get(client_id=made.client_id), "connected_app_not_found", 404)
    return made.client_id


@check("RBAC: the policy, an organization's roles, and authenticate_jwt_local with authorization_check")
def _():
    from stytch.b2b.models.sessions import AuthorizationCheck
    policy = b2b.rbac.policy().policy
    builtins = ["stytch.organization", "stytch.member", "stytch.sso", "stytch.scim", "stytch.self"]
    expect([r.resource_id for r in policy.resources] == builtins + ["documents"], str(policy.resources))
    expect([r.resource_id for r in client.rbac.policy().policy.resources] == ["documents"], "consumer resources")
    expect([r.role_id for r in client.rbac.policy().policy.roles] == [r.role_id for r in policy.roles],
           "consumer and B2B policies differ")
    acme = "organization-test-7d3e0c5e-4a9b-4c61-9f0e-2b8f5a1c6d01"
    expect(b2b.rbac.organizations.get_org_policy(organization_id=acme).org_policy.roles == [], "org roles")
    member = control("POST", "/_mock/b2b/sessions", {"organization_slug": "acme", "email_address": "py-rbac@example.com"})
    check = lambda action: AuthorizationCheck(organization_id=acme, resource_id="documents", action=action)
    allowed = b2b.sessions.authenticate_jwt_local(session_jwt=member["session_jwt"], authorization_check=check("read"))
    expect(allowed is not None, "a member may read documents")
    try:
        b2b.sessions.authenticate_jwt_local(session_jwt=member["session_jwt"], authorization_check=check("write"))
        raise AssertionError("a member wrote documents")
    except AssertionError:
        raise
    except Exception as e:  # noqa: BLE001 - the SDK's own permission error
        return type(e).__name__


@check("errors surface as StytchError with the error_type")
def _():
    try:
        client.sessions.authenticate(session_token="INVALID")
    except StytchError as e:
        expect(e.details.error_type == "invalid_session_token", e.details.error_type)
        expect(e.details.status_code == 400, str(e.details.status_code))
        return e.details.error_type
    raise AssertionError("no error")


@check("http escape hatch: environment=<http URL>")
def _():
    plain = stytch.Client(project_id=PROJECT_ID, secret=SECRET, environment=HTTP_URL + "/")
    seeded = control("POST", "/_mock/sessions", {"email": "python-http@example.com"})
    res = plain.sessions.authenticate(session_token=seeded["session_token"])
    local = plain.sessions.authenticate_jwt_local(session_jwt=res.session_jwt)
    expect(local is not None, "local verification over http failed")
    return res.session.session_id


ADA_USER_ID = "user-test-0f8e6de5-a3b0-48eb-84e0-f087aa776313"
ACME_ID = "organization-test-7d3e0c5e-4a9b-4c61-9f0e-2b8f5a1c6d01"
GRACE_MEMBER_ID = "member-test-5b1f9a2e-8c3d-4e7f-a6b5-3c2d1e0f9a01"


def minutes(session):
    return round((session.expires_at - session.started_at).total_seconds() / 60)


def impersonated(factor):
    expect(factor.type.value == "impersonated", f"factor type {factor.type.value}")
    expect(factor.delivery_method.value == "impersonation", f"delivery_method {factor.delivery_method.value}")
    expect(factor.impersonated_factor is not None
           and factor.impersonated_factor.impersonator_email_address == "ops@example.com",
           f"impersonated_factor {factor.impersonated_factor}")


@check("impersonation.authenticate (consumer): a token from /_mock/impersonation, the impersonated factor, single use")
def _():
    minted = control("POST", "/_mock/impersonation",
                     {"user_id": ADA_USER_ID, "impersonator_email_address": "ops@example.com"})
    token = minted["impersonation_token"]
    expect(token and minted["expires_at"] and token in minted["url"], f"minted {minted}")
    res = client.impersonation.authenticate(impersonation_token=token)
    expect(res.user_id == ADA_USER_ID and res.user.user_id == ADA_USER_ID, f"user {res.user_id}")
    expect(res.session is not None and res.session.user_id == ADA_USER_ID, "no session for ada")
    expect(len(res.session.authentication_factors) == 1, f"factors {res.session.authentication_factors}")
    impersonated(res.session.authentication_factors[0])
    expect(minutes(res.session) == 60, f"the session lasts {minutes(res.session)} minutes")
    expect(client.sessions.authenticate_jwt_local(session_jwt=res.session_jwt) is not None, "JWT does not verify")
    try:
        client.impersonation.authenticate(impersonation_token=token)
        raise AssertionError("an impersonation token worked twice")
    except StytchError as e:
        expect(e.details.error_type == "impersonation_token_not_found", e.details.error_type)
        expect(e.details.status_code == 404, str(e.details.status_code))
    return res.session.session_id


@check("B2B impersonation.authenticate: a member session with the impersonated factor")
def _():
    minted = control("POST", "/_mock/impersonation", {"organization_id": ACME_ID, "member_id": GRACE_MEMBER_ID,
                                                       "impersonator_email_address": "ops@example.com"})
    res = b2b.impersonation.authenticate(impersonation_token=minted["impersonation_token"])
    expect(res.member_id == GRACE_MEMBER_ID and res.member.member_id == GRACE_MEMBER_ID, f"member {res.member_id}")
    expect(res.organization_id == ACME_ID and res.organization.organization_slug == "acme", f"organization {res.organization_id}")
    expect(res.member_authenticated, "not member_authenticated")
    ms = res.member_session
    expect(ms is not None and ms.member_id == GRACE_MEMBER_ID, "no member session for grace")
    expect(len(ms.authentication_factors) == 1, f"factors {ms.authentication_factors}")
    impersonated(ms.authentication_factors[0])
    expect(minutes(ms) == 60, f"the session lasts {minutes(ms)} minutes")
    try:
        b2b.impersonation.authenticate(impersonation_token=minted["impersonation_token"])
        raise AssertionError("a B2B impersonation token worked twice")
    except StytchError as e:
        expect(e.details.error_type == "impersonation_token_not_found", e.details.error_type)
    return ms.member_session_id


@check("project.metrics and debug.whoami")
def _():
    res = client.project.metrics()
    expect(res.project_id == PROJECT_ID, f"project_id {res.project_id}")
    counts = {m.metric_type.value: m.count for m in res.metrics}
    wanted = ["USER_COUNT", "ORGANIZATION_COUNT", "MEMBER_COUNT", "M2M_CLIENT_COUNT"]
    expect(sorted(counts) == sorted(wanted), f"metrics {counts}")
    expect(all(counts[k] >= 1 for k in wanted), f"counts {counts}")
    who = client.debug.whoami()
    expect(who.project_id == PROJECT_ID and who.name == "stytch-mock", f"whoami {who.project_id} {who.name}")
    b2b_who = b2b.debug.whoami()
    expect(b2b_who.project_id == PROJECT_ID, f"B2B whoami {b2b_who.project_id}")
    return json.dumps(counts)


@check("sessions.attest with a JWT of a Trusted Auth Token profile")
def _():
    import time
    import uuid
    import jwt
    email = "py-attest@example.com"
    jti = f"tat-{uuid.uuid4()}"
    now = int(time.time())
    token = jwt.encode({"iss": os.environ["TRUSTED_ISSUER"], "aud": os.environ["TRUSTED_AUDIENCE"], "sub": "idp-user-1",
                        "email": email, "jti": jti, "iat": now, "exp": now + 300},
                       os.environ["TRUSTED_PRIVATE_KEY_PEM"], algorithm="RS256")
    profile = os.environ["TRUSTED_PROFILE_ID"]
    res = client.sessions.attest(profile_id=profile, token=token, session_duration_minutes=30)
    expect(any(e.email == email for e in res.user.emails), f"emails {res.user.emails}")
    expect(res.session is not None and res.session.user_id == res.user_id, "no session")
    factor = res.session.authentication_factors[0]
    expect(factor.type.value == "trusted_auth_token", f"factor type {factor.type.value}")
    expect(factor.trusted_auth_token_factor is not None and factor.trusted_auth_token_factor.token_id == jti,
           f"trusted_auth_token_factor {factor.trusted_auth_token_factor}")
    expect(minutes(res.session) == 30, f"the session lasts {minutes(res.session)} minutes")
    wrong = jwt.encode({"iss": "https://someone-else.example", "aud": os.environ["TRUSTED_AUDIENCE"],
                        "email": email, "jti": jti, "iat": now, "exp": now + 300},
                       os.environ["TRUSTED_PRIVATE_KEY_PEM"], algorithm="RS256")
    try:
        client.sessions.attest(profile_id=profile, token=wrong, session_duration_minutes=30)
        raise AssertionError("a token of another issuer attested")
    except StytchError as e:
        expect(e.details.error_type == "invalid_trusted_auth_token", e.details.error_type)
    return res.session.session_id


@check("sessions.migrate through the old provider's userinfo endpoint")
def _():
    email = os.environ["MIGRATED_EMAIL"]
    # Stytch migrates into users that exist: "You will need to create the user before using this endpoint."
    control("POST", "/_mock/users", {"email": email})
    res = client.sessions.migrate(session_token="old-token", session_duration_minutes=30)
    expect(any(e.email == email for e in res.user.emails), f"emails {res.user.emails}")
    expect(res.session is not None and res.session.user_id == res.user_id, "no session")
    factor = res.session.authentication_factors[0]
    expect(factor.type.value == "imported", f"factor type {factor.type.value}")
    expect(client.sessions.authenticate(session_token=res.session_token).user.user_id == res.user_id,
           "the migrated session does not authenticate")
    try:
        client.sessions.migrate(session_token="not-the-token", session_duration_minutes=30)
        raise AssertionError("a token the userinfo endpoint refuses migrated")
    except StytchError as e:
        expect(e.details.status_code >= 400, str(e.details.status_code))
        refused = e.details.error_type
    return f"{res.user_id}; a refused token: {refused}"


# Issue #25: the password flows the Node SDK's contract proves (test/contract/node-sdk-passwords.test.ts),
# with its values, parsed by this SDK's own response models.
STRONG = "correct-horse-battery"
NEWER = "another long pass phrase"
GLOBEX_ID = "organization-test-7d3e0c5e-4a9b-4c61-9f0e-2b8f5a1c6d02"
# STRONG hashed by Python's bcrypt (cost 4).
STRONG_BCRYPT = "$2b$04$Gp.w6x2nfDJ32ufFjzItROMaJFv2mg9VpRRus9Yhv8qHIj0DoK2ri"


def latest(to):
    """The newest message the outbox holds for an address."""
    messages = control("GET", f"/_mock/outbox?to={urllib.parse.quote(to)}")["messages"]
    expect(messages, f"no message to {to}")
    return messages[-1]


def refused(call, error_type, status_code):
    """The call fails with this StytchError."""
    try:
        call()
    except StytchError as e:
        expect(e.details.error_type == error_type, f"{e.details.error_type}, not {error_type}")
        expect(e.details.status_code == status_code, f"{error_type}: {e.details.status_code}")
        return
    raise AssertionError(f"no {error_type}")


def user_with_sessions(email):
    """A user with the password STRONG and two live sessions."""
    control("POST", "/_mock/users", {"email": email, "password": STRONG})
    first = client.passwords.authenticate(email=email, password=STRONG, session_duration_minutes=60)
    second = client.passwords.authenticate(email=email, password=STRONG, session_duration_minutes=60)
    return first.user_id, [first.session_token, second.session_token]


def revoked(session_token):
    refused(lambda: client.sessions.authenticate(session_token=session_token), "session_not_found", 404)
    return True


@check("passwords.email.reset_start and reset: the token from the outbox, a session, single use")
def _():
    email = "py-reset@example.com"
    user_id, tokens = user_with_sessions(email)
    started = client.passwords.email.reset_start(email=email, reset_password_redirect_url="http://localhost:3000/reset",
                                                 login_redirect_url="http://localhost:3000/login")
    expect(started.user_id == user_id, f"user {started.user_id}")
    message = latest(email)
    expect(message["kind"] == "password_reset" and message["user_id"] == user_id, f"message {message}")
    url = urllib.parse.urlsplit(message["url"])
    query = urllib.parse.parse_qs(url.query)
    expect(f"{url.scheme}://{url.netloc}{url.path}" == "http://localhost:3000/reset", message["url"])
    expect(query["stytch_token_type"] == ["reset_password"] and query["token"] == [message["token"]], message["url"])
    # A weak password is refused before the token is spent.
    refused(lambda: client.passwords.email.reset(token=message["token"], password="hunter22"), "weak_password", 400)
    reset = client.passwords.email.reset(token=message["token"], password=NEWER, session_duration_minutes=30)
    expect(reset.user_id == user_id and reset.session is not None, "no session")
    expect(len(reset.session.authentication_factors) == 1, f"factors {reset.session.authentication_factors}")
    factor = reset.session.authentication_factors[0]
    expect(factor.type.value == "password" and factor.delivery_method.value == "email", f"factor {factor}")
    expect(factor.email_factor is not None and factor.email_factor.email_id == started.email_id
           and factor.email_factor.email_address == email, f"email_factor {factor.email_factor}")
    expect(minutes(reset.session) == 30, f"the session lasts {minutes(reset.session)} minutes")
    expect(all(revoked(t) for t in tokens), "the other sessions live on")
    expect(client.sessions.authenticate(session_token=reset.session_token).user.user_id == user_id,
           "the new session does not authenticate")
    refused(lambda: client.passwords.email.reset(token=message["token"], password=NEWER), "unable_to_auth_magic_link", 401)
    refused(lambda: client.passwords.authenticate(email=email, password=STRONG), "unauthorized_credentials", 401)
    expect(client.passwords.authenticate(email=email, password=NEWER).user_id == user_id, "the new password")
    return reset.session.session_id


@check("passwords.existing_password.reset and passwords.sessions.reset revoke the other sessions")
def _():
    email = "py-existing@example.com"
    user_id, tokens = user_with_sessions(email)
    refused(lambda: client.passwords.existing_password.reset(email=email, existing_password="not-the-password",
                                                             new_password=NEWER), "unauthorized_credentials", 401)
    refused(lambda: client.passwords.existing_password.reset(email=email, existing_password=STRONG,
                                                             new_password="hunter22"), "weak_password", 400)
    existing = client.passwords.existing_password.reset(email=email, existing_password=STRONG, new_password=NEWER,
                                                        session_duration_minutes=30)
    expect(existing.user_id == user_id and existing.session is not None, "no session")
    expect(existing.session.authentication_factors[0].type.value == "password",
           f"factor {existing.session.authentication_factors[0]}")
    expect(all(revoked(t) for t in tokens), "the other sessions live on")
    # By session: the one used is kept, the others revoked.
    other = client.passwords.authenticate(email=email, password=NEWER, session_duration_minutes=60)
    used = client.passwords.authenticate(email=email, password=NEWER, session_duration_minutes=60)
    by_session = client.passwords.sessions.reset(password=STRONG, session_token=used.session_token)
    expect(by_session.user_id == user_id and by_session.session_token == used.session_token,
           f"session_token {by_session.session_token}")
    expect(revoked(other.session_token), "the other session lives on")
    expect(client.sessions.authenticate(session_token=used.session_token).user.user_id == user_id, "the session used")
    expect(client.passwords.authenticate(email=email, password=STRONG).user_id == user_id, "the new password")
    control("POST", "/_mock/clock", {"advance_seconds": 301})
    try:
        refused(lambda: client.passwords.sessions.reset(password=NEWER, session_token=used.session_token),
                "session_too_old_to_reset_password", 400)
    finally:
        control("POST", "/_mock/clock", {"advance_seconds": -301})
    return by_session.session.session_id


@check("passwords.migrate with a bcrypt hash, then passwords.authenticate with its password")
def _():
    email = "py-migrated@example.com"
    migrated = client.passwords.migrate(email=email, hash=STRONG_BCRYPT, hash_type="bcrypt")
    expect(migrated.user_created and migrated.user.user_id == migrated.user_id, f"user_created {migrated.user_created}")
    expect(any(e.email == email and e.email_id == migrated.email_id for e in migrated.user.emails),
           f"emails {migrated.user.emails}")
    expect(migrated.user.password is not None and not migrated.user.password.requires_reset,
           f"password {migrated.user.password}")
    refused(lambda: client.passwords.authenticate(email=email, password=f"{STRONG}!"), "unauthorized_credentials", 401)
    res = client.passwords.authenticate(email=email, password=STRONG, session_duration_minutes=30)
    expect(res.user_id == migrated.user_id, f"user {res.user_id}")
    expect(res.session.authentication_factors[0].delivery_method.value == "knowledge", "not a password factor")
    # Stored again with the mock's own scheme after it matched: it keeps working.
    expect(client.passwords.authenticate(email=email, password=STRONG).user_id == migrated.user_id, "the second login")
    refused(lambda: client.passwords.migrate(email=email, hash=STRONG_BCRYPT, hash_type="bcrypt"),
            "password_already_exists", 400)
    return migrated.user_id


@check("passwords.strength_check (consumer and B2B): zxcvbn scores, breached passwords, LUDS feedback")
def _():
    weak = client.passwords.strength_check(password="hunter22")
    expect(not weak.valid_password and weak.score == 1 and weak.strength_policy == "zxcvbn", f"weak {weak}")
    expect(weak.feedback.warning == "This is similar to a commonly used password." and weak.feedback.suggestions,
           f"feedback {weak.feedback}")
    breached = client.passwords.strength_check(password="Password")
    expect(not breached.valid_password and breached.score == 0 and breached.breached_password, f"breached {breached}")
    mine = client.passwords.strength_check(password="grace.hopper-1906", email="grace.hopper@example.com")
    expect(not mine.valid_password and mine.score == 2, f"the email's words {mine}")
    strong = client.passwords.strength_check(password=STRONG)
    expect(strong.valid_password and strong.score == 4 and not strong.breached_password, f"strong {strong}")
    expect(strong.feedback.warning == "" and strong.feedback.suggestions == [], f"feedback {strong.feedback}")
    luds = strong.feedback.luds_requirements.model_dump()
    expect(luds == {"has_lower_case": True, "has_upper_case": False, "has_digit": False, "has_symbol": True,
                    "missing_complexity": 1, "missing_characters": 0}, f"luds_requirements {luds}")
    b2b_weak = b2b.passwords.strength_check(password="hunter22")
    expect(not b2b_weak.valid_password and b2b_weak.score == 1 and b2b_weak.strength_policy == "zxcvbn",
           f"B2B weak {b2b_weak}")
    expect(b2b_weak.zxcvbn_feedback.warning == "This is similar to a commonly used password.",
           f"zxcvbn_feedback {b2b_weak.zxcvbn_feedback}")
    expect(b2b_weak.luds_feedback.has_digit and b2b_weak.luds_feedback.missing_complexity == 1,
           f"luds_feedback {b2b_weak.luds_feedback}")
    return f"{weak.score} {breached.score} {mine.score} {strong.score}"


def grace_with_password(organization_id=ACME_ID):
    """Grace (acme, globex, initech) gets the password STRONG in one organization through the reset email."""
    b2b.passwords.email.reset_start(organization_id=organization_id, email_address="grace@example.com")
    message = latest("grace@example.com")
    return b2b.passwords.email.reset(password_reset_token=message["token"], password=STRONG)


@check("B2B passwords.email.reset_start and reset: a member session, then passwords.authenticate")
def _():
    refused(lambda: b2b.passwords.authenticate(organization_id=ACME_ID, email_address="grace@example.com",
                                               password=STRONG), "member_password_not_found", 400)
    started = b2b.passwords.email.reset_start(organization_id=ACME_ID, email_address="grace@example.com",
                                              reset_password_redirect_url="http://localhost:3000/reset")
    expect(started.member_id == GRACE_MEMBER_ID and started.member.member_id == GRACE_MEMBER_ID,
           f"member {started.member_id}")
    message = latest("grace@example.com")
    expect(message["kind"] == "password_reset" and message["member_id"] == GRACE_MEMBER_ID
           and message["organization_id"] == ACME_ID, f"message {message}")
    url = urllib.parse.urlsplit(message["url"])
    query = urllib.parse.parse_qs(url.query)
    expect(url.path == "/reset" and query["stytch_token_type"] == ["multi_tenant_passwords"]
           and query["stytch_redirect_type"] == ["reset_password"], message["url"])
    reset = b2b.passwords.email.reset(password_reset_token=message["token"], password=STRONG)
    expect(reset.member_authenticated and reset.member_id == GRACE_MEMBER_ID and reset.organization_id == ACME_ID,
           f"reset {reset.member_id} {reset.organization_id}")
    expect(reset.member_email_id == started.member_email_id, f"member_email_id {reset.member_email_id}")
    expect(reset.member.member_password_id.startswith("member-password-test-"),
           f"member_password_id {reset.member.member_password_id}")
    expect(reset.member_session is not None and reset.member_session.member_id == GRACE_MEMBER_ID, "no member session")
    expect(b2b.sessions.authenticate(session_token=reset.session_token).member.member_id == GRACE_MEMBER_ID,
           "the member session does not authenticate")
    refused(lambda: b2b.passwords.email.reset(password_reset_token=message["token"], password=STRONG),
            "unable_to_auth_magic_link", 401)
    auth = b2b.passwords.authenticate(organization_id=ACME_ID, email_address="grace@example.com", password=STRONG)
    expect(auth.member_authenticated and auth.member_id == GRACE_MEMBER_ID, f"member {auth.member_id}")
    factor = auth.member_session.authentication_factors[0]
    expect(factor.type.value == "password" and factor.delivery_method.value == "knowledge", f"factor {factor}")
    refused(lambda: b2b.passwords.authenticate(organization_id=ACME_ID, email_address="grace@example.com",
                                               password=NEWER), "unauthorized_credentials", 401)
    # A member of another organization: the password is this organization's.
    refused(lambda: b2b.passwords.authenticate(organization_id=GLOBEX_ID, email_address="grace@example.com",
                                               password=STRONG), "member_password_not_found", 400)
    refused(lambda: b2b.passwords.authenticate(organization_id=ACME_ID, email_address="py-stranger@example.com",
                                               password=STRONG), "member_not_found", 404)
    return auth.member_session.member_session_id


@check("B2B passwords.discovery.authenticate: the discovered organizations, then one entered")
def _():
    grace_with_password()
    refused(lambda: b2b.passwords.discovery.authenticate(email_address="grace@example.com", password=NEWER),
            "unauthorized_credentials", 401)
    found = b2b.passwords.discovery.authenticate(email_address="grace@example.com", password=STRONG)
    expect(found.email_address == "grace@example.com", f"email_address {found.email_address}")
    orgs = [d.organization.organization_id for d in found.discovered_organizations]
    expect(ACME_ID in orgs and GLOBEX_ID in orgs, f"discovered_organizations {orgs}")
    entered = b2b.discovery.intermediate_sessions.exchange(intermediate_session_token=found.intermediate_session_token,
                                                           organization_id=ACME_ID)
    expect(entered.member_id == GRACE_MEMBER_ID and entered.member_session is not None, "no member session")
    factor = entered.member_session.authentication_factors[0]
    expect(factor.type.value == "password", f"factor {factor}")
    return json.dumps(orgs)


def refused_any(call, status_code):
    """The call fails with a StytchError of this status; returns its error_type."""
    try:
        call()
    except StytchError as e:
        expect(e.details.status_code == status_code, f"{e.details.error_type}: {e.details.status_code}")
        return e.details.error_type
    raise AssertionError("the call succeeded")


@check("users: create, update, search with a filter and pagination, delete revokes the sessions")
def _():
    tag = os.urandom(4).hex()
    made = [client.users.create(email=f"py-users-{tag}-{i}@example.com", name={"first_name": f"Py{i}"})
            for i in range(3)]
    expect(made[0].user.emails[0].email == f"py-users-{tag}-0@example.com", f"user {made[0].user}")
    refused_any(lambda: client.users.create(email=f"py-users-{tag}-0@example.com"), 400)
    updated = client.users.update(user_id=made[0].user_id, name={"first_name": "Ada"},
                                  trusted_metadata={"plan": "pro"})
    expect(updated.user.name.first_name == "Ada", f"name {updated.user.name}")
    expect(client.users.get(user_id=made[0].user_id).trusted_metadata == {"plan": "pro"}, "trusted_metadata")
    query = {"operator": "AND", "operands": [{"filter_name": "email_address_fuzzy", "filter_value": f"py-users-{tag}"}]}
    first = client.users.search(limit=2, query=query)
    expect(len(first.results) == 2 and first.results_metadata.total == 3, f"page 1 {first.results_metadata}")
    rest = client.users.search(limit=2, query=query, cursor=first.results_metadata.next_cursor)
    expect(len(rest.results) == 1 and not rest.results_metadata.next_cursor, f"page 2 {rest.results_metadata}")
    ids = {u.user_id for u in first.results + rest.results}
    expect(ids == {m.user_id for m in made}, "search missed a user")
    refused_any(lambda: client.users.search(query={"operator": "AND", "operands": [
        {"filter_name": "no_such_filter", "filter_value": "x"}]}), 400)
    seeded = control("POST", "/_mock/sessions", {"user_id": made[1].user_id})
    client.users.delete(user_id=made[1].user_id)
    refused(lambda: client.users.get(user_id=made[1].user_id), "user_not_found", 404)
    refused(lambda: client.sessions.authenticate(session_token=seeded["session_token"]), "session_not_found", 404)
    return made[0].user_id


@check("B2B organizations and members: create, update, search, delete and reactivate a member")
def _():
    tag = os.urandom(4).hex()
    org = b2b.organizations.create(organization_name=f"Py Org {tag}", organization_slug=f"py-org-{tag}").organization
    refused_any(lambda: b2b.organizations.create(organization_name="Again", organization_slug=f"py-org-{tag}"), 400)
    renamed = b2b.organizations.update(organization_id=org.organization_id, organization_name="Py Renamed",
                                       mfa_policy="REQUIRED_FOR_ALL")
    expect(renamed.organization.organization_name == "Py Renamed", "organization_name")
    expect(b2b.organizations.get(organization_id=org.organization_id).organization.mfa_policy == "REQUIRED_FOR_ALL",
           "mfa_policy")
    found = b2b.organizations.search(query={"operator": "AND", "operands": [
        {"filter_name": "organization_slugs", "filter_value": [f"py-org-{tag}"]}]})
    expect([o.organization_id for o in found.organizations] == [org.organization_id], "organizations.search")
    member = b2b.organizations.members.create(organization_id=org.organization_id,
                                              email_address=f"py-member-{tag}@example.com", name="Py Member").member
    refused_any(lambda: b2b.organizations.members.create(organization_id=org.organization_id,
                                                         email_address=f"py-member-{tag}@example.com"), 400)
    b2b.organizations.members.update(organization_id=org.organization_id, member_id=member.member_id,
                                     name="Py Renamed Member", roles=["stytch_admin"])
    got = b2b.organizations.members.get(organization_id=org.organization_id, member_id=member.member_id).member
    expect(got.name == "Py Renamed Member", f"name {got.name}")
    expect("stytch_admin" in [r.role_id for r in got.roles], f"roles {got.roles}")
    listed = b2b.organizations.members.search(organization_ids=[org.organization_id], query={
        "operator": "AND", "operands": [{"filter_name": "member_emails", "filter_value": [f"py-member-{tag}@example.com"]}]})
    expect([m.member_id for m in listed.members] == [member.member_id], "members.search")
    # A member who logged in (a verified email: Stytch reactivates only those), deleted and back.
    seeded = control("POST", "/_mock/b2b/sessions", {"organization_id": org.organization_id,
                                                      "email_address": f"py-active-{tag}@example.com"})
    active_id = seeded["member"]["member_id"]
    b2b.organizations.members.delete(organization_id=org.organization_id, member_id=active_id)
    refused(lambda: b2b.sessions.authenticate(session_token=seeded["session_token"]), "session_not_found", 404)
    refused(lambda: b2b.organizations.members.get(organization_id=org.organization_id, member_id=active_id),
            "member_not_found", 404)
    gone = b2b.organizations.members.dangerously_get(member_id=active_id, include_deleted=True).member
    expect(gone.status == "deleted", f"status {gone.status}")
    back = b2b.organizations.members.reactivate(organization_id=org.organization_id, member_id=active_id)
    expect(back.member.status == "active", f"status {back.member.status}")
    b2b.organizations.delete(organization_id=org.organization_id)
    refused(lambda: b2b.organizations.get(organization_id=org.organization_id), "organization_not_found", 404)
    return org.organization_id


@check("TOTP enrolment (consumer): totps.create, authenticate with a code from the secret, a recovery code once")
def _():
    tag = os.urandom(4).hex()
    user = client.users.create(email=f"py-totp-{tag}@example.com").user
    created = client.totps.create(user_id=user.user_id)
    expect(created.qr_code.startswith("data:image/png;base64,") and len(created.recovery_codes) == 10,
           f"create {created.qr_code[:30]} {len(created.recovery_codes)}")
    code = pyotp.TOTP(created.secret).now()
    expect(code == control("GET", f"/_mock/totps/{user.user_id}")["code"], "the mock's code is not the secret's")
    auth = client.totps.authenticate(user_id=user.user_id, totp_code=code, session_duration_minutes=30)
    factor = auth.session.authentication_factors[0]
    expect(factor.type.value == "totp" and factor.delivery_method.value == "authenticator_app"
           and factor.authenticator_app_factor.totp_id == created.totp_id, f"factor {factor}")
    expect([t.verified for t in client.users.get(user_id=user.user_id).totps] == [True], "users.get totps")
    refused(lambda: client.totps.authenticate(user_id=user.user_id, totp_code=code),
            "totp_code_already_authenticated", 400)
    recovered = client.totps.recover(user_id=user.user_id, recovery_code=created.recovery_codes[0],
                                     session_token=auth.session_token)
    types = sorted(f.type.value for f in recovered.session.authentication_factors)
    expect(types == ["recovery_codes", "totp"], f"factors {types}")
    refused_any(lambda: client.totps.recover(user_id=user.user_id, recovery_code=created.recovery_codes[0]), 400)
    return created.totp_id


@check("B2B MFA login: an intermediate session, TOTP enrolled with it, a member session with both factors")
def _():
    tag = os.urandom(4).hex()
    org = b2b.organizations.create(organization_name=f"Py MFA {tag}", organization_slug=f"py-mfa-{tag}",
                                   mfa_policy="REQUIRED_FOR_ALL").organization
    email = f"py-mfa-{tag}@example.com"
    member = b2b.organizations.members.create(organization_id=org.organization_id, email_address=email).member
    b2b.magic_links.email.login_or_signup(organization_id=org.organization_id, email_address=email)
    primary = b2b.magic_links.authenticate(magic_links_token=latest(email)["token"])
    expect(not primary.member_authenticated and primary.intermediate_session_token and primary.session_token == "",
           "the primary login made a session")
    expect(primary.mfa_required is not None, "no mfa_required")
    created = b2b.totps.create(organization_id=org.organization_id, member_id=member.member_id,
                               intermediate_session_token=primary.intermediate_session_token)
    refused_any(lambda: b2b.totps.authenticate(organization_id=org.organization_id, member_id=member.member_id,
                                               code="000000",
                                               intermediate_session_token=primary.intermediate_session_token), 404)
    done = b2b.totps.authenticate(organization_id=org.organization_id, member_id=member.member_id,
                                  code=pyotp.TOTP(created.secret).now(),
                                  intermediate_session_token=primary.intermediate_session_token)
    expect(done.member_session is not None and done.session_token, "no member session")
    types = sorted(f.type.value for f in done.member_session.authentication_factors)
    expect(types == ["magic_link", "totp"], f"factors {types}")
    got = b2b.sessions.authenticate(session_token=done.session_token)
    expect(got.member.totp_registration_id == created.totp_registration_id, "totp_registration_id")
    return done.member_session.member_session_id


def keccak256(data):
    digest = keccak.new(digest_bits=256)
    digest.update(data)
    return digest.digest()


@check("crypto wallets: a Sign-In with Ethereum login, siwe_params as the SDK's model reads it, the nonce once")
def _():
    key = ecdsa.SigningKey.generate(curve=ecdsa.SECP256k1)
    public = key.get_verifying_key().to_string()
    address = "0x" + keccak256(public)[-20:].hex()
    start = client.crypto_wallets.authenticate_start(
        crypto_wallet_type="ethereum", crypto_wallet_address=address,
        siwe_params={"domain": "localhost:3000", "uri": "http://localhost:3000/login", "statement": "Sign in"})
    expect(start.user_created and "localhost:3000 wants you to sign in with your Ethereum account:" in start.challenge,
           f"challenge {start.challenge!r}")
    message = start.challenge.encode()
    digest = keccak256(b"\x19Ethereum Signed Message:\n" + str(len(message)).encode() + message)
    rs = key.sign_digest_deterministic(digest, sigencode=ecdsa.util.sigencode_string_canonize)
    keys = ecdsa.VerifyingKey.from_public_key_recovery_with_digest(rs, digest, ecdsa.SECP256k1)
    v = 27 + [k.to_string() for k in keys].index(public)
    signature = "0x" + rs.hex() + bytes([v]).hex()
    done = client.crypto_wallets.authenticate(crypto_wallet_type="ethereum", crypto_wallet_address=address,
                                              signature=signature, session_duration_minutes=30)
    expect(done.user_id == start.user_id and done.siwe_params is not None
           and done.siwe_params.domain == "localhost:3000" and done.siwe_params.uri == "http://localhost:3000/login",
           f"siwe_params {done.siwe_params}")
    factor = done.session.authentication_factors[0]
    expect(factor.type.value == "crypto" and factor.crypto_wallet_factor.crypto_wallet_address.lower() == address,
           f"factor {factor}")
    refused_any(lambda: client.crypto_wallets.authenticate(crypto_wallet_type="ethereum", crypto_wallet_address=address,
                                                           signature=signature), 401)
    return address


@check("SSO: SAML, OIDC and external connections parse; a login through a queued answer and sso.authenticate")
def _():
    tag = os.urandom(4).hex()
    org = b2b.organizations.create(organization_name=f"Py SSO {tag}", organization_slug=f"py-sso-{tag}").organization
    oid = org.organization_id
    saml = b2b.sso.saml.create_connection(organization_id=oid, display_name="Okta", identity_provider="okta").connection
    cid = saml.connection_id
    expect(saml.status == "pending" and saml.acs_url == saml.audience_uri == f"{HTTPS_URL}/v1/b2b/sso/callback/{cid}",
           f"created {saml}")
    b2b.sso.saml.update_by_url(organization_id=oid, connection_id=cid,
                               metadata_url=f"{HTTP_URL}/v1/public/sso/idp/{cid}/metadata")
    active = b2b.sso.saml.update_connection(
        organization_id=oid, connection_id=cid,
        attribute_mapping={"email": "NameID", "first_name": "firstName", "last_name": "lastName", "groups": "groups"},
        saml_group_implicit_role_assignments=[{"group": "admins", "role_id": "stytch_admin"}]).connection
    expect(active.status == "active" and active.verification_certificates, f"active {active}")
    b2b.sso.oidc.create_connection(organization_id=oid, display_name="Entra", identity_provider="microsoft-entra")
    other = b2b.organizations.create(organization_name=f"Py SSO 2 {tag}", organization_slug=f"py-sso2-{tag}").organization
    b2b.sso.external.create_connection(organization_id=other.organization_id, external_organization_id=oid,
                                       external_connection_id=cid, display_name="Through Okta")
    listed = b2b.sso.get_connections(organization_id=oid)
    expect([c.connection_id for c in listed.saml_connections] == [cid] and len(listed.oidc_connections) == 1,
           f"listed {listed}")
    external = b2b.sso.get_connections(organization_id=other.organization_id).external_connections
    expect([c.external_connection_id for c in external] == [cid], f"external {external}")
    expect([c.connection_id for c in b2b.organizations.get(organization_id=oid).organization.sso_active_connections]
           == [cid], "sso_active_connections")

    email = f"py-sso-{tag}@example.com"
    control("POST", "/_mock/sso/answers", {"connection_id": cid, "email": email, "first_name": "Ada",
                                           "last_name": "Lovelace", "groups": ["admins"]})
    cb = "http://localhost:3000/cb"
    start = f"{HTTPS_URL}/v1/public/sso/start?" + urllib.parse.urlencode({
        "public_token": os.environ["STYTCH_B2B_PUBLIC_TOKEN"], "connection_id": cid,
        "login_redirect_url": cb, "signup_redirect_url": cb})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None
    try:
        urllib.request.build_opener(NoRedirect).open(start)
        raise AssertionError("the start did not redirect")
    except urllib.error.HTTPError as e:
        expect(e.code == 302, f"start: {e.code}")
        query = urllib.parse.parse_qs(urllib.parse.urlparse(e.headers["Location"]).query)
    expect(query["stytch_token_type"] == ["sso"], f"query {query}")
    res = b2b.sso.authenticate(sso_token=query["token"][0], session_duration_minutes=60)
    expect(res.member.email_address == email and res.member.name == "Ada Lovelace"
           and [r.connection_id for r in res.member.sso_registrations] == [cid], f"member {res.member}")
    expect(res.member_session and "stytch_admin" in res.member_session.roles
           and res.member_session.authentication_factors[0].type == "sso", f"session {res.member_session}")
    expect(res.reset_session is False, "reset_session")
    refused(lambda: b2b.sso.authenticate(sso_token=query["token"][0]), "sso_token_not_found", 404)
    return cid


@check("SCIM: scim2-client provisions, queries, patches and deprovisions a member; the SDK sees it deleted, its session gone")
def _():
    import httpx2
    from scim2_client.engines.httpx2 import SyncSCIMClient
    from scim2_models import Email, Group, GroupMember, Name, PatchOp, PatchOperation, SearchRequest, User
    tag = os.urandom(4).hex()
    org = b2b.organizations.create(organization_name=f"Py SCIM {tag}", organization_slug=f"py-scim-{tag}").organization
    created = b2b.scim.connection.create(organization_id=org.organization_id, display_name="Okta",
                                         identity_provider="okta").connection
    expect(len(created.bearer_token) == 48 and created.base_url.startswith(HTTPS_URL), f"connection {created}")
    ids = {"organization_id": org.organization_id, "connection_id": created.connection_id}
    # A member with a live session, whom the directory's push then links by email.
    email = f"py-scim-{tag}@example.com"
    seeded = control("POST", "/_mock/b2b/sessions", {"organization_id": org.organization_id, "email_address": email})
    http = httpx2.Client(base_url=created.base_url, verify=os.environ["SSL_CERT_FILE"],
                         headers={"Authorization": f"Bearer {created.bearer_token}"})
    scim = SyncSCIMClient(http, resource_models=(User, Group))
    ada = scim.create(User(user_name=email, name=Name(given_name="Ada", family_name="Lovelace"),
                           emails=[Email(value=email, primary=True, type="work")], active=True,
                           external_id=f"okta-{tag}"))
    expect(ada.id == seeded["member"]["member_id"], f"not linked: {ada.id}")
    found = scim.query(User, query_parameters=SearchRequest(filter=f'userName eq "{email.upper()}"'))
    expect(found.total_results == 1 and found.resources[0].id == ada.id, f"query {found}")
    patched = scim.modify(User, ada.id, PatchOp[User](operations=[
        PatchOperation(op="replace", path="name.givenName", value="Augusta")]))
    expect(patched is None or patched.name.given_name == "Augusta", f"patched {patched}")
    eng = scim.create(Group(display_name="engineers", members=[GroupMember(value=ada.id)]))
    updated = b2b.scim.connection.update(**ids, scim_group_implicit_role_assignments=[
        {"role_id": "stytch_user", "group_id": eng.id, "group_name": "engineers"}]).connection
    expect(updated.scim_group_implicit_role_assignments[0].group_name == "engineers", f"update {updated}")
    groups = b2b.scim.connection.get_groups(**ids, limit=10)
    expect(groups.request_id and [g.group_id for g in groups.scim_groups] == [eng.id] and groups.next_cursor is None,
           f"groups {groups}")
    member = b2b.organizations.members.get(organization_id=org.organization_id, member_id=ada.id).member
    attributes = member.scim_registration.scim_attributes
    expect(member.name == "Augusta Lovelace" and attributes.user_name == email and attributes.active
           and [g.value for g in attributes.groups] == [eng.id] and attributes.name.given_name == "Augusta",
           f"member {member}")
    role = next(r for r in member.roles if r.role_id == "stytch_user")
    expect(role.sources[0].type == "scim_connection_group", f"role {role}")
    session = b2b.sessions.authenticate(session_token=seeded["session_token"])
    expect("stytch_user" in session.member_session.roles, f"session roles {session.member_session.roles}")
    got = b2b.scim.connection.get(organization_id=org.organization_id).connection
    expect(got.bearer_token_last_four == created.bearer_token[-4:] and got.next_bearer_token_last_four == "",
           f"get {got}")
    expect(b2b.organizations.get(organization_id=org.organization_id).organization.scim_active_connection
           .connection_id == created.connection_id, "scim_active_connection")
    scim.modify(User, ada.id, PatchOp[User](operations=[PatchOperation(op="replace", path="active", value=False)]))
    refused(lambda: b2b.sessions.authenticate(session_token=seeded["session_token"]), "session_not_found", 404)
    gone = b2b.organizations.members.dangerously_get(member_id=ada.id, include_deleted=True).member
    expect(gone.status == "deleted" and gone.scim_registration.scim_attributes.active is False, f"gone {gone}")
    scim.delete(User, ada.id)
    scim.delete(Group, eng.id)
    expect(scim.query(User).total_results == 0, "a User left")
    return ada.id


sys.exit(1 if failed else 0)
