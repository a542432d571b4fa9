"""The official Stytch Python SDK against a running stytch-mock, used the way a user would.

Reads STYTCH_PROJECT_ID, STYTCH_SECRET, STYTCH_MOCK_URL (http) and STYTCH_MOCK_HTTPS_URL from the
environment; the HTTPS CA is trusted through REQUESTS_CA_BUNDLE (API calls, made with requests)
and SSL_CERT_FILE (the JWKS fetch, made with urllib by PyJWT). Prints one JSON line per check
and exits 1 if any failed.
"""
import base64
import json
import os
import sys
import traceback
import urllib.request
import warnings

import stytch
from stytch.core.response_base import StytchError

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


sys.exit(1 if failed else 0)
