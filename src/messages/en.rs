//! English messages (the fallback catalogue).
//!
//! House style for every locale: say what is wrong and how to fix it, in plain words, without
//! blaming the person; keep every `{placeholder}`.

use crate::issue::Code;
use crate::policy::Channel;

/// The English template for `code`.
pub(super) fn template(code: Code) -> &'static str {
    match code {
        Code::InputRequired => "Please fill in this field.",
        Code::InputTooLong => "This is too long. Please keep it to {max} characters or fewer.",
        Code::InputControlCharacter => "There is a hidden control character ({char}) at position {position}. Please delete it or retype this field.",
        Code::InputBidiControl => "There is a hidden text-direction character ({char}) at position {position}. Please delete it or retype this field.",
        Code::InputInvisibleCharacter => "There is an invisible character ({char}) at position {position}. Please delete it or retype this field.",
        Code::InputInvalidText => "Some characters could not be read. Please retype this field.",

        Code::EmailMultipleAddresses => "Please enter just one email address.",
        Code::EmailMissingAt => "An email address needs an @, like name@example.com.",
        Code::EmailLocalEmpty => "Please add the part before the @.",
        Code::EmailDomainEmpty => "Please add the part after the @, like gmail.com.",
        Code::EmailLocalTooLong => "The part before the @ is too long ({octets} bytes; the limit is {max}). Please check it or use a shorter address.",
        Code::EmailTooLong => "This email address is too long ({octets} bytes; the limit is {max}). Please use a shorter address.",
        Code::EmailLocalInvalidCharacter => "“{char}” can’t be used before the @ (position {position}). Please remove it or check the address.",
        Code::EmailLocalDot => "The part before the @ can’t start or end with a dot, or have two dots in a row. Please check the dots.",
        Code::EmailQuotedLocal => "Addresses with quotation marks aren’t accepted. Please use another address.",
        Code::EmailMixedScript => "The part before the @ mixes letters from different alphabets ({scripts}). Please check it.",
        Code::EmailIpLiteral => "Please use a domain name after the @, not an IP address.",
        Code::EmailDomainInvalidCharacter => "“{char}” can’t be used in the domain (position {position}). Please check the part after the @.",
        Code::EmailDomainInvalid => "“{domain}” is not a valid domain. Please check the part after the @.",
        Code::EmailDomainConfusable => "“{domain}” has look-alike letters ({scripts}), so it is easy to mistake for another domain. Please type the part after the @ again.",
        Code::EmailLabelTooLong => "Part of the domain is too long (the limit is {max} characters per part). Please check the part after the @.",
        Code::EmailDomainIncomplete => "“{domain}” is incomplete. It needs an ending like .com or .id.",
        Code::EmailTldNumeric => "“.{tld}” is not a domain ending. Please check the part after the @.",
        Code::EmailTldReserved => "“.{tld}” is reserved and can’t receive email. Please use your real address.",
        Code::EmailTldUnknown => "“.{tld}” is not a real domain ending. Please check the part after the @.",
        Code::EmailTypo => "Did you mean {suggestion}?",
        Code::EmailRoleAccount => "“{local}@” usually reaches a team, not a person. A personal address works best.",
        Code::EmailDisposable => "{domain} gives out temporary mailboxes, so our messages may stop reaching you. A permanent address works best.",
        Code::EmailNonAsciiMailbox => "This address uses non-Latin letters before the @. Some senders can’t deliver to it yet.",
        Code::EmailExtracted => "We used {extracted} from what you entered. Please check that it is right.",

        Code::PhoneInvalidCharacters => "A phone number can only have digits, spaces and + - . ( ) /. Please remove “{char}”.",
        Code::PhoneTooShort => "This phone number is too short. Please check the digits.",
        Code::PhoneTooLong => "This phone number is too long. Please check the digits.",
        Code::PhoneNeedsCountryCode => "Please add the country code, starting with +.",
        Code::PhoneInvalidCountryCode => "+{code} is not a country code. Please check the start of the number.",
        Code::PhoneInvalid => "This is not a valid phone number for {region}. Please check the digits.",
        Code::PhoneNotMobile => "Please enter a mobile number so we can send you text messages.",
        Code::PhoneTypeNotAllowed => "This kind of number ({type}) can’t be used here. Please enter a {allowed} number.",
        Code::EmailPending => "Checking this email address…",
        Code::PhonePending => "Checking this phone number…",

        Code::NameDigitsOnly => "A name can’t be only digits. Please write your name with letters.",
        Code::NameUrl => "A name can’t contain a web address. Please enter just your name.",
        Code::NameAtSign => "A name can’t contain @. If this is your email address, please put it in the email field.",
        Code::NameInvalidCharacter => "“{char}” can’t be used in a name (position {position}). Please remove it.",
        Code::NameNoLetters => "Please write your name with letters.",

        Code::CountryUnknown => "“{value}” is not a country we know. Please choose one from the list.",

        Code::CustomRequired => "Please fill in “{label}”.",
        Code::CustomInvalid => "“{label}” has a value of the wrong kind. Please enter it again.",
        Code::CustomTooShort => "“{label}” is too short. Please write at least {min} characters.",
        Code::CustomTooLong => "“{label}” is too long. Please keep it to {max} characters or fewer.",
        Code::CustomPattern => "“{label}” is not in the expected format. Please check it.",
        Code::CustomNotAnOption => "“{value}” is not one of the choices for “{label}”. Please choose from the list.",
        Code::CustomNotANumber => "“{label}” needs a whole number, like 12.",
        Code::CustomTooSmall => "“{label}” must be {min} or more.",
        Code::CustomTooLarge => "“{label}” must be {max} or less.",
        Code::CustomNotADate => "“{label}” needs a date written year-month-day, like 2026-12-31.",
        Code::CustomNotAUrl => "“{label}” needs a web address starting with https://.",

        Code::ConsentRequired => "Please tick this box to continue: “{purpose_label}”",
        Code::ConsentUnknownPurpose => "“{purpose}” is not something you can sign up for here. Please reload the page and try again.",
        Code::ConsentPolicyUnknown => "This form is out of date. Please reload the page and try again.",
        Code::ConsentTextMismatch => "The consent text changed while you were on the page. Please reload and tick again.",
        Code::ConsentTextMissing => "We could not confirm which consent text you saw. Please reload and tick again.",
        Code::ConsentChannelMissing => "To receive “{purpose_label}” by {channel_label}, please also fill in your {contact_label}.",

        Code::SubmissionMalformed => "The form could not be read. Please try again.",
        Code::SubmissionUnknownField => "The form sent something unexpected (“{key}”). Please reload and try again.",
        Code::SubmissionRejected => "We couldn’t accept this form. Please wait a moment and try again.",
        Code::SubmissionTooLarge => "The form is too large to send. Please shorten what you typed and try again.",
        Code::SubmissionUnsupportedType => "The form was sent in a format we cannot read. Please reload the page and try again.",
        Code::SubmissionRateLimited => "Too many attempts from your connection. Please wait a minute and try again.",
        Code::SubmissionUnavailable => "Something went wrong on our side, and nothing was saved. Please try again in a moment.",
        Code::SubmissionKeyReused => "This request repeats an earlier one with different content. Please reload the page and send the form again.",
        Code::SubmissionInProgress => "This form is already being sent. Please wait a moment.",
        Code::SubmissionTokenInvalid => "This unsubscribe link is not valid. Please use the latest link from our messages.",
        Code::AdminUnauthorized => "This needs the operator's admin token.",
    }
}
/// The English words for a channel: how it reaches the person, and the contact it needs.
pub(super) fn channel(channel: Channel) -> (&'static str, &'static str) {
    match channel {
        Channel::Email => ("email", "email address"),
        Channel::Sms => ("SMS", "mobile number"),
        Channel::Phone => ("phone", "phone number"),
    }
}
