//! The kind of line a number belongs to (its own file: the browser's phone engine module,
//! `crates/phone-engine`, compiles it too).

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

    /// Every type, in declaration order (a native test checks the names against serde's).
    pub const ALL: [PhoneType; 11] = [
        PhoneType::Mobile,
        PhoneType::FixedLine,
        PhoneType::FixedLineOrMobile,
        PhoneType::TollFree,
        PhoneType::PremiumRate,
        PhoneType::SharedCost,
        PhoneType::Voip,
        PhoneType::PersonalNumber,
        PhoneType::Pager,
        PhoneType::Uan,
        PhoneType::Voicemail,
    ];

    /// The type with wire name `name` (what [`PhoneType::as_str`] gives).
    pub fn from_wire(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// Whether a number of this type can receive SMS (mobile, or possibly mobile).
    pub const fn can_receive_sms(self) -> bool {
        matches!(self, PhoneType::Mobile | PhoneType::FixedLineOrMobile)
    }
}
