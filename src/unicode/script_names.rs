//! The names of every script with a character: what the browser build asks RegExp about each
//! non-ASCII character (`web_scripts.rs`). Its own file, so that `build.rs` writes it into the
//! Unicode data file (`lazy.rs`) the drop-in's module loads when a value first goes beyond ASCII.

/// Every script with a character (Unicode's long names, as RegExp `\p{Script=…}` takes them),
/// but Common and Inherited, space-separated. Latin first: an ASCII letter's script is index 0
/// without the list.
// Read by the npm package's module and by native tests; the drop-in's module reads the data file
// instead, and build.rs (which compiles this file too) writes it there.
#[allow(dead_code)]
pub(crate) const SCRIPT_NAMES: &str = concat!(
    "Latin Adlam Caucasian_Albanian Ahom Arabic Imperial_Aramaic Armenian Avestan ",
    "Balinese Bamum Bassa_Vah Batak Bengali Beria_Erfe Bhaiksuki Bopomofo Brahmi Braille ",
    "Buginese Buhid Chakma Canadian_Aboriginal Carian Cham Cherokee Chorasmian Coptic ",
    "Cypro_Minoan Cypriot Cyrillic Devanagari Dives_Akuru Dogra Deseret Duployan ",
    "Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Garay Georgian Glagolitic ",
    "Gunjala_Gondi Masaram_Gondi Gothic Grantha Greek Gujarati Gurung_Khema Gurmukhi ",
    "Hangul Han Hanunoo Hatran Hebrew Hiragana Anatolian_Hieroglyphs Pahawh_Hmong ",
    "Nyiakeng_Puachue_Hmong Old_Hungarian Old_Italic Javanese Jurchen Kayah_Li Katakana ",
    "Kawi Kharoshthi Khmer Khojki Khitan_Small_Script Kannada Kirat_Rai Kaithi Tai_Tham ",
    "Lao Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar Mandaic ",
    "Manichaean Marchen Medefaidrin Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs ",
    "Malayalam Modi Mongolian Mro Meetei_Mayek Multani Myanmar Nag_Mundari Nandinagari ",
    "Old_North_Arabian Nabataean Newa Nko Nushu Ogham Ol_Chiki Ol_Onal Old_Turkic Oriya ",
    "Osage Osmanya Old_Uyghur Palmyrene Pau_Cin_Hau Proto_Cuneiform Old_Permic Phags_Pa ",
    "Inscriptional_Pahlavi Psalter_Pahlavi Phoenician Miao Inscriptional_Parthian Rejang ",
    "Hanifi_Rohingya Runic Samaritan Old_South_Arabian Saurashtra Seal SignWriting ",
    "Shavian Sharada Siddham Sidetic Khudawadi Sinhala Sogdian Old_Sogdian Sora_Sompeng ",
    "Soyombo Sundanese Sunuwar Syloti_Nagri Syriac Tagbanwa Takri Tai_Le New_Tai_Lue ",
    "Tamil Tangut Tai_Viet Tai_Yo Telugu Tifinagh Tagalog Thaana Thai Tibetan Tirhuta ",
    "Tangsa Todhri Tolong_Siki Toto Tulu_Tigalari Ugaritic Vai Vithkuqi Warang_Citi ",
    "Wancho Old_Persian Cuneiform Yezidi Yi Zanabazar_Square",
);
