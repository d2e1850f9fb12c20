//! Persian messages (right to left).
//!
//! Persian letters throughout (`ی` U+06CC, `ک` U+06A9), the zero-width non-joiner where Persian
//! spelling needs it (`می‌توانید`, `نشانی‌ها`), and `\u{200E}` (LEFT-TO-RIGHT MARK) before fixed
//! Latin fragments that open with a neutral sign (`.com`, `+ - . ( ) /`) so they keep their order.
//! Every `{value}` is isolated when rendered (see `messages::render`); a fixed sign that belongs to
//! a value (`.{tld}`, `+{code}`, `{local}@`) sits with it inside a left-to-right isolate
//! (U+2066 … U+2069), so the sign stays on the value's side.

use crate::issue::Code;
use crate::policy::Channel;

/// The Persian template for `code`.
pub(super) fn template(code: Code) -> &'static str {
    match code {
        Code::InputRequired => "لطفاً این بخش را پر کنید.",
        Code::InputTooLong => "این متن بیش از حد طولانی است. لطفاً آن را به {max} نویسه یا کمتر کوتاه کنید.",
        Code::InputControlCharacter => "در جایگاه {position} یک نویسهٔ کنترلی پنهان ({char}) هست. لطفاً آن را پاک کنید یا این بخش را دوباره بنویسید.",
        Code::InputBidiControl => "در جایگاه {position} یک نویسهٔ پنهانِ تغییر جهت متن ({char}) هست. لطفاً آن را پاک کنید یا این بخش را دوباره بنویسید.",
        Code::InputInvisibleCharacter => "در جایگاه {position} یک نویسهٔ نامرئی ({char}) هست. لطفاً آن را پاک کنید یا این بخش را دوباره بنویسید.",
        Code::InputInvalidText => "برخی از نویسه‌ها خوانده نشدند. لطفاً این بخش را دوباره بنویسید.",

        Code::EmailMultipleAddresses => "لطفاً فقط یک نشانی ایمیل وارد کنید.",
        Code::EmailMissingAt => "نشانی ایمیل باید نشانهٔ @ داشته باشد، مانند name@example.com.",
        Code::EmailLocalEmpty => "لطفاً بخش پیش از @ را بنویسید.",
        Code::EmailDomainEmpty => "لطفاً بخش پس از @ را بنویسید، مانند gmail.com.",
        Code::EmailLocalTooLong => "بخش پیش از @ بیش از حد طولانی است ({octets} بایت؛ حداکثر {max}). لطفاً آن را بررسی کنید یا از نشانی کوتاه‌تری استفاده کنید.",
        Code::EmailTooLong => "این نشانی ایمیل بیش از حد طولانی است ({octets} بایت؛ حداکثر {max}). لطفاً از نشانی کوتاه‌تری استفاده کنید.",
        Code::EmailLocalInvalidCharacter => "نویسهٔ «{char}» را نمی‌توان پیش از @ به کار برد (جایگاه {position}). لطفاً آن را حذف کنید یا نشانی را بررسی کنید.",
        Code::EmailLocalDot => "بخش پیش از @ نمی‌تواند با نقطه شروع یا تمام شود یا دو نقطهٔ پشت سر هم داشته باشد. لطفاً نقطه‌ها را بررسی کنید.",
        Code::EmailQuotedLocal => "نشانی‌هایی که گیومه دارند پذیرفته نمی‌شوند. لطفاً از نشانی دیگری استفاده کنید.",
        Code::EmailMixedScript => "در بخش پیش از @ حروفِ الفبا‌های گوناگون ({scripts}) با هم آمده‌اند. لطفاً آن را بررسی کنید.",
        Code::EmailIpLiteral => "لطفاً پس از @ نام دامنه بنویسید، نه نشانی IP.",
        Code::EmailDomainInvalidCharacter => "نویسهٔ «{char}» را نمی‌توان در دامنه به کار برد (جایگاه {position}). لطفاً بخش پس از @ را بررسی کنید.",
        Code::EmailDomainInvalid => "دامنهٔ «{domain}» معتبر نیست. لطفاً بخش پس از @ را بررسی کنید.",
        Code::EmailDomainConfusable => "دامنهٔ «{domain}» حروف هم‌شکل ({scripts}) دارد و ممکن است با دامنهٔ دیگری اشتباه گرفته شود. لطفاً بخش پس از @ را دوباره بنویسید.",
        Code::EmailLabelTooLong => "بخشی از دامنه بیش از حد طولانی است (حداکثر {max} نویسه برای هر بخش). لطفاً بخش پس از @ را بررسی کنید.",
        Code::EmailDomainIncomplete => "دامنهٔ «{domain}» کامل نیست و پسوندی مانند \u{200E}.com یا \u{200E}.ir لازم دارد.",
        Code::EmailTldNumeric => "پسوند «\u{2066}.{tld}\u{2069}» فقط از رقم تشکیل شده است و پسوند دامنه نیست. لطفاً بخش پس از @ را بررسی کنید.",
        Code::EmailTldReserved => "پسوند «\u{2066}.{tld}\u{2069}» رزرو شده است و ایمیل دریافت نمی‌کند. لطفاً نشانی واقعی خود را وارد کنید.",
        Code::EmailTldUnknown => "پسوند «\u{2066}.{tld}\u{2069}» در هیچ دامنهٔ واقعی‌ای به کار نمی‌رود. لطفاً بخش پس از @ را بررسی کنید.",
        Code::EmailTypo => "آیا منظورتان {suggestion} بود؟",
        Code::EmailRoleAccount => "نشانی «\u{2066}{local}@\u{2069}» معمولاً به یک گروه می‌رسد، نه به یک شخص. بهتر است از نشانی شخصی استفاده کنید.",
        Code::EmailDisposable => "سرویس {domain} صندوق ایمیل موقت می‌دهد و ممکن است پیام‌های ما پس از مدتی به شما نرسد. بهتر است از نشانی دائمی استفاده کنید.",
        Code::EmailNonAsciiMailbox => "در این نشانی پیش از @ حروف غیرلاتین به کار رفته است و برخی فرستنده‌ها هنوز نمی‌توانند به آن ایمیل بفرستند.",
        Code::EmailExtracted => "از آنچه وارد کردید، {extracted} را برداشتیم. لطفاً درستی آن را بررسی کنید.",

        Code::PhoneInvalidCharacters => "شمارهٔ تلفن فقط می‌تواند رقم، فاصله و نشانه‌های \u{200E}+ - . ( ) /\u{200E} داشته باشد. لطفاً «{char}» را حذف کنید.",
        Code::PhoneTooShort => "این شمارهٔ تلفن بیش از حد کوتاه است. لطفاً رقم‌ها را بررسی کنید.",
        Code::PhoneTooLong => "این شمارهٔ تلفن بیش از حد طولانی است. لطفاً رقم‌ها را بررسی کنید.",
        Code::PhoneNeedsCountryCode => "لطفاً پیش‌شمارهٔ کشور را با + در ابتدای شماره وارد کنید.",
        Code::PhoneInvalidCountryCode => "پیش‌شمارهٔ \u{2066}+{code}\u{2069} متعلق به هیچ کشوری نیست. لطفاً ابتدای شماره را بررسی کنید.",
        Code::PhoneInvalid => "این شماره، شمارهٔ تلفن معتبری برای {region} نیست. لطفاً رقم‌ها را بررسی کنید.",
        Code::PhoneNotMobile => "لطفاً شمارهٔ تلفن همراه وارد کنید تا بتوانیم برایتان پیامک بفرستیم.",
        Code::PhoneTypeNotAllowed => "این نوع شماره ({type}) را اینجا نمی‌توان به کار برد. لطفاً شماره‌ای از نوع {allowed} وارد کنید.",
        Code::EmailPending => "در حال بررسی نشانی ایمیل…",
        Code::PhonePending => "در حال بررسی شمارهٔ تلفن…",

        Code::NameDigitsOnly => "نام نمی‌تواند فقط از رقم تشکیل شده باشد. لطفاً نام خود را با حروف بنویسید.",
        Code::NameUrl => "نام نمی‌تواند نشانی وب داشته باشد. لطفاً فقط نام خود را وارد کنید.",
        Code::NameAtSign => "نام نمی‌تواند @ داشته باشد. اگر این نشانی ایمیل شماست، لطفاً آن را در بخش ایمیل بنویسید.",
        Code::NameInvalidCharacter => "نویسهٔ «{char}» را نمی‌توان در نام به کار برد (جایگاه {position}). لطفاً آن را حذف کنید.",
        Code::NameNoLetters => "لطفاً نام خود را با حروف بنویسید.",

        Code::CountryUnknown => "کشوری با کد «{value}» نمی‌شناسیم. لطفاً یکی را از فهرست انتخاب کنید.",

        Code::CustomRequired => "لطفاً «{label}» را پر کنید.",
        Code::CustomInvalid => "مقدار «{label}» از نوع درست نیست. لطفاً دوباره واردش کنید.",
        Code::CustomTooShort => "مقدار «{label}» خیلی کوتاه است. لطفاً دست‌کم {min} نویسه بنویسید.",
        Code::CustomTooLong => "مقدار «{label}» خیلی بلند است. لطفاً آن را به {max} نویسه یا کمتر محدود کنید.",
        Code::CustomPattern => "مقدار «{label}» در قالب مورد انتظار نیست. لطفاً آن را بررسی کنید.",
        Code::CustomNotAnOption => "گزینهٔ «{value}» یکی از گزینه‌های «{label}» نیست. لطفاً از فهرست انتخاب کنید.",
        Code::CustomNotANumber => "مقدار «{label}» باید یک عدد صحیح باشد، مثلاً 12.",
        Code::CustomTooSmall => "مقدار «{label}» باید {min} یا بیشتر باشد.",
        Code::CustomTooLarge => "مقدار «{label}» باید {max} یا کمتر باشد.",
        Code::CustomNotADate => "مقدار «{label}» باید تاریخی به شکل سال-ماه-روز باشد، مثلاً \u{2066}2026-12-31\u{2069}.",
        Code::CustomNotAUrl => "مقدار «{label}» باید نشانی وبی باشد که با \u{2066}https://\u{2069} شروع شود.",

        Code::ConsentRequired => "برای ادامه، لطفاً این گزینه را تیک بزنید: «{purpose_label}»",
        Code::ConsentUnknownPurpose => "گزینهٔ «{purpose}» در اینجا برای ثبت‌نام وجود ندارد. لطفاً صفحه را دوباره بارگذاری کنید و باز امتحان کنید.",
        Code::ConsentPolicyUnknown => "این فرم به‌روز نیست. لطفاً صفحه را دوباره بارگذاری کنید و باز امتحان کنید.",
        Code::ConsentTextMismatch => "متن رضایت در مدتی که در این صفحه بودید تغییر کرده است. لطفاً صفحه را دوباره بارگذاری کنید و دوباره تیک بزنید.",
        Code::ConsentTextMissing => "نتوانستیم تأیید کنیم کدام متن رضایت به شما نشان داده شد. لطفاً صفحه را دوباره بارگذاری کنید و دوباره تیک بزنید.",
        Code::ConsentChannelMissing => "برای دریافت «{purpose_label}» از راه {channel_label}، لطفاً {contact_label} خود را هم وارد کنید.",

        Code::SubmissionMalformed => "فرم خوانده نشد. لطفاً دوباره امتحان کنید.",
        Code::SubmissionUnknownField => "فرم چیز غیرمنتظره‌ای («{key}») فرستاد. لطفاً صفحه را دوباره بارگذاری کنید و باز امتحان کنید.",
        Code::SubmissionRejected => "نتوانستیم این فرم را بپذیریم. لطفاً کمی صبر کنید و دوباره امتحان کنید.",
        Code::SubmissionTooLarge => "این فرم برای ارسال بیش از حد بزرگ است. لطفاً نوشته‌هایتان را کوتاه‌تر کنید و دوباره امتحان کنید.",
        Code::SubmissionUnsupportedType => "فرم در قالبی فرستاده شد که نمی‌توانیم بخوانیم. لطفاً صفحه را دوباره بارگذاری کنید و دوباره امتحان کنید.",
        Code::SubmissionRateLimited => "از اتصال شما تلاش‌های زیادی شده است. لطفاً یک دقیقه صبر کنید و دوباره امتحان کنید.",
        Code::SubmissionUnavailable => "مشکلی از طرف ما پیش آمد و چیزی ذخیره نشد. لطفاً چند لحظه بعد دوباره امتحان کنید.",
        Code::SubmissionKeyReused => "این درخواست تکرار درخواستی قبلی با محتوای متفاوت است. لطفاً صفحه را دوباره بارگذاری کنید و فرم را از نو بفرستید.",
        Code::SubmissionInProgress => "این فرم در حال ارسال است. لطفاً کمی صبر کنید.",
        Code::SubmissionTokenInvalid => "این پیوند لغو اشتراک معتبر نیست. لطفاً از جدیدترین پیوند در پیام‌های ما استفاده کنید.",
        Code::AdminUnauthorized => "این کار به توکن مدیریت گرداننده نیاز دارد.",
    }
}

/// The Persian words for a channel: how it reaches the person, and the contact it needs.
pub(super) fn channel(channel: Channel) -> (&'static str, &'static str) {
    match channel {
        Channel::Email => ("ایمیل", "نشانی ایمیل"),
        Channel::Sms => ("پیامک", "شمارهٔ تلفن همراه"),
        Channel::Phone => ("تلفن", "شمارهٔ تلفن"),
    }
}

/// The drop-in's own words (its summary line, hints and consent block), by key: the page's
/// catalogue file carries them as `ui.<key>` lines (English: `www/drop-in/dom.js`).
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const PAGE_WORDS: [(&str, &str); 10] = [
    ("check", "لطفاً این بخش‌ها را بررسی کنید: {list}."),
    ("use", "استفاده از {value}"),
    ("saved", "به این شکل ذخیره می‌شود: {value}"),
    ("consent", "چه چیزهایی برایتان بفرستیم؟ (اختیاری)"),
    ("controller", "مسئول داده‌ها: {name}"),
    ("privacy", "اطلاعیهٔ حریم خصوصی"),
    (
        "retention",
        "اطلاعات شما را تا {days} روز پس از آخرین عضویتتان نگه می‌داریم و سپس پاک می‌کنیم.",
    ),
    ("consentField", "رضایت"),
    (
        "retry",
        "تقریباً تمام است: اطلاعات و انتخاب‌هایتان را بررسی کنید و فرم را دوباره بفرستید.",
    ),
    ("search", "چند حرف اول را تایپ کنید تا به کشورتان برسید."),
];

#[cfg(test)]
mod tests {
    use super::template;
    use crate::issue::Code;

    #[test]
    fn every_message_starts_right_to_left() {
        for &code in Code::ALL {
            let t = template(code);
            assert!(
                super::super::ar::starts_right_to_left(t),
                "{code} opens left to right: {t}"
            );
        }
    }

    /// Words that start with «می» but are not a verb prefix (extend when a message uses one).
    const NOT_VERBS: &[&str] = &["میان", "میل", "میز", "میلیون", "میهن"];

    #[test]
    fn persian_letters_and_zwnj_in_every_message() {
        for &code in Code::ALL {
            let t = template(code);
            assert!(
                !t.contains(['\u{064A}', '\u{0643}']),
                "{code}: Arabic yeh or kaf instead of Persian ی ک: {t}"
            );
            for word in t.split(|c: char| c.is_whitespace() || c == '«') {
                let prefix = ["نمی", "می"].into_iter().find(|p| word.starts_with(p));
                if let Some(rest) = prefix.map(|p| &word[p.len()..]) {
                    // «می‌توان», «نمی‌شود»: the verb prefix is followed by a ZWNJ, never glued.
                    assert!(
                        rest.is_empty()
                            || rest.starts_with('\u{200C}')
                            || NOT_VERBS.iter().any(|w| word.starts_with(w)),
                        "{code}: verb prefix without ZWNJ in {word:?}"
                    );
                }
            }
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
