//! `signup-guard serve`: binds the HTTP service (see `signup_guard::server`) and runs it until
//! Ctrl-C or SIGTERM, then lets open requests finish and the writer commit what it holds.

use super::UsageError;
use crate::policy::Policy;
use crate::server::{self, listen, AppState, Config};
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Options of `serve`.
#[derive(Debug, Args)]
pub(super) struct ServeArgs {
    /// Address to listen on (port 0 picks a free one; the chosen address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// SQLite database file (created if missing).
    #[arg(long, default_value = "signup-guard.db")]
    db: PathBuf,
    /// Policy file; default: WWW/policy.json, else the built-in demo policy.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Directory of the demo page.
    #[arg(long, default_value = "www")]
    www: PathBuf,
    /// Directory of the built wasm bundle and script.
    #[arg(long, default_value = "pkg")]
    pkg: PathBuf,
    /// POST requests per minute per client address; 0 turns the limit off.
    #[arg(long, default_value_t = 60)]
    rate_limit: u32,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = 64 * 1024)]
    body_limit: usize,
    /// An origin allowed to call the API from a browser (repeat for several; `*` for any).
    #[arg(long = "cors-origin")]
    cors_origins: Vec<String>,
    /// The service's public origin (`https://verifier.example`), for absolute unsubscribe links;
    /// default: `http://` + the request's Host.
    #[arg(long)]
    public_url: Option<String>,
    /// Fastest plausible form fill in milliseconds (faster posts are refused); 0 turns it off.
    #[arg(long, default_value_t = 1500)]
    min_fill_ms: u64,
    /// Seconds a client may take to send a request's headers.
    #[arg(long, default_value_t = 10)]
    header_timeout: u64,
    /// Seconds a whole request may take once its headers are read.
    #[arg(long, default_value_t = 30)]
    request_timeout: u64,
    /// Connections open at once.
    #[arg(long, default_value_t = 4096)]
    max_connections: usize,
    /// Log one JSON line per request to stderr (method, path, status, time; no personal data).
    #[arg(long)]
    access_log: bool,
    /// Rate-limit by the last X-Forwarded-For address (only behind your own reverse proxy).
    #[arg(long)]
    trust_proxy: bool,
    /// Keep Idempotency-Key answers this many hours; older ones are deleted and a reused key
    /// counts as new.
    #[arg(long, default_value_t = 24)]
    idempotency_ttl_hours: u64,
    /// Test setting: the same age in seconds (overrides the hours).
    #[arg(long, hide = true)]
    idempotency_ttl_secs: Option<u64>,
    /// Mail relay for double opt-in: smtp://user:pass@host:587 (STARTTLS), smtps://… (TLS);
    /// plain SMTP only to a loopback host or with --smtp-plain. Required when the policy says
    /// "confirm": "email".
    #[arg(long)]
    smtp_url: Option<String>,
    /// The sender of confirmation mails ("Acme <news@acme.example>").
    #[arg(long)]
    mail_from: Option<String>,
    /// Allow plain SMTP (no TLS) to a relay that is not on this machine.
    #[arg(long)]
    smtp_plain: bool,
    /// Signups per client address and hour that may send a confirmation mail; 0: no limit.
    #[arg(long, default_value_t = 10)]
    mail_per_client_hour: u32,
    /// Test setting: the first retry's delay after a failed send, in milliseconds.
    #[arg(long, hide = true)]
    mail_retry_ms: Option<u64>,
    /// A file holding the bearer token of the admin API (`GET /v1/admin/links`); without it the
    /// admin API does not exist.
    #[arg(long)]
    admin_token_file: Option<PathBuf>,
    /// Days the daily retention sweep keeps a contact with no purpose granted.
    #[arg(long, default_value_t = crate::store::DEFAULT_GRACE_DAYS)]
    retention_grace_days: u32,
    /// Post signed events about contacts to this URL (repeat for several); needs
    /// --webhook-secret-file. https://, or http:// to this machine.
    #[arg(long = "webhook")]
    webhooks: Vec<String>,
    /// File with the --webhook endpoints' secret (whsec_…), or two, one per line, while rotating.
    #[arg(long)]
    webhook_secret_file: Option<PathBuf>,
    /// JSON configuration file; its "webhooks" section lists endpoints, each with its own
    /// secrets, event filter and extra fields.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Test setting: the first webhook retry's wait, in milliseconds.
    #[arg(long, hide = true)]
    webhook_retry_ms: Option<u64>,
    /// Test setting: how long a webhook event is retried before it is dead-lettered, in ms.
    #[arg(long, hide = true)]
    webhook_give_up_ms: Option<u64>,
    /// Test setting: how long a claimed webhook event is leased, in milliseconds.
    #[arg(long, hide = true)]
    webhook_lease_ms: Option<u64>,
}

/// The admin token from `path`: its first line, at least 16 characters.
fn admin_token(path: &std::path::Path) -> Result<String, UsageError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        UsageError(format!(
            "cannot read --admin-token-file {}: {e}",
            path.display()
        ))
    })?;
    let token = text.lines().next().unwrap_or("").trim().to_owned();
    if token.chars().count() < 16 || token.contains(char::is_whitespace) {
        return Err(UsageError(format!(
            "--admin-token-file {}: the token must be one line of at least 16 characters \
             without spaces (for example: openssl rand -hex 32)",
            path.display()
        )));
    }
    Ok(token)
}

/// The webhook endpoints of the flags and of the config file.
fn webhooks(args: &ServeArgs) -> Result<server::WebhookConfig, UsageError> {
    let mut config = server::WebhookConfig::default();
    if let Some(path) = &args.config {
        config.endpoints = server::read_config_file(path).map_err(UsageError)?;
    }
    match (&args.webhook_secret_file, args.webhooks.is_empty()) {
        (Some(path), false) => {
            let secrets = server::read_secret_file(path).map_err(UsageError)?;
            for url in &args.webhooks {
                config.endpoints.push(server::WebhookEndpoint {
                    url: url.clone(),
                    secrets: secrets.clone(),
                    events: Vec::new(),
                    include: Vec::new(),
                });
            }
        }
        (None, true) => {}
        (None, false) => return Err(UsageError("--webhook needs --webhook-secret-file".into())),
        (Some(_), true) => {
            return Err(UsageError("--webhook-secret-file without --webhook".into()))
        }
    }
    if let Some(ms) = args.webhook_retry_ms {
        config.retry_base = Duration::from_millis(ms.max(1));
    }
    if let Some(ms) = args.webhook_lease_ms {
        config.lease = Duration::from_millis(ms.max(1));
    }
    if let Some(ms) = args.webhook_give_up_ms {
        config.give_up = Duration::from_millis(ms);
    }
    Ok(config)
}

fn policy(args: &ServeArgs) -> Result<Policy, UsageError> {
    if let Some(path) = &args.policy {
        return super::load_policy(Some(path));
    }
    let beside = args.www.join("policy.json");
    if beside.exists() {
        return super::load_policy(Some(&beside));
    }
    Policy::from_json(server::DEMO_POLICY)
        .map_err(|e| UsageError(format!("built-in demo policy: {e}")))
}

/// Runs the service; returns when it has shut down.
pub(super) fn run(args: ServeArgs) -> Result<bool, UsageError> {
    let mut config = Config::new(policy(&args)?);
    config.www = args.www.clone();
    config.pkg = args.pkg.clone();
    config.rate_limit = args.rate_limit;
    config.body_limit = args.body_limit;
    config.cors_origins = args.cors_origins.clone();
    config.public_url = args.public_url.clone();
    config.min_fill_ms = args.min_fill_ms;
    config.access_log = args.access_log;
    config.trust_proxy = args.trust_proxy;
    config.admin_token = args
        .admin_token_file
        .as_deref()
        .map(admin_token)
        .transpose()?;
    config.retention_grace_days = args.retention_grace_days;
    config.request_timeout = Duration::from_secs(args.request_timeout.max(1));
    config.idempotency_ttl = Duration::from_secs(
        args.idempotency_ttl_secs
            .unwrap_or_else(|| args.idempotency_ttl_hours.saturating_mul(3600)),
    );
    config.mail = match (&args.smtp_url, &args.mail_from) {
        (Some(url), Some(from)) => {
            let mut mail = server::MailConfig::new(url, from);
            mail.allow_plain = args.smtp_plain;
            if let Some(ms) = args.mail_retry_ms {
                mail.retry_base = Duration::from_millis(ms.max(1));
            }
            Some(mail)
        }
        (None, None) => None,
        _ => return Err(UsageError("--smtp-url and --mail-from go together".into())),
    };
    config.mail_per_client_hour = args.mail_per_client_hour;
    config.webhooks = webhooks(&args)?;
    // A test hook (tests/server_faults/retries.rs kills the process between commit and
    // response); only honoured when explicitly set to a number of milliseconds.
    config.pause_after_commit = std::env::var("SIGNUP_GUARD_TEST_PAUSE_AFTER_COMMIT_MS")
        .ok()
        .and_then(|ms| ms.trim().parse::<u64>().ok())
        .filter(|&ms| ms > 0)
        .map(Duration::from_millis);
    let limits = listen::Limits {
        header_read_timeout: Duration::from_secs(args.header_timeout.max(1)),
        max_connections: args.max_connections.max(1),
        ..listen::Limits::default()
    };
    let secret = std::env::var("SIGNUP_GUARD_SECRET").ok();
    let (state, writer) = AppState::open(config, &args.db, secret.as_deref())
        .map_err(|e| UsageError(e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| UsageError(format!("cannot start the runtime: {e}")))?;
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| UsageError(format!("cannot listen on {}: {e}", args.addr)))?;
        let local = listener
            .local_addr()
            .map_err(|e| UsageError(format!("cannot listen on {}: {e}", args.addr)))?;
        eprintln!(
            "signup-guard: listening on http://{local} (database {})",
            args.db.display()
        );
        server::log::info("listening", &local.to_string());
        listen::serve(listener, server::app(state), limits, shutdown_signal()).await;
        server::log::info("shutting_down", "draining the writer");
        Ok(())
    });
    // Dropping the runtime drops every handle to the writer; it commits its queue and stops.
    runtime.shutdown_timeout(Duration::from_secs(5));
    let _ = writer.join();
    served.map(|()| true)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
