//! The HTTP service (feature `server`): the demo page, `GET /v1/policy`, `POST /v1/validate`,
//! The HTTP service (feature `server`): the demo page, `GET /v1/policy`, `POST /v1/validate`,
//! `POST /v1/submissions` (JSON or a plain HTML form), `GET|POST /v1/unsubscribe` (RFC 8058
//! one-click), `GET|POST /v1/confirm` (double opt-in), `GET /healthz`, `GET /v1/admin/links`
//! (only with an admin token), over the store ([`crate::store`]: embedded SQLite with a
//! hash-chained consent log), the mail sender that drains the store's outbox when the policy
//! asks for confirmed addresses (`mail`), and the webhook delivery threads that post the contact
//! events it queues to the configured endpoints (`webhooks`).
//!
//! [`app`] builds the router from an [`AppState`], so tests drive it in memory or on a real
//! socket; `signup-guard serve` binds it with [`listen::serve`]. Handlers are one file per
//! concept (`submit`, `unsubscribe`, `site`, `health`) and receive typed values (`extract`);
//! what every request shares (CORS, security headers, compression, the rate limit, the timeout,
//! the body limit, the access log) is a layer stacked in [`app`]. The server holds no SQL and no
//! field rule: it calls the core (`validate_with`, the policy) and the writer.
//!
//! ```sh
//! cargo run --release --features server -- serve --addr 127.0.0.1:8080 --db signup-guard.db
//! curl -s localhost:8080/v1/submissions -H 'content-type: application/json' \
//!      -d '{"email":"jane@example.org","given_name":"Jane","country":"ID"}'
//! ```
//!
//! JSON clients may pass the bot signals a form carries as headers: `Sg-Honeypot` (the hidden
//! field's value, must be empty) and `Sg-Form-Stamp` (the `sg_t` value of the rendered form;
//! checked for the minimum fill time when present). Form posts carry `sg_t`: the server renders
//! it into its own page, and the drop-in fetches one from `GET /v1/form-token` for a static page;
//! a form post without one, or too quick, gets its filled form back (see `visitor`).

mod admin;
mod confirm;
mod custom_html;
mod error;
mod extract;
mod form;
mod form_html;
mod health;
mod intake;
mod layers;
mod limit;
pub mod listen;
mod mail;
mod pages;
mod protect;
mod reply;
mod site;
mod submit;
pub mod tokens;
mod unsubscribe;
mod visitor;
mod webhooks;
mod words;

pub use mail::MailConfig;
pub use webhooks::{read_config_file, read_secret_file, WebhookConfig, WebhookEndpoint};

/// The clock moved beside the store; this path keeps working.
pub use crate::clock;
pub(crate) use crate::log;

use crate::policy::Policy;
use crate::store::{Retention, Store, StoreError, WriterHandle, WriterOptions};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::Router;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;

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
    /// Listed origins (not `*`) are also the pages a form post may return to (`sg_return`).
    pub cors_origins: Vec<String>,
    /// The service's public origin (`https://verifier.example`), which makes unsubscribe
    /// links absolute; `None` takes `http://` + the request's `Host`.
    pub public_url: Option<String>,
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
    /// The mail relay and sender for double opt-in; required when the policy says
    /// `"confirm": "email"` (start-up fails without it, never a signup whose mail never leaves).
    pub mail: Option<MailConfig>,
    /// Signups that may send a confirmation mail, per client address and hour; later ones are
    /// stored but mail nothing (0 turns the limit off).
    pub mail_per_client_hour: u32,
    /// The bearer token of the admin API (`GET /v1/admin/links`); `None` (the default) leaves
    /// the API out entirely.
    pub admin_token: Option<String>,
    /// Days a contact with no purpose granted is kept by the daily retention sweep.
    pub retention_grace_days: u32,
    /// How often the retention sweep looks whether a day has passed on `clock` (tests shorten
    /// it); `None` runs no sweep.
    pub retention_tick: Option<Duration>,
    /// Webhook endpoints and their delivery schedule; without endpoints no event is queued.
    pub webhooks: WebhookConfig,
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
            public_url: None,
            min_fill_ms: 1500,
            request_timeout: Duration::from_secs(30),
            access_log: false,
            trust_proxy: false,
            pause_after_commit: None,
            idempotency_ttl: Duration::from_secs(24 * 3600),
            clock: clock::Clock::system(),
            mail: None,
            mail_per_client_hour: 10,
            admin_token: None,
            retention_grace_days: crate::store::DEFAULT_GRACE_DAYS,
            retention_tick: Some(Duration::from_secs(60)),
            webhooks: WebhookConfig::default(),
        }
    }
}

/// Shared state of the service: configuration, derived keys, the writer, the limiter and the
/// static files.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) policy_json: String,
    pub(crate) policy_hash: String,
    pub(crate) keys: tokens::Keys,
    pub(crate) writer: WriterHandle,
    pub(crate) limiter: limit::Limiter,
    /// The allowance of `POST /v1/unsubscribe`, its own and larger (see `limit`).
    pub(crate) unsubscribe_limiter: limit::Limiter,
    /// The allowance of `POST /v1/validate`, its own and larger (see `limit`).
    pub(crate) validate_limiter: limit::Limiter,
    pub(crate) in_flight: protect::InFlight,
    /// Confirmation mails per client address (double opt-in).
    pub(crate) mail_limiter: limit::Limiter,
    /// Wakes the mail sender after a signup queued a mail (`None` without `--smtp-url`).
    pub(crate) mail_wake: Option<mail::sender::Wake>,
    /// `pkg/`, then `www/`; a directory is never listed nor redirected to.
    pub(crate) files: ServeDir<ServeDir>,
    /// The database file (the admin API opens it read-only).
    pub(crate) db: PathBuf,
    /// Stops the retention sweep when the last handle to the state goes.
    _sweep: SweepStop,
    /// The webhook delivery threads (they stop when the state is dropped).
    _webhooks: webhooks::worker::Running,
}

/// Sets the retention sweep's stop flag when dropped.
struct SweepStop(Arc<AtomicBool>);

impl Drop for SweepStop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

impl AppState {
    /// Opens (or creates) the database at `db`, loads or creates the secret (`secret` from the
    /// environment wins), and starts the writer thread, whose handle is returned for shutdown,
    /// the mail sender when a relay is configured, and one webhook delivery thread per endpoint
    /// (whose list it stores first, so every writer queues their events). A policy that asks for
    /// double opt-in without a relay or without `public_url` (the link's origin), and a webhook
    /// endpoint with a bad URL, secret or event name, are refused here.
    pub fn open(
        config: Config,
        db: &Path,
        secret: Option<&str>,
    ) -> Result<(AppState, std::thread::JoinHandle<()>), StoreError> {
        let outgoing = match &config.mail {
            Some(m) => Some(mail::Outgoing::new(m).map_err(StoreError)?),
            None => None,
        };
        if config.policy.confirms_by_email() {
            if outgoing.is_none() {
                return Err(StoreError(
                    "the policy asks for double opt-in (\"confirm\": \"email\") but no mail \
                     relay is set: give --smtp-url and --mail-from"
                        .into(),
                ));
            }
            if config.public_url.is_none() {
                return Err(StoreError(
                    "the policy asks for double opt-in (\"confirm\": \"email\"): give \
                     --public-url, the origin of the confirmation links (a request's Host \
                     header is not trusted inside a mail)"
                        .into(),
                ));
            }
        }
        let targets = webhooks::targets(&config.webhooks).map_err(StoreError)?;
        let store = Store::open(db)?;
        let routes: Vec<_> = targets.iter().map(|t| t.route.clone()).collect();
        store.set_webhook_endpoints(&routes, &config.clock.now())?;
        let keys = tokens::Keys::new(store.secret(secret)?);
        // Kept by hash before any submission uses it: access requests show its texts later.
        store.keep_policy(&config.policy, &config.clock.now())?;
        let stop = Arc::new(AtomicBool::new(false));
        if let Some(tick) = config.retention_tick {
            let rule = Retention {
                retention_days: config.policy.retention_days,
                grace_days: config.retention_grace_days,
            };
            Store::open(db)?.start_retention_sweep(
                rule,
                config.clock.clone(),
                tick,
                stop.clone(),
            )?;
        }
        let (writer, thread) = store.start_writer(
            keys.clone(),
            WriterOptions {
                idempotency_ttl: config.idempotency_ttl,
                clock: config.clock.clone(),
                pause_after_commit: config.pause_after_commit,
                confirm_within: Duration::from_secs(
                    u64::from(config.policy.confirm_days()) * 86_400,
                ),
            },
        )?;
        let mail_wake = match outgoing {
            Some(out) => {
                let own = Store::open(db)?;
                let policy = config.policy.clone();
                let wake = mail::sender::spawn(own, out, policy, config.clock.clone());
                Some(wake.map_err(StoreError)?)
            }
            None => None,
        };
        let webhooks = webhooks::worker::spawn(db, targets, &config.webhooks, &config.clock)
            .map_err(StoreError)?;
        let policy_json = serde_json::to_string(&config.policy)
            .map_err(|e| StoreError(format!("cannot serialize the policy: {e}")))?;
        let www = ServeDir::new(&config.www).append_index_html_on_directories(false);
        // `scripts/build-wasm.sh` writes each file of the bundle also as `.br` (quality 11) and
        // `.gz`: sent as they are, smaller than the compression layer makes them on the fly.
        let files = ServeDir::new(&config.pkg)
            .append_index_html_on_directories(false)
            .precompressed_br()
            .precompressed_gzip()
            .fallback(www);
        let state = AppState(Arc::new(Inner {
            policy_hash: config.policy.hash(),
            limiter: limit::Limiter::new(config.rate_limit),
            mail_limiter: limit::Limiter::per_hour(config.mail_per_client_hour),
            mail_wake,
            unsubscribe_limiter: limit::Limiter::new(
                config.rate_limit.saturating_mul(limit::UNSUBSCRIBE_FACTOR),
            ),
            validate_limiter: limit::Limiter::new(
                config.rate_limit.saturating_mul(limit::VALIDATE_FACTOR),
            ),
            config,
            policy_json,
            keys,
            writer,
            in_flight: protect::InFlight::default(),
            files,
            db: db.to_owned(),
            _sweep: SweepStop(stop),
            _webhooks: webhooks,
        }));
        Ok((state, thread))
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.0.config
    }
}

/// The service's router: every route, then the layers, outermost first (the order of
/// ARCHITECTURE.md): access log (when on), security headers, CORS, compression, refusal of
/// foreign POSTs, rate limit, the timeout's error body, the whole-request timeout, body limit.
pub fn app(state: AppState) -> Router {
    let cfg = state.config();
    let layers = ServiceBuilder::new()
        .layer(layers::always(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // Unsubscribe tokens travel in URLs: never leak them to other sites. `same-origin` (not
        // `no-referrer`) so the browser still sends the page's Origin on its own form posts; with
        // `no-referrer` Chromium sends `Origin: null` and the CSRF check refused the demo form.
        .layer(layers::always(header::REFERRER_POLICY, "same-origin"))
        .layer(layers::always(header::X_FRAME_OPTIONS, "DENY"))
        .layer(layers::cors(cfg.cors_origins.clone()))
        .layer(CompressionLayer::new())
        .layer(from_fn_with_state(
            state.clone(),
            layers::refuse_foreign_posts,
        ))
        .layer(from_fn_with_state(state.clone(), limit::rate_limit))
        .layer(from_fn(layers::timeout_body))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            cfg.request_timeout,
        ))
        .layer(DefaultBodyLimit::max(cfg.body_limit));
    let router = Router::new()
        .route("/", get(site::index))
        .route("/healthz", get(health::healthz))
        .route("/v1/policy", get(site::policy))
        .route("/v1/validate", post(submit::validate))
        .route("/v1/submissions", post(submit::submit))
        .route("/v1/form-token", get(visitor::form_token))
        .route("/v1/thanks", get(visitor::thanks))
        .route(
            "/v1/unsubscribe",
            get(unsubscribe::confirm).post(unsubscribe::withdraw),
        )
        .route("/v1/confirm", get(confirm::ask).post(confirm::confirm))
        .route("/{name}", get(site::asset));
    // The admin API exists only with a token: never open by default.
    let router = if cfg.admin_token.is_some() {
        router.route("/v1/admin/links", get(admin::links))
    } else {
        router
    };
    let router = router.fallback(site::not_found).layer(layers);
    let router = if cfg.access_log {
        router.layer(from_fn(layers::access_log))
    } else {
        router
    };
    router.with_state(state)
}
