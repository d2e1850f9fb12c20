//! The codes: every stable `family.reason` an issue can carry, with its default severity, its
//! wire form and its place in the catalogues (`Code::ALL`). One list, so a new code is one line;
//! a line that ends in `, form;` is a code only a check of the whole form finds
//! ([`Code::whole_form`]).

use super::Severity;
use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! codes {
    (@form form) => { true };
    (@form) => { false };
    (@field form) => { 0 };
    (@field) => { 1 };
    ($( $(#[$doc:meta])* $variant:ident = $s:literal, $sev:ident $(, $form:ident)?; )*) => {
        /// A stable machine code `family.reason`; the catalogues have a message for each.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $( $(#[$doc])* $variant, )* }

        impl Code {
            /// Every code, in declaration order (the catalogue test walks this list).
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The wire form, e.g. `"email.tld_unknown"`.
            pub const fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $s, )* }
            }

            /// Whether this code blocks (error) or advises (warning); fixed per code.
            pub const fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }

            /// How many codes a field's check can find: those before the first `, form;` line.
            const FIELD_CODES: usize = 0 $( + codes!(@field $($form)?) )*;

            /// Whether only a check of the whole form finds this code (custom fields, consent, the
            /// submission, the disposable list): the verifier and `validate`, never a field's check.
            /// Its words ship in a catalogue file of their own, which the drop-in never loads.
            pub const fn whole_form(self) -> bool {
                // One comparison, which the drop-in's build folds into the catalogue's `match`.
                self as usize >= Self::FIELD_CODES
            }

            /// The `, form;` marks, line by line.
            const fn marked(self) -> bool {
                match self { $( Code::$variant => codes!(@form $($form)?), )* }
            }

            /// Parses the wire form back into a code.
            pub fn from_wire(s: &str) -> Option<Code> {
                match s { $( $s => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

codes! {
    // ---- any text field: hygiene (see `hygiene`) ----
    /// A required field is empty.
    InputRequired = "input.required", Error;
    /// The value is longer than the input bound or the policy's limit (`max`).
    InputTooLong = "input.too_long", Error;
    /// A control character inside the value (`position`, `char`).
    InputControlCharacter = "input.control_character", Error;
    /// A bidi embedding, override or isolate inside the value (`position`, `char`).
    InputBidiControl = "input.bidi_control", Error;
    /// An invisible character (zero-width space, soft hyphen…) inside the value (`position`, `char`).
    InputInvisibleCharacter = "input.invisible_character", Error;
    /// The text is not valid Unicode (a lone surrogate from JavaScript, invalid UTF-8).
    InputInvalidText = "input.invalid_text", Error;

    // ---- email ----
    /// More than one address in the field.
    EmailMultipleAddresses = "email.multiple_addresses", Error;
    /// No `@` at all.
    EmailMissingAt = "email.missing_at", Error;
    /// Nothing before the `@`.
    EmailLocalEmpty = "email.local_empty", Error;
    /// Nothing after the `@`.
    EmailDomainEmpty = "email.domain_empty", Error;
    /// Local part over 64 octets (`max`, `octets`).
    EmailLocalTooLong = "email.local_too_long", Error;
    /// Whole address over 254 octets (`max`, `octets`).
    EmailTooLong = "email.too_long", Error;
    /// A character not allowed before the `@` (`char`, `position`).
    EmailLocalInvalidCharacter = "email.local_invalid_character", Error;
    /// A dot at the start or end of the mailbox, or two dots in a row.
    EmailLocalDot = "email.local_dot", Error;
    /// A quoted mailbox (`"john"@…`), which almost no provider accepts.
    EmailQuotedLocal = "email.quoted_local", Error;
    /// Letters from scripts that should not mix, a spoofing pattern (`scripts`).
    EmailMixedScript = "email.mixed_script", Error;
    /// An IP address instead of a domain name.
    EmailIpLiteral = "email.ip_literal", Error;
    /// A character not allowed in a domain (`char`, `position`).
    EmailDomainInvalidCharacter = "email.domain_invalid_character", Error;
    /// The domain is not a valid (internationalized) host name (`domain`).
    EmailDomainInvalid = "email.domain_invalid", Error;
    /// The domain passes for another with look-alike letters (UTS #39: a script mix, or a
    /// provider's name spelled in another script) (`domain`, `scripts`); the suggestion is the
    /// provider it imitates, when there is one.
    EmailDomainConfusable = "email.domain_confusable", Error;
    /// One part of the domain is over 63 octets (`label`, `max`).
    EmailLabelTooLong = "email.label_too_long", Error;
    /// The domain has one label only (`domain`), like `localhost`.
    EmailDomainIncomplete = "email.domain_incomplete", Error;
    /// The ending is all digits (`tld`).
    EmailTldNumeric = "email.tld_numeric", Error;
    /// The ending is reserved for tests, documentation or local networks (`tld`).
    EmailTldReserved = "email.tld_reserved", Error;
    /// The ending is not in the IANA root zone (`tld`).
    EmailTldUnknown = "email.tld_unknown", Error;
    /// The domain looks like a misspelled mailbox provider (`domain`, `suggestion`).
    EmailTypo = "email.typo", Warning;
    /// A role mailbox (`info@`, `admin@`) rather than a person (`local`).
    EmailRoleAccount = "email.role_account", Warning;
    /// The mailbox uses non-ASCII letters, which some senders cannot reach.
    EmailNonAsciiMailbox = "email.non_ascii_mailbox", Warning;
    /// The address was taken out of `mailto:` or `Name <addr>` (`extracted`).
    EmailExtracted = "email.extracted", Warning;

    /// Not a verdict: a data file this address needs (`data`: the email data file,
    /// `email.<hash>.txt`, for the root zone beyond the most common endings and, in the drop-in's
    /// module, the providers and role names; or the Unicode tables) is not loaded yet. Only
    /// browser builds, which load them on demand, ever say this.
    EmailPending = "email.pending", Error;

    // ---- phone ----
    /// Letters or symbols a phone number cannot contain (`char`).
    PhoneInvalidCharacters = "phone.invalid_characters", Error;
    /// Too few digits to be a phone number.
    PhoneTooShort = "phone.too_short", Error;
    /// Too many digits to be a phone number.
    PhoneTooLong = "phone.too_long", Error;
    /// No country code and no country to assume.
    PhoneNeedsCountryCode = "phone.needs_country_code", Error;
    /// The country calling code does not exist (`code`).
    PhoneInvalidCountryCode = "phone.invalid_country_code", Error;
    /// The digits are not a valid number in that country (`region`).
    PhoneInvalid = "phone.invalid", Error;
    /// A mobile number is needed (policy or SMS consent) (`type`).
    PhoneNotMobile = "phone.not_mobile", Error;
    /// The number's type is not one the policy accepts (`type`, `allowed`).
    PhoneTypeNotAllowed = "phone.type_not_allowed", Error;
    /// Not a verdict: the phone data this number needs (`data`, a `phone-<code>.<hash>.bin` file)
    /// is not loaded yet. Only browser builds, which load it on demand, ever say this.
    PhonePending = "phone.pending", Error;

    // ---- names (given_name, family_name) ----
    /// Only digits, no letters.
    NameDigitsOnly = "name.digits_only", Error;
    /// A web address in a name (a spam pattern).
    NameUrl = "name.url", Error;
    /// An `@` in a name (an address in the wrong field, or spam).
    NameAtSign = "name.at_sign", Error;
    /// A character names do not contain (`char`, `position`).
    NameInvalidCharacter = "name.invalid_character", Error;
    /// No letter at all (only punctuation).
    NameNoLetters = "name.no_letters", Error;

    // ---- country ----
    /// Not an ISO 3166-1 alpha-2 code (`value`).
    CountryUnknown = "country.unknown", Error;

    // ---- found only by a check of the whole form (`, form;`): the verifier and `validate` ----
    // (the disposable list is the server's; custom fields, consent and the submission need the
    // whole form). They come last, so that `Code::whole_form` is one comparison.
    /// A throwaway mailbox service (`domain`); native builds only.
    EmailDisposable = "email.disposable", Warning, form;

    // ---- fields the policy defines (each issue also has `field`, the id, and `label`) ----
    /// A required custom field is empty, unticked or has no option chosen.
    CustomRequired = "custom.required", Error, form;
    /// The value has the wrong type for the field (a list for a text, a word for a checkbox).
    CustomInvalid = "custom.invalid", Error, form;
    /// Shorter than the field's `min_chars` (`min`).
    CustomTooShort = "custom.too_short", Error, form;
    /// Longer than the field's `max_chars` (`max`).
    CustomTooLong = "custom.too_long", Error, form;
    /// The text does not match the field's `pattern`.
    CustomPattern = "custom.pattern", Error, form;
    /// Not one of the field's options (`value`).
    CustomNotAnOption = "custom.not_an_option", Error, form;
    /// Not a whole number (`value`).
    CustomNotANumber = "custom.not_a_number", Error, form;
    /// Below the field's `min` (`min`).
    CustomTooSmall = "custom.too_small", Error, form;
    /// Above the field's `max` (`max`).
    CustomTooLarge = "custom.too_large", Error, form;
    /// Not a date written `YYYY-MM-DD` (`value`).
    CustomNotADate = "custom.not_a_date", Error, form;
    /// Not an `http://` or `https://` web address (`value`).
    CustomNotAUrl = "custom.not_a_url", Error, form;

    // ---- consent ----
    /// A purpose the policy marks required was not granted (`purpose`).
    ConsentRequired = "consent.required", Error, form;
    /// A granted purpose the policy does not have (`purpose`).
    ConsentUnknownPurpose = "consent.unknown_purpose", Error, form;
    /// The consent names another policy or version than the one in force (`policy_id`, `policy_version`).
    ConsentPolicyUnknown = "consent.policy_unknown", Error, form;
    /// The hash of the text shown differs from the policy's text (`purpose`).
    ConsentTextMismatch = "consent.text_mismatch", Error, form;
    /// A granted purpose has no hash of the text shown (`purpose`).
    ConsentTextMissing = "consent.text_missing", Error, form;
    /// A granted purpose needs a contact for its channel (`purpose`, `channel`).
    ConsentChannelMissing = "consent.channel_missing", Error, form;

    // ---- the submission as a whole ----
    /// The body is not valid JSON or form data of the expected shape (`detail`).
    SubmissionMalformed = "submission.malformed", Error, form;
    /// A key the format does not know (`key`).
    SubmissionUnknownField = "submission.unknown_field", Error, form;
    /// The form could not be accepted (honeypot or too fast); deliberately vague.
    SubmissionRejected = "submission.rejected", Error, form;
    /// The request body is over the size limit (`max_bytes`).
    SubmissionTooLarge = "submission.too_large", Error, form;
    /// The request's content type is neither JSON nor form data.
    SubmissionUnsupportedType = "submission.unsupported_type", Error, form;
    /// Too many requests from one client; wait and retry.
    SubmissionRateLimited = "submission.rate_limited", Error, form;
    /// The service cannot store anything right now (disk full, overloaded, internal fault); nothing was saved.
    SubmissionUnavailable = "submission.unavailable", Error, form;
    /// The same `Idempotency-Key` came with a different payload.
    SubmissionKeyReused = "submission.key_reused", Error, form;
    /// A request with the same `Idempotency-Key` is still being processed.
    SubmissionInProgress = "submission.in_progress", Error, form;
    /// The unsubscribe link is not valid.
    SubmissionTokenInvalid = "submission.token_invalid", Error, form;
    /// The admin API was called without the operator's bearer token, or with a wrong one.
    AdminUnauthorized = "admin.unauthorized", Error, form;
}

// The marked codes are the last ones, so `whole_form` (a comparison) says what the marks say.
const _: () = {
    let mut i = 0;
    while i < Code::ALL.len() {
        assert!(Code::ALL[i].marked() == Code::ALL[i].whole_form());
        i += 1;
    }
};

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Code::from_wire(&s).ok_or_else(|| de::Error::custom(format!("unknown code {s:?}")))
    }
}
