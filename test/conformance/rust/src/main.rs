//! The official Stytch Rust SDK (the `stytch` crate, pinned in Cargo.toml) against a running
//! stytch-mock over HTTPS, used the way a Rust backend would: the SDK's clients built with
//! `new_with_base_url`, the mock's local CA trusted through SSL_CERT_FILE (reqwest with rustls and
//! rustls-platform-verifier, which reads the system roots through rustls-native-certs, and that
//! honours SSL_CERT_FILE).
//!
//! Reads STYTCH_PROJECT_ID, STYTCH_SECRET, STYTCH_MOCK_URL (http, for the /_mock control API),
//! STYTCH_MOCK_HTTPS_URL, STYTCH_PUBLIC_TOKEN, STYTCH_CRATE_SRC (the unpacked source of the
//! stytch crate, for the model comparison; found with `cargo metadata` when unset), and what the
//! mock accepts and serves as JSON lists: MOCK_FACTOR_TYPES, MOCK_FACTOR_DELIVERY_METHODS,
//! MOCK_OAUTH_PROVIDERS; for sessions.attest and sessions.migrate, the Trusted Auth Token profile
//! the test wrote into the mock's fixtures (TRUSTED_PROFILE_ID, TRUSTED_ISSUER, TRUSTED_AUDIENCE,
//! TRUSTED_PRIVATE_KEY_PKCS1_HEX: the key that signs the JWT) and the email its userinfo endpoint
//! answers for "old-token" (MIGRATED_EMAIL). Prints one JSON line per check and exits 1 if any
//! failed. Run by test/conformance/rust.test.ts.
//!
//! The crate (11.1.0) verifies JWTs locally only for M2M tokens (m2m.authenticate_token); session
//! JWTs are verified here with jsonwebtoken (already in its tree) against sessions.get_jwks.
//!
//! Besides what each check asserts, every response a check receives is fetched once more as raw
//! JSON (the same request, serialized from the SDK's own request struct) and compared with the
//! crate's model of it (src/models.rs) and with serde_json::from_value into the crate's type; the
//! last two checks report what that comparison found.
mod models;

use models::{Findings, Models};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::BTreeMap;
use stytch::b2b::client::Client as B2BClient;
use stytch::consumer::client::Client as ConsumerClient;

const ADA_TOKEN: &str = "stytch-mock-fixture-session-token-ada-000001";
const ADA_USER_ID: &str = "user-test-0f8e6de5-a3b0-48eb-84e0-f087aa776313";
const ADA_SESSION_ID: &str = "session-test-ccbf765d-93b2-46c1-95b1-3c163ec3d0af";
const GRACE_TOKEN: &str = "stytch-mock-fixture-member-token-grace-acme1";
const GRACE_SESSION_ID: &str = "member-session-test-9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c01";
const ACME_ID: &str = "organization-test-7d3e0c5e-4a9b-4c61-9f0e-2b8f5a1c6d01";
const ACME_MEMBER_ID: &str = "member-test-5b1f9a2e-8c3d-4e7f-a6b5-3c2d1e0f9a01";
const GLOBEX_ID: &str = "organization-test-7d3e0c5e-4a9b-4c61-9f0e-2b8f5a1c6d02";
const GLOBEX_MEMBER_ID: &str = "member-test-5b1f9a2e-8c3d-4e7f-a6b5-3c2d1e0f9a02";
const INITECH_ID: &str = "organization-test-7d3e0c5e-4a9b-4c61-9f0e-2b8f5a1c6d03";

/// A failed check: its message. Any error converts (with its Debug form), as with anyhow.
struct Fail(String);
impl<E: std::fmt::Debug> From<E> for Fail {
    fn from(e: E) -> Self {
        Fail(format!("{e:?}"))
    }
}
type R<T = String> = Result<T, Fail>;

macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(Fail(format!($($msg)+)));
        }
    };
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

struct Ctx {
    project_id: String,
    secret: String,
    http_url: String,
    https_url: String,
    public_token: String,
    /// Plain reqwest (no redirects followed) for the control API and the raw JSON fetches.
    web: reqwest::Client,
    consumer: ConsumerClient,
    b2b: B2BClient,
    models: Result<Models, String>,
    /// "METHOD path -> model": what the comparison found, merged over every response compared.
    compared: RefCell<BTreeMap<String, Findings>>,
    /// The first raw response compared per model, for the comparison's own test.
    samples: RefCell<BTreeMap<String, Value>>,
    /// "METHOD path -> model": serde_json::from_value::<the crate's type> failing on a raw response.
    serde_errors: RefCell<BTreeMap<String, String>>,
    failed: RefCell<bool>,
}

impl Ctx {
    /// The mock's test-control API over plain HTTP; a non-200 answer is a failure.
    async fn control(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> R<Value> {
        let mut req = self
            .web
            .request(method, format!("{}{}", self.http_url, path))
            .basic_auth(&self.project_id, Some(&self.secret));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await?;
        let status = res.status();
        let text = res.text().await?;
        ensure!(status == 200, "{path}: {status} {text}");
        Ok(serde_json::from_str(&text)?)
    }

    /// The same request the SDK makes (its request struct serialized as the SDK does), over HTTPS
    /// with plain reqwest: the status and the raw JSON answer.
    async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &impl Serialize,
    ) -> R<(u16, Value)> {
        let res = self
            .web
            .request(method, format!("{}{}", self.https_url, path))
            .basic_auth(&self.project_id, Some(&self.secret))
            .json(body)
            .send()
            .await?;
        let status = res.status().as_u16();
        let text = res.text().await?;
        let value = serde_json::from_str(&text)
            .map_err(|e| Fail(format!("{path}: not JSON ({e}): {text}")))?;
        Ok((status, value))
    }

    /// Compares one raw response with the crate's model `model` (a path under the crate's src,
    /// e.g. "consumer::sessions::AuthenticateResponse") and with serde itself (type T).
    fn compare<T: DeserializeOwned>(&self, call: &str, model: &str, value: &Value) {
        let label = format!("{call} -> {model}");
        if let Err(e) = serde_json::from_value::<T>(value.clone()) {
            self.serde_errors
                .borrow_mut()
                .insert(label.clone(), e.to_string());
        }
        self.samples
            .borrow_mut()
            .entry(model.to_string())
            .or_insert_with(|| value.clone());
        if let Ok(models) = &self.models {
            let found = models.compare(model, value);
            let mut all = self.compared.borrow_mut();
            let entry = all.entry(label).or_default();
            entry.missing.extend(found.missing);
            entry.enums.extend(found.enums);
            entry.types.extend(found.types);
            entry.extras.extend(found.extras);
        }
    }

    /// `raw` with a 200 expected, then `compare`.
    async fn raw_compare<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &impl Serialize,
        model: &str,
    ) -> R<Value> {
        let (status, value) = self.raw(method.clone(), path, body).await?;
        ensure!(status == 200, "raw {method} {path}: {status} {value}");
        self.compare::<T>(&self.call_label(&method, path, None), model, &value);
        Ok(value)
    }

    /// `raw` with an error status expected, compared with the crate's ErrorResponse.
    async fn raw_error(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &impl Serialize,
        status: u16,
    ) -> R<Value> {
        let (got, value) = self.raw(method.clone(), path, body).await?;
        ensure!(
            got == status,
            "raw {method} {path}: {got}, not {status}: {value}"
        );
        let label = self.call_label(&method, path, Some(status));
        self.compare::<stytch::ErrorResponse>(&label, "ErrorResponse", &value);
        Ok(value)
    }

    /// "POST /v1/public/{project_id}/oauth2/token (401)": the call, without its query.
    fn call_label(&self, method: &reqwest::Method, path: &str, status: Option<u16>) -> String {
        let path = path.split('?').next().unwrap_or_default();
        let path = path.replace(&self.project_id, "{project_id}");
        match status {
            Some(status) => format!("{method} {path} ({status})"),
            None => format!("{method} {path}"),
        }
    }

    fn report(&self, name: &str, result: R) {
        let line = match result {
            Ok(detail) => json!({"check": name, "ok": true, "detail": detail}),
            Err(Fail(detail)) => {
                *self.failed.borrow_mut() = true;
                json!({"check": name, "ok": false, "detail": detail})
            }
        };
        println!("{line}");
    }
}

/// The Stytch error a call answered with, parsed into the crate's own error type.
fn stytch_error<T: std::fmt::Debug>(result: stytch::Result<T>) -> R<stytch::ErrorResponse> {
    match result {
        Err(stytch::Error::Response(e)) => Ok(e),
        other => Err(Fail(format!(
            "expected stytch::Error::Response, got {other:?}"
        ))),
    }
}

/// Verifies a session JWT against a JWKS the SDK fetched: RS256, the project as audience,
/// stytch.com/<project> as issuer. The claims.
fn verify_jwt(ctx: &Ctx, jwt: &str, keys: &[stytch::consumer::sessions::JWK]) -> R<Value> {
    let issuer = format!("stytch.com/{}", ctx.project_id);
    verify_signed(jwt, keys, &ctx.project_id, &issuer)
}

/// Verifies an RS256 JWT against a JWKS the SDK fetched, with the audience and issuer given.
/// The claims.
fn verify_signed(
    jwt: &str,
    keys: &[stytch::consumer::sessions::JWK],
    audience: &str,
    issuer: &str,
) -> R<Value> {
    use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
    let kid = decode_header(jwt)?
        .kid
        .ok_or(Fail("the JWT has no kid".into()))?;
    let jwk = keys
        .iter()
        .find(|k| k.kid == kid)
        .ok_or(Fail(format!("no key {kid} in the JWKS")))?;
    ensure!(
        jwk.alg == "RS256" && jwk.kty == "RSA",
        "key {kid}: {} {}",
        jwk.kty,
        jwk.alg
    );
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[issuer]);
    let key = DecodingKey::from_rsa_components(&jwk.n, &jwk.e)?;
    Ok(decode::<Value>(jwt, &key, &validation)?.claims)
}

// ---------------------------------------------------------------- consumer sessions

async fn consumer_authenticate_token(ctx: &Ctx) -> R {
    use stytch::consumer::sessions::{AuthenticateRequest, AuthenticateResponse};
    let req = AuthenticateRequest {
        session_token: Some(ADA_TOKEN.into()),
        ..Default::default()
    };
    let res = ctx.consumer.sessions.authenticate(req.clone()).await?;
    ensure!(res.status_code == 200, "status_code {}", res.status_code);
    ensure!(
        res.session.session_id == ADA_SESSION_ID,
        "session {}",
        res.session.session_id
    );
    ensure!(
        res.session.user_id == ADA_USER_ID && res.user.user_id == ADA_USER_ID,
        "user {}",
        res.user.user_id
    );
    ensure!(
        res.session_token == ADA_TOKEN,
        "session_token {}",
        res.session_token
    );
    ensure!(
        res.session.custom_claims == Some(json!({"plan": "pro"})),
        "custom_claims {:?}",
        res.session.custom_claims
    );
    ensure!(
        res.user
            .emails
            .iter()
            .any(|e| e.email == "ada@example.com" && e.verified),
        "emails {:?}",
        res.user.emails
    );
    let name = res.user.name.clone().unwrap_or_default();
    ensure!(
        name.first_name.as_deref() == Some("Ada") && name.last_name.as_deref() == Some("Lovelace"),
        "name {name:?}"
    );
    ensure!(
        res.user.external_id.as_deref() == Some("ada-external-1"),
        "external_id {:?}",
        res.user.external_id
    );
    ensure!(
        res.session
            .expires_at
            .is_some_and(|t| t > chrono::Utc::now()),
        "expires_at {:?}",
        res.session.expires_at
    );
    ensure!(
        !res.session.authentication_factors.is_empty(),
        "no authentication factors"
    );
    ensure!(
        res.session_jwt.split('.').count() == 3,
        "session_jwt {}",
        res.session_jwt
    );
    ctx.raw_compare::<AuthenticateResponse>(
        reqwest::Method::POST,
        "/v1/sessions/authenticate",
        &req,
        "consumer::sessions::AuthenticateResponse",
    )
    .await?;
    Ok(res.session.session_id)
}

async fn consumer_authenticate_jwt(ctx: &Ctx) -> R {
    use stytch::consumer::sessions::{AuthenticateRequest, AuthenticateResponse};
    let by_token = ctx
        .consumer
        .sessions
        .authenticate(AuthenticateRequest {
            session_token: Some(ADA_TOKEN.into()),
            ..Default::default()
        })
        .await?;
    let req = AuthenticateRequest {
        session_jwt: Some(by_token.session_jwt.clone()),
        ..Default::default()
    };
    let res = ctx.consumer.sessions.authenticate(req.clone()).await?;
    ensure!(
        res.session.session_id == ADA_SESSION_ID,
        "session {}",
        res.session.session_id
    );
    ensure!(res.user.user_id == ADA_USER_ID, "user {}", res.user.user_id);
    ensure!(
        res.session_token == ADA_TOKEN,
        "authenticating by JWT answered session_token {:?}",
        res.session_token
    );
    ensure!(
        res.session_jwt.split('.').count() == 3,
        "session_jwt {}",
        res.session_jwt
    );
    ctx.raw_compare::<AuthenticateResponse>(
        reqwest::Method::POST,
        "/v1/sessions/authenticate",
        &req,
        "consumer::sessions::AuthenticateResponse",
    )
    .await?;
    Ok(res.session.session_id)
}

async fn consumer_jwks_local(ctx: &Ctx) -> R {
    use stytch::consumer::sessions::{AuthenticateRequest, GetJWKSRequest, GetJWKSResponse};
    let jwks_req = GetJWKSRequest {
        project_id: ctx.project_id.clone(),
    };
    let jwks = ctx.consumer.sessions.get_jwks(jwks_req.clone()).await?;
    ensure!(!jwks.keys.is_empty(), "empty JWKS");
    let path = format!(
        "/v1/sessions/jwks/{}?project_id={}",
        ctx.project_id, ctx.project_id
    );
    ctx.raw_compare::<GetJWKSResponse>(
        reqwest::Method::GET,
        &path,
        &json!({}),
        "consumer::sessions::GetJWKSResponse",
    )
    .await?;
    let seeded = ctx
        .control(
            reqwest::Method::POST,
            "/_mock/sessions",
            Some(json!({"email": "rust-jwt@example.com", "custom_claims": {"tier": "gold"}})),
        )
        .await?;
    let jwt = seeded["session_jwt"].as_str().unwrap_or_default();
    let claims = verify_jwt(ctx, jwt, &jwks.keys)?;
    let session = &claims["https://stytch.com/session"];
    ensure!(
        claims["sub"] == seeded["user"]["user_id"],
        "sub {}",
        claims["sub"]
    );
    ensure!(
        session["id"] == seeded["session"]["session_id"],
        "session claim {session}"
    );
    ensure!(
        claims["tier"] == "gold",
        "custom claim tier: {}",
        claims["tier"]
    );
    // The claims agree with what the API says about the same JWT.
    let api = ctx
        .consumer
        .sessions
        .authenticate(AuthenticateRequest {
            session_jwt: Some(jwt.into()),
            ..Default::default()
        })
        .await?;
    ensure!(
        session["id"] == api.session.session_id.as_str(),
        "the API says session {}",
        api.session.session_id
    );
    Ok(format!(
        "{} keys; verified {}",
        jwks.keys.len(),
        api.session.session_id
    ))
}

async fn consumer_sessions_get(ctx: &Ctx) -> R {
    use stytch::consumer::sessions::{GetRequest, GetResponse};
    let seeded = ctx
        .control(
            reqwest::Method::POST,
            "/_mock/sessions",
            Some(json!({"email": "rust-list@example.com"})),
        )
        .await?;
    let user_id = seeded["user"]["user_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let second = ctx
        .control(
            reqwest::Method::POST,
            "/_mock/sessions",
            Some(json!({"email": "rust-list@example.com"})),
        )
        .await?;
    let req = GetRequest {
        user_id: user_id.clone(),
    };
    let res = ctx.consumer.sessions.get(req.clone()).await?;
    let ids: Vec<&str> = res.sessions.iter().map(|s| s.session_id.as_str()).collect();
    for s in [&seeded, &second] {
        let id = s["session"]["session_id"].as_str().unwrap_or_default();
        ensure!(ids.contains(&id), "sessions.get lists {ids:?}, not {id}");
    }
    ensure!(
        res.sessions.iter().all(|s| s.user_id == user_id),
        "a session of another user"
    );
    let fixture = ctx
        .consumer
        .sessions
        .get(GetRequest {
            user_id: ADA_USER_ID.into(),
        })
        .await?;
    ensure!(
        fixture
            .sessions
            .iter()
            .any(|s| s.session_id == ADA_SESSION_ID),
        "ada's fixture session is not listed"
    );
    let path = format!("/v1/sessions?user_id={user_id}");
    ctx.raw_compare::<GetResponse>(
        reqwest::Method::GET,
        &path,
        &json!({}),
        "consumer::sessions::GetResponse",
    )
    .await?;
    Ok(format!("{} sessions", res.sessions.len()))
}

async fn consumer_revoke(ctx: &Ctx) -> R {
    use stytch::consumer::sessions::{AuthenticateRequest, RevokeRequest, RevokeResponse};
    let seeded = ctx
        .control(
            reqwest::Method::POST,
            "/_mock/sessions",
            Some(json!({"email": "rust-revoke@example.com"})),
        )
        .await?;
    let session_id = seeded["session"]["session_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let token = seeded["session_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let revoked = ctx
        .consumer
        .sessions
        .revoke(RevokeRequest {
            session_id: Some(session_id.clone()),
            ..Default::default()
        })
        .await?;
    ensure!(
        revoked.status_code == 200 && !revoked.request_id.is_empty(),
        "revoke {revoked:?}"
    );
    let auth = AuthenticateRequest {
        session_token: Some(token),
        ..Default::default()
    };
    let err = stytch_error(ctx.consumer.sessions.authenticate(auth.clone()).await)?;
    ensure!(
        err.error_type == "session_not_found",
        "error_type {}",
        err.error_type
    );
    ensure!(err.status_code == 404, "status_code {}", err.status_code);
    ensure!(
        !err.error_message.is_empty() && !err.request_id.is_empty(),
        "error {err:?}"
    );
    // Raw: the 404 against the crate's ErrorResponse, and a revoke of another session.
    ctx.raw_error(
        reqwest::Method::POST,
        "/v1/sessions/authenticate",
        &auth,
        404,
    )
    .await?;
    let other = ctx
        .control(
            reqwest::Method::POST,
            "/_mock/sessions",
            Some(json!({"email": "rust-revoke-raw@example.com"})),
        )
        .await?;
    let raw_req = RevokeRequest {
        session_id: other["session"]["session_id"].as_str().map(String::from),
        ..Default::default()
    };
    ctx.raw_compare::<RevokeResponse>(
        reqwest::Method::POST,
        "/v1/sessions/revoke",
        &raw_req,
        "consumer::sessions::RevokeResponse",
    )
    .await?;
    Ok(err.error_type)
}

// ---------------------------------------------------------------- B2B

async fn b2b_authenticate(ctx: &Ctx) -> R {
    use stytch::b2b::sessions::{AuthenticateRequest, AuthenticateResponse};
    let req = AuthenticateRequest {
        session_token: Some(GRACE_TOKEN.into()),
        ..Default::default()
    };
    let res = ctx.b2b.sessions.authenticate(req.clone()).await?;
    ensure!(
        res.member_session.member_session_id == GRACE_SESSION_ID,
        "member session {}",
        res.member_session.member_session_id
    );
    ensure!(
        res.member_session.member_id == ACME_MEMBER_ID && res.member.member_id == ACME_MEMBER_ID,
        "member {}",
        res.member.member_id
    );
    ensure!(
        res.organization.organization_id == ACME_ID && res.organization.organization_slug == "acme",
        "organization {}",
        res.organization.organization_slug
    );
    ensure!(
        res.member_session.organization_id == ACME_ID
            && res.member_session.organization_slug == "acme",
        "member_session organization {}",
        res.member_session.organization_slug
    );
    ensure!(
        res.member.email_address == "grace@example.com" && res.member.name == "Grace Hopper",
        "member {} {}",
        res.member.email_address,
        res.member.name
    );
    ensure!(res.member.is_admin, "grace is an admin of acme");
    ensure!(
        res.organization.organization_name == "Acme Corp"
            && res.organization.mfa_policy == "OPTIONAL",
        "organization {} {}",
        res.organization.organization_name,
        res.organization.mfa_policy
    );
    ensure!(
        res.session_token == GRACE_TOKEN,
        "session_token {}",
        res.session_token
    );
    ensure!(
        res.member_session.expires_at > chrono::Utc::now(),
        "expires_at {}",
        res.member_session.expires_at
    );
    ctx.raw_compare::<AuthenticateResponse>(
        reqwest::Method::POST,
        "/v1/b2b/sessions/authenticate",
        &req,
        "b2b::sessions::AuthenticateResponse",
    )
    .await?;
    Ok(res.member_session.member_session_id)
}

async fn b2b_exchange(ctx: &Ctx) -> R {
    use stytch::b2b::sessions::{ExchangeRequest, ExchangeResponse};
    let seed = || {
        ctx.control(
            reqwest::Method::POST,
            "/_mock/b2b/sessions",
            Some(json!({"organization_slug": "acme", "email_address": "grace@example.com"})),
        )
    };
    let token = |s: &Value| s["session_token"].as_str().map(String::from);
    let to_globex = ExchangeRequest {
        organization_id: GLOBEX_ID.into(),
        session_token: token(&seed().await?),
        ..Default::default()
    };
    let ex = ctx.b2b.sessions.exchange(to_globex).await?;
    ensure!(
        ex.member_authenticated,
        "exchange into globex did not authenticate"
    );
    ensure!(
        ex.organization.organization_id == GLOBEX_ID
            && ex.organization.organization_slug == "globex",
        "organization {}",
        ex.organization.organization_slug
    );
    ensure!(
        ex.member_id == GLOBEX_MEMBER_ID && ex.member.member_id == GLOBEX_MEMBER_ID,
        "member {}",
        ex.member_id
    );
    let ms = ex
        .member_session
        .clone()
        .ok_or(Fail("no member_session".into()))?;
    ensure!(
        ms.organization_id == GLOBEX_ID && ms.organization_slug == "globex",
        "member_session in {}",
        ms.organization_slug
    );
    ensure!(
        !ex.session_token.is_empty() && ex.intermediate_session_token.is_empty(),
        "tokens {:?} {:?}",
        ex.session_token,
        ex.intermediate_session_token
    );
    let to_initech = ExchangeRequest {
        organization_id: INITECH_ID.into(),
        session_token: token(&seed().await?),
        ..Default::default()
    };
    let mfa = ctx.b2b.sessions.exchange(to_initech).await?;
    ensure!(
        !mfa.member_authenticated,
        "initech requires MFA, yet the exchange authenticated"
    );
    ensure!(mfa.member_session.is_none(), "a member_session without MFA");
    ensure!(
        !mfa.intermediate_session_token.is_empty() && mfa.session_token.is_empty(),
        "tokens {:?} {:?}",
        mfa.session_token,
        mfa.intermediate_session_token
    );
    ensure!(
        mfa.organization.organization_id == INITECH_ID
            && mfa.organization.mfa_policy == "REQUIRED_FOR_ALL",
        "organization {} {}",
        mfa.organization.organization_slug,
        mfa.organization.mfa_policy
    );
    for org in [GLOBEX_ID, INITECH_ID] {
        let req = ExchangeRequest {
            organization_id: org.into(),
            session_token: token(&seed().await?),
            ..Default::default()
        };
        ctx.raw_compare::<ExchangeResponse>(
            reqwest::Method::POST,
            "/v1/b2b/sessions/exchange",
            &req,
            "b2b::sessions::ExchangeResponse",
        )
        .await?;
    }
    Ok(ms.member_session_id)
}

async fn b2b_jwks_local(ctx: &Ctx) -> R {
    use stytch::b2b::sessions::{AuthenticateRequest, GetJWKSRequest, GetJWKSResponse};
    let jwks = ctx
        .b2b
        .sessions
        .get_jwks(GetJWKSRequest {
            project_id: ctx.project_id.clone(),
        })
        .await?;
    ensure!(!jwks.keys.is_empty(), "empty JWKS");
    let path = format!(
        "/v1/b2b/sessions/jwks/{}?project_id={}",
        ctx.project_id, ctx.project_id
    );
    ctx.raw_compare::<GetJWKSResponse>(
        reqwest::Method::GET,
        &path,
        &json!({}),
        "b2b::sessions::GetJWKSResponse",
    )
    .await?;
    let res = ctx
        .b2b
        .sessions
        .authenticate(AuthenticateRequest {
            session_token: Some(GRACE_TOKEN.into()),
            ..Default::default()
        })
        .await?;
    let claims = verify_jwt(ctx, &res.session_jwt, &jwks.keys)?;
    ensure!(claims["sub"] == ACME_MEMBER_ID, "sub {}", claims["sub"]);
    let session = &claims["https://stytch.com/session"];
    ensure!(session["id"] == GRACE_SESSION_ID, "session claim {session}");
    let org = &claims["https://stytch.com/organization"];
    ensure!(
        org["organization_id"] == ACME_ID && org["slug"] == "acme",
        "organization claim {org}"
    );
    Ok(format!("{} keys", jwks.keys.len()))
}

async fn b2b_organizations(ctx: &Ctx) -> R {
    use stytch::b2b::organizations::{GetRequest, GetResponse};
    use stytch::b2b::organizations_members::{
        GetRequest as MemberGetRequest, GetResponse as MemberGetResponse,
    };
    let org = ctx
        .b2b
        .organizations
        .get(GetRequest {
            organization_id: ACME_ID.into(),
        })
        .await?;
    let o = &org.organization;
    ensure!(
        o.organization_id == ACME_ID
            && o.organization_slug == "acme"
            && o.organization_name == "Acme Corp",
        "organization {} {}",
        o.organization_slug,
        o.organization_name
    );
    ensure!(o.mfa_policy == "OPTIONAL", "mfa_policy {}", o.mfa_policy);
    let path = format!("/v1/b2b/organizations/{ACME_ID}?organization_id={ACME_ID}");
    ctx.raw_compare::<GetResponse>(
        reqwest::Method::GET,
        &path,
        &json!({}),
        "b2b::organizations::GetResponse",
    )
    .await?;
    let req = MemberGetRequest {
        organization_id: ACME_ID.into(),
        email_address: Some("grace@example.com".into()),
        ..Default::default()
    };
    let m = ctx.b2b.organizations.members.get(req).await?;
    ensure!(
        m.member_id == ACME_MEMBER_ID && m.member.member_id == ACME_MEMBER_ID,
        "member {}",
        m.member_id
    );
    ensure!(
        m.member.email_address == "grace@example.com"
            && m.member.name == "Grace Hopper"
            && m.member.is_admin,
        "member {:?}",
        m.member
    );
    ensure!(m.member.status == "active", "status {}", m.member.status);
    ensure!(
        m.organization.organization_id == ACME_ID,
        "organization {}",
        m.organization.organization_id
    );
    let by_id = ctx
        .b2b
        .organizations
        .members
        .get(MemberGetRequest {
            organization_id: ACME_ID.into(),
            member_id: Some(ACME_MEMBER_ID.into()),
            ..Default::default()
        })
        .await?;
    ensure!(
        by_id.member.email_address == "grace@example.com",
        "by member_id: {}",
        by_id.member.email_address
    );
    let path = format!("/v1/b2b/organizations/{ACME_ID}/member?organization_id={ACME_ID}&email_address=grace%40example.com");
    ctx.raw_compare::<MemberGetResponse>(
        reqwest::Method::GET,
        &path,
        &json!({}),
        "b2b::organizations_members::GetResponse",
    )
    .await?;
    Ok(m.member_id)
}

async fn rbac(ctx: &Ctx) -> R {
    use stytch::b2b::rbac::{
        PolicyRequest as B2BPolicyRequest, PolicyResponse as B2BPolicyResponse,
    };
    use stytch::b2b::rbac_organizations::{GetOrgPolicyRequest, GetOrgPolicyResponse};
    use stytch::consumer::rbac::{PolicyRequest, PolicyResponse};
    let consumer = ctx.consumer.rbac.policy(PolicyRequest {}).await?;
    let policy = consumer
        .policy
        .clone()
        .ok_or(Fail("consumer policy: none".into()))?;
    ensure!(
        policy.roles.iter().any(|r| r.role_id == "stytch_user"),
        "consumer roles {:?}",
        policy.roles.iter().map(|r| &r.role_id).collect::<Vec<_>>()
    );
    ctx.raw_compare::<PolicyResponse>(
        reqwest::Method::GET,
        "/v1/rbac/policy?",
        &json!({}),
        "consumer::rbac::PolicyResponse",
    )
    .await?;
    let b2b = ctx.b2b.rbac.policy(B2BPolicyRequest {}).await?;
    let policy = b2b.policy.clone().ok_or(Fail("B2B policy: none".into()))?;
    let admin = policy
        .roles
        .iter()
        .find(|r| r.role_id == "stytch_admin")
        .ok_or(Fail("no stytch_admin role".into()))?;
    // The fixtures give stytch_admin `*` on `*`; the API spells the `*` resource out, one
    // permission per resource the policy declares, as Stytch serves it.
    ensure!(
        policy
            .resources
            .iter()
            .any(|r| r.resource_id == "documents"),
        "resources {:?}",
        policy.resources
    );
    ensure!(
        admin
            .permissions
            .iter()
            .any(|p| p.resource_id == "documents" && p.actions == ["*"]),
        "stytch_admin permissions {:?}",
        admin.permissions
    );
    let member = policy
        .roles
        .iter()
        .find(|r| r.role_id == "stytch_member")
        .ok_or(Fail("no stytch_member role".into()))?;
    ensure!(
        member
            .permissions
            .iter()
            .any(|p| p.resource_id == "documents" && p.actions.contains(&"read".to_string())),
        "stytch_member permissions {:?}",
        member.permissions
    );
    ctx.raw_compare::<B2BPolicyResponse>(
        reqwest::Method::GET,
        "/v1/b2b/rbac/policy?",
        &json!({}),
        "b2b::rbac::PolicyResponse",
    )
    .await?;
    let org = ctx
        .b2b
        .rbac
        .organizations
        .get_org_policy(GetOrgPolicyRequest {
            organization_id: ACME_ID.into(),
        })
        .await?;
    let path = format!("/v1/b2b/rbac/organizations/{ACME_ID}?organization_id={ACME_ID}");
    ctx.raw_compare::<GetOrgPolicyResponse>(
        reqwest::Method::GET,
        &path,
        &json!({}),
        "b2b::rbac_organizations::GetOrgPolicyResponse",
    )
    .await?;
    Ok(format!(
        "{} consumer roles, {} B2B roles, {} acme roles",
        consumer.policy.map_or(0, |p| p.roles.len()),
        policy.roles.len(),
        org.org_policy.roles.len()
    ))
}

async fn users_get(ctx: &Ctx) -> R {
    use stytch::consumer::users::{GetRequest, GetResponse};
    let user = ctx
        .consumer
        .users
        .get(GetRequest {
            user_id: ADA_USER_ID.into(),
        })
        .await?;
    ensure!(
        user.user_id == ADA_USER_ID && user.status == "active",
        "user {} {}",
        user.user_id,
        user.status
    );
    ensure!(
        user.emails.len() == 1 && user.emails[0].email == "ada@example.com",
        "emails {:?}",
        user.emails
    );
    let name = user.name.clone().unwrap_or_default();
    ensure!(
        name.first_name.as_deref() == Some("Ada") && name.last_name.as_deref() == Some("Lovelace"),
        "name {name:?}"
    );
    ensure!(
        user.external_id.as_deref() == Some("ada-external-1"),
        "external_id {:?}",
        user.external_id
    );
    ensure!(
        !user.is_locked && user.password.is_none(),
        "is_locked {} password {:?}",
        user.is_locked,
        user.password
    );
    let path = format!("/v1/users/{ADA_USER_ID}?user_id={ADA_USER_ID}");
    ctx.raw_compare::<GetResponse>(
        reqwest::Method::GET,
        &path,
        &json!({}),
        "consumer::users::GetResponse",
    )
    .await?;
    let err = stytch_error(
        ctx.consumer
            .users
            .get(GetRequest {
                user_id: "user-test-00000000-0000-4000-8000-00000000dead".into(),
            })
            .await,
    )?;
    ensure!(
        err.error_type == "user_not_found" && err.status_code == 404,
        "{} {}",
        err.error_type,
        err.status_code
    );
    let dead = "user-test-00000000-0000-4000-8000-00000000dead";
    let path = format!("/v1/users/{dead}?user_id={dead}");
    ctx.raw_error(reqwest::Method::GET, &path, &json!({}), 404)
        .await?;
    Ok(user.user_id)
}

// ---------------------------------------------------------------- M2M

const M2M_CLIENT_ID: &str = "m2m-client-test-4f3e2d1c-0b9a-4876-a543-210fedcba987";
const M2M_CLIENT_SECRET: &str = "stytch-mock-fixture-m2m-secret-orders-000001";

/// The crate's one local JWT verification: m2m.authenticate_token checks an access token against
/// the project's JWKS (/v1/sessions/jwks/<project>, fetched and cached by the crate itself).
async fn m2m_local(ctx: &Ctx) -> R {
    use stytch::consumer::m2m::{AuthenticateTokenRequest, TokenRequest, TokenResponse};
    let req = TokenRequest {
        client_id: M2M_CLIENT_ID.into(),
        client_secret: M2M_CLIENT_SECRET.into(),
        grant_type: "client_credentials".into(),
        scopes: None,
    };
    let token = ctx.consumer.m2m.token(req.clone()).await?;
    ensure!(
        token.token_type.eq_ignore_ascii_case("bearer") && token.expires_in > 0,
        "token {} {}",
        token.token_type,
        token.expires_in
    );
    // A wrong secret: an OAuth 2.0 error body (error, error_description, error_uri), which the
    // crate's ErrorResponse reads through its serde aliases.
    let wrong = TokenRequest {
        client_secret: "not-the-secret".into(),
        ..req.clone()
    };
    let err = stytch_error(ctx.consumer.m2m.token(wrong.clone()).await)?;
    ensure!(
        err.error_type == "invalid_client" && err.status_code == 401,
        "a wrong client secret: {} {}",
        err.error_type,
        err.status_code
    );
    let path = format!("/v1/public/{}/oauth2/token", ctx.project_id);
    ctx.raw_error(reqwest::Method::POST, &path, &wrong, 401)
        .await?;
    ctx.raw_compare::<TokenResponse>(
        reqwest::Method::POST,
        &path,
        &req,
        "consumer::m2m::TokenResponse",
    )
    .await?;
    let before = ctx
        .control(
            reqwest::Method::GET,
            "/_mock/requests?path=/v1/sessions/jwks/*",
            None,
        )
        .await?;
    let res = ctx
        .consumer
        .m2m
        .authenticate_token(AuthenticateTokenRequest {
            access_token: token.access_token.clone(),
            required_scopes: Some(vec!["read:users".into()]),
            ..Default::default()
        })
        .await?;
    ensure!(
        res.client_id == M2M_CLIENT_ID,
        "client_id {}",
        res.client_id
    );
    let mut scopes = res.scopes.clone();
    scopes.sort();
    ensure!(scopes == ["read:users", "write:users"], "scopes {scopes:?}");
    let after = ctx
        .control(
            reqwest::Method::GET,
            "/_mock/requests?path=/v1/sessions/jwks/*",
            None,
        )
        .await?;
    let count = |v: &Value| v["requests"].as_array().map_or(0, |a| a.len());
    ensure!(
        count(&after) == count(&before) + 1,
        "the crate did not fetch the JWKS once ({} -> {})",
        count(&before),
        count(&after)
    );
    // A scope the client lacks: the crate's own authorization check refuses it.
    let denied = ctx
        .consumer
        .m2m
        .authenticate_token(AuthenticateTokenRequest {
            access_token: token.access_token.clone(),
            required_scopes: Some(vec!["delete:users".into()]),
            ..Default::default()
        })
        .await;
    ensure!(
        matches!(denied, Err(stytch::Error::Unauthorized)),
        "a missing scope: {denied:?}"
    );
    // And a forged token (its signature taken from a session JWT by the same key) is refused.
    let jwt = ctx
        .consumer
        .sessions
        .authenticate(stytch::consumer::sessions::AuthenticateRequest {
            session_token: Some(ADA_TOKEN.into()),
            ..Default::default()
        })
        .await?
        .session_jwt;
    let (signed, _) = token
        .access_token
        .rsplit_once('.')
        .ok_or(Fail("access_token is not a JWT".into()))?;
    let forged = format!("{signed}.{}", jwt.rsplit('.').next().unwrap_or_default());
    let refused = ctx
        .consumer
        .m2m
        .authenticate_token(AuthenticateTokenRequest {
            access_token: forged,
            ..Default::default()
        })
        .await;
    ensure!(
        matches!(refused, Err(stytch::Error::JWTError(_))),
        "a forged token: {refused:?}"
    );
    Ok(res.client_id)
}

// ---------------------------------------------------------------- logins

/// The newest passcode sent to `email`, with the method_id it belongs to.
async fn latest_code(ctx: &Ctx, email: &str) -> R<(String, String)> {
    let out = ctx
        .control(
            reqwest::Method::GET,
            &format!("/_mock/outbox?to={email}&limit=1"),
            None,
        )
        .await?;
    let m = out["messages"]
        .as_array()
        .and_then(|a| a.last())
        .ok_or(Fail(format!("no message to {email}: {out}")))?;
    let code = m["otp_code"]
        .as_str()
        .ok_or(Fail(format!("no otp_code in {m}")))?;
    let method_id = m["method_id"]
        .as_str()
        .ok_or(Fail(format!("no method_id in {m}")))?;
    Ok((code.into(), method_id.into()))
}

async fn otp_login(ctx: &Ctx) -> R {
    use stytch::consumer::otp::{AuthenticateRequest, AuthenticateResponse};
    use stytch::consumer::otp_email::{LoginOrCreateRequest, LoginOrCreateResponse};
    use stytch::consumer::sessions::{
        AuthenticationFactorDeliveryMethod as D, AuthenticationFactorType as T,
    };
    // Raw first (a passcode works once): the same two calls for the comparison.
    let raw_email = "rust-otp-raw@example.com";
    let raw_send = LoginOrCreateRequest {
        email: raw_email.into(),
        ..Default::default()
    };
    ctx.raw_compare::<LoginOrCreateResponse>(
        reqwest::Method::POST,
        "/v1/otps/email/login_or_create",
        &raw_send,
        "consumer::otp_email::LoginOrCreateResponse",
    )
    .await?;
    let (code, method_id) = latest_code(ctx, raw_email).await?;
    let raw_auth = AuthenticateRequest {
        method_id,
        code,
        session_duration_minutes: Some(30),
        ..Default::default()
    };
    ctx.raw_compare::<AuthenticateResponse>(
        reqwest::Method::POST,
        "/v1/otps/authenticate",
        &raw_auth,
        "consumer::otp::AuthenticateResponse",
    )
    .await?;
    ctx.raw_error(
        reqwest::Method::POST,
        "/v1/otps/authenticate",
        &raw_auth,
        401,
    )
    .await?;

    let email = "rust-otp@example.com";
    let sent = ctx
        .consumer
        .otps
        .email
        .login_or_create(LoginOrCreateRequest {
            email: email.into(),
            ..Default::default()
        })
        .await?;
    ensure!(
        sent.user_created && !sent.email_id.is_empty() && !sent.user_id.is_empty(),
        "login_or_create {sent:?}"
    );
    let (code, method_id) = latest_code(ctx, email).await?;
    ensure!(
        method_id == sent.email_id,
        "the outbox's method_id {method_id} is not the email_id {}",
        sent.email_id
    );
    ensure!(
        code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()),
        "code {code:?}"
    );
    let req = AuthenticateRequest {
        method_id: sent.email_id.clone(),
        code: code.clone(),
        session_duration_minutes: Some(30),
        ..Default::default()
    };
    let res = ctx.consumer.otps.authenticate(req.clone()).await?;
    ensure!(
        res.user_id == sent.user_id && res.method_id == sent.email_id,
        "user {} method {}",
        res.user_id,
        res.method_id
    );
    ensure!(
        res.user
            .emails
            .iter()
            .any(|e| e.email == email && e.verified),
        "emails {:?}",
        res.user.emails
    );
    let session = res
        .session
        .clone()
        .ok_or(Fail("no session with session_duration_minutes 30".into()))?;
    let factor = session
        .authentication_factors
        .first()
        .ok_or(Fail("no factor".into()))?;
    ensure!(
        matches!(factor.type_, T::OTP) && matches!(factor.delivery_method, D::Email),
        "factor {:?} {:?}",
        factor.type_,
        factor.delivery_method
    );
    ensure!(
        factor
            .email_factor
            .as_ref()
            .is_some_and(|f| f.email_address == email),
        "email_factor {:?}",
        factor.email_factor
    );
    ensure!(
        !res.session_token.is_empty() && res.session_jwt.split('.').count() == 3,
        "tokens"
    );
    let err = stytch_error(ctx.consumer.otps.authenticate(req).await)?;
    ensure!(
        err.error_type == "unable_to_auth_otp_code",
        "a used passcode: {}",
        err.error_type
    );
    Ok(session.session_id)
}

async fn password_login(ctx: &Ctx) -> R {
    use stytch::consumer::passwords::{AuthenticateRequest, AuthenticateResponse};
    use stytch::consumer::sessions::{
        AuthenticationFactorDeliveryMethod as D, AuthenticationFactorType as T,
    };
    let email = "rust-pw@example.com";
    let password = "a-long-passphrase-42";
    let seeded = ctx
        .control(
            reqwest::Method::POST,
            "/_mock/users",
            Some(json!({"email": email, "password": password})),
        )
        .await?;
    let req = AuthenticateRequest {
        email: email.into(),
        password: password.into(),
        session_duration_minutes: Some(30),
        ..Default::default()
    };
    let res = ctx.consumer.passwords.authenticate(req.clone()).await?;
    ensure!(
        res.user_id == seeded["user_id"].as_str().unwrap_or_default(),
        "user {} (seeded {})",
        res.user_id,
        seeded["user_id"]
    );
    ensure!(res.user.password.is_some(), "the user has no password");
    let session = res.session.clone().ok_or(Fail("no session".into()))?;
    let factor = session
        .authentication_factors
        .first()
        .ok_or(Fail("no factor".into()))?;
    ensure!(
        matches!(factor.type_, T::Password) && matches!(factor.delivery_method, D::Knowledge),
        "factor {:?} {:?}",
        factor.type_,
        factor.delivery_method
    );
    ctx.raw_compare::<AuthenticateResponse>(
        reqwest::Method::POST,
        "/v1/passwords/authenticate",
        &req,
        "consumer::passwords::AuthenticateResponse",
    )
    .await?;
    let wrong = AuthenticateRequest {
        email: email.into(),
        password: "wrong".into(),
        ..Default::default()
    };
    let err = stytch_error(ctx.consumer.passwords.authenticate(wrong.clone()).await)?;
    ensure!(
        err.error_type == "unauthorized_credentials",
        "a wrong password: {}",
        err.error_type
    );
    let status = err.status_code.as_u16();
    ctx.raw_error(
        reqwest::Method::POST,
        "/v1/passwords/authenticate",
        &wrong,
        status,
    )
    .await?;
    Ok(res.user_id)
}

/// Queues an OAuth answer for `email`, runs the provider's start (as the browser would, with the
/// project's public token) without following redirects, and returns the token from the 302's
/// Location.
/// A browser's start URL (OAuth's or SSO's, after a queued answer): the token of `token_type` the
/// redirect to the app carries.
async fn redirected_token(ctx: &Ctx, start: reqwest::Url, token_type: &str) -> R {
    let cb = "http://localhost:3000/cb";
    let mut start = start;
    start
        .query_pairs_mut()
        .append_pair("login_redirect_url", cb)
        .append_pair("signup_redirect_url", cb);
    let res = ctx.web.get(start).send().await?;
    ensure!(
        res.status() == 302,
        "{token_type} start: {} {}",
        res.status(),
        res.text().await.unwrap_or_default()
    );
    let location = res
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default();
    let url = reqwest::Url::parse(location)?;
    ensure!(url.as_str().starts_with(cb), "redirected to {location}");
    let param = |k: &str| {
        url.query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
    };
    ensure!(
        param("stytch_token_type").as_deref() == Some(token_type),
        "stytch_token_type in {location}"
    );
    param("token").ok_or(Fail(format!("no token in {location}")))
}

async fn oauth_token(ctx: &Ctx, provider: &str, email: &str) -> R {
    ctx.control(
        reqwest::Method::POST,
        "/_mock/oauth/answers",
        Some(json!({"email": email, "provider": provider})),
    )
    .await?;
    let start = reqwest::Url::parse_with_params(
        &format!("{}/v1/public/oauth/{provider}/start", ctx.https_url),
        &[("public_token", ctx.public_token.as_str())],
    )?;
    redirected_token(ctx, start, "oauth").await
}

async fn oauth_login(ctx: &Ctx) -> R {
    use stytch::consumer::oauth::{AuthenticateRequest, AuthenticateResponse};
    use stytch::consumer::sessions::{
        AuthenticationFactorDeliveryMethod as D, AuthenticationFactorType as T,
    };
    let raw_req = AuthenticateRequest {
        token: oauth_token(ctx, "google", "rust-oauth-raw@example.com").await?,
        session_duration_minutes: Some(30),
        ..Default::default()
    };
    ctx.raw_compare::<AuthenticateResponse>(
        reqwest::Method::POST,
        "/v1/oauth/authenticate",
        &raw_req,
        "consumer::oauth::AuthenticateResponse",
    )
    .await?;

    let email = "rust-oauth@example.com";
    let token = oauth_token(ctx, "google", email).await?;
    let res = ctx
        .consumer
        .oauth
        .authenticate(AuthenticateRequest {
            token,
            session_duration_minutes: Some(30),
            ..Default::default()
        })
        .await?;
    ensure!(
        res.provider_type.eq_ignore_ascii_case("google"),
        "provider_type {}",
        res.provider_type
    );
    ensure!(
        res.user.emails.iter().any(|e| e.email == email),
        "emails {:?}",
        res.user.emails
    );
    ensure!(
        res.user
            .providers
            .iter()
            .any(|p| p.provider_subject == res.provider_subject),
        "providers {:?}",
        res.user.providers
    );
    ensure!(
        !res.provider_subject.is_empty() && !res.oauth_user_registration_id.is_empty(),
        "provider_subject {:?} registration {:?}",
        res.provider_subject,
        res.oauth_user_registration_id
    );
    let session = res
        .user_session
        .clone()
        .ok_or(Fail("no user_session".into()))?;
    ensure!(
        session.user_id == res.user_id,
        "session of {}",
        session.user_id
    );
    let factor = session
        .authentication_factors
        .first()
        .ok_or(Fail("no factor".into()))?;
    ensure!(
        matches!(factor.type_, T::OAuth) && matches!(factor.delivery_method, D::OAuthGoogle),
        "factor {:?} {:?}",
        factor.type_,
        factor.delivery_method
    );
    ensure!(
        factor
            .google_oauth_factor
            .as_ref()
            .is_some_and(|g| g.provider_subject == res.provider_subject),
        "google_oauth_factor {:?}",
        factor.google_oauth_factor
    );
    ensure!(
        !res.session_token.is_empty() && res.session_jwt.split('.').count() == 3,
        "tokens"
    );
    Ok(session.session_id)
}

async fn oauth_every_provider(ctx: &Ctx) -> R {
    use stytch::consumer::oauth::{AuthenticateRequest, AuthenticateResponse};
    let providers: Vec<String> = serde_json::from_str(&env("MOCK_OAUTH_PROVIDERS"))?;
    ensure!(providers.len() > 1, "providers {providers:?}");
    for id in &providers {
        let email = format!("rust-oauth-{id}@example.com");
        // Raw, so that the comparison sees this provider's factor; then the SDK, on a second login
        // (a token works once).
        let req = AuthenticateRequest {
            token: oauth_token(ctx, id, &email).await?,
            session_duration_minutes: Some(30),
            ..Default::default()
        };
        let raw = ctx
            .raw_compare::<AuthenticateResponse>(
                reqwest::Method::POST,
                "/v1/oauth/authenticate",
                &req,
                "consumer::oauth::AuthenticateResponse",
            )
            .await?;
        let factor = &raw["user_session"]["authentication_factors"][0];
        ensure!(
            factor["delivery_method"] == format!("oauth_{id}").as_str(),
            "{id}: delivery_method {}",
            factor["delivery_method"]
        );
        let req = AuthenticateRequest {
            token: oauth_token(ctx, id, &email).await?,
            session_duration_minutes: Some(30),
            ..Default::default()
        };
        let res = ctx
            .consumer
            .oauth
            .authenticate(req)
            .await
            .map_err(|e| Fail(format!("{id}: {e:?}")))?;
        ensure!(
            res.user.emails.iter().any(|e| e.email == email),
            "{id}: emails {:?}",
            res.user.emails
        );
        let session = res
            .user_session
            .ok_or(Fail(format!("{id}: no user_session")))?;
        ensure!(
            session.authentication_factors.len() == 1,
            "{id}: factors {:?}",
            session.authentication_factors
        );
    }
    Ok(format!("{} providers", providers.len()))
}

/// The sets the mock's seeds accept against the crate's two enums, then a session seeded with
/// all of them (consumer and B2B) authenticated through the SDK.
async fn factor_enums(ctx: &Ctx) -> R {
    use stytch::consumer::sessions::{AuthenticateRequest, AuthenticateResponse};
    let types: Vec<String> = serde_json::from_str(&env("MOCK_FACTOR_TYPES"))?;
    let methods: Vec<String> = serde_json::from_str(&env("MOCK_FACTOR_DELIVERY_METHODS"))?;
    let models = ctx.models.as_ref().map_err(|e| Fail(e.clone()))?;
    let mut notes = Vec::new();
    for (name, mock) in [
        ("AuthenticationFactorType", &types),
        ("AuthenticationFactorDeliveryMethod", &methods),
    ] {
        let Some(models::Item::Enum(declared)) =
            models.items.get(&format!("consumer::sessions::{name}"))
        else {
            return Err(Fail(format!("no enum {name} in the crate")));
        };
        let undeclared: Vec<_> = mock.iter().filter(|v| !declared.contains(v)).collect();
        ensure!(
            undeclared.is_empty(),
            "the mock accepts {undeclared:?}, which {name} does not declare"
        );
        let unaccepted: Vec<_> = declared.iter().filter(|v| !mock.contains(v)).collect();
        if !unaccepted.is_empty() {
            notes.push(format!("{name} also declares {unaccepted:?}"));
        }
    }
    let factors: Vec<Value> = methods
        .iter()
        .enumerate()
        .map(|(i, m)| json!({"type": types[i % types.len()], "delivery_method": m}))
        .collect();
    let seeded = ctx
        .control(
            reqwest::Method::POST,
            "/_mock/sessions",
            Some(json!({"email": "rust-factors@example.com", "authentication_factors": factors})),
        )
        .await?;
    let req = AuthenticateRequest {
        session_token: seeded["session_token"].as_str().map(String::from),
        ..Default::default()
    };
    let res = ctx.consumer.sessions.authenticate(req.clone()).await?;
    ensure!(
        res.session.authentication_factors.len() == methods.len(),
        "{} factors back",
        res.session.authentication_factors.len()
    );
    ctx.raw_compare::<AuthenticateResponse>(
        reqwest::Method::POST,
        "/v1/sessions/authenticate",
        &req,
        "consumer::sessions::AuthenticateResponse",
    )
    .await?;
    let member = ctx
        .control(
            reqwest::Method::POST,
            "/_mock/b2b/sessions",
            Some(json!({"organization_slug": "acme", "email_address": "grace@example.com", "authentication_factors": factors})),
        )
        .await?;
    let req = stytch::b2b::sessions::AuthenticateRequest {
        session_token: member["session_token"].as_str().map(String::from),
        ..Default::default()
    };
    let res = ctx.b2b.sessions.authenticate(req.clone()).await?;
    ensure!(
        res.member_session.authentication_factors.len() == methods.len(),
        "{} B2B factors back",
        res.member_session.authentication_factors.len()
    );
    ctx.raw_compare::<stytch::b2b::sessions::AuthenticateResponse>(
        reqwest::Method::POST,
        "/v1/b2b/sessions/authenticate",
        &req,
        "b2b::sessions::AuthenticateResponse",
    )
    .await?;
    Ok(format!(
        "{} types, {} delivery methods{}",
        types.len(),
        methods.len(),
        if notes.is_empty() {
            String::new()
        } else {
            format!("; {}", notes.join("; "))
        }
    ))
}

// ---------------------------------------------------------------- impersonation, project, external sessions

/// A token minted where the Stytch dashboard would: /_mock/impersonation.
async fn mint_impersonation(ctx: &Ctx, body: Value) -> R {
    let minted = ctx
        .control(reqwest::Method::POST, "/_mock/impersonation", Some(body))
        .await?;
    let token = minted["impersonation_token"]
        .as_str()
        .ok_or(Fail(format!("no impersonation_token in {minted}")))?;
    ensure!(
        minted["expires_at"].as_str().is_some_and(|e| !e.is_empty())
            && minted["url"].as_str().is_some_and(|u| u.contains(token)),
        "minted {minted}"
    );
    Ok(token.to_string())
}

/// The factor an impersonation gives: impersonated / impersonation, naming ops@example.com.
fn check_impersonated(factor: &stytch::consumer::sessions::AuthenticationFactor) -> R<()> {
    use stytch::consumer::sessions::{
        AuthenticationFactorDeliveryMethod as D, AuthenticationFactorType as T,
    };
    ensure!(
        matches!(factor.type_, T::Impersonated)
            && matches!(factor.delivery_method, D::Impersonation),
        "factor {:?} {:?}",
        factor.type_,
        factor.delivery_method
    );
    ensure!(
        factor
            .impersonated_factor
            .as_ref()
            .is_some_and(|f| f.impersonator_email_address == "ops@example.com"),
        "impersonated_factor {:?}",
        factor.impersonated_factor
    );
    Ok(())
}

fn minutes(started: chrono::DateTime<chrono::Utc>, expires: chrono::DateTime<chrono::Utc>) -> i64 {
    ((expires - started).num_seconds() as f64 / 60.0).round() as i64
}

async fn impersonation_consumer(ctx: &Ctx) -> R {
    use stytch::consumer::impersonation::{AuthenticateRequest, AuthenticateResponse};
    let mint = json!({"user_id": ADA_USER_ID, "impersonator_email_address": "ops@example.com"});
    let raw_req = AuthenticateRequest {
        impersonation_token: mint_impersonation(ctx, mint.clone()).await?,
    };
    ctx.raw_compare::<AuthenticateResponse>(
        reqwest::Method::POST,
        "/v1/impersonation/authenticate",
        &raw_req,
        "consumer::impersonation::AuthenticateResponse",
    )
    .await?;
    ctx.raw_error(
        reqwest::Method::POST,
        "/v1/impersonation/authenticate",
        &raw_req,
        404,
    )
    .await?;

    let req = AuthenticateRequest {
        impersonation_token: mint_impersonation(ctx, mint).await?,
    };
    let res = ctx.consumer.impersonation.authenticate(req.clone()).await?;
    ensure!(
        res.user_id == ADA_USER_ID && res.user.user_id == ADA_USER_ID,
        "user {}",
        res.user_id
    );
    let session = res.session.clone().ok_or(Fail("no session".into()))?;
    ensure!(
        session.user_id == ADA_USER_ID,
        "session of {}",
        session.user_id
    );
    ensure!(
        session.authentication_factors.len() == 1,
        "factors {:?}",
        session.authentication_factors
    );
    check_impersonated(&session.authentication_factors[0])?;
    let (started, expires) = session
        .started_at
        .zip(session.expires_at)
        .ok_or(Fail("no started_at or expires_at".into()))?;
    ensure!(
        minutes(started, expires) == 60,
        "the session lasts {} minutes, not 60",
        minutes(started, expires)
    );
    ensure!(
        !res.session_token.is_empty() && res.session_jwt.split('.').count() == 3,
        "tokens"
    );
    let err = stytch_error(ctx.consumer.impersonation.authenticate(req).await)?;
    ensure!(
        err.error_type == "impersonation_token_not_found" && err.status_code.as_u16() == 404,
        "a used token: {} {}",
        err.error_type,
        err.status_code
    );
    Ok(session.session_id)
}

async fn impersonation_b2b(ctx: &Ctx) -> R {
    use stytch::b2b::impersonation::{AuthenticateRequest, AuthenticateResponse};
    let mint = json!({"organization_id": ACME_ID, "member_id": ACME_MEMBER_ID,
                      "impersonator_email_address": "ops@example.com"});
    let raw_req = AuthenticateRequest {
        impersonation_token: mint_impersonation(ctx, mint.clone()).await?,
    };
    ctx.raw_compare::<AuthenticateResponse>(
        reqwest::Method::POST,
        "/v1/b2b/impersonation/authenticate",
        &raw_req,
        "b2b::impersonation::AuthenticateResponse",
    )
    .await?;
    let req = AuthenticateRequest {
        impersonation_token: mint_impersonation(ctx, mint).await?,
    };
    let res = ctx.b2b.impersonation.authenticate(req.clone()).await?;
    ensure!(
        res.member_id == ACME_MEMBER_ID && res.member.member_id == ACME_MEMBER_ID,
        "member {}",
        res.member_id
    );
    ensure!(
        res.organization_id == ACME_ID && res.organization.organization_slug == "acme",
        "organization {}",
        res.organization_id
    );
    ensure!(res.member_authenticated, "not member_authenticated");
    let ms = res
        .member_session
        .clone()
        .ok_or(Fail("no member_session".into()))?;
    ensure!(
        ms.member_id == ACME_MEMBER_ID,
        "session of {}",
        ms.member_id
    );
    ensure!(
        ms.authentication_factors.len() == 1,
        "factors {:?}",
        ms.authentication_factors
    );
    check_impersonated(&ms.authentication_factors[0])?;
    ensure!(
        minutes(ms.started_at, ms.expires_at) == 60,
        "the session lasts {} minutes, not 60",
        minutes(ms.started_at, ms.expires_at)
    );
    let err = stytch_error(ctx.b2b.impersonation.authenticate(req).await)?;
    ensure!(
        err.error_type == "impersonation_token_not_found",
        "a used token: {}",
        err.error_type
    );
    Ok(ms.member_session_id)
}

async fn project_metrics_whoami(ctx: &Ctx) -> R {
    use stytch::consumer::debug::{WhoamiRequest, WhoamiResponse};
    use stytch::consumer::project::{
        MetricsRequest, MetricsResponse, ProjectMetricMetricType as M,
    };
    let res = ctx.consumer.project.metrics(MetricsRequest {}).await?;
    ensure!(
        res.project_id == ctx.project_id,
        "project_id {}",
        res.project_id
    );
    let mut seen = Vec::new();
    for m in &res.metrics {
        let name = match m.metric_type {
            M::USERCOUNT => "USER_COUNT",
            M::ORGANIZATIONCOUNT => "ORGANIZATION_COUNT",
            M::MEMBERCOUNT => "MEMBER_COUNT",
            M::M2MCLIENTCOUNT => "M2M_CLIENT_COUNT",
            M::UNKNOWN => "UNKNOWN",
        };
        ensure!(m.count >= 1, "{name}: count {}", m.count);
        seen.push(format!("{name}={}", m.count));
    }
    let mut names: Vec<_> = seen
        .iter()
        .map(|s| s.split('=').next().unwrap_or_default())
        .collect();
    names.sort();
    ensure!(
        names
            == [
                "M2M_CLIENT_COUNT",
                "MEMBER_COUNT",
                "ORGANIZATION_COUNT",
                "USER_COUNT"
            ],
        "metrics {seen:?}"
    );
    ctx.raw_compare::<MetricsResponse>(
        reqwest::Method::GET,
        "/v1/projects/metrics?",
        &json!({}),
        "consumer::project::MetricsResponse",
    )
    .await?;
    let who = ctx.consumer.debug.whoami(WhoamiRequest {}).await?;
    ensure!(
        who.project_id == ctx.project_id && who.name == "stytch-mock",
        "whoami {} {}",
        who.project_id,
        who.name
    );
    let b2b_who = ctx.b2b.debug.whoami(WhoamiRequest {}).await?;
    ensure!(
        b2b_who.project_id == ctx.project_id,
        "B2B whoami {}",
        b2b_who.project_id
    );
    ctx.raw_compare::<WhoamiResponse>(
        reqwest::Method::GET,
        "/v1/debug/whoami?",
        &json!({}),
        "consumer::debug::WhoamiResponse",
    )
    .await?;
    Ok(seen.join(", "))
}

/// A JWT of the Trusted Auth Token profile: RS256 with the key the test generated (PKCS#1 DER in
/// hex, as jsonwebtoken's from_rsa_der takes it).
fn trusted_jwt(issuer: &str, email: &str, jti: &str) -> R {
    use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
    let hex = env("TRUSTED_PRIVATE_KEY_PKCS1_HEX");
    let der = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()?;
    let now = chrono::Utc::now().timestamp();
    let claims = json!({
        "iss": issuer, "aud": env("TRUSTED_AUDIENCE"), "sub": "idp-user-1",
        "email": email, "jti": jti, "iat": now, "exp": now + 300,
    });
    Ok(encode(
        &Header::new(Algorithm::RS256),
        &claims,
        &EncodingKey::from_rsa_der(&der),
    )?)
}

async fn sessions_attest(ctx: &Ctx) -> R {
    use stytch::consumer::sessions::{
        AttestRequest, AttestResponse, AuthenticationFactorType as T,
    };
    let profile = env("TRUSTED_PROFILE_ID");
    let issuer = env("TRUSTED_ISSUER");
    let stamp = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
    let attest = |token: String| AttestRequest {
        profile_id: profile.clone(),
        token,
        session_duration_minutes: Some(30),
        ..Default::default()
    };
    let raw_req = attest(trusted_jwt(
        &issuer,
        "rust-attest-raw@example.com",
        &format!("tat-raw-{stamp}"),
    )?);
    ctx.raw_compare::<AttestResponse>(
        reqwest::Method::POST,
        "/v1/sessions/attest",
        &raw_req,
        "consumer::sessions::AttestResponse",
    )
    .await?;

    let email = "rust-attest@example.com";
    let jti = format!("tat-{stamp}");
    let res = ctx
        .consumer
        .sessions
        .attest(attest(trusted_jwt(&issuer, email, &jti)?))
        .await?;
    ensure!(
        res.user.emails.iter().any(|e| e.email == email),
        "emails {:?}",
        res.user.emails
    );
    let session = res.session.clone().ok_or(Fail("no session".into()))?;
    ensure!(
        session.user_id == res.user_id,
        "session of {}",
        session.user_id
    );
    let factor = session
        .authentication_factors
        .first()
        .ok_or(Fail("no factor".into()))?;
    ensure!(
        matches!(factor.type_, T::TrustedAuthToken),
        "factor type {:?}",
        factor.type_
    );
    ensure!(
        factor
            .trusted_auth_token_factor
            .as_ref()
            .is_some_and(|f| f.token_id == jti),
        "trusted_auth_token_factor {:?} (jti {jti})",
        factor.trusted_auth_token_factor
    );
    let (started, expires) = session
        .started_at
        .zip(session.expires_at)
        .ok_or(Fail("no started_at or expires_at".into()))?;
    ensure!(
        minutes(started, expires) == 30,
        "the session lasts {} minutes",
        minutes(started, expires)
    );
    let wrong = attest(trusted_jwt("https://someone-else.example", email, &jti)?);
    let err = stytch_error(ctx.consumer.sessions.attest(wrong.clone()).await)?;
    ensure!(
        err.error_type == "invalid_trusted_auth_token",
        "a token of another issuer: {}",
        err.error_type
    );
    ctx.raw_error(
        reqwest::Method::POST,
        "/v1/sessions/attest",
        &wrong,
        err.status_code.as_u16(),
    )
    .await?;
    Ok(session.session_id)
}

async fn sessions_migrate(ctx: &Ctx) -> R {
    use stytch::consumer::sessions::{
        AuthenticateRequest, AuthenticationFactorType as T, MigrateRequest, MigrateResponse,
    };
    let email = env("MIGRATED_EMAIL");
    // Stytch migrates into users that exist ("create the user before using this endpoint").
    ctx.control(
        reqwest::Method::POST,
        "/_mock/users",
        Some(json!({ "email": email })),
    )
    .await?;
    let req = MigrateRequest {
        session_token: "old-token".into(),
        session_duration_minutes: Some(30),
        ..Default::default()
    };
    let res = ctx.consumer.sessions.migrate(req.clone()).await?;
    ensure!(
        res.user.emails.iter().any(|e| e.email == email),
        "emails {:?}",
        res.user.emails
    );
    let session = res.session.clone().ok_or(Fail("no session".into()))?;
    ensure!(
        session.user_id == res.user_id,
        "session of {}",
        session.user_id
    );
    let factor = session
        .authentication_factors
        .first()
        .ok_or(Fail("no factor".into()))?;
    ensure!(
        matches!(factor.type_, T::Imported),
        "factor type {:?}",
        factor.type_
    );
    let again = ctx
        .consumer
        .sessions
        .authenticate(AuthenticateRequest {
            session_token: Some(res.session_token.clone()),
            ..Default::default()
        })
        .await?;
    ensure!(
        again.user.user_id == res.user_id,
        "the migrated session does not authenticate"
    );
    ctx.raw_compare::<MigrateResponse>(
        reqwest::Method::POST,
        "/v1/sessions/migrate",
        &req,
        "consumer::sessions::MigrateResponse",
    )
    .await?;
    let refused = MigrateRequest {
        session_token: "not-the-token".into(),
        session_duration_minutes: Some(30),
        ..Default::default()
    };
    let err = stytch_error(ctx.consumer.sessions.migrate(refused.clone()).await)?;
    ctx.raw_error(
        reqwest::Method::POST,
        "/v1/sessions/migrate",
        &refused,
        err.status_code.as_u16(),
    )
    .await?;
    Ok(format!(
        "{} ({:?}); a refused token: {} {}",
        res.user_id, factor.delivery_method, err.status_code, err.error_type
    ))
}

// ---------------------------------------------------------------- the model comparison

/// The comparison itself, on a copy of a real response with one planted defect of each kind: it
/// must report each, and nothing else (so that "no findings" means something).
fn planted_defects(ctx: &Ctx, models: &Models) -> R<()> {
    use stytch::consumer::sessions::AuthenticateResponse;
    let model = "consumer::sessions::AuthenticateResponse";
    let sample = ctx
        .samples
        .borrow()
        .get(model)
        .cloned()
        .ok_or(Fail(format!("no {model} was compared")))?;
    ensure!(
        models.compare(model, &sample).missing.is_empty(),
        "the sample itself has findings"
    );
    let mut bad = sample.clone();
    bad["session"]
        .as_object_mut()
        .ok_or(Fail("no session".into()))?
        .remove("session_id");
    bad["status_code"] = Value::Null;
    bad["session"]["authentication_factors"][0]["delivery_method"] = json!("carrier_pigeon");
    bad["user"]["is_locked"] = json!("no");
    bad["user"]["planted_extra"] = json!(1);
    let found = models.compare(model, &bad);
    let paths = |set: &std::collections::BTreeSet<String>| {
        set.iter()
            .map(|f| {
                f.split(':')
                    .next()
                    .unwrap_or_default()
                    .split(' ')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect::<Vec<_>>()
    };
    ensure!(
        paths(&found.missing) == ["session.session_id", "status_code"],
        "planted missing fields, found {:?}",
        found.missing
    );
    ensure!(
        paths(&found.enums) == ["session.authentication_factors[].delivery_method"],
        "planted enum value, found {:?}",
        found.enums
    );
    ensure!(
        paths(&found.types) == ["user.is_locked"],
        "planted wrong type, found {:?}",
        found.types
    );
    ensure!(
        found
            .extras
            .iter()
            .filter(|e| e.starts_with("user.planted_extra "))
            .count()
            == 1,
        "planted extra field, found {:?}",
        found.extras
    );
    ensure!(
        serde_json::from_value::<AuthenticateResponse>(bad).is_err(),
        "serde accepted the planted defects"
    );
    Ok(())
}

fn model_check(ctx: &Ctx) -> R {
    let models = ctx
        .models
        .as_ref()
        .map_err(|e| Fail(format!("could not read the crate's models: {e}")))?;
    planted_defects(ctx, models).map_err(|Fail(e)| {
        Fail(format!(
            "the comparison's self-test (planted defects) failed: {e}"
        ))
    })?;
    let compared = ctx.compared.borrow();
    ensure!(!compared.is_empty(), "no response was compared");
    let mut lines = Vec::new();
    let mut section = |title: &str, items: Vec<String>| {
        if !items.is_empty() {
            lines.push(format!("{title} ({}):", items.len()));
            lines.extend(items.into_iter().map(|i| format!("  {i}")));
        }
    };
    section(
        "(a) required fields the mock's JSON lacks or sends as null",
        models::report(&compared, |f| &f.missing),
    );
    section(
        "(b) enum values the crate's enums do not declare",
        models::report(&compared, |f| &f.enums),
    );
    section(
        "values of the wrong JSON type",
        models::report(&compared, |f| &f.types),
    );
    section(
        "serde_json::from_value::<the crate's type> on the raw JSON",
        ctx.serde_errors
            .borrow()
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect(),
    );
    let fatal = compared.values().any(Findings::fatal) || !ctx.serde_errors.borrow().is_empty();
    ensure!(
        !fatal,
        "the mock's responses do not fit the crate's models:\n{}",
        lines.join("\n")
    );
    Ok(format!(
        "{} responses against {} models of the crate",
        compared.len(),
        models.items.len()
    ))
}

fn extras_check(ctx: &Ctx) -> R {
    ctx.models
        .as_ref()
        .map_err(|e| Fail(format!("could not read the crate's models: {e}")))?;
    let compared = ctx.compared.borrow();
    let extras = models::report(&compared, |f| &f.extras);
    if extras.is_empty() {
        return Ok("none".into());
    }
    Ok(format!(
        "(c) fields the mock sends that the crate's models do not know ({}):\n  {}",
        extras.len(),
        extras.join("\n  ")
    ))
}

fn crate_src() -> Result<std::path::PathBuf, String> {
    if let Ok(dir) = std::env::var("STYTCH_CRATE_SRC") {
        return Ok(dir.into());
    }
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let out = std::process::Command::new("cargo")
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--manifest-path",
            manifest,
        ])
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    let meta: Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let pkg = meta["packages"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "stytch"))
        .ok_or("no stytch in cargo metadata")?;
    let path = std::path::PathBuf::from(pkg["manifest_path"].as_str().unwrap_or_default());
    Ok(path.parent().ok_or("no crate folder")?.to_path_buf())
}

// ---------------------------------------------------------------- SSO and SCIM

/// A queued identity-provider answer, then the browser's /v1/public/sso/start: the sso token the
/// app's redirect URL receives.
async fn sso_token(ctx: &Ctx, connection_id: &str, email: &str) -> R {
    ctx.control(
        reqwest::Method::POST,
        "/_mock/sso/answers",
        Some(json!({"connection_id": connection_id, "email": email,
                    "first_name": "Rusty", "last_name": "Crab", "groups": ["engineers"]})),
    )
    .await?;
    let start = reqwest::Url::parse_with_params(
        &format!("{}/v1/public/sso/start", ctx.https_url),
        &[
            ("public_token", env("STYTCH_B2B_PUBLIC_TOKEN").as_str()),
            ("connection_id", connection_id),
        ],
    )?;
    redirected_token(ctx, start, "sso").await
}

async fn sso_connections_and_login(ctx: &Ctx) -> R {
    use stytch::b2b::{sso, sso_external, sso_oidc, sso_saml};
    let saml = ctx
        .b2b
        .sso
        .saml
        .create_connection(sso_saml::CreateConnectionRequest {
            organization_id: ACME_ID.into(),
            display_name: Some("Rust SAML".into()),
            identity_provider: None,
        })
        .await?
        .connection
        .ok_or(Fail("no SAML connection".into()))?;
    ensure!(
        saml.status == "pending",
        "a new SAML connection is {}",
        saml.status
    );
    let id = saml.connection_id.clone();
    ctx.b2b
        .sso
        .saml
        .update_by_url(sso_saml::UpdateByURLRequest {
            organization_id: ACME_ID.into(),
            connection_id: id.clone(),
            metadata_url: format!("{}/v1/public/sso/idp/{id}/metadata", ctx.http_url),
        })
        .await?;
    let update = sso_saml::UpdateConnectionRequest {
        organization_id: ACME_ID.into(),
        connection_id: id.clone(),
        attribute_mapping: Some(json!({"email": "NameID", "first_name": "firstName",
                                       "last_name": "lastName", "groups": "groups"})),
        ..Default::default()
    };
    let active = ctx
        .b2b
        .sso
        .saml
        .update_connection(update.clone())
        .await?
        .connection
        .ok_or(Fail("no SAML connection".into()))?;
    ensure!(
        active.status == "active" && !active.verification_certificates.is_empty(),
        "after updateByURL and the mapping: {} with {} certificates",
        active.status,
        active.verification_certificates.len()
    );
    ctx.raw_compare::<sso_saml::UpdateConnectionResponse>(
        reqwest::Method::PUT,
        &format!("/v1/b2b/sso/saml/{ACME_ID}/connections/{id}"),
        &update,
        "b2b::sso_saml::UpdateConnectionResponse",
    )
    .await?;
    ctx.b2b
        .sso
        .oidc
        .create_connection(sso_oidc::CreateConnectionRequest {
            organization_id: ACME_ID.into(),
            display_name: Some("Rust OIDC".into()),
            identity_provider: None,
        })
        .await?;
    ctx.b2b
        .sso
        .external
        .create_connection(sso_external::CreateConnectionRequest {
            organization_id: GLOBEX_ID.into(),
            external_organization_id: ACME_ID.into(),
            external_connection_id: id.clone(),
            display_name: Some("Acme's SAML".into()),
            connection_implicit_role_assignments: None,
            group_implicit_role_assignments: None,
        })
        .await?;
    let listed = ctx
        .b2b
        .sso
        .get_connections(sso::GetConnectionsRequest {
            organization_id: ACME_ID.into(),
        })
        .await?;
    ensure!(
        listed.saml_connections.len() == 1 && listed.oidc_connections.len() == 1,
        "acme lists {} SAML and {} OIDC connections",
        listed.saml_connections.len(),
        listed.oidc_connections.len()
    );
    for org in [ACME_ID, GLOBEX_ID] {
        ctx.raw_compare::<sso::GetConnectionsResponse>(
            reqwest::Method::GET,
            &format!("/v1/b2b/sso/{org}"),
            &json!({}),
            "b2b::sso::GetConnectionsResponse",
        )
        .await?;
    }

    let res = ctx
        .b2b
        .sso
        .authenticate(sso::AuthenticateRequest {
            sso_token: sso_token(ctx, &id, "rusty@acme.example").await?,
            session_duration_minutes: Some(60),
            ..Default::default()
        })
        .await?;
    ensure!(
        res.member.email_address == "rusty@acme.example"
            && res.member.sso_registrations.iter().any(|r| r.connection_id == id),
        "member {} with registrations {:?}",
        res.member.email_address,
        res.member.sso_registrations
    );
    ensure!(
        !res.session_token.is_empty() && res.member_session.is_some(),
        "no member session"
    );
    let again = sso::AuthenticateRequest {
        sso_token: sso_token(ctx, &id, "rusty@acme.example").await?,
        ..Default::default()
    };
    ctx.raw_compare::<sso::AuthenticateResponse>(
        reqwest::Method::POST,
        "/v1/b2b/sso/authenticate",
        &again,
        "b2b::sso::AuthenticateResponse",
    )
    .await?;
    let used = stytch_error(ctx.b2b.sso.authenticate(again).await)?;
    Ok(format!("{id}; a used token: {}", used.error_type))
}

async fn scim_connection(ctx: &Ctx) -> R {
    use stytch::b2b::organizations_members::GetRequest as MemberGetRequest;
    use stytch::b2b::scim_connection as scim;
    let created = ctx
        .b2b
        .scim
        .connection
        .create(scim::CreateRequest {
            organization_id: GLOBEX_ID.into(),
            display_name: Some("Rust SCIM".into()),
            identity_provider: None,
        })
        .await?
        .connection
        .ok_or(Fail("no SCIM connection".into()))?;
    ensure!(
        created.bearer_token.len() == 48,
        "bearer token of {} characters",
        created.bearer_token.len()
    );
    let user = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                      "userName": "scim-rust@globex.example", "active": true,
                      "name": {"givenName": "Scim", "familyName": "Rust"}});
    let pushed = ctx
        .web
        .post(format!("{}/Users", created.base_url))
        .bearer_auth(&created.bearer_token)
        .header("content-type", "application/scim+json")
        .body(user.to_string())
        .send()
        .await?;
    ensure!(
        pushed.status() == 201,
        "SCIM POST /Users: {}",
        pushed.status()
    );
    let got = ctx
        .b2b
        .scim
        .connection
        .get(scim::GetRequest {
            organization_id: GLOBEX_ID.into(),
        })
        .await?;
    ensure!(
        got.connection.as_ref().map(|c| c.connection_id.as_str())
            == Some(created.connection_id.as_str()),
        "scim.connection.get: {:?}",
        got.connection
    );
    ctx.raw_compare::<scim::GetResponse>(
        reqwest::Method::GET,
        &format!("/v1/b2b/scim/{GLOBEX_ID}/connection"),
        &json!({}),
        "b2b::scim_connection::GetResponse",
    )
    .await?;
    let groups = ctx
        .b2b
        .scim
        .connection
        .get_groups(scim::GetGroupsRequest {
            organization_id: GLOBEX_ID.into(),
            connection_id: created.connection_id.clone(),
            cursor: None,
            limit: None,
        })
        .await?;
    let member = ctx
        .b2b
        .organizations
        .members
        .get(MemberGetRequest {
            organization_id: GLOBEX_ID.into(),
            email_address: Some("scim-rust@globex.example".into()),
            ..Default::default()
        })
        .await?;
    let registration = member
        .member
        .scim_registration
        .ok_or(Fail("the pushed member has no scim_registration".into()))?;
    ensure!(
        registration.connection_id == created.connection_id,
        "scim_registration {:?}",
        registration
    );
    ctx.raw_compare::<stytch::b2b::organizations_members::GetResponse>(
        reqwest::Method::GET,
        &format!("/v1/b2b/organizations/{GLOBEX_ID}/member?organization_id={GLOBEX_ID}&email_address=scim-rust%40globex.example"),
        &json!({}),
        "b2b::organizations_members::GetResponse",
    )
    .await?;
    Ok(format!(
        "{}; {} groups",
        created.connection_id,
        groups.scim_groups.len()
    ))
}

// ---------------------------------------------------------------- Connected Apps
//
// The crate (11.1.0) has connected_app.clients (and .secrets), idp.oauth (authorize_start,
// authorize; consumer and B2B), users.connected_apps and users.revoke, organizations.connected_apps
// and get_connected_app, organizations.members.get_connected_apps and .connected_apps.revoke, and
// sessions.exchange_access_token; it has no token endpoint call for Connected Apps and no
// introspection (idp.introspect_token_network), so the token endpoint is called with reqwest.

const APP_CALLBACK: &str = "https://app.example.com/oauth/callback";
const APP_LOGOUT: &str = "https://app.example.com/signed-out";
const FIRST_PARTY_APP_ID: &str = "connected-app-test-6f1c2d3e-4b5a-4c69-8d7e-0a1b2c3d4e01";
const FIRST_PARTY_APP_SECRET: &str = "stytch-mock-fixture-connected-app-secret-first-party-000001";
const FIRST_PARTY_APP_CALLBACK: &str = "http://localhost:3000/callback";

/// The client the Connected Apps checks share: made by the first, deleted by the last.
struct TestApp {
    client_id: String,
    /// The secret after the rotation.
    client_secret: String,
    /// The secret before it, which the rotation retired.
    old_secret: String,
}

/// A form POST to the project domain's token endpoint (RFC 6749 §4.1.3, §6), as an OAuth client
/// sends it: the status and the JSON answer, which must not be cached. An error answer is
/// compared with the crate's ErrorResponse (OAuth's error, error_description and error_uri are
/// its aliases).
async fn token_endpoint(ctx: &Ctx, form: &[(&str, &str)]) -> R<(u16, Value)> {
    let mut encoded = reqwest::Url::parse("https://form.invalid/")?;
    encoded.query_pairs_mut().extend_pairs(form);
    let res = ctx
        .web
        .post(format!("{}/v1/oauth2/token", ctx.https_url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encoded.query().unwrap_or_default().to_string())
        .send()
        .await?;
    let status = res.status().as_u16();
    let cache = res
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let text = res.text().await?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| Fail(format!("/v1/oauth2/token: not JSON ({e}): {text}")))?;
    ensure!(
        cache == "no-store",
        "/v1/oauth2/token answered with cache-control {cache:?}"
    );
    if status != 200 {
        let label = format!("POST /v1/oauth2/token ({status})");
        ctx.compare::<stytch::ErrorResponse>(&label, "ErrorResponse", &value);
    }
    Ok((status, value))
}

/// The authorization_code grant with the client's credentials in the form.
async fn code_grant(
    ctx: &Ctx,
    client: (&str, &str),
    redirect_uri: &str,
    code: &str,
) -> R<(u16, Value)> {
    token_endpoint(
        ctx,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("client_id", client.0),
            ("client_secret", client.1),
        ],
    )
    .await
}

/// The refresh_token grant with the client's credentials in the form.
async fn refresh_grant(ctx: &Ctx, client: (&str, &str), refresh_token: &str) -> R<(u16, Value)> {
    token_endpoint(
        ctx,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", client.0),
            ("client_secret", client.1),
        ],
    )
    .await
}

/// A code traded for tokens: the answer's fields checked (RFC 6749 §5.1) and the access token
/// verified against the project's JWKS (its issuer: the domain the token endpoint was called
/// on; its audience: the project). The answer and the access token's claims.
async fn trade_code(
    ctx: &Ctx,
    client: (&str, &str),
    redirect_uri: &str,
    code: &str,
    keys: &[stytch::consumer::sessions::JWK],
) -> R<(Value, Value)> {
    let (status, body) = code_grant(ctx, client, redirect_uri, code).await?;
    ensure!(
        status == 200,
        "the code at /v1/oauth2/token: {status} {body}"
    );
    ensure!(
        body["token_type"]
            .as_str()
            .is_some_and(|t| t.eq_ignore_ascii_case("bearer"))
            && body["expires_in"].as_i64().is_some_and(|e| e > 0)
            && body["scope"].is_string(),
        "token answer {body}"
    );
    let access = body["access_token"].as_str().unwrap_or_default();
    let claims = verify_signed(access, keys, &ctx.project_id, &ctx.https_url)?;
    ensure!(
        claims["client_id"] == client.0 && claims["scope"] == body["scope"],
        "access token claims {claims}"
    );
    Ok((body, claims))
}

/// The query parameter `name` of the redirect URL an authorize answered.
fn redirect_param(redirect: &str, name: &str) -> R {
    let url = reqwest::Url::parse(redirect)?;
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .ok_or(Fail(format!("no {name} in {redirect}")))
}

/// A call made a second time raw whose answer may be a success or a Stytch error (a revoke of
/// what is no longer granted): compared with `model` or with ErrorResponse. The status.
async fn raw_either<T: DeserializeOwned>(
    ctx: &Ctx,
    path: &str,
    body: &impl Serialize,
    model: &str,
) -> R<u16> {
    let post = reqwest::Method::POST;
    let (status, value) = ctx.raw(post.clone(), path, body).await?;
    if status == 200 {
        ctx.compare::<T>(&ctx.call_label(&post, path, None), model, &value);
    } else {
        let label = ctx.call_label(&post, path, Some(status));
        ctx.compare::<stytch::ErrorResponse>(&label, "ErrorResponse", &value);
    }
    Ok(status)
}

async fn project_jwks(ctx: &Ctx) -> R<Vec<stytch::consumer::sessions::JWK>> {
    Ok(ctx
        .consumer
        .sessions
        .get_jwks(stytch::consumer::sessions::GetJWKSRequest {
            project_id: ctx.project_id.clone(),
        })
        .await?
        .keys)
}

/// clients.create (third-party, confidential), get, search page by page, update; secrets
/// rotate_start, rotate_cancel, rotate_start, rotate. Every answer is compared raw: the calls that
/// change state on a second client (the twin), which the raw calls also delete.
async fn connected_app_clients(ctx: &Ctx) -> R<TestApp> {
    use stytch::consumer::connected_apps_clients as clients;
    use stytch::consumer::connected_apps_clients_secrets as secrets;
    let apps = &ctx.consumer.connected_app.clients;
    let create = clients::CreateRequest {
        client_type: clients::CreateRequestClientType::ThirdParty,
        client_name: Some("Rust partner".into()),
        client_description: Some("A third-party confidential client the Rust SDK made".into()),
        redirect_urls: Some(vec![APP_CALLBACK.into()]),
        post_logout_redirect_urls: Some(vec![APP_LOGOUT.into()]),
        ..Default::default()
    };
    let made = apps.create(create.clone()).await?;
    ensure!(made.status_code == 200, "status_code {}", made.status_code);
    let made = made.connected_app;
    let secret = made.client_secret.clone().ok_or(Fail(
        "a confidential client created without a client_secret".into(),
    ))?;
    ensure!(
        made.client_type == "third_party"
            && made.status == "active"
            && made.redirect_urls == [APP_CALLBACK]
            && made.post_logout_redirect_urls == [APP_LOGOUT]
            && !made.full_access_allowed
            && secret.len() > 4
            && made.client_secret_last_four.as_deref() == Some(&secret[secret.len() - 4..])
            && made.next_client_secret_last_four.is_none(),
        "created {made:?}"
    );
    let id = made.client_id.clone();
    let twin = ctx
        .raw_compare::<clients::CreateResponse>(
            reqwest::Method::POST,
            "/v1/connected_apps/clients",
            &create,
            "consumer::connected_apps_clients::CreateResponse",
        )
        .await?;
    let twin_id = twin["connected_app"]["client_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    ensure!(
        !twin_id.is_empty() && twin_id != id,
        "the raw create: {twin}"
    );

    let got = apps
        .get(clients::GetRequest {
            client_id: id.clone(),
        })
        .await?
        .connected_app;
    ensure!(
        got.client_id == id
            && got.client_name == "Rust partner"
            && got.client_secret_last_four == made.client_secret_last_four
            && got.creation_method == "api",
        "get {got:?}"
    );
    ctx.raw_compare::<clients::GetResponse>(
        reqwest::Method::GET,
        &format!("/v1/connected_apps/clients/{id}?client_id={id}"),
        &json!({}),
        "consumer::connected_apps_clients::GetResponse",
    )
    .await?;

    // A page of one at a time until next_cursor is null: both new clients and the fixtures'.
    let mut found = Vec::new();
    let mut cursor = None;
    for _ in 0..50 {
        let req = clients::SearchRequest {
            cursor: cursor.clone(),
            limit: Some(1),
        };
        let page = apps.search(req.clone()).await?;
        ensure!(
            page.connected_apps.len() == 1,
            "limit 1 answered {} clients",
            page.connected_apps.len()
        );
        found.extend(page.connected_apps.iter().map(|c| c.client_id.clone()));
        ctx.raw_compare::<clients::SearchResponse>(
            reqwest::Method::POST,
            "/v1/connected_apps/clients/search",
            &req,
            "consumer::connected_apps_clients::SearchResponse",
        )
        .await?;
        cursor = page.results_metadata.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    ensure!(
        cursor.is_none(),
        "search: still a next_cursor after 50 pages"
    );
    ensure!(
        found.contains(&id)
            && found.contains(&twin_id)
            && found.iter().any(|c| c == FIRST_PARTY_APP_ID),
        "search found {found:?}"
    );

    let update = clients::UpdateRequest {
        client_id: id.clone(),
        client_name: Some("Rust partner, renamed".into()),
        access_token_expiry_minutes: Some(30),
        ..Default::default()
    };
    let updated = apps.update(update.clone()).await?.connected_app;
    ensure!(
        updated.client_name == "Rust partner, renamed"
            && updated.access_token_expiry_minutes == 30
            && updated.client_description == made.client_description
            && updated.redirect_urls == [APP_CALLBACK],
        "update {updated:?}"
    );
    ctx.raw_compare::<clients::UpdateResponse>(
        reqwest::Method::PUT,
        &format!("/v1/connected_apps/clients/{id}"),
        &update,
        "consumer::connected_apps_clients::UpdateResponse",
    )
    .await?;

    let s = &apps.secrets;
    let started = s
        .rotate_start(secrets::RotateStartRequest {
            client_id: id.clone(),
        })
        .await?
        .connected_app;
    let next = started.next_client_secret.clone();
    ensure!(
        next.len() > 4
            && next != secret
            && started.next_client_secret_last_four.as_deref() == Some(&next[next.len() - 4..])
            && Some(started.client_secret_last_four.as_str())
                == made.client_secret_last_four.as_deref(),
        "rotate_start {started:?}"
    );
    let cancelled = s
        .rotate_cancel(secrets::RotateCancelRequest {
            client_id: id.clone(),
        })
        .await?
        .connected_app;
    ensure!(
        cancelled.next_client_secret_last_four.is_none()
            && cancelled.client_secret_last_four == made.client_secret_last_four,
        "rotate_cancel {cancelled:?}"
    );
    let nothing = stytch_error(
        s.rotate(secrets::RotateRequest {
            client_id: id.clone(),
        })
        .await,
    )?;
    ensure!(
        nothing.error_type == "connected_app_secret_rotation_not_started",
        "rotate with none started: {}",
        nothing.error_type
    );
    let next = s
        .rotate_start(secrets::RotateStartRequest {
            client_id: id.clone(),
        })
        .await?
        .connected_app
        .next_client_secret;
    let rotated = s
        .rotate(secrets::RotateRequest {
            client_id: id.clone(),
        })
        .await?
        .connected_app;
    ensure!(
        next.len() > 4
            && rotated.client_secret_last_four.as_deref() == Some(&next[next.len() - 4..])
            && rotated.next_client_secret_last_four.is_none(),
        "rotate {rotated:?}"
    );

    let twin_path = format!("/v1/connected_apps/clients/{twin_id}/secrets/rotate");
    let twin_body = json!({ "client_id": twin_id });
    let post = reqwest::Method::POST;
    ctx.raw_compare::<secrets::RotateStartResponse>(
        post.clone(),
        &format!("{twin_path}/start"),
        &twin_body,
        "consumer::connected_apps_clients_secrets::RotateStartResponse",
    )
    .await?;
    ctx.raw_compare::<secrets::RotateCancelResponse>(
        post.clone(),
        &format!("{twin_path}/cancel"),
        &twin_body,
        "consumer::connected_apps_clients_secrets::RotateCancelResponse",
    )
    .await?;
    ctx.raw_error(
        post.clone(),
        &twin_path,
        &twin_body,
        nothing.status_code.as_u16(),
    )
    .await?;
    ctx.raw_compare::<secrets::RotateStartResponse>(
        post.clone(),
        &format!("{twin_path}/start"),
        &twin_body,
        "consumer::connected_apps_clients_secrets::RotateStartResponse",
    )
    .await?;
    ctx.raw_compare::<secrets::RotateResponse>(
        post.clone(),
        &twin_path,
        &twin_body,
        "consumer::connected_apps_clients_secrets::RotateResponse",
    )
    .await?;
    ctx.raw_compare::<clients::DeleteResponse>(
        reqwest::Method::DELETE,
        &format!("/v1/connected_apps/clients/{twin_id}"),
        &twin_body,
        "consumer::connected_apps_clients::DeleteResponse",
    )
    .await?;
    Ok(TestApp {
        client_id: id,
        client_secret: next,
        old_secret: secret,
    })
}

/// Consumer: ada authorizes the client (authorize_start, then authorize with consent), the code
/// is traded with the rotated secret (the retired one refused, a replay refused and revoking what
/// the code issued), the refresh token is used twice (rotated or kept), the access token is no
/// full-access one for sessions.exchange_access_token, and
/// users.connected_apps lists the grant until users.revoke ends it (and its refresh token).
async fn connected_app_consumer_grant(ctx: &Ctx, app: &TestApp) -> R {
    use stytch::consumer::idp_oauth::{
        AuthorizeRequest, AuthorizeResponse, AuthorizeStartRequest, AuthorizeStartResponse,
    };
    use stytch::consumer::sessions::ExchangeAccessTokenRequest;
    use stytch::consumer::users::{
        ConnectedAppsRequest, ConnectedAppsResponse, RevokeRequest, RevokeResponse,
    };
    let client = (app.client_id.as_str(), app.client_secret.as_str());
    let scopes: Vec<String> = ["openid", "email", "profile", "offline_access"]
        .map(String::from)
        .to_vec();
    let start = AuthorizeStartRequest {
        client_id: app.client_id.clone(),
        redirect_uri: APP_CALLBACK.into(),
        response_type: "code".into(),
        scopes: scopes.clone(),
        user_id: Some(ADA_USER_ID.into()),
        ..Default::default()
    };
    let started = ctx
        .consumer
        .idp
        .oauth
        .authorize_start(start.clone())
        .await?;
    ensure!(
        started.user_id == ADA_USER_ID
            && started.user.user_id == ADA_USER_ID
            && started.client.client_id == app.client_id
            && started.client.client_type == "third_party"
            && started.consent_required,
        "authorize_start {started:?}"
    );
    let mut listed: Vec<&str> = started
        .scope_results
        .iter()
        .map(|s| s.scope.as_str())
        .collect();
    listed.sort();
    ensure!(
        listed == ["email", "offline_access", "openid", "profile"]
            && started.scope_results.iter().all(|s| s.is_grantable),
        "scope_results {:?}",
        started.scope_results
    );
    ctx.raw_compare::<AuthorizeStartResponse>(
        reqwest::Method::POST,
        "/v1/idp/oauth/authorize/start",
        &start,
        "consumer::idp_oauth::AuthorizeStartResponse",
    )
    .await?;

    let authorize = AuthorizeRequest {
        consent_granted: true,
        scopes,
        client_id: app.client_id.clone(),
        redirect_uri: APP_CALLBACK.into(),
        response_type: "code".into(),
        user_id: Some(ADA_USER_ID.into()),
        state: Some("rust-state-1".into()),
        nonce: Some("rust-nonce-1".into()),
        ..Default::default()
    };
    let granted = ctx.consumer.idp.oauth.authorize(authorize.clone()).await?;
    let code = granted
        .authorization_code
        .clone()
        .ok_or(Fail(format!("authorize gave no code: {granted:?}")))?;
    ensure!(
        granted
            .redirect_uri
            .starts_with(&format!("{APP_CALLBACK}?"))
            && redirect_param(&granted.redirect_uri, "code")? == code
            && redirect_param(&granted.redirect_uri, "state")? == "rust-state-1",
        "authorize redirect_uri {}",
        granted.redirect_uri
    );
    ctx.raw_compare::<AuthorizeResponse>(
        reqwest::Method::POST,
        "/v1/idp/oauth/authorize",
        &authorize,
        "consumer::idp_oauth::AuthorizeResponse",
    )
    .await?;
    let again = ctx.consumer.idp.oauth.authorize_start(start).await?;
    ensure!(
        !again.consent_required,
        "consent asked again after it was given"
    );

    let keys = project_jwks(ctx).await?;
    let (status, refused) =
        code_grant(ctx, (&app.client_id, &app.old_secret), APP_CALLBACK, &code).await?;
    ensure!(
        status == 401 && refused["error"] == "invalid_client",
        "the retired secret: {status} {refused}"
    );
    let (body, claims) = trade_code(ctx, client, APP_CALLBACK, &code, &keys).await?;
    ensure!(
        claims["sub"] == ADA_USER_ID
            && body["scope"] == "openid email profile offline_access"
            && body["expires_in"] == 30 * 60,
        "ada's token: {body} with claims {claims}"
    );
    let id_token = body["id_token"].as_str().unwrap_or_default();
    let id_claims = verify_signed(id_token, &keys, &app.client_id, &ctx.https_url)?;
    ensure!(
        id_claims["sub"] == ADA_USER_ID
            && id_claims["nonce"] == "rust-nonce-1"
            && id_claims["email"] == "ada@example.com",
        "ID token claims {id_claims}"
    );
    let (status, replay) = code_grant(ctx, client, APP_CALLBACK, &code).await?;
    ensure!(
        status == 400 && replay["error"] == "invalid_grant",
        "a code traded twice: {status} {replay}"
    );
    // RFC 6749 §4.1.2: the replay revoked what the code had issued; a new code for the rest.
    let first_refresh = body["refresh_token"].as_str().ok_or(Fail(format!(
        "offline_access gave no refresh_token: {body}"
    )))?;
    let (status, dead) = refresh_grant(ctx, client, first_refresh).await?;
    ensure!(
        status == 400 && dead["error"] == "invalid_grant",
        "the refresh token of a replayed code: {status} {dead}"
    );
    let code = ctx
        .consumer
        .idp
        .oauth
        .authorize(authorize.clone())
        .await?
        .authorization_code
        .ok_or(Fail("authorize gave no code".into()))?;
    let (body, _) = trade_code(ctx, client, APP_CALLBACK, &code, &keys).await?;
    let refresh = body["refresh_token"].as_str().ok_or(Fail(format!(
        "offline_access gave no refresh_token: {body}"
    )))?;
    let (status, refreshed) = refresh_grant(ctx, client, refresh).await?;
    ensure!(
        status == 200 && refreshed["access_token"].is_string(),
        "refresh_token grant: {status} {refreshed}"
    );
    // A new refresh token if the server rotates it, else the same one stays (RFC 6749 §6).
    let current = refreshed["refresh_token"].as_str().unwrap_or(refresh);
    let (status, again) = refresh_grant(ctx, client, current).await?;
    ensure!(
        status == 200,
        "the refresh token to use next, used: {status} {again}"
    );
    let current = again["refresh_token"].as_str().unwrap_or(current);

    // A third-party client's token is no full-access one: the crate parses the refusal.
    let exchange = ExchangeAccessTokenRequest {
        access_token: refreshed["access_token"]
            .as_str()
            .unwrap_or_default()
            .into(),
        ..Default::default()
    };
    let denied = stytch_error(
        ctx.consumer
            .sessions
            .exchange_access_token(exchange.clone())
            .await,
    )?;
    ensure!(
        denied.error_type == "oauth_access_token_exchange_missing_full_access",
        "sessions.exchange_access_token of a third-party token: {}",
        denied.error_type
    );
    ctx.raw_error(
        reqwest::Method::POST,
        "/v1/sessions/exchange_access_token",
        &exchange,
        denied.status_code.as_u16(),
    )
    .await?;

    let list_req = ConnectedAppsRequest {
        user_id: ADA_USER_ID.into(),
    };
    let list = ctx.consumer.users.connected_apps(list_req.clone()).await?;
    let mine = list
        .connected_apps
        .iter()
        .find(|a| a.connected_app_id == app.client_id)
        .ok_or(Fail(format!(
            "users.connected_apps: {:?}",
            list.connected_apps
        )))?;
    ensure!(
        mine.name == "Rust partner, renamed"
            && mine.client_type == "third_party"
            && mine.scopes_granted == "openid email profile offline_access",
        "ada's connected app {mine:?}"
    );
    ctx.raw_compare::<ConnectedAppsResponse>(
        reqwest::Method::GET,
        &format!("/v1/users/{ADA_USER_ID}/connected_apps?user_id={ADA_USER_ID}"),
        &json!({}),
        "consumer::users::ConnectedAppsResponse",
    )
    .await?;
    let revoke = RevokeRequest {
        user_id: ADA_USER_ID.into(),
        connected_app_id: app.client_id.clone(),
    };
    let revoked = ctx.consumer.users.revoke(revoke.clone()).await?;
    ensure!(revoked.status_code == 200, "users.revoke {revoked:?}");
    let after = ctx.consumer.users.connected_apps(list_req).await?;
    ensure!(
        after
            .connected_apps
            .iter()
            .all(|a| a.connected_app_id != app.client_id),
        "listed after users.revoke: {:?}",
        after.connected_apps
    );
    let twice = raw_either::<RevokeResponse>(
        ctx,
        &format!(
            "/v1/users/{ADA_USER_ID}/connected_apps/{}/revoke",
            app.client_id
        ),
        &revoke,
        "consumer::users::RevokeResponse",
    )
    .await?;
    let (status, dead) = refresh_grant(ctx, client, current).await?;
    ensure!(
        status == 400 && dead["error"] == "invalid_grant",
        "the refresh token after users.revoke: {status} {dead}"
    );
    Ok(format!(
        "{}; users.revoke a second time: {twice}",
        app.client_id
    ))
}

/// sessions.exchange_access_token: ada's token from the fixture first-party client (full access
/// allowed), with the `full_access` scope, authorized from her session (the SDK: one "must be
/// used if the Connected App intends to complete the Exchange Access Token flow"), becomes a
/// session.
async fn connected_app_exchange(ctx: &Ctx) -> R {
    use stytch::consumer::idp_oauth::AuthorizeRequest;
    use stytch::consumer::sessions::{ExchangeAccessTokenRequest, ExchangeAccessTokenResponse};
    let keys = project_jwks(ctx).await?;
    let client = (FIRST_PARTY_APP_ID, FIRST_PARTY_APP_SECRET);
    let mut tokens = Vec::new();
    for _ in 0..2 {
        let code = ctx
            .consumer
            .idp
            .oauth
            .authorize(AuthorizeRequest {
                consent_granted: true,
                scopes: vec!["openid".into(), "full_access".into()],
                client_id: FIRST_PARTY_APP_ID.into(),
                redirect_uri: FIRST_PARTY_APP_CALLBACK.into(),
                response_type: "code".into(),
                session_token: Some(ADA_TOKEN.into()),
                ..Default::default()
            })
            .await?
            .authorization_code
            .ok_or(Fail("authorize gave no code".into()))?;
        let (body, _) = trade_code(ctx, client, FIRST_PARTY_APP_CALLBACK, &code, &keys).await?;
        ensure!(
            body["scope"] == "openid full_access",
            "scope {}",
            body["scope"]
        );
        tokens.push(
            body["access_token"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
    }
    let req = ExchangeAccessTokenRequest {
        access_token: tokens[0].clone(),
        session_duration_minutes: Some(30),
        ..Default::default()
    };
    let res = ctx.consumer.sessions.exchange_access_token(req).await?;
    let session = res.session.clone().ok_or(Fail("no session".into()))?;
    ensure!(
        res.user_id == ADA_USER_ID
            && res.user.user_id == ADA_USER_ID
            && session.user_id == ADA_USER_ID
            && !res.session_token.is_empty()
            && res.session_jwt.split('.').count() == 3,
        "exchange_access_token {res:?}"
    );
    let factor = session
        .authentication_factors
        .iter()
        .find(|f| f.oauth_access_token_exchange_factor.is_some())
        .ok_or(Fail(format!(
            "no oauth_access_token_exchange_factor in {:?}",
            session.authentication_factors
        )))?;
    ensure!(
        factor
            .oauth_access_token_exchange_factor
            .as_ref()
            .is_some_and(|f| f.client_id == FIRST_PARTY_APP_ID),
        "factor {factor:?}"
    );
    ctx.raw_compare::<ExchangeAccessTokenResponse>(
        reqwest::Method::POST,
        "/v1/sessions/exchange_access_token",
        &ExchangeAccessTokenRequest {
            access_token: tokens[1].clone(),
            ..Default::default()
        },
        "consumer::sessions::ExchangeAccessTokenResponse",
    )
    .await?;
    // Once only.
    let used = stytch_error(
        ctx.consumer
            .sessions
            .exchange_access_token(ExchangeAccessTokenRequest {
                access_token: tokens[0].clone(),
                ..Default::default()
            })
            .await,
    )?;
    Ok(format!(
        "{}; a used token: {}",
        session.session_id, used.error_type
    ))
}

/// B2B: grace (acme) authorizes the client by organization_id and member_id, the code is traded
/// (the member's organization in the access token), the organization's and the member's lists
/// show it, and organizations.members.connected_apps.revoke ends it and its refresh token.
async fn connected_app_b2b_grant(ctx: &Ctx, app: &TestApp) -> R {
    use stytch::b2b::idp_oauth::{
        AuthorizeRequest, AuthorizeResponse, AuthorizeStartRequest, AuthorizeStartResponse,
    };
    use stytch::b2b::organizations::{
        ConnectedAppsRequest, ConnectedAppsResponse, GetConnectedAppRequest,
        GetConnectedAppResponse,
    };
    use stytch::b2b::organizations_members::{GetConnectedAppsRequest, GetConnectedAppsResponse};
    use stytch::b2b::organizations_members_connected_apps::{RevokeRequest, RevokeResponse};
    let client = (app.client_id.as_str(), app.client_secret.as_str());
    let scopes: Vec<String> = ["openid", "email", "offline_access"]
        .map(String::from)
        .to_vec();
    let start = AuthorizeStartRequest {
        client_id: app.client_id.clone(),
        redirect_uri: APP_CALLBACK.into(),
        response_type: "code".into(),
        scopes: scopes.clone(),
        organization_id: Some(ACME_ID.into()),
        member_id: Some(ACME_MEMBER_ID.into()),
        ..Default::default()
    };
    let started = ctx.b2b.idp.oauth.authorize_start(start.clone()).await?;
    ensure!(
        started.member_id == ACME_MEMBER_ID
            && started.member.member_id == ACME_MEMBER_ID
            && started.organization.organization_id == ACME_ID
            && started.client.client_id == app.client_id
            && started.consent_required
            && started.scope_results.len() == 3,
        "authorize_start {started:?}"
    );
    ctx.raw_compare::<AuthorizeStartResponse>(
        reqwest::Method::POST,
        "/v1/b2b/idp/oauth/authorize/start",
        &start,
        "b2b::idp_oauth::AuthorizeStartResponse",
    )
    .await?;
    // A member named with another organization's id: not found.
    let elsewhere = stytch_error(
        ctx.b2b
            .idp
            .oauth
            .authorize_start(AuthorizeStartRequest {
                organization_id: Some(GLOBEX_ID.into()),
                ..start.clone()
            })
            .await,
    )?;
    let authorize = AuthorizeRequest {
        consent_granted: true,
        scopes,
        client_id: app.client_id.clone(),
        redirect_uri: APP_CALLBACK.into(),
        response_type: "code".into(),
        organization_id: Some(ACME_ID.into()),
        member_id: Some(ACME_MEMBER_ID.into()),
        state: Some("rust-b2b-state".into()),
        ..Default::default()
    };
    let granted = ctx.b2b.idp.oauth.authorize(authorize.clone()).await?;
    let code = granted
        .authorization_code
        .clone()
        .ok_or(Fail(format!("authorize gave no code: {granted:?}")))?;
    ensure!(
        redirect_param(&granted.redirect_uri, "code")? == code
            && redirect_param(&granted.redirect_uri, "state")? == "rust-b2b-state",
        "authorize redirect_uri {}",
        granted.redirect_uri
    );
    ctx.raw_compare::<AuthorizeResponse>(
        reqwest::Method::POST,
        "/v1/b2b/idp/oauth/authorize",
        &authorize,
        "b2b::idp_oauth::AuthorizeResponse",
    )
    .await?;
    let keys = project_jwks(ctx).await?;
    let (body, claims) = trade_code(ctx, client, APP_CALLBACK, &code, &keys).await?;
    ensure!(
        claims["sub"] == ACME_MEMBER_ID
            && claims["https://stytch.com/organization"]["organization_id"] == ACME_ID
            && body["scope"] == "openid email offline_access",
        "grace's token: {body} with claims {claims}"
    );
    let refresh = body["refresh_token"].as_str().unwrap_or_default();

    let org_req = ConnectedAppsRequest {
        organization_id: ACME_ID.into(),
    };
    let org = ctx.b2b.organizations.connected_apps(org_req).await?;
    ensure!(
        org.connected_apps
            .iter()
            .any(|a| a.connected_app_id == app.client_id && a.client_type == "third_party"),
        "organizations.connected_apps {:?}",
        org.connected_apps
    );
    ctx.raw_compare::<ConnectedAppsResponse>(
        reqwest::Method::GET,
        &format!("/v1/b2b/organizations/{ACME_ID}/connected_apps?organization_id={ACME_ID}"),
        &json!({}),
        "b2b::organizations::ConnectedAppsResponse",
    )
    .await?;
    let one = ctx
        .b2b
        .organizations
        .get_connected_app(GetConnectedAppRequest {
            organization_id: ACME_ID.into(),
            connected_app_id: app.client_id.clone(),
        })
        .await?;
    ensure!(
        one.connected_app_id == app.client_id
            && one
                .active_members
                .iter()
                .any(|m| m.member_id == ACME_MEMBER_ID
                    && m.granted_scopes == ["openid", "email", "offline_access"]),
        "get_connected_app {one:?}"
    );
    ctx.raw_compare::<GetConnectedAppResponse>(
        reqwest::Method::GET,
        &format!(
            "/v1/b2b/organizations/{ACME_ID}/connected_apps/{0}?organization_id={ACME_ID}&connected_app_id={0}",
            app.client_id
        ),
        &json!({}),
        "b2b::organizations::GetConnectedAppResponse",
    )
    .await?;
    let mine = ctx
        .b2b
        .organizations
        .members
        .get_connected_apps(GetConnectedAppsRequest {
            organization_id: ACME_ID.into(),
            member_id: ACME_MEMBER_ID.into(),
        })
        .await?;
    ensure!(
        mine.connected_apps
            .iter()
            .any(|a| a.connected_app_id == app.client_id
                && a.scopes_granted == "openid email offline_access"),
        "members.get_connected_apps {:?}",
        mine.connected_apps
    );
    ctx.raw_compare::<GetConnectedAppsResponse>(
        reqwest::Method::GET,
        &format!(
            "/v1/b2b/organizations/{ACME_ID}/members/{ACME_MEMBER_ID}/connected_apps?organization_id={ACME_ID}&member_id={ACME_MEMBER_ID}"
        ),
        &json!({}),
        "b2b::organizations_members::GetConnectedAppsResponse",
    )
    .await?;
    let revoke = RevokeRequest {
        organization_id: ACME_ID.into(),
        member_id: ACME_MEMBER_ID.into(),
        connected_app_id: app.client_id.clone(),
    };
    let revoked = ctx
        .b2b
        .organizations
        .members
        .connected_apps
        .revoke(revoke.clone())
        .await?;
    ensure!(revoked.status_code == 200, "revoke {revoked:?}");
    let after = ctx
        .b2b
        .organizations
        .get_connected_app(GetConnectedAppRequest {
            organization_id: ACME_ID.into(),
            connected_app_id: app.client_id.clone(),
        })
        .await;
    let still = after
        .as_ref()
        .map(|a| {
            a.active_members
                .iter()
                .any(|m| m.member_id == ACME_MEMBER_ID)
        })
        .unwrap_or(false);
    ensure!(!still, "grace still active after the revoke: {after:?}");
    let twice = raw_either::<RevokeResponse>(
        ctx,
        &format!(
            "/v1/b2b/organizations/{ACME_ID}/members/{ACME_MEMBER_ID}/connected_apps/{}/revoke",
            app.client_id
        ),
        &revoke,
        "b2b::organizations_members_connected_apps::RevokeResponse",
    )
    .await?;
    let (status, dead) = refresh_grant(ctx, client, refresh).await?;
    ensure!(
        status == 400 && dead["error"] == "invalid_grant",
        "the refresh token after the revoke: {status} {dead}"
    );
    Ok(format!(
        "another organization's id: {}; the revoke a second time: {twice}",
        elsewhere.error_type
    ))
}

/// clients.delete; then get answers connected_app_not_found, and the token endpoint no longer
/// knows the client.
async fn connected_app_delete(ctx: &Ctx, app: &TestApp) -> R {
    use stytch::consumer::connected_apps_clients::{DeleteRequest, GetRequest};
    let apps = &ctx.consumer.connected_app.clients;
    let deleted = apps
        .delete(DeleteRequest {
            client_id: app.client_id.clone(),
        })
        .await?;
    ensure!(
        deleted.client_id == app.client_id && deleted.status_code == 200,
        "delete {deleted:?}"
    );
    let gone = stytch_error(
        apps.get(GetRequest {
            client_id: app.client_id.clone(),
        })
        .await,
    )?;
    ensure!(
        gone.error_type == "connected_app_not_found" && gone.status_code == 404,
        "get after delete: {} {}",
        gone.error_type,
        gone.status_code
    );
    ctx.raw_error(
        reqwest::Method::GET,
        &format!(
            "/v1/connected_apps/clients/{0}?client_id={0}",
            app.client_id
        ),
        &json!({}),
        404,
    )
    .await?;
    let (status, body) = refresh_grant(
        ctx,
        (&app.client_id, &app.client_secret),
        "no-such-refresh-token",
    )
    .await?;
    ensure!(
        status == 401 && body["error"] == "invalid_client",
        "the deleted client at the token endpoint: {status} {body}"
    );
    Ok(format!("{}: {}", gone.error_type, body["error"]))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let project_id = env("STYTCH_PROJECT_ID");
    let secret = env("STYTCH_SECRET");
    let https_url = env("STYTCH_MOCK_HTTPS_URL");
    // No trailing slash needed: the SDK joins absolute paths ("/v1/...") onto the base URL.
    let base = reqwest::Url::parse(&https_url).expect("STYTCH_MOCK_HTTPS_URL");
    let http = |v| {
        stytch::client::Client::new_with_base_url(&project_id, &secret, base.clone(), v)
            .expect("client")
    };
    let ctx = Ctx {
        consumer: ConsumerClient::new_with_http_client(
            http(stytch::client::Vertical::Consumer),
            http(stytch::client::Vertical::Consumer),
        ),
        b2b: B2BClient::new_with_http_client(
            http(stytch::client::Vertical::B2B),
            http(stytch::client::Vertical::Consumer),
        ),
        project_id: project_id.clone(),
        secret: secret.clone(),
        http_url: env("STYTCH_MOCK_URL"),
        https_url: https_url.trim_end_matches('/').to_string(),
        public_token: env("STYTCH_PUBLIC_TOKEN"),
        web: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("reqwest"),
        models: crate_src().and_then(|dir| Models::load(&dir)),
        compared: RefCell::default(),
        samples: RefCell::default(),
        serde_errors: RefCell::default(),
        failed: RefCell::new(false),
    };
    if let Err(Fail(e)) = ctx
        .control(reqwest::Method::POST, "/_mock/reset", None)
        .await
    {
        eprintln!("the mock's /_mock/reset failed: {e}");
        std::process::exit(2);
    }

    ctx.report(
        "consumer sessions.authenticate by session_token (fixture ada)",
        consumer_authenticate_token(&ctx).await,
    );
    ctx.report(
        "consumer sessions.authenticate by session_jwt",
        consumer_authenticate_jwt(&ctx).await,
    );
    ctx.report(
        "consumer sessions.get_jwks, and a session JWT verified locally against it",
        consumer_jwks_local(&ctx).await,
    );
    ctx.report(
        "consumer sessions.get lists a user's sessions",
        consumer_sessions_get(&ctx).await,
    );
    ctx.report(
        "consumer sessions.revoke, then session_not_found as stytch::Error::Response",
        consumer_revoke(&ctx).await,
    );
    ctx.report(
        "B2B sessions.authenticate (fixture grace at acme)",
        b2b_authenticate(&ctx).await,
    );
    ctx.report(
        "B2B sessions.exchange into globex, and into initech (MFA required)",
        b2b_exchange(&ctx).await,
    );
    ctx.report(
        "B2B sessions.get_jwks, and a member JWT verified locally against it",
        b2b_jwks_local(&ctx).await,
    );
    ctx.report(
        "B2B organizations.get and organizations.members.get",
        b2b_organizations(&ctx).await,
    );
    ctx.report(
        "rbac.policy (consumer and B2B) and rbac.organizations.get_org_policy",
        rbac(&ctx).await,
    );
    ctx.report(
        "users.get (fixture ada), and user_not_found",
        users_get(&ctx).await,
    );
    ctx.report(
        "M2M: m2m.token for the fixture client, m2m.authenticate_token verifies it locally",
        m2m_local(&ctx).await,
    );
    ctx.report(
        "passcode login: otps.email.login_or_create, the code from /_mock/outbox, otps.authenticate",
        otp_login(&ctx).await,
    );
    ctx.report(
        "password login: a user from /_mock/users, passwords.authenticate",
        password_login(&ctx).await,
    );
    ctx.report(
        "OAuth login: a queued answer, the Google start's redirect, oauth.authenticate",
        oauth_login(&ctx).await,
    );
    ctx.report(
        "OAuth login through every consumer provider the mock serves",
        oauth_every_provider(&ctx).await,
    );
    ctx.report(
        "every factor type and delivery method the mock accepts is one this SDK's enums declare",
        factor_enums(&ctx).await,
    );
    ctx.report(
        "impersonation.authenticate (consumer): a token from /_mock/impersonation, the impersonated factor, single use",
        impersonation_consumer(&ctx).await,
    );
    ctx.report(
        "B2B impersonation.authenticate: a member session with the impersonated factor",
        impersonation_b2b(&ctx).await,
    );
    ctx.report(
        "project.metrics and debug.whoami",
        project_metrics_whoami(&ctx).await,
    );
    ctx.report(
        "sessions.attest with a JWT of a Trusted Auth Token profile",
        sessions_attest(&ctx).await,
    );
    ctx.report(
        "sessions.migrate through the old provider's userinfo endpoint",
        sessions_migrate(&ctx).await,
    );
    ctx.report(
        "SSO: SAML (by the stand-in's metadata URL), OIDC and external connections; sso.authenticate after a queued answer",
        sso_connections_and_login(&ctx).await,
    );
    ctx.report(
        "SCIM: scim.connection.create, a user pushed to its base_url, get, get_groups, the member's scim_registration",
        scim_connection(&ctx).await,
    );
    let clients_check = "Connected Apps: connected_app.clients create (third-party, confidential), get, search, update; secrets rotate_start, rotate_cancel, rotate";
    let app = match connected_app_clients(&ctx).await {
        Ok(app) => {
            ctx.report(clients_check, Ok(app.client_id.clone()));
            Some(app)
        }
        Err(e) => {
            ctx.report(clients_check, Err(e));
            None
        }
    };
    let no_app = || {
        Err(Fail(
            "no client: the Connected Apps clients check failed".into(),
        ))
    };
    ctx.report(
        "Connected Apps: idp.oauth.authorize_start and authorize for ada, the code at /v1/oauth2/token, a refresh, users.connected_apps and users.revoke",
        match &app {
            Some(app) => connected_app_consumer_grant(&ctx, app).await,
            None => no_app(),
        },
    );
    ctx.report(
        "Connected Apps (B2B): idp.oauth.authorize for grace at acme, the code at /v1/oauth2/token, organizations.connected_apps, get_connected_app, members.get_connected_apps and connected_apps.revoke",
        match &app {
            Some(app) => connected_app_b2b_grant(&ctx, app).await,
            None => no_app(),
        },
    );
    ctx.report(
        "Connected Apps: sessions.exchange_access_token with a first-party full_access token",
        connected_app_exchange(&ctx).await,
    );
    ctx.report(
        "Connected Apps: connected_app.clients.delete, then connected_app_not_found",
        match &app {
            Some(app) => connected_app_delete(&ctx, app).await,
            None => no_app(),
        },
    );
    ctx.report(
        "model comparison: no required field missing, no undeclared enum value, no wrong type",
        model_check(&ctx),
    );
    ctx.report(
        "model comparison: fields the crate's models do not know (informational)",
        extras_check(&ctx),
    );
    std::process::exit(if *ctx.failed.borrow() { 1 } else { 0 });
}
