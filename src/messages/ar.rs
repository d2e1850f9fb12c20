//! Arabic messages (Modern Standard Arabic, right to left).
//!
//! `\u{200E}` (LEFT-TO-RIGHT MARK) sits before fixed Latin fragments that open with a neutral
//! sign (`.com`, `+ - . ( ) /`) so they keep their order inside right-to-left text. Every
//! `{value}` is isolated when rendered (see `messages::render`); a fixed sign that belongs to a
//! value (`.{tld}`, `+{code}`, `{local}@`) sits with it inside a left-to-right isolate
//! (U+2066 … U+2069), so the sign stays on the value's side.

use crate::issue::Code;
use crate::policy::Channel;

/// The Arabic template for `code`.
pub(super) fn template(code: Code) -> &'static str {
    match code {
        Code::InputRequired => "يُرجى ملء هذا الحقل.",
        Code::InputTooLong => "النص أطول من اللازم. يُرجى ألّا يتجاوز {max} حرفًا.",
        Code::InputControlCharacter => "يوجد حرف تحكّم مخفي ({char}) في الموضع {position}. يُرجى حذفه أو إعادة كتابة هذا الحقل.",
        Code::InputBidiControl => "يوجد حرف مخفي يغيّر اتجاه النص ({char}) في الموضع {position}. يُرجى حذفه أو إعادة كتابة هذا الحقل.",
        Code::InputInvisibleCharacter => "يوجد حرف غير مرئي ({char}) في الموضع {position}. يُرجى حذفه أو إعادة كتابة هذا الحقل.",
        Code::InputInvalidText => "تعذّرت قراءة بعض الأحرف. يُرجى إعادة كتابة هذا الحقل.",

        Code::EmailMultipleAddresses => "يُرجى إدخال عنوان بريد إلكتروني واحد فقط.",
        Code::EmailMissingAt => "يجب أن يحتوي عنوان البريد الإلكتروني على الرمز @، مثل name@example.com.",
        Code::EmailLocalEmpty => "يُرجى إضافة الجزء الذي يسبق الرمز @.",
        Code::EmailDomainEmpty => "يُرجى إضافة الجزء الذي يلي الرمز @، مثل gmail.com.",
        Code::EmailLocalTooLong => "الجزء الذي يسبق @ طويل جدًا ({octets} بايت، والحد الأقصى {max}). يُرجى التحقق منه أو استخدام عنوان أقصر.",
        Code::EmailTooLong => "عنوان البريد الإلكتروني هذا طويل جدًا ({octets} بايت، والحد الأقصى {max}). يُرجى استخدام عنوان أقصر.",
        Code::EmailLocalInvalidCharacter => "لا يمكن استخدام «{char}» قبل الرمز @ (الموضع {position}). يُرجى حذفه أو التحقق من العنوان.",
        Code::EmailLocalDot => "لا يجوز أن يبدأ الجزء الذي يسبق @ بنقطة أو ينتهي بها، ولا أن يحتوي على نقطتين متتاليتين. يُرجى التحقق من النقاط.",
        Code::EmailQuotedLocal => "لا تُقبل العناوين التي تحتوي على علامات اقتباس. يُرجى استخدام عنوان آخر.",
        Code::EmailMixedScript => "يجمع الجزء الذي يسبق @ بين حروف من أبجديات مختلفة ({scripts}). يُرجى التحقق منه.",
        Code::EmailIpLiteral => "يُرجى كتابة اسم نطاق بعد الرمز @، لا عنوان IP.",
        Code::EmailDomainInvalidCharacter => "لا يمكن استخدام «{char}» في اسم النطاق (الموضع {position}). يُرجى التحقق من الجزء الذي يلي @.",
        Code::EmailDomainInvalid => "النطاق «{domain}» غير صالح. يُرجى التحقق من الجزء الذي يلي @.",
        Code::EmailDomainConfusable => "يحتوي النطاق «{domain}» على حروف متشابهة في الشكل ({scripts})، لذا يسهل الخلط بينه وبين نطاق آخر. يُرجى إعادة كتابة الجزء الذي يلي @.",
        Code::EmailLabelTooLong => "أحد أجزاء النطاق طويل جدًا (الحد الأقصى {max} حرفًا لكل جزء). يُرجى التحقق من الجزء الذي يلي @.",
        Code::EmailDomainIncomplete => "النطاق «{domain}» غير مكتمل، فهو يحتاج إلى امتداد مثل \u{200E}.com أو \u{200E}.sa.",
        Code::EmailTldNumeric => "الامتداد «\u{2066}.{tld}\u{2069}» غير صالح لأنه يتكوّن من أرقام فقط. يُرجى التحقق من الجزء الذي يلي @.",
        Code::EmailTldReserved => "الامتداد «\u{2066}.{tld}\u{2069}» محجوز ولا يستقبل البريد. يُرجى استخدام عنوانك الحقيقي.",
        Code::EmailTldUnknown => "لا يوجد امتداد نطاق حقيقي باسم «\u{2066}.{tld}\u{2069}». يُرجى التحقق من الجزء الذي يلي @.",
        Code::EmailTypo => "هل تقصد {suggestion}؟",
        Code::EmailRoleAccount => "العنوان «\u{2066}{local}@\u{2069}» يصل عادةً إلى فريق لا إلى شخص بعينه. يُفضَّل استخدام عنوان شخصي.",
        Code::EmailDisposable => "يقدّم {domain} صناديق بريد مؤقتة، لذا قد تتوقف رسائلنا عن الوصول إليك. يُفضَّل استخدام عنوان دائم.",
        Code::EmailNonAsciiMailbox => "يستخدم هذا العنوان حروفًا غير لاتينية قبل @، ولا تستطيع بعض خدمات البريد الإرسال إليه حتى الآن.",
        Code::EmailExtracted => "استخدمنا {extracted} مما أدخلته. يُرجى التأكد من صحته.",

        Code::PhoneInvalidCharacters => "لا يمكن أن يحتوي رقم الهاتف إلا على أرقام ومسافات والرموز \u{200E}+ - . ( ) /\u{200E}. يُرجى حذف «{char}».",
        Code::PhoneTooShort => "رقم الهاتف هذا قصير جدًا. يُرجى التحقق من الأرقام.",
        Code::PhoneTooLong => "رقم الهاتف هذا طويل جدًا. يُرجى التحقق من الأرقام.",
        Code::PhoneNeedsCountryCode => "يُرجى إضافة رمز الدولة مسبوقًا بالعلامة +.",
        Code::PhoneInvalidCountryCode => "الرمز \u{2066}+{code}\u{2069} ليس رمز دولة. يُرجى التحقق من بداية الرقم.",
        Code::PhoneInvalid => "هذا ليس رقم هاتف صالحًا في {region}. يُرجى التحقق من الأرقام.",
        Code::PhoneNotMobile => "يُرجى إدخال رقم جوّال حتى نتمكن من إرسال الرسائل النصية إليك.",
        Code::PhoneTypeNotAllowed => "لا يمكن استخدام هذا النوع من الأرقام ({type}) هنا. يُرجى إدخال رقم من نوع {allowed}.",
        Code::EmailPending => "جارٍ التحقق من عنوان البريد الإلكتروني…",
        Code::PhonePending => "جارٍ التحقق من رقم الهاتف…",

        Code::NameDigitsOnly => "لا يمكن أن يتكوّن الاسم من أرقام فقط. يُرجى كتابة اسمك بالحروف.",
        Code::NameUrl => "لا يمكن أن يحتوي الاسم على عنوان موقع إلكتروني. يُرجى إدخال اسمك فقط.",
        Code::NameAtSign => "لا يمكن أن يحتوي الاسم على الرمز @. إن كان هذا عنوان بريدك الإلكتروني، فيُرجى كتابته في حقل البريد الإلكتروني.",
        Code::NameInvalidCharacter => "لا يمكن استخدام «{char}» في الاسم (الموضع {position}). يُرجى حذفه.",
        Code::NameNoLetters => "يُرجى كتابة اسمك بالحروف.",

        Code::CountryUnknown => "لا نعرف دولة بالرمز «{value}». يُرجى اختيار دولة من القائمة.",

        Code::CustomRequired => "يُرجى ملء «{label}».",
        Code::CustomInvalid => "قيمة «{label}» ليست من النوع المطلوب. يُرجى إدخالها من جديد.",
        Code::CustomTooShort => "قيمة «{label}» قصيرة جدًا. يُرجى كتابة {min} أحرف على الأقل.",
        Code::CustomTooLong => "قيمة «{label}» طويلة جدًا. يُرجى ألا تتجاوز {max} حرفًا.",
        Code::CustomPattern => "قيمة «{label}» ليست بالصيغة المطلوبة. يُرجى التحقق منها.",
        Code::CustomNotAnOption => "الخيار «{value}» ليس من خيارات «{label}». يُرجى الاختيار من القائمة.",
        Code::CustomNotANumber => "يجب أن يكون «{label}» عددًا صحيحًا، مثل 12.",
        Code::CustomTooSmall => "يجب أن يكون «{label}» {min} أو أكثر.",
        Code::CustomTooLarge => "يجب أن يكون «{label}» {max} أو أقل.",
        Code::CustomNotADate => "يجب أن يكون «{label}» تاريخًا بصيغة سنة-شهر-يوم، مثل \u{2066}2026-12-31\u{2069}.",
        Code::CustomNotAUrl => "يجب أن يكون «{label}» عنوان ويب يبدأ بـ \u{2066}https://\u{2069}.",

        Code::ConsentRequired => "يُرجى تحديد هذا المربع للمتابعة: «{purpose_label}»",
        Code::ConsentUnknownPurpose => "الخيار «{purpose}» غير متاح للاشتراك هنا. يُرجى إعادة تحميل الصفحة والمحاولة مجددًا.",
        Code::ConsentPolicyUnknown => "هذا النموذج لم يعد محدَّثًا. يُرجى إعادة تحميل الصفحة والمحاولة مجددًا.",
        Code::ConsentTextMismatch => "تغيّر نص الموافقة أثناء وجودك في الصفحة. يُرجى إعادة تحميلها وتحديد المربع من جديد.",
        Code::ConsentTextMissing => "لم نتمكن من التأكد من نص الموافقة الذي ظهر لك. يُرجى إعادة تحميل الصفحة وتحديد المربع من جديد.",
        Code::ConsentChannelMissing => "لتلقّي «{purpose_label}» عبر {channel_label}، يُرجى أيضًا إدخال {contact_label}.",

        Code::SubmissionMalformed => "تعذّرت قراءة النموذج. يُرجى المحاولة مجددًا.",
        Code::SubmissionUnknownField => "أرسل النموذج بيانات غير متوقعة («{key}»). يُرجى إعادة تحميل الصفحة والمحاولة مجددًا.",
        Code::SubmissionRejected => "تعذّر علينا قبول هذا النموذج. يُرجى الانتظار قليلًا ثم المحاولة مجددًا.",
        Code::SubmissionTooLarge => "النموذج أكبر من أن يُرسَل. يُرجى اختصار ما كتبته والمحاولة مرة أخرى.",
        Code::SubmissionUnsupportedType => "أُرسل النموذج بصيغة لا يمكننا قراءتها. يُرجى إعادة تحميل الصفحة والمحاولة مرة أخرى.",
        Code::SubmissionRateLimited => "محاولات كثيرة جدًا من اتصالك. يُرجى الانتظار دقيقة ثم المحاولة مرة أخرى.",
        Code::SubmissionUnavailable => "حدث خطأ من جهتنا ولم يُحفظ أي شيء. يُرجى المحاولة مرة أخرى بعد قليل.",
        Code::SubmissionKeyReused => "هذا الطلب يكرر طلبًا سابقًا بمحتوى مختلف. يُرجى إعادة تحميل الصفحة وإرسال النموذج من جديد.",
        Code::SubmissionInProgress => "يجري إرسال هذا النموذج بالفعل. يُرجى الانتظار قليلًا.",
        Code::SubmissionTokenInvalid => "رابط إلغاء الاشتراك هذا غير صالح. يُرجى استخدام أحدث رابط في رسائلنا.",
        Code::AdminUnauthorized => "يتطلب هذا رمز المشرف الخاص بالمشغّل.",
    }
}

/// Whether the first strong character of `template` is right to left, so that a message shown
/// with `dir="auto"` (or in a terminal) is laid out right to left. A `{placeholder}` usually holds
/// Latin text (an address, a code) and counts as left to right, like an LRM.
/// The Arabic words for a channel: how it reaches the person, and the contact it needs.
pub(super) fn channel(channel: Channel) -> (&'static str, &'static str) {
    match channel {
        Channel::Email => ("البريد الإلكتروني", "عنوان بريدك الإلكتروني"),
        Channel::Sms => ("الرسائل النصية", "رقم جوالك"),
        Channel::Phone => ("الهاتف", "رقم هاتفك"),
    }
}

/// The drop-in's own words (its summary line, hints and consent block), by key: the page's
/// catalogue file carries them as `ui.<key>` lines (English: `www/drop-in/dom.js`).
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const PAGE_WORDS: [(&str, &str); 10] = [
    ("check", "يُرجى مراجعة هذه الحقول: {list}."),
    ("use", "استخدم {value}"),
    ("saved", "سنحفظه بهذا الشكل: {value}"),
    ("consent", "ماذا يمكننا أن نرسل إليك؟ (اختياري)"),
    ("controller", "المسؤول عن البيانات: {name}"),
    ("privacy", "إشعار الخصوصية"),
    (
        "retention",
        "نحتفظ ببياناتك مدة {days} يومًا بعد آخر اشتراك لك، ثم نحذفها.",
    ),
    ("consentField", "الموافقة"),
    (
        "retry",
        "اقتربت من النهاية: راجع بياناتك واختياراتك، ثم أرسل النموذج مرة أخرى.",
    ),
    ("search", "اكتب الحروف الأولى للانتقال إلى بلدك."),
];

#[cfg(test)]
pub(super) fn starts_right_to_left(template: &str) -> bool {
    for c in template.chars() {
        match c {
            '{' | '\u{200E}' => return false,
            '\u{0600}'..='\u{06FF}'
            | '\u{0750}'..='\u{077F}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}'
                if c.is_alphabetic() =>
            {
                return true
            }
            c if c.is_alphabetic() || c.is_ascii_digit() => return false,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{starts_right_to_left, template};
    use crate::issue::Code;

    #[test]
    fn every_message_starts_right_to_left() {
        for &code in Code::ALL {
            let t = template(code);
            assert!(starts_right_to_left(t), "{code} opens left to right: {t}");
        }
        assert!(!starts_right_to_left("«{domain}» ليس"));
    }

    #[test]
    fn arabic_letters_only_and_signs_isolated_with_their_values() {
        for &code in Code::ALL {
            let t = template(code);
            assert!(
                !t.contains(['\u{06CC}', '\u{06A9}', 'پ', 'چ', 'ژ', 'گ']),
                "{code}: Persian letters in the Arabic catalogue: {t}"
            );
            // Rendering isolates each value; a sign that belongs to it (`{local}@`, `.{tld}`,
            // `+{code}`) must sit with it in a left-to-right isolate.
            for joined in ["{local}@", ".{tld}", "+{code}"] {
                if t.contains(joined) {
                    let isolated = format!("\u{2066}{joined}\u{2069}");
                    assert!(t.contains(&isolated), "{code}: {joined} not isolated: {t}");
                }
            }
        }
    }
}
