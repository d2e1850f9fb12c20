//! From a submission to the writer's job: the bot checks, the verdict, the grants to log and the
//! metadata every consent event carries, and under double opt-in the request for a confirmation
//! mail. The rules are the core's (`validate_with`, `consent::grants`); this only assembles them
//! for the writer.

use super::error::ApiError;
use super::protect::{bot_check, BotCheck, BotSignals};
use super::AppState;
use crate::consent;
use crate::issue::{Code, Field, Issue};
use crate::store::{ConfirmMail, EventMeta, Grant, Submit};
use crate::submission::Submission;
use crate::validate_with;
use crate::verdict::Verdict;
use std::net::IpAddr;
use std::time::Duration;

/// Longest claimed client time kept in an event, in characters.
const MAX_CLAIMED: usize = 64;

/// What validation and the bot checks decide before anything is written.
pub(crate) enum Checked {
    Refused(Box<Verdict>),
    Store(Box<Submit>),
}

impl AppState {
    /// The context of an event received now.
    pub(crate) fn event_meta(
        &self,
        locale: &str,
        method: &'static str,
        user_agent: Option<String>,
    ) -> EventMeta {
        let cfg = self.config();
        EventMeta {
            policy_id: cfg.policy.id.clone(),
            policy_version: cfg.policy.version.clone(),
            policy_hash: self.0.policy_hash.clone(),
            locale: locale.to_owned(),
            method,
            received_at: cfg.clock.now(),
            claimed_at: None,
            user_agent,
        }
    }

    /// Bot checks, the verdict, and (when it is ok and names a person) the job to store.
    pub(crate) fn check(
        &self,
        sub: &Submission,
        signals: &BotSignals,
        method: &'static str,
        user_agent: Option<String>,
    ) -> Result<Checked, ApiError> {
        let cfg = self.config();
        match bot_check(signals, &self.0.keys, cfg.min_fill_ms, cfg.clock.unix_ms()) {
            BotCheck::Pass => {}
            BotCheck::TooSoon => return Err(ApiError::TooSoon),
            BotCheck::Reject => return Err(ApiError::Rejected),
        }
        let mut verdict = validate_with(sub, &cfg.policy);
        let contact = match verdict.contact.take() {
            Some(c) if verdict.ok => c,
            contact => {
                verdict.contact = contact;
                return Ok(Checked::Refused(Box::new(verdict)));
            }
        };
        if contact.dedup_key().is_none() {
            // A policy that requires neither email nor phone still needs one to store a person.
            let mut issue = Issue::new(Field::Email, Code::InputRequired);
            issue.render(&contact.locale);
            return Ok(Checked::Refused(Box::new(Verdict {
                ok: false,
                contact: None,
                issues: vec![issue],
            })));
        }
        let grants = consent::grants(&cfg.policy, &contact.consent, &contact.locale)
            .into_iter()
            .map(|g| Grant {
                purpose: g.purpose,
                text_hash: g.text_hash,
                required: g.required,
            })
            .collect();
        let mut meta = self.event_meta(&contact.locale, method, user_agent);
        meta.claimed_at = sub
            .consent
            .as_ref()
            .and_then(|c| c.collected_at.as_deref())
            .map(|c| c.chars().take(MAX_CLAIMED).collect());
        Ok(Checked::Store(Box::new(Submit {
            contact,
            warnings: verdict.issues,
            grants,
            meta,
            idempotency: None,
            confirm: None,
        })))
    }

    /// Under a policy with `"confirm": "email"`: the job stores a pending contact and asks for
    /// a confirmation mail, if `client` has not spent its hourly mail allowance.
    pub(crate) fn ask_confirmation(&self, job: &mut Submit, client: IpAddr) {
        let cfg = self.config();
        if !cfg.policy.confirms_by_email() {
            return;
        }
        job.confirm = Some(ConfirmMail {
            base_url: cfg.public_url.clone().unwrap_or_default(),
            within: Duration::from_secs(u64::from(cfg.policy.confirm_days()) * 86_400),
            client_may_mail: self.0.mail_limiter.check(client).is_ok(),
            now_ms: cfg.clock.unix_ms(),
        });
    }

    /// Wakes the mail sender when a stored signup queued a mail.
    pub(crate) fn mail_queued(&self, queued: bool) {
        if let (true, Some(wake)) = (queued, &self.0.mail_wake) {
            wake.now();
        }
    }
}
