//! Consent: one purpose, one separate unticked checkbox, one text per locale.
//!
//! Rules: only an explicit grant counts and absence is refusal; a purpose the policy marks
//! `required` must be granted; a grant must name this policy's id and version, a purpose the
//! policy has, and carry the SHA-256 of the exact text shown in the submission's locale; and a
//! granted purpose needs a valid contact for its channel (`email` → email, `sms` → mobile number,
//! `phone` → phone number).
//!
//! A contact that was typed but refused has its own error, so a grant that needs it adds none
//! (no consent error cascades from an email typo). Messages name purposes by their label in the
//! locale (else the text shown) and channels in words, never by id.
//!
//! A grant for another policy id or version is reported alone (`consent.policy_unknown`): the form
//! is stale and must be reloaded, so its other faults would only be noise. A purpose granted twice
//! counts once, and "SMS needs a mobile" is said once however many SMS purposes were granted.
//!
//! ```
//! use signup_guard::{validate_with, Policy, Submission, Code};
//! let policy = Policy::from_json(r#"{"id":"p","version":"1","purposes":[
//!   {"id":"newsletter","channel":"email","text":{"en":"Email me the newsletter."}}]}"#).unwrap();
//! let mut sub: Submission = serde_json::from_str(r#"{"email":"ani@example.org","consent":{
//!   "policy_id":"p","policy_version":"1","granted":["newsletter"],"shown":{"newsletter":"00"}}}"#).unwrap();
//! let v = validate_with(&sub, &policy);
//! assert_eq!(v.issues[0].code, Code::ConsentTextMismatch);
//! sub.consent.as_mut().unwrap().shown.insert("newsletter".into(), policy.text_hash("newsletter", "en").unwrap());
//! assert!(validate_with(&sub, &policy).ok);
//! ```

use crate::fields::phone::Phone;
use crate::issue::{Checked, Code, Field, Issue};
use crate::policy::{sha256_hex, Channel, Policy};
use crate::submission::ConsentClaim;

/// The consent part of a submission, as a form sends it: the purposes ticked, the SHA-256 of every
/// purpose text shown in `locale`, and the client's clock (`collected_at`, recorded as claimed).
/// The browser's `consentReceipt` and any other client build it here, so it verifies alike.
pub fn receipt(
    policy: &Policy,
    granted: Vec<String>,
    locale: &str,
    collected_at: Option<String>,
) -> ConsentClaim {
    ConsentClaim {
        policy_id: policy.id.clone(),
        policy_version: policy.version.clone(),
        granted,
        shown: policy
            .purposes
            .iter()
            .map(|p| (p.id.clone(), sha256_hex(p.text_for(locale))))
            .collect(),
        collected_at,
    }
}

/// One accepted purpose as the consent log records it: what was shown and whether it was required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The purpose id.
    pub purpose: String,
    /// SHA-256 (hex) of the text shown in the contact's locale.
    pub text_hash: String,
    /// Whether the form could not be sent without it.
    pub required: bool,
}

/// The grants to log for the purposes a verdict accepted (`Contact::consent`) in `locale`.
pub fn grants(policy: &Policy, accepted: &[String], locale: &str) -> Vec<Grant> {
    accepted
        .iter()
        .filter_map(|id| {
            let p = policy.purpose(id)?;
            Some(Grant {
                purpose: id.clone(),
                text_hash: sha256_hex(p.text_for(locale)),
                required: p.required,
            })
        })
        .collect()
}

/// What the consent rules need to know about the rest of the submission.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The negotiated locale whose texts were shown (`en`, `ar`, `fa` or `id`): the browser's
    /// `consentReceipt` and the server's consent log pick texts by the same locale.
    pub locale: &'a str,
    /// Whether the email field holds a valid address.
    pub email_valid: bool,
    /// The valid phone number, if any.
    pub phone: Option<&'a Phone>,
    /// Whether an email was typed but refused (its own error says what to fix).
    pub email_faulty: bool,
    /// Whether a phone number was typed but refused.
    pub phone_faulty: bool,
}

impl Context<'_> {
    /// Whether the contact `channel` needs was typed but has its own error: then "fill in a
    /// contact" would only repeat that error (and list Consent among the fields to fix).
    fn contact_faulty(&self, channel: Channel) -> bool {
        match channel {
            Channel::Email => self.email_faulty,
            Channel::Sms | Channel::Phone => self.phone_faulty,
        }
    }
}

/// Checks a consent claim against `policy`; the value is the accepted purpose ids in policy order.
pub fn check(
    claim: Option<&ConsentClaim>,
    policy: &Policy,
    ctx: Context<'_>,
) -> Checked<Vec<String>> {
    let mut issues = Vec::new();
    let granted: Vec<&str> = claim
        .map(|c| c.granted.iter().map(String::as_str).collect())
        .unwrap_or_default();
    if let Some(claim) = claim.filter(|_| !granted.is_empty()) {
        if claim.policy_id != policy.id || claim.policy_version != policy.version {
            let issue = Issue::new(Field::Consent, Code::ConsentPolicyUnknown)
                .with_param("policy_id", &claim.policy_id)
                .with_param("policy_version", &claim.policy_version);
            return Checked::error(issue);
        }
        for (i, id) in granted.iter().enumerate() {
            if granted[..i].contains(id) {
                continue;
            }
            let Some(purpose) = policy.purpose(id) else {
                issues.push(
                    Issue::new(Field::Consent, Code::ConsentUnknownPurpose)
                        .with_param("purpose", *id),
                );
                continue;
            };
            match claim.shown.get(*id) {
                None => issues.push(
                    Issue::new(Field::Consent, Code::ConsentTextMissing).with_param("purpose", *id),
                ),
                Some(hash) => {
                    let expected = policy.text_hash(id, ctx.locale).unwrap_or_default();
                    if !hash.trim().eq_ignore_ascii_case(&expected) {
                        issues.push(
                            Issue::new(Field::Consent, Code::ConsentTextMismatch)
                                .with_param("purpose", *id),
                        );
                    }
                }
            }
            let reachable = match purpose.channel {
                Channel::Email => ctx.email_valid,
                Channel::Phone => ctx.phone.is_some(),
                Channel::Sms => match ctx.phone {
                    Some(phone) if !phone.kind().can_receive_sms() => {
                        // Once, however many SMS purposes were granted.
                        if !issues.iter().any(|i| i.code == Code::PhoneNotMobile) {
                            issues.push(
                                Issue::new(Field::Phone, Code::PhoneNotMobile)
                                    .with_param("type", phone.kind().as_str()),
                            );
                        }
                        true
                    }
                    Some(_) => true,
                    None => false,
                },
            };
            if !reachable && !ctx.contact_faulty(purpose.channel) {
                let (channel, contact) =
                    crate::messages::channel_words(ctx.locale, purpose.channel);
                issues.push(
                    Issue::new(Field::Consent, Code::ConsentChannelMissing)
                        .with_param("purpose", *id)
                        .with_param("channel", purpose.channel.as_str())
                        .with_param("purpose_label", purpose.label_for(ctx.locale))
                        .with_param("channel_label", channel)
                        .with_param("contact_label", contact),
                );
            }
        }
    }
    for purpose in policy
        .purposes
        .iter()
        .filter(|p| p.required && !granted.contains(&p.id.as_str()))
    {
        issues.push(
            Issue::new(Field::Consent, Code::ConsentRequired)
                .with_param("purpose", &purpose.id)
                .with_param("purpose_label", purpose.label_for(ctx.locale)),
        );
    }
    let accepted = policy
        .purposes
        .iter()
        .filter(|p| granted.contains(&p.id.as_str()))
        .map(|p| p.id.clone())
        .collect();
    Checked::new(accepted, issues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{validate_with, Code, Submission};

    fn policy() -> Policy {
        Policy::from_json(include_str!("../www/policy.json")).unwrap()
    }

    /// A receipt built for the locale the form was shown in verifies; the same receipt claimed
    /// for another locale's texts does not (the hashes name the exact text seen).
    #[test]
    fn a_receipt_verifies_in_its_own_locale_only() {
        let policy = policy();
        let receipt = receipt(&policy, vec!["newsletter".into()], "fa", None);
        let mut sub = Submission {
            email: Some("ani@example.org".into()),
            given_name: Some("Ani".into()),
            country: Some("IR".into()),
            locale: Some("fa".into()),
            consent: Some(receipt),
            ..Default::default()
        };
        let v = validate_with(&sub, &policy);
        assert!(v.ok, "{:?}", v.issues);
        let contact = v.contact.unwrap();
        let logged = grants(&policy, &contact.consent, &contact.locale);
        assert_eq!(logged.len(), 1);
        assert_eq!(logged[0].purpose, "newsletter");
        assert_eq!(
            Some(&logged[0].text_hash),
            sub.consent.as_ref().unwrap().shown.get("newsletter")
        );
        sub.locale = Some("en".into());
        let v = validate_with(&sub, &policy);
        assert_eq!(v.issues[0].code, Code::ConsentTextMismatch);
    }
}
