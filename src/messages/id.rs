//! Indonesian messages (polite, everyday Indonesian: "Mohon …", "Anda").

use crate::issue::Code;
use crate::policy::Channel;

/// The Indonesian template for `code`.
pub(super) fn template(code: Code) -> &'static str {
    match code {
        Code::InputRequired => "Mohon isi kolom ini.",
        Code::InputTooLong => "Isian ini terlalu panjang. Mohon batasi hingga {max} karakter.",
        Code::InputControlCharacter => "Ada karakter kontrol tersembunyi ({char}) di posisi {position}. Mohon hapus karakter itu atau ketik ulang isian ini.",
        Code::InputBidiControl => "Ada karakter pengatur arah teks yang tersembunyi ({char}) di posisi {position}. Mohon hapus karakter itu atau ketik ulang isian ini.",
        Code::InputInvisibleCharacter => "Ada karakter tak terlihat ({char}) di posisi {position}. Mohon hapus karakter itu atau ketik ulang isian ini.",
        Code::InputInvalidText => "Beberapa karakter tidak dapat dibaca. Mohon ketik ulang isian ini.",

        Code::EmailMultipleAddresses => "Mohon masukkan satu alamat email saja.",
        Code::EmailMissingAt => "Alamat email memerlukan tanda @, misalnya nama@example.com.",
        Code::EmailLocalEmpty => "Mohon lengkapi bagian sebelum tanda @.",
        Code::EmailDomainEmpty => "Mohon lengkapi bagian setelah tanda @, misalnya gmail.com.",
        Code::EmailLocalTooLong => "Bagian sebelum tanda @ terlalu panjang ({octets} byte; batasnya {max}). Mohon periksa kembali atau gunakan alamat yang lebih pendek.",
        Code::EmailTooLong => "Alamat email ini terlalu panjang ({octets} byte; batasnya {max}). Mohon gunakan alamat yang lebih pendek.",
        Code::EmailLocalInvalidCharacter => "“{char}” tidak dapat dipakai sebelum tanda @ (posisi {position}). Mohon hapus karakter itu atau periksa kembali alamatnya.",
        Code::EmailLocalDot => "Bagian sebelum tanda @ tidak boleh diawali atau diakhiri titik, atau memuat dua titik berturut-turut. Mohon periksa titiknya.",
        Code::EmailQuotedLocal => "Alamat yang memakai tanda kutip tidak dapat diterima. Mohon gunakan alamat lain.",
        Code::EmailMixedScript => "Bagian sebelum tanda @ mencampur huruf dari beberapa aksara ({scripts}). Mohon periksa kembali.",
        Code::EmailIpLiteral => "Mohon gunakan nama domain setelah tanda @, bukan alamat IP.",
        Code::EmailDomainInvalidCharacter => "“{char}” tidak dapat dipakai dalam nama domain (posisi {position}). Mohon periksa bagian setelah tanda @.",
        Code::EmailDomainInvalid => "“{domain}” bukan domain yang valid. Mohon periksa bagian setelah tanda @.",
        Code::EmailDomainConfusable => "“{domain}” memuat huruf yang bentuknya mirip huruf lain ({scripts}), sehingga mudah tertukar dengan domain lain. Mohon ketik ulang bagian setelah tanda @.",
        Code::EmailLabelTooLong => "Salah satu bagian domain terlalu panjang (maksimal {max} karakter per bagian). Mohon periksa bagian setelah tanda @.",
        Code::EmailDomainIncomplete => "“{domain}” belum lengkap. Domain memerlukan akhiran seperti .com atau .id.",
        Code::EmailTldNumeric => "“.{tld}” bukan akhiran domain. Mohon periksa bagian setelah tanda @.",
        Code::EmailTldReserved => "Akhiran “.{tld}” dicadangkan dan tidak dapat menerima email. Mohon gunakan alamat Anda yang sebenarnya.",
        Code::EmailTldUnknown => "“.{tld}” bukan akhiran domain yang ada. Mohon periksa bagian setelah tanda @.",
        Code::EmailTypo => "Apakah maksud Anda {suggestion}?",
        Code::EmailRoleAccount => "“{local}@” biasanya dibaca oleh sebuah tim, bukan perorangan. Sebaiknya gunakan alamat pribadi.",
        Code::EmailDisposable => "{domain} menyediakan kotak surat sementara, jadi pesan kami mungkin tidak lagi sampai kepada Anda. Sebaiknya gunakan alamat tetap.",
        Code::EmailNonAsciiMailbox => "Alamat ini memakai huruf non-Latin sebelum tanda @. Sebagian pengirim belum dapat mengirim email ke alamat seperti ini.",
        Code::EmailExtracted => "Kami memakai {extracted} dari isian Anda. Mohon pastikan alamat itu benar.",

        Code::PhoneInvalidCharacters => "Nomor telepon hanya boleh berisi angka, spasi, dan + - . ( ) /. Mohon hapus “{char}”.",
        Code::PhoneTooShort => "Nomor telepon ini terlalu pendek. Mohon periksa angkanya.",
        Code::PhoneTooLong => "Nomor telepon ini terlalu panjang. Mohon periksa angkanya.",
        Code::PhoneNeedsCountryCode => "Mohon tambahkan kode negara yang diawali tanda +.",
        Code::PhoneInvalidCountryCode => "+{code} bukan kode negara. Mohon periksa awal nomornya.",
        Code::PhoneInvalid => "Ini bukan nomor telepon yang valid untuk {region}. Mohon periksa angkanya.",
        Code::PhoneNotMobile => "Mohon masukkan nomor ponsel agar kami dapat mengirimi Anda SMS.",
        Code::PhoneTypeNotAllowed => "Jenis nomor ini ({type}) tidak dapat dipakai di sini. Mohon masukkan nomor jenis {allowed}.",
        Code::EmailPending => "Sedang memeriksa alamat email ini…",
        Code::PhonePending => "Sedang memeriksa nomor telepon ini…",

        Code::NameDigitsOnly => "Nama tidak boleh hanya berisi angka. Mohon tulis nama Anda dengan huruf.",
        Code::NameUrl => "Nama tidak boleh berisi alamat situs web. Mohon masukkan nama Anda saja.",
        Code::NameAtSign => "Nama tidak boleh berisi tanda @. Jika ini alamat email Anda, mohon isikan di kolom email.",
        Code::NameInvalidCharacter => "“{char}” tidak dapat dipakai dalam nama (posisi {position}). Mohon hapus karakter itu.",
        Code::NameNoLetters => "Mohon tulis nama Anda dengan huruf.",

        Code::CountryUnknown => "“{value}” bukan negara yang kami kenal. Mohon pilih negara dari daftar.",

        Code::CustomRequired => "Mohon isi “{label}”.",
        Code::CustomInvalid => "Nilai “{label}” tidak sesuai jenisnya. Mohon isi kembali.",
        Code::CustomTooShort => "“{label}” terlalu pendek. Mohon tulis minimal {min} karakter.",
        Code::CustomTooLong => "“{label}” terlalu panjang. Mohon batasi hingga {max} karakter.",
        Code::CustomPattern => "Format “{label}” tidak sesuai. Mohon periksa kembali.",
        Code::CustomNotAnOption => "“{value}” bukan salah satu pilihan untuk “{label}”. Mohon pilih dari daftar.",
        Code::CustomNotANumber => "“{label}” harus berupa bilangan bulat, misalnya 12.",
        Code::CustomTooSmall => "“{label}” minimal {min}.",
        Code::CustomTooLarge => "“{label}” maksimal {max}.",
        Code::CustomNotADate => "“{label}” harus berupa tanggal dengan format tahun-bulan-hari, misalnya 2026-12-31.",
        Code::CustomNotAUrl => "“{label}” harus berupa alamat web yang diawali https://.",

        Code::ConsentRequired => "Mohon centang kotak ini untuk melanjutkan: “{purpose_label}”",
        Code::ConsentUnknownPurpose => "“{purpose}” bukan pilihan langganan yang tersedia di sini. Mohon muat ulang halaman lalu coba lagi.",
        Code::ConsentPolicyUnknown => "Formulir ini sudah tidak berlaku. Mohon muat ulang halaman lalu coba lagi.",
        Code::ConsentTextMismatch => "Teks persetujuan berubah saat Anda membuka halaman ini. Mohon muat ulang halaman lalu centang kembali.",
        Code::ConsentTextMissing => "Kami tidak dapat memastikan teks persetujuan yang Anda lihat. Mohon muat ulang halaman lalu centang kembali.",
        Code::ConsentChannelMissing => "Untuk menerima “{purpose_label}” melalui {channel_label}, mohon isi juga {contact_label} Anda.",

        Code::SubmissionMalformed => "Formulir tidak dapat dibaca. Mohon coba lagi.",
        Code::SubmissionUnknownField => "Formulir mengirim data yang tidak dikenal (“{key}”). Mohon muat ulang halaman lalu coba lagi.",
        Code::SubmissionRejected => "Formulir ini belum dapat kami terima. Mohon tunggu sebentar lalu coba lagi.",
        Code::SubmissionTooLarge => "Formulir ini terlalu besar untuk dikirim. Silakan persingkat isian Anda lalu coba lagi.",
        Code::SubmissionUnsupportedType => "Formulir dikirim dalam format yang tidak dapat kami baca. Silakan muat ulang halaman lalu coba lagi.",
        Code::SubmissionRateLimited => "Terlalu banyak percobaan dari koneksi Anda. Silakan tunggu satu menit lalu coba lagi.",
        Code::SubmissionUnavailable => "Terjadi kesalahan di pihak kami dan tidak ada yang tersimpan. Silakan coba lagi sebentar lagi.",
        Code::SubmissionKeyReused => "Permintaan ini mengulang permintaan sebelumnya dengan isi yang berbeda. Silakan muat ulang halaman lalu kirim formulir lagi.",
        Code::SubmissionInProgress => "Formulir ini sedang dikirim. Silakan tunggu sebentar.",
        Code::SubmissionTokenInvalid => "Tautan berhenti berlangganan ini tidak berlaku. Silakan gunakan tautan terbaru dari pesan kami.",
        Code::AdminUnauthorized => "Ini memerlukan token admin operator.",
    }
}
/// The Indonesian words for a channel: how it reaches the person, and the contact it needs.
pub(super) fn channel(channel: Channel) -> (&'static str, &'static str) {
    match channel {
        Channel::Email => ("email", "alamat email"),
        Channel::Sms => ("SMS", "nomor ponsel"),
        Channel::Phone => ("telepon", "nomor telepon"),
    }
}

/// The drop-in's own words (its summary line, hints and consent block), by key: the page's
/// catalogue file carries them as `ui.<key>` lines (English: `www/drop-in/dom.js`).
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const PAGE_WORDS: [(&str, &str); 10] = [
    ("check", "Mohon periksa kolom berikut: {list}."),
    ("use", "Pakai {value}"),
    ("saved", "Akan disimpan sebagai {value}"),
    ("consent", "Apa yang boleh kami kirimkan? (opsional)"),
    ("controller", "Pengendali data: {name}"),
    ("privacy", "Pemberitahuan privasi"),
    ("retention", "Kami menyimpan data Anda selama {days} hari sejak pendaftaran terakhir, lalu menghapusnya."),
    ("consentField", "Persetujuan"),
    ("retry", "Hampir selesai: periksa data dan pilihan Anda, lalu kirim formulir sekali lagi."),
    ("search", "Ketik huruf awal untuk melompat ke negara Anda."),
];
