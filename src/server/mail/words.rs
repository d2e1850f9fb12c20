//! The words of the confirmation mail in each shipped locale (en, ar, fa, id). `{sender}` is the
//! policy's controller name; nothing the person typed appears in a mail.

use crate::messages;

/// The mail's words.
pub(super) struct MailWords {
    /// Subject line, with `{sender}`.
    pub subject: &'static str,
    /// The opening line (no name: the mail never repeats what was typed).
    pub hello: &'static str,
    /// Why this mail came, with `{sender}`.
    pub why: &'static str,
    /// Above the list of purposes asked for.
    pub asked: &'static str,
    /// The link's text.
    pub button: &'static str,
    /// How long the link works, with `{until}`.
    pub until: &'static str,
    /// What to do when it was not you.
    pub not_you: &'static str,
    /// The sender's name when the policy names no controller.
    pub nameless: &'static str,
}

pub(super) fn mail_words(locale: &str) -> &'static MailWords {
    match messages::negotiate(locale) {
        "ar" => &MailWords {
            subject: "أكِّد اشتراكك لدى {sender}",
            hello: "مرحبًا،",
            why: "طلب أحدهم، ونرجو أن تكون أنت، أن تُرسل {sender} رسائل إلى هذا العنوان. لن نرسل شيئًا قبل أن تؤكد.",
            asked: "ما طُلب:",
            button: "تأكيد الاشتراك",
            until: "يعمل الرابط حتى {until} (بالتوقيت العالمي).",
            not_you: "إن لم تكن أنت، فتجاهل هذه الرسالة: لن تصلك منا رسائل أخرى، وسيُحذف العنوان عند انتهاء صلاحية الرابط.",
            nameless: "هذه القائمة",
        },
        "fa" => &MailWords {
            subject: "عضویت خود در {sender} را تأیید کنید",
            hello: "سلام،",
            why: "کسی، که امیدواریم خود شما باشید، خواسته است {sender} به این نشانی پیام بفرستد. تا تأیید نکنید چیزی نمی‌فرستیم.",
            asked: "آنچه درخواست شد:",
            button: "تأیید عضویت",
            until: "این پیوند تا {until} (به وقت جهانی) کار می‌کند.",
            not_you: "اگر شما نبودید، این نامه را نادیده بگیرید: پیام دیگری از ما نمی‌رسد و نشانی با پایان اعتبار پیوند پاک می‌شود.",
            nameless: "این فهرست",
        },
        "id" => &MailWords {
            subject: "Konfirmasikan langganan Anda di {sender}",
            hello: "Halo,",
            why: "Seseorang, semoga Anda sendiri, meminta {sender} mengirim pesan ke alamat ini. Kami tidak mengirim apa pun sebelum Anda mengonfirmasi.",
            asked: "Yang diminta:",
            button: "Konfirmasi langganan",
            until: "Tautan ini berlaku sampai {until} (UTC).",
            not_you: "Jika itu bukan Anda, abaikan email ini: Anda tidak akan menerima apa pun lagi dari kami, dan alamat ini dihapus saat tautan kedaluwarsa.",
            nameless: "daftar ini",
        },
        _ => &MailWords {
            subject: "Please confirm your subscription to {sender}",
            hello: "Hello,",
            why: "Someone, hopefully you, asked {sender} to send messages to this address. Nothing will be sent until you confirm.",
            asked: "What was asked for:",
            button: "Confirm my subscription",
            until: "The link works until {until} (UTC).",
            not_you: "If it was not you, ignore this mail: you will hear nothing more from us, and the address is deleted when the link expires.",
            nameless: "this list",
        },
    }
}
