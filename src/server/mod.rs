//! The HTTP service (feature `server`): the demo page, `GET /v1/policy`, `POST /v1/validate`,
//! `POST /v1/submissions` (JSON or a plain HTML form), `GET|POST /v1/unsubscribe`, `GET /healthz`,
//! over the store ([`crate::store`]: embedded SQLite with a hash-chained consent log).
//!
//! [`app`] builds the router from an [`AppState`], so tests drive it in memory or on a real
//! socket; `signup-guard serve` binds it with [`listen::serve`].
//!
//! ```sh
//! cargo run --release --features server -- serve --addr 127.0.0.1:8080 --db signup-guard.db
//! curl -s localhost:8080/v1/submissions -H 'content-type: application/json' \
//!      -d '{"email":"jane@example.org","given_name":"Jane","country":"ID"}'
//! ```
//!
//! JSON clients may pass the bot signals a form carries as headers: `Sg-Honeypot` (the hidden
//! field's value, must be empty) and `Sg-Form-Stamp` (the `sg_t` value of the rendered form;
//! checked for the minimum fill time when present). Form posts must carry `sg_t`.

pub mod error;
mod form;
pub mod listen;
pub mod pages;
pub mod protect;
mod routes;
pub mod tokens;

/// The clock and the log moved beside the store; these paths keep working.
pub use crate::{clock, log};

use crate::policy::Policy;
use crate::store::{Store, StoreError, WriterHandle, WriterOptions};
use axum::routing::{get, post};
use axum::Router;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The demo policy shipped in the repository (`www/policy.json`), used when no `--policy` is given.
pub const DEMO_POLICY: &str = include_str!("../../www/policy.json");

/// What an operator configures.
#[derive(Debug, Clone)]
pub struct Config {
    /// The policy every submission is checked against.
    pub policy: Policy,
    /// Directory of the demo page (`index.html`, CSS).
    pub www: PathBuf,
    /// Directory of the built wasm bundle and drop-in script.
    pub pkg: PathBuf,
    /// Requests per minute per client address on the POST endpoints; 0 turns the limit off.
    pub rate_limit: u32,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Origins (`https://shop.example`) allowed to call the API from a browser; `*` for any.
    pub cors_origins: Vec<String>,
    /// Fastest plausible time to fill the form, in milliseconds; 0 turns the check off.
    pub min_fill_ms: u64,
    /// Longest a whole request may take once its headers are read.
    pub request_timeout: Duration,
    /// Log one line per request (method, path without query, status, milliseconds; no body,
    /// no address, no token).
    pub access_log: bool,
    /// Take the client address for the rate limit from the last `X-Forwarded-For` entry (only
    /// behind your own reverse proxy, which must append it).
    pub trust_proxy: bool,
    /// Test hook, `None` in production: the writer sleeps this long after each `COMMIT` before
    /// answering, so a test can kill the process between commit and response. `serve` sets it
    /// only from `SIGNUP_GUARD_TEST_PAUSE_AFTER_COMMIT_MS`.
    #[doc(hidden)]
    pub pause_after_commit: Option<Duration>,
    /// How long an `Idempotency-Key` answer is kept (24 h by default, as the IETF draft
    /// suggests); older ones are swept in the background and a reused key counts as new.
    pub idempotency_ttl: Duration,
    /// Where "now" comes from: received times, fill-time stamps, the age of idempotency answers
    /// (the system clock; tests set a fixed one).
    pub clock: clock::Clock,
}

impl Config {
    /// Defaults for `policy`: `www/` and `pkg/`, 60 requests a minute, 64 KiB bodies,
    /// same-origin only, 1.5 s minimum fill time, 30 s per request, idempotency answers kept 24 h.
    pub fn new(policy: Policy) -> Config {
        Config {
            policy,
            www: PathBuf::from("www"),
            pkg: PathBuf::from("pkg"),
            rate_limit: 60,
            body_limit: 64 * 1024,
            cors_origins: Vec::new(),
            min_fill_ms: 1500,
            request_timeout: Duration::from_secs(30),
            access_log: false,
            trust_proxy: false,
            pause_after_commit: None,
            idempotency_ttl: Duration::from_secs(24 * 3600),
            clock: clock::Clock::system(),
        }
    }
}

/// Shared state of the service: configuration, derived keys, the writer and the limiters.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    config: Config,
    policy_json: String,
    policy_hash: String,
    keys: tokens::Keys,
    writer: WriterHandle,
    limiter: protect::RateLimiter,
    in_flight: protect::InFlight,
}

impl AppState {
    /// Opens (or creates) the database at `db`, loads or creates the secret (`secret` from the
    /// environment wins), and starts the writer thread, whose handle is returned for shutdown.
    pub fn open(
        config: Config,
        db: &Path,
        secret: Option<&str>,
    ) -> Result<(AppState, std::thread::JoinHandle<()>), StoreError> {
        let store = Store::open(db)?;
        let keys = tokens::Keys::new(store.secret(secret)?);
        let (writer, thread) = store.start_writer(
            keys.clone(),
            WriterOptions {
                idempotency_ttl: config.idempotency_ttl,
                clock: config.clock.clone(),
                pause_after_commit: config.pause_after_commit,
            },
        )?;
        let policy_json = serde_json::to_string(&config.policy)
            .map_err(|e| StoreError(format!("cannot serialize the policy: {e}")))?;
        let state = AppState(Arc::new(Inner {
            policy_hash: config.policy.hash(),
            limiter: protect::RateLimiter::new(config.rate_limit),
            config,
            policy_json,
            keys,
            writer,
            in_flight: protect::InFlight::default(),
        }));
        Ok((state, thread))
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.0.config
    }
}

/// The service's router: every route, the protection layer, and the state.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(routes::index))
        .route("/healthz", get(routes::healthz))
        .route("/v1/policy", get(routes::policy))
        .route("/v1/validate", post(routes::validate))
        .route("/v1/submissions", post(routes::submit))
        .route(
            "/v1/unsubscribe",
            get(routes::unsubscribe_page).post(routes::unsubscribe),
        )
        .route("/{name}", get(routes::asset))
        .fallback(routes::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            routes::guard,
        ))
        .with_state(state)
}
