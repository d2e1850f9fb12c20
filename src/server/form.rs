//! Request bodies into a [`Submission`]: strict JSON (unknown keys, duplicate keys and wrong types
//! refused, never pre-parsed into a `Value`), and the plain HTML form's fields.
//!
//! Form fields: `email`, `phone`, `given_name`, `family_name`, `country`, `locale`, `consent`
//! (repeated, one per ticked box), `consent_shown.PURPOSE`, `policy_id`, `policy_version`,
//! `collected_at`, `custom.ID` (a field the policy defines; repeated for a multi-select's ticked
//! boxes), the bot signals `sg_hp` and `sg_t`, `sg_return` (the page to go back to; honoured only
//! for allowed origins), and where the signup came from: `source.path`, `source.utm_source` …
//! `source.utm_content`, `source.form_id`. Any other field is refused.

use super::error::ApiError;
use super::protect::BotSignals;
use crate::custom::CustomValue;
use crate::source::Source;
use crate::submission::{ConsentClaim, Submission, SubmissionError};

/// Most fields a form may carry (a bound on work per request).
const MAX_FIELDS: usize = 256;

fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Parses a JSON body as exactly one [`Submission`] (the core's rules, the core's codes).
pub(super) fn parse_json(body: &[u8]) -> Result<Submission, ApiError> {
    Submission::from_json_bytes(body).map_err(|e| match e {
        SubmissionError::UnknownField(key) => ApiError::UnknownField(key),
        SubmissionError::InvalidText => ApiError::InvalidText,
        SubmissionError::Malformed(detail) => ApiError::Malformed(detail),
    })
}

/// A form post: the submission and its bot signals.
#[derive(Debug)]
pub(super) struct FormPost {
    /// The fields as a submission.
    pub submission: Submission,
    /// The honeypot and the render stamp.
    pub signals: BotSignals,
    /// `sg_return`: the page the form was on, as the form claims it (checked before use).
    pub return_to: Option<String>,
}

fn set(slot: &mut Option<String>, key: &str, value: &str) -> Result<(), ApiError> {
    match slot {
        Some(old) if old != value => Err(ApiError::Malformed(format!(
            "the field {} appears twice with different values",
            clip(key, 64)
        ))),
        _ => {
            *slot = Some(value.to_owned());
            Ok(())
        }
    }
}

/// The index in [`crate::source::KEYS`] of a `source.KEY` form field.
fn source_key(field: &str) -> Option<usize> {
    let key = field.strip_prefix("source.")?;
    crate::source::KEYS.iter().position(|k| *k == key)
}

/// Parses an `application/x-www-form-urlencoded` body.
pub(super) fn parse_form(body: &[u8]) -> Result<FormPost, ApiError> {
    if std::str::from_utf8(body).is_err() {
        return Err(ApiError::InvalidText);
    }
    let mut sub = Submission::default();
    let mut claim = ConsentClaim::default();
    let mut has_claim = false;
    let (mut policy_id, mut policy_version, mut collected_at) = (None, None, None);
    let mut return_to = None;
    let mut signals = BotSignals {
        stamp_required: true,
        ..BotSignals::default()
    };
    for (n, (key, value)) in form_urlencoded::parse(body).enumerate() {
        if n >= MAX_FIELDS {
            return Err(ApiError::Malformed("too many fields".into()));
        }
        // Percent-decoding replaces invalid UTF-8 with U+FFFD: never a character a person types here.
        if key.contains('\u{FFFD}') || value.contains('\u{FFFD}') {
            return Err(ApiError::InvalidText);
        }
        let v = value.as_ref();
        match key.as_ref() {
            "email" => set(&mut sub.email, &key, v)?,
            "phone" => set(&mut sub.phone, &key, v)?,
            "given_name" => set(&mut sub.given_name, &key, v)?,
            "family_name" => set(&mut sub.family_name, &key, v)?,
            "country" => set(&mut sub.country, &key, v)?,
            "locale" => set(&mut sub.locale, &key, v)?,
            "policy_id" => set(&mut policy_id, &key, v)?,
            "policy_version" => set(&mut policy_version, &key, v)?,
            "collected_at" => set(&mut collected_at, &key, v)?,
            "sg_hp" => set(&mut signals.honeypot, &key, v)?,
            "sg_t" => set(&mut signals.stamp, &key, v)?,
            "sg_return" => set(&mut return_to, &key, v)?,
            "consent" => {
                has_claim = true;
                if !claim.granted.iter().any(|g| g == v) {
                    claim.granted.push(v.to_owned());
                }
            }
            k if k.starts_with("custom.") => {
                let id = &k["custom.".len()..];
                let value = match sub.custom.remove(id) {
                    None => CustomValue::Text(v.to_owned()),
                    Some(CustomValue::Text(first)) => CustomValue::List(vec![first, v.to_owned()]),
                    Some(CustomValue::List(mut items)) => {
                        items.push(v.to_owned());
                        CustomValue::List(items)
                    }
                    Some(other) => other,
                };
                sub.custom.insert(id.to_owned(), value);
            }
            k if k.starts_with("source.") => match source_key(k) {
                Some(i) => set(sub.source.get_or_insert_with(Source::default).slot(i), k, v)?,
                None => return Err(ApiError::UnknownField(clip(k, 64))),
            },
            k => match k.strip_prefix("consent_shown.") {
                Some(purpose) => {
                    has_claim = true;
                    let mut slot = claim.shown.get(purpose).cloned();
                    set(&mut slot, k, v)?;
                    claim.shown.insert(purpose.to_owned(), v.to_owned());
                }
                None => return Err(ApiError::UnknownField(clip(k, 64))),
            },
        }
    }
    // Empty inputs are absent, as a browser sends every field of the form.
    for slot in [
        &mut sub.email,
        &mut sub.phone,
        &mut sub.given_name,
        &mut sub.family_name,
        &mut sub.country,
        &mut sub.locale,
    ] {
        if slot.as_deref() == Some("") {
            *slot = None;
        }
    }
    if has_claim || policy_id.is_some() {
        claim.policy_id = policy_id.unwrap_or_default();
        claim.policy_version = policy_version.unwrap_or_default();
        claim.collected_at = collected_at.filter(|c| !c.is_empty());
        sub.consent = Some(claim);
    }
    Ok(FormPost {
        submission: sub,
        signals,
        return_to: return_to.filter(|r| !r.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_become_a_submission_with_a_consent_claim() {
        let post = parse_form(
            b"email=jane%40example.org&phone=&consent=newsletter&consent_shown.newsletter=ab\
              &consent_shown.sms_offers=cd&policy_id=acme&policy_version=3&sg_hp=&sg_t=1.2",
        )
        .unwrap();
        let s = post.submission;
        assert_eq!(s.email.as_deref(), Some("jane@example.org"));
        assert_eq!(s.phone, None);
        let c = s.consent.unwrap();
        assert_eq!(c.granted, ["newsletter"]);
        assert_eq!(c.shown.len(), 2);
        assert_eq!(post.signals.honeypot.as_deref(), Some(""));
    }

    #[test]
    fn unknown_duplicate_and_undecodable_fields_are_refused() {
        assert!(matches!(parse_form(b"emali=x"), Err(ApiError::UnknownField(k)) if k == "emali"));
        assert!(matches!(
            parse_form(b"email=a&email=b"),
            Err(ApiError::Malformed(_))
        ));
        assert!(parse_form(b"email=a&email=a").is_ok());
        assert_eq!(parse_form(b"email=%FF").unwrap_err(), ApiError::InvalidText);
        assert_eq!(
            parse_form(b"email=\xff").unwrap_err(),
            ApiError::InvalidText
        );
    }

    #[test]
    fn custom_fields_are_read_and_repeated_ones_become_a_list() {
        let s = parse_form(
            b"email=a%40b.example&custom.company=Acme&custom.interests=a&custom.interests=b",
        )
        .unwrap()
        .submission;
        assert_eq!(s.custom["company"], CustomValue::Text("Acme".into()));
        assert_eq!(
            s.custom["interests"],
            CustomValue::List(vec!["a".into(), "b".into()])
        );
    }

    #[test]
    fn source_fields_fill_the_submission_source_and_unknown_ones_are_refused() {
        let post = parse_form(b"email=a%40b.example&source.path=%2Fspring&source.utm_source=news")
            .unwrap();
        let source = post.submission.source.unwrap();
        assert_eq!(source.path.as_deref(), Some("/spring"));
        assert_eq!(source.utm_source.as_deref(), Some("news"));
        assert!(
            matches!(parse_form(b"source.utm_id=x"), Err(ApiError::UnknownField(k)) if k == "source.utm_id")
        );
    }

    #[test]
    fn json_errors_keep_their_kind() {
        assert!(
            matches!(parse_json(br#"{"emial":"x"}"#), Err(ApiError::UnknownField(k)) if k == "emial")
        );
        assert!(matches!(
            parse_json(br#"{"email":"a","email":"b"}"#),
            Err(ApiError::Malformed(_))
        ));
        assert_eq!(
            parse_json(br#"{"email":"\ud800"}"#).unwrap_err(),
            ApiError::InvalidText
        );
        assert!(matches!(
            parse_json(br#"{"email":1e999}"#),
            Err(ApiError::Malformed(_))
        ));
        assert!(matches!(
            parse_json(br#"["a@b.example"]"#),
            Err(ApiError::Malformed(_))
        ));
    }
}
