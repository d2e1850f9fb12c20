//! Phone (placeholder: replaced by the metadata-table engine of DESIGN §3).

use crate::fields::country::Country;
use crate::issue::{Checked, Code, Field, Issue};
use serde::{Deserialize, Serialize};

/// The kind of line a number belongs to, as libphonenumber names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneType {
    /// A mobile number.
    Mobile,
    /// A landline.
    FixedLine,
    /// Either (regions where the two cannot be told apart, like US).
    FixedLineOrMobile,
    /// Free to call.
    TollFree,
    /// Charged above normal rates.
    PremiumRate,
    /// Cost shared between caller and receiver.
    SharedCost,
    /// Internet telephony.
    Voip,
    /// A personal number that forwards elsewhere.
    PersonalNumber,
    /// A pager.
    Pager,
    /// A company's universal access number.
    Uan,
    /// Direct to voicemail.
    Voicemail,
}

impl PhoneType {
    /// The wire name (`"fixed_line"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            PhoneType::Mobile => "mobile",
            PhoneType::FixedLine => "fixed_line",
            PhoneType::FixedLineOrMobile => "fixed_line_or_mobile",
            PhoneType::TollFree => "toll_free",
            PhoneType::PremiumRate => "premium_rate",
            PhoneType::SharedCost => "shared_cost",
            PhoneType::Voip => "voip",
            PhoneType::PersonalNumber => "personal_number",
            PhoneType::Pager => "pager",
            PhoneType::Uan => "uan",
            PhoneType::Voicemail => "voicemail",
        }
    }

    /// Whether a number of this type can receive SMS (mobile, or possibly mobile).
    pub const fn can_receive_sms(self) -> bool {
        matches!(self, PhoneType::Mobile | PhoneType::FixedLineOrMobile)
    }
}

/// A valid phone number; only [`parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone {
    e164: String,
    international: String,
    national: String,
    region: Country,
    kind: PhoneType,
    extension: Option<String>,
}

impl Phone {
    /// E.164 for storage (`+6281234567890`).
    pub fn e164(&self) -> &str {
        &self.e164
    }
    /// International format for display (`+62 812-3456-7890`).
    pub fn international(&self) -> &str {
        &self.international
    }
    /// National format for display (`0812-3456-7890`).
    pub fn national(&self) -> &str {
        &self.national
    }
    /// The region the number belongs to.
    pub fn region(&self) -> Country {
        self.region
    }
    /// The line type.
    pub fn kind(&self) -> PhoneType {
        self.kind
    }
    /// The extension, kept apart from the number.
    pub fn extension(&self) -> Option<&str> {
        self.extension.as_deref()
    }
}

/// Checks a phone number, reading national numbers as numbers of `default_region`.
pub fn parse(input: &str, default_region: Option<Country>) -> Checked<Phone> {
    let _ = (input, default_region);
    Checked::error(Issue::new(Field::Phone, Code::PhoneUnsupported))
}

/// The issue for a number whose type the policy does not accept (`allowed` empty accepts all).
pub fn check_type(phone: &Phone, allowed: &[PhoneType]) -> Option<Issue> {
    if allowed.is_empty() || allowed.contains(&phone.kind) {
        return None;
    }
    let only_mobile = allowed.iter().all(|t| t.can_receive_sms());
    if only_mobile && !phone.kind.can_receive_sms() {
        return Some(
            Issue::new(Field::Phone, Code::PhoneNotMobile).with_param("type", phone.kind.as_str()),
        );
    }
    if allowed.contains(&PhoneType::Mobile) && phone.kind == PhoneType::FixedLineOrMobile {
        return None;
    }
    let names: Vec<&str> = allowed.iter().map(|t| t.as_str()).collect();
    Some(
        Issue::new(Field::Phone, Code::PhoneTypeNotAllowed)
            .with_param("type", phone.kind.as_str())
            .with_param("allowed", names.join(", ")),
    )
}
