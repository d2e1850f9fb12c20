"""Writes tests/vectors/email.json: the shared email vectors (format in tests/vectors.rs).

Expected stored, display and key forms of valid cases come from independent references, not from
signup-guard: Node's WHATWG `url.domainToASCII` for A-labels and Python's `unicodedata` for NFKC
and the key (NFKC(lowercase(NFKC(x)))). Codes and suggestions are written by hand, one case per
rule. Usage: python3 scripts/email-vectors.py && cargo test --test vectors email
"""
import json, os, subprocess, unicodedata as ud

def to_ascii(domains):
    js = "const u=require('url');const d=JSON.parse(require('fs').readFileSync(0,'utf8'));console.log(JSON.stringify(d.map(x=>u.domainToASCII(x))))"
    out = subprocess.run(["node", "-e", js], input=json.dumps(domains), capture_output=True, text=True, check=True)
    return dict(zip(domains, json.loads(out.stdout)))

def nfkc(s): return ud.normalize("NFKC", s)
def key_of(local, adomain): return nfkc(nfkc(local).lower()) + "@" + adomain

cases = []
def add(inp, ok, note, **kw):
    c = {"input": inp, "expect": {"ok": ok}, "note": note}
    for k, v in kw.items():
        if v is not None: c["expect"][k] = v
    cases.append(c)

def valid(inp, note, local, domain, codes=(), display_domain=None, aform=None):
    """A valid address: expectations computed independently (NFKC local, node's IDNA for the domain)."""
    adom = aform or to_ascii([domain])[domain]
    stored_local = nfkc(local)
    add(inp, True, note, normalized=f"{stored_local}@{adom}",
        display=f"{stored_local}@{display_domain or adom}", key=key_of(stored_local, adom), codes=list(codes))

def bad(inp, codes, note, suggestion=None, message_contains=None):
    add(inp, False, note, codes=list(codes), suggestion=suggestion, message_contains=message_contains)

def warn(inp, codes, note, suggestion=None, normalized=None, message_contains=None):
    add(inp, True, note, codes=list(codes), suggestion=suggestion, normalized=normalized, message_contains=message_contains)

E = "email."
NA = E + "non_ascii_mailbox"; EX = E + "extracted"; TYPO = E + "typo"; ROLE = E + "role_account"
INV = "input.invisible_character"

# ---- plain ASCII, the common path ----
valid(" Jane.Doe@GMAIL.COM ", "issue 2 acceptance: trimmed, domain lowercased, mailbox case kept", "Jane.Doe", "gmail.com")
valid("jane@example.org", "the simplest valid address (RFC 2606 second-level example domains are real DNS names)", "jane", "example.org")
valid("ani.wijaya@yahoo.co.id", "Indonesian Yahoo: an exact provider gets no typo suggestion", "ani.wijaya", "yahoo.co.id")
valid("user+newsletter@gmail.com", "plus tags are kept in the key: no provider-specific stripping", "user+newsletter", "gmail.com")
valid("j.a.n.e@gmail.com", "dots are kept in the key: no Gmail dot stripping by default", "j.a.n.e", "gmail.com")
valid("o'brien@example.ie", "apostrophe is atext (Irish surnames)", "o'brien", "example.ie")
valid("a!#$%&'*+-/=?^_`{|}~z@example.com", "every RFC 5322 atext symbol is accepted", "a!#$%&'*+-/=?^_`{|}~z", "example.com")
valid("x@a.co", "shortest realistic address: one-letter mailbox and label", "x", "a.co")
valid("user@sub.mail.example.co.uk", "several labels", "user", "sub.mail.example.co.uk")
valid("1234567@qq.com", "all-digit mailbox (QQ numbers)", "1234567", "qq.com")
valid("zhang@163.com", "all-digit domain label with a real TLD", "zhang", "163.com")
valid("USER@EXAMPLE.ORG", "uppercase mailbox kept in stored form, folded in key", "USER", "example.org")
valid("user@my-domain.com", "hyphen inside a label", "user", "my-domain.com")
valid("user@a1.b2.museum", "digits in labels, a sponsored TLD", "user", "a1.b2.museum")
valid("user@example.photography", "long generic TLD from the root zone", "user", "example.photography")
valid("first_last@example.com.br", "underscore is atext in the mailbox", "first_last", "example.com.br")
valid("user@xn--p1ai.xn--p1ai", "A-label domain typed as such is validated and kept", "user", "рф.рф", display_domain="рф.рф")
valid("hello.world@company.travel", "dotted mailbox, sponsored TLD", "hello.world", "company.travel")

# ---- edges: whitespace and invisible characters are trimmed ----
valid("\u00a0jane@example.org\u3000", "NBSP and ideographic space at the ends are trimmed", "jane", "example.org")
valid("\u200bjane@example.org\u200b", "zero-width spaces at the ends are trimmed", "jane", "example.org")
valid("\ufeffjane@example.org", "a BOM pasted from a file is trimmed", "jane", "example.org")
valid("\u200fjane@example.org", "RLM at the edge (copied from RTL text) is trimmed", "jane", "example.org")
valid("\tjane@example.org\r\n", "tab and CRLF at the ends are trimmed", "jane", "example.org")
valid("\u202ejane@example.org", "a bidi override at the very edge is trimmed, not kept", "jane", "example.org")

# ---- invisible and bidi characters inside are refused with their position ----
bad("ja\u200bne@example.org", [INV], "zero-width space inside the mailbox", message_contains="position 3")
bad("jane@exa\u200bmple.org", [INV], "zero-width space inside the domain", message_contains="position 9")
bad("ja\u00adne@example.org", [INV], "soft hyphen inside the mailbox", message_contains="U+00AD")
bad("jane\u200d@example.org", [INV], "ZWJ inside a mailbox is never needed and hides differences")
bad("jane\u200c@example.org", [INV], "ZWNJ inside a Latin mailbox")
bad("jane@example\u2060.org", [INV], "word joiner inside the domain (UTS #46 would drop it silently)")
bad("jan\ufe0fe@example.org", [INV], "variation selector inside the mailbox", message_contains="position 4")
bad("jane@exam\ufe0fple.org", [INV], "variation selector in the domain would be dropped silently by IDNA", message_contains="position 10")
bad("jane\u3164@example.org", [INV], "Hangul filler (renders blank) inside the mailbox", message_contains="position 5")
bad("ja\u202ene@example.org", ["input.bidi_control"], "RLO inside flips how the address reads", message_contains="position 3")
bad("jane@exa\u2067mple.org", ["input.bidi_control"], "RLI isolate inside the domain", message_contains="position 9")
bad("ja\u200ene@example.org", [INV], "LRM inside a mailbox is invisible", message_contains="position 3")
bad("محمد\u200cرضا@example.ir", [INV], "ZWNJ in a Persian mailbox: invisible in an address, so refused (names allow it)", message_contains="position 5")
bad("jane\u0000@example.org", ["input.control_character"], "NUL inside", message_contains="position 5")
bad("jane@example.org\u0007x", ["input.control_character"], "BEL inside, near the end", message_contains="position 17")
bad("a@example.org\nb@example.org", ["input.control_character"], "a newline inside (two pasted lines) is a control character", message_contains="position 14")

# ---- lengths ----
l64 = "a" * 64
valid(f"{l64}@example.com", "mailbox of exactly 64 octets is accepted", l64, "example.com")
bad(f"{'a'*65}@example.com", [E+"local_too_long"], "mailbox of 65 octets is one over RFC 5321's limit", message_contains="65")
cyr32 = "д" * 32
valid(f"{cyr32}@mail.ru", "32 Cyrillic letters are exactly 64 octets", cyr32, "mail.ru", codes=[NA])
bad(f"{'д'*33}@mail.ru", [E+"local_too_long"], "33 Cyrillic letters are 66 octets: limit counts octets, not letters", message_contains="66")
bad(f"{'ก'*22}@example.co.th", [E+"local_too_long"], "22 Thai letters are 66 octets", message_contains="66")
lab63 = "b" * 63
valid(f"user@{lab63}.com", "a label of exactly 63 octets is accepted", "user", f"{lab63}.com")
bad(f"user@{'b'*64}.com", [E+"label_too_long"], "a label of 64 octets is refused")
cjk = "".join(chr(0x4E00 + 211 * i) for i in range(24))
assert len(to_ascii([cjk])[cjk]) > 63
bad(f"user@{cjk}.com", [E+"label_too_long"], "an IDN label of 24 characters whose A-label is over 63 octets")
dom254 = "c" * 63 + "." + "d" * 63 + "." + "e" * 63 + "." + "f" * 56 + ".com"
loc = "u"
addr = f"{loc}@{dom254}"
assert len(addr) == 254, len(addr)
valid(addr, "whole address of exactly 254 octets is accepted", loc, dom254)
bad("uu" + addr[1:], [E+"too_long"], "whole address of 255 octets is one over the limit", message_contains="255")
long300 = "a" * 64 + "@" + ".".join(["b" * 63, "c" * 63, "d" * 63, "e" * 40]) + ".com"
assert len(long300.encode()) == 301
bad(long300, [E+"too_long"], "issue 2 acceptance: a 300-octet address", message_contains="254")
bad("a" * 1025, ["input.too_long"], "over the 1,024-character input bound before any other rule")
bad("a" * 1024, [E+"missing_at"], "exactly 1,024 characters passes the input bound")
bad("x" * 1019 + "@a.co", [E+"local_too_long"], "1,024 characters with an @ reaches the mailbox limit")

# ---- structure ----
bad("janeexample.org", [E+"missing_at"], "no @ at all")
bad("jane", [E+"missing_at"], "a bare name")
bad("@example.org", [E+"local_empty"], "nothing before the @")
bad("jane@", [E+"domain_empty"], "nothing after the @")
bad("@", [E+"local_empty", E+"domain_empty"], "both parts empty: both reported at once")
bad("jane@@example.org", [E+"local_invalid_character"], "a doubled @ leaves an @ in the mailbox", message_contains="position 5")
bad("a@b@example.org", [E+"local_invalid_character"], "two @ signs", message_contains="position 2")
bad(".jane@example.org", [E+"local_dot"], "leading dot")
bad("jane.@example.org", [E+"local_dot"], "trailing dot")
bad("ja..ne@example.org", [E+"local_dot"], "doubled dot")
bad("ja\uff0e\uff0ene@example.org", [E+"local_dot"], "fullwidth dots become a doubled dot after NFKC: rules run on the normalized form")
bad(".@example.org", [E+"local_dot"], "a mailbox that is only a dot")
bad("jane..doe@gmail.com", [E+"local_dot"], "doubled dot at a provider")
bad(".jane@exam!ple.com", [E+"local_dot", E+"domain_invalid_character"], "mailbox and domain faults are both reported")

# ---- quoted forms ----
bad("\"john\"@example.com", [E+"quoted_local"], "issue 2 acceptance: quoted mailbox")
bad("\"john doe\"@example.com", [E+"quoted_local"], "quoted mailbox with a space (not two addresses)")
bad("\"john@doe\"@example.com", [E+"quoted_local"], "quoted mailbox containing an @")
bad("\"\"@example.org", [E+"quoted_local"], "empty quoted mailbox")
bad("\uff02john\uff02@example.com", [E+"quoted_local"], "fullwidth quotation marks become a quoted form after NFKC")
bad("jo\"hn@example.com", [E+"local_invalid_character"], "a stray quotation mark inside", message_contains="position 3")
bad("\"@example.org", [E+"local_invalid_character"], "a lone quotation mark", message_contains="position 1")

# ---- characters refused in the mailbox ----
bad("jane doe@example.org", [E+"local_invalid_character"], "a space inside the mailbox (not two addresses: one @)", message_contains="U+0020")
bad("  jane doe@example.org", [E+"local_invalid_character"], "position counts from the input as typed, leading spaces included", message_contains="position 7")
bad("jane(comment)@example.org", [E+"local_invalid_character"], "RFC 5322 comments are refused", message_contains="position 5")
bad("jane,doe@example.org", [E+"local_invalid_character"], "a comma inside one address")
bad("jane<x@example.org", [E+"local_invalid_character"], "an unmatched angle bracket")
bad("jane\\doe@example.org", [E+"local_invalid_character"], "a backslash (quoted-pair outside quotes)")
bad("jane☃@example.org", [E+"local_invalid_character"], "a symbol is not an identifier character (UTS #39)", message_contains="☃")
bad("jane😀@example.org", [E+"local_invalid_character"], "emoji in the mailbox", message_contains="position 5")
bad("jane€@example.org", [E+"local_invalid_character"], "currency sign in the mailbox")
bad("ｊａｎｅ☃@example.org", [E+"local_invalid_character"], "position is of the character as typed, fullwidth letters count one each", message_contains="position 5")
bad("jane:doe@example.org", [E+"local_invalid_character"], "colon is not atext")
bad("jane[1]@example.org", [E+"local_invalid_character"], "square brackets are not atext")
valid("jane™@example.org", "NFKC turns ™ into TM: the stored form is what NFKC gives, and it is re-validated", "janeTM", "example.org")
valid("ｊａｎｅ@example.org", "fullwidth letters (CJK input methods) fold to ASCII by NFKC; no warning since the result is ASCII", "jane", "example.org")
valid("ﬁona@example.org", "the ﬁ ligature folds to fi", "fiona", "example.org")

# ---- fullwidth at-sign ----
valid("jane＠example.org", "fullwidth at-sign folded and reported", "jane", "example.org", codes=[EX])
valid("ｊａｎｅ＠ｅｘａｍｐｌｅ．ｏｒｇ", "an address typed wholly in fullwidth forms", "jane", "example.org", codes=[EX])
valid("jane﹫example.org", "small commercial at folded too", "jane", "example.org", codes=[EX])
valid("李雷＠qq.com", "Chinese mailbox typed with the IME's fullwidth at-sign", "李雷", "qq.com", codes=[EX, NA])

# ---- display names and mailto ----
valid("Jane Doe <jane@example.org>", "display-name form is unwrapped", "jane", "example.org", codes=[EX])
warn("Jane Doe <jane@example.org>", [EX], "the extracted address is named in the message", message_contains="jane@example.org")
valid("\"Doe, Jane\" <Jane@Example.org>", "quoted display name with a comma is one address", "Jane", "example.org", codes=[EX])
valid("<jane@example.org>", "bare angle brackets", "jane", "example.org", codes=[EX])
valid("Jane < jane@example.org >", "spaces inside the angle brackets", "jane", "example.org", codes=[EX])
valid("mailto:jane@example.org", "mailto link", "jane", "example.org", codes=[EX])
valid("MAILTO:jane@example.org?subject=Hello", "mailto scheme in capitals with a query", "jane", "example.org", codes=[EX])
valid("mailto:j%C3%BCrgen@example.de", "percent-encoded UTF-8 in a mailto link", "jürgen", "example.de", codes=[EX, NA])
valid("mailto:jane%40example.org", "percent-encoded at-sign", "jane", "example.org", codes=[EX])
valid("<mailto:jane@example.org>", "mailto inside angle brackets", "jane", "example.org", codes=[EX])
valid("jane@example.org <jane@example.org>", "a display name that repeats the address is one address", "jane", "example.org", codes=[EX])
valid("Јане <jane@example.org>", "Cyrillic display name: only the address is checked", "jane", "example.org", codes=[EX])
valid("محمد <mohammed@example.sa>", "Arabic display name", "mohammed", "example.sa", codes=[EX])
valid("Jane Doe <info@example.org>", "extracted role address keeps both notes", "info", "example.org", codes=[EX, ROLE])
valid("Jane <jane＠example.org>", "angle form plus fullwidth at gives one extracted note", "jane", "example.org", codes=[EX])
bad("Jane <jane@gmail.con>", [EX, E+"tld_unknown"], "extracted address with a typo still gets the suggestion", suggestion="jane@gmail.com")
bad("Jane <ja ne@example.org>", [EX, E+"local_invalid_character"], "position points into the original input, past the display name", message_contains="position 9")
bad("mailto:%00jane@example.org", ["input.control_character"], "an escape decoding to NUL passes hygiene like typed text")
bad("mailto:%FF@example.org", ["input.invalid_text"], "escapes that are not UTF-8")
bad("mailto:a@example.org,b@example.org", [E+"multiple_addresses"], "mailto link with two recipients")

# ---- several addresses ----
bad("a@example.org, b@example.org", [E+"multiple_addresses"], "comma-separated list")
bad("a@example.org;b@example.org", [E+"multiple_addresses"], "semicolon-separated list (Outlook)")
bad("a@example.org b@example.org", [E+"multiple_addresses"], "space-separated pair")
bad("A <a@example.org>, B <b@example.org>", [E+"multiple_addresses"], "two display-name forms")
bad("jane@example.org <john@example.org>", [E+"multiple_addresses"], "display name that is a different address")
bad("a@example.org,b@example.org,c@example.org", [E+"multiple_addresses"], "three addresses")

# ---- mixed scripts and internationalized mailboxes ----
bad("pаypal@example.com", [E+"mixed_script"], "Cyrillic а inside a Latin word: a classic spoof", message_contains="Cyrillic")
bad("ivan.иван@mail.ru", [E+"mixed_script"], "Latin and Cyrillic words mixed")
bad("αlpha@example.com", [E+"mixed_script"], "Greek alpha inside a Latin word", message_contains="Greek")
bad("иванα@mail.ru", [E+"mixed_script"], "Cyrillic with a Greek letter")
valid("иван.петров@mail.ru", "Cyrillic mailbox (Russian)", "иван.петров", "mail.ru", codes=[NA])
valid("Иван@mail.ru", "Cyrillic capital kept in stored form, folded in key", "Иван", "mail.ru", codes=[NA])
valid("张伟@qq.com", "Chinese mailbox", "张伟", "qq.com", codes=[NA])
valid("zhang.张伟@163.com", "Latin with Han is allowed (UTS #39)", "zhang.张伟", "163.com", codes=[NA])
valid("田中.たなか@docomo.ne.jp", "Han with Hiragana (Japanese)", "田中.たなか", "docomo.ne.jp", codes=[NA])
valid("たなか@yahoo.co.jp", "Hiragana mailbox at Yahoo Japan", "たなか", "yahoo.co.jp", codes=[NA])
valid("김철수@naver.com", "Hangul mailbox (Korean)", "김철수", "naver.com", codes=[NA])
valid("kim.김철수@naver.com", "Latin with Hangul is allowed", "kim.김철수", "naver.com", codes=[NA])
valid("राहुल@example.in", "Devanagari mailbox (Hindi)", "राहुल", "example.in", codes=[NA])
valid("प्रिया.शर्मा@example.in", "Devanagari with virama and vowel signs (combining marks)", "प्रिया.शर्मा", "example.in", codes=[NA])
valid("rahul.राहुल@example.in", "Latin with one other non-Cyrillic script is moderately restrictive, allowed", "rahul.राहुल", "example.in", codes=[NA])
valid("\u0915\u093c\u0932\u092e@example.in", "decomposed Devanagari (NFD nukta) is accepted as NFKC", "\u0915\u093c\u0932\u092e", "example.in", codes=[NA])
valid("สมชาย@example.co.th", "Thai mailbox with combining vowels", "สมชาย", "example.co.th", codes=[NA])
valid("น้ำ@example.co.th", "Thai SARA AM decomposes under NFKC; the stored form is the NFKC one", "น้ำ", "example.co.th", codes=[NA])
valid("محمد@example.com", "Arabic mailbox", "محمد", "example.com", codes=[NA])
valid("محمد.علي@example.sa", "Arabic mailbox with a dot", "محمد.علي", "example.sa", codes=[NA])
valid("محمد١٢٣@example.eg", "Arabic letters with Arabic-Indic digits", "محمد١٢٣", "example.eg", codes=[NA])
valid("علی@chmail.ir", "Persian mailbox with Persian yeh", "علی", "chmail.ir", codes=[NA])
valid("مهدی۱۳۶۵@example.ir", "Persian letters with Extended Arabic-Indic digits", "مهدی۱۳۶۵", "example.ir", codes=[NA])
valid("γιώργος@example.gr", "Greek mailbox", "γιώργος", "example.gr", codes=[NA])
valid("ΓΙΏΡΓΟΣ@example.gr", "Greek capitals: key folds to γιώργος with final sigma, so both spellings deduplicate", "ΓΙΏΡΓΟΣ", "example.gr", codes=[NA])
valid("jürgen@example.de", "German umlaut", "jürgen", "example.de", codes=[NA])
valid("Jürgen.Müller@Bücher.de", "German mailbox and IDN domain: stored A-label, display U-label", "Jürgen.Müller", "bücher.de", codes=[NA], display_domain="bücher.de")
valid("straße@example.de", "sharp s kept in the mailbox", "straße", "example.de", codes=[NA])
valid("Ju\u0308rgen@example.de", "decomposed umlaut is composed by NFKC", "Jürgen", "example.de", codes=[NA])
valid("ab\u0301c@example.org", "a combining mark with no precomposed form stays decomposed", "ab\u0301c", "example.org", codes=[NA])
valid("İstanbul@example.com.tr", "Turkish dotted capital I: key is NFKC(lowercase(NFKC)) so it is stable", "İstanbul", "example.com.tr", codes=[NA])
valid("José@example.es", "Spanish accent", "José", "example.es", codes=[NA])
valid("Ｊｏｓé@example.es", "fullwidth Latin with an accent: NFKC folds the width, keeps the accent", "José", "example.es", codes=[NA])

# ---- internationalized domains ----
valid("user@пример.рф", "Cyrillic IDN domain and TLD", "user", "пример.рф", display_domain="пример.рф")
valid("user@ПРИМЕР.РФ", "Cyrillic capitals in the domain are lowercased by UTS #46", "user", "пример.рф", display_domain="пример.рф")
valid("user@例え.jp", "Japanese IDN label", "user", "例え.jp", display_domain="例え.jp")
valid("user@例子.中国", "Chinese IDN domain and TLD", "user", "例子.中国", display_domain="例子.中国")
valid("用户@例子.公司", "Chinese mailbox at a Chinese domain", "用户", "例子.公司", codes=[NA], display_domain="例子.公司")
valid("user@例子。中国", "ideographic full stop separates labels (UTS #46)", "user", "例子.中国", display_domain="例子.中国")
valid("user@مثال.السعودية", "Arabic IDN domain and TLD (right-to-left)", "user", "مثال.السعودية", display_domain="مثال.السعودية")
valid("محمد@مثال.مصر", "Arabic mailbox at an Arabic domain (Egypt)", "محمد", "مثال.مصر", codes=[NA], display_domain="مثال.مصر")
valid("user@مثال.ایران", "Persian IDN TLD", "user", "مثال.ایران", display_domain="مثال.ایران")
valid("user@ตัวอย่าง.ไทย", "Thai IDN domain and TLD", "user", "ตัวอย่าง.ไทย", display_domain="ตัวอย่าง.ไทย")
valid("user@उदाहरण.भारत", "Devanagari IDN domain and TLD", "user", "उदाहरण.भारत", display_domain="उदाहरण.भारत")
valid("user@παράδειγμα.ελ", "Greek IDN domain and TLD", "user", "παράδειγμα.ελ", display_domain="παράδειγμα.ελ")
valid("user@bücher.de", "German IDN domain", "user", "bücher.de", display_domain="bücher.de")
valid("user@straße.de", "sharp s kept by nontransitional IDNA", "user", "straße.de", display_domain="straße.de")
valid("user@bu\u0308cher.de", "decomposed umlaut in a domain maps to the same A-label", "user", "bücher.de", display_domain="bücher.de")
valid("user@xn--bcher-kva.de", "A-label typed directly: display shows the U-label", "user", "bücher.de", display_domain="bücher.de")
valid("user@XN--BCHER-KVA.DE", "A-label in capitals", "user", "bücher.de", display_domain="bücher.de")
valid("user@example.xn--vermgensberatung-pwb", "A-label TLD from the root zone", "user", "example.vermögensberatung", display_domain="example.vermögensberatung")
valid("user@example．org", "fullwidth full stop in the domain", "user", "example.org")
valid("user@ｅｘａｍｐｌｅ.ｏｒｇ", "fullwidth letters in the domain", "user", "example.org")
valid("user@EXAMPLE.org", "uppercase ASCII domain", "user", "example.org")
bad("user@xn--a.com", [E+"domain_invalid"], "an A-label whose Punycode decodes to a disallowed character")
bad("user@مثالexample.com", [E+"domain_invalid"], "right-to-left and left-to-right letters in one label break the bidi rule (RFC 5893)")
bad("user@\u0301abc.com", [E+"domain_invalid"], "a label may not start with a combining mark")

# ---- homograph domains (issue 13): look-alike letters refused, the real provider suggested ----
CONF = E + "domain_confusable"
spoofs = ["gm\u0430il.com", "\u0443\u0430\u04bb\u043e\u043e.com", "h\u03bftmail.com"]
alabel = to_ascii(spoofs)
bad("user@gm\u0430il.com", [CONF], "issue 13: Cyrillic а (U+0430) in gmail, Latin and Cyrillic mixed in one label", suggestion="user@gmail.com", message_contains="Cyrillic")
bad("user@" + alabel["gm\u0430il.com"], [CONF], "issue 13: the same spoof typed as its A-label is decoded and refused", suggestion="user@gmail.com", message_contains="gm\u0430il.com")
bad("user@GM\u0410IL.COM", [CONF], "capital Cyrillic А is lowercased by IDNA first, then refused", suggestion="user@gmail.com")
bad("user@h\u03bftmail.com", [CONF], "Greek omicron (U+03BF) in hotmail: Latin and Greek mixed", suggestion="user@hotmail.com", message_contains="Greek")
bad("user@" + alabel["h\u03bftmail.com"], [CONF], "the Greek-omicron spoof as an A-label", suggestion="user@hotmail.com")
bad("user@\u0443\u0430\u04bb\u043e\u043e.com", [CONF], "whole-script confusable: уаһоо is all Cyrillic yet reads as yahoo, a provider", suggestion="user@yahoo.com", message_contains="(Cyrillic)")
bad("user@" + alabel["\u0443\u0430\u04bb\u043e\u043e.com"], [CONF], "the whole-script yahoo spoof as an A-label", suggestion="user@yahoo.com")
bad("user@\u0443\u0430\u04bb\u043e\u043e.\u0440\u0444", [CONF], "a provider's name in another script under another ending is refused too", suggestion="user@yahoo.com")
bad("user@\u0443\u0430.ru", [CONF], "short provider names match only as whole domains: Cyrillic уа.ru reads as ya.ru", suggestion="user@ya.ru")
bad("user@gma\u0131l.com", [CONF], "dotless ı (Latin, one script) makes gmail: the skeleton matches a provider", suggestion="user@gmail.com")
bad("user@g\u0585\u0585gle.com", [CONF], "Armenian օ for o: Latin with Armenian passes moderately restrictive, but a mix that reads wholly as ASCII is a spoof", message_contains="Latin, Armenian")
bad("user@ivan\u0438\u0432\u0430\u043d.com", [CONF], "Latin and Cyrillic in one label are refused even when no provider is imitated", message_contains="Latin, Cyrillic")
bad("p\u0430ypal@gm\u0430il.com", [E+"mixed_script", CONF], "the mailbox keeps its own mixed-script check; both faults are reported", suggestion="p\u0430ypal@gmail.com")
valid("user@\u0430\u0443\u0440\u0430.\u0440\u0444", "аура is all Cyrillic and reads as aypa, which is no provider: a real word stays accepted", "user", "\u0430\u0443\u0440\u0430.\u0440\u0444", display_domain="\u0430\u0443\u0440\u0430.\u0440\u0444")
valid("user@\u043e\u0440.\u0440\u0444", "ор reads as op (op.pl) but short names match only whole domains", "user", "\u043e\u0440.\u0440\u0444", display_domain="\u043e\u0440.\u0440\u0444")
valid("user@ひらがなカタカナ漢字.jp", "Japanese mixing Hiragana, Katakana and Han in one label (UTS #39 highly restrictive)", "user", "ひらがなカタカナ漢字.jp", display_domain="ひらがなカタカナ漢字.jp")
valid("user@g00gle.com", "digits for letters are no script mix: left to the typo rules (no provider near enough)", "user", "g00gle.com")
valid("user@rahulराहुल.in", "Latin with one other recommended script (not Cyrillic or Greek) is moderately restrictive", "user", "rahulराहुल.in", display_domain="rahulराहुल.in")

# ---- characters refused in the domain ----
bad("user@exam!ple.com", [E+"domain_invalid_character"], "issue 2 acceptance: a symbol in the domain", message_contains="position 10")
bad("user@exam_ple.com", [E+"domain_invalid_character"], "underscore is not LDH (STD3)")
bad("user@example .com", [E+"domain_invalid_character"], "a space in the domain", message_contains="U+0020")
bad("user@☃.com", [E+"domain_invalid_character"], "UTS #46 maps the snowman, IDNA2008 disallows it", message_contains="☃")
bad("user@i❤.ws", [E+"domain_invalid_character"], "emoji-style symbol domains are not IDNA2008", message_contains="position 7")
bad("user@😀.example.org", [E+"domain_invalid_character"], "emoji label")
bad("user@xn--n3h.com", [E+"domain_invalid_character"], "the snowman as an A-label is refused too", message_contains="☃")
bad("user@example.com/", [E+"domain_invalid_character"], "a trailing slash pasted from a URL")
bad("user@exa*mple.com", [E+"domain_invalid_character"], "asterisk")
bad("user@example.c%m", [E+"domain_invalid_character"], "percent sign")
bad("user@-example.com", [E+"domain_invalid"], "label starts with a hyphen")
bad("user@example-.com", [E+"domain_invalid"], "label ends with a hyphen")
bad("user@ex--ample.com", [E+"domain_invalid"], "hyphens in positions 3 and 4 are reserved for A-labels")
bad("user@example..com", [E+"domain_invalid"], "empty label")
bad("user@.example.com", [E+"domain_invalid"], "leading dot in the domain")

# ---- the root dot: one trailing dot names the same host (issue 13) ----
valid("jane@example.com.", "a trailing root dot is the same DNS name: dropped, stored and keyed like the dotless form", "jane", "example.com")
valid("Jane@Example.COM.", "with the root dot the dedup key equals that of jane@example.com, so the two are one contact", "Jane", "example.com")
valid("user@例子.中国。", "an ideographic full stop as the root dot is dropped too (UTS #46 maps it to a dot)", "user", "例子.中国", display_domain="例子.中国")
valid("mailto:jane@example.com.", "the root dot after mailto unwrapping: only the unwrapping is reported", "jane", "example.com", codes=[EX])
bad("jane@example.com..", [E+"domain_invalid"], "two trailing dots are an empty label, not a root dot")
bad("jane@.", [E+"domain_invalid"], "a dot alone is no domain")
bad("jane@example..com.", [E+"domain_invalid"], "dropping the root dot does not hide an empty label inside")
bad("jane@localhost.", [E+"domain_incomplete"], "a one-label name with a root dot is still one label")

# ---- IP literals ----
bad("user@[192.168.0.1]", [E+"ip_literal"], "bracketed IPv4 literal")
bad("user@[IPv6:2001:db8::1]", [E+"ip_literal"], "IPv6 literal")
bad("user@[not-an-ip]", [E+"ip_literal"], "any bracketed literal is refused (email_address accepts this)")
bad("user@192.168.0.1", [E+"ip_literal"], "a bare dotted quad")

# ---- label count and endings ----
bad("a@localhost", [E+"domain_incomplete"], "issue 2 acceptance: a one-label domain")
bad("user@com", [E+"domain_incomplete"], "a TLD alone")
bad("user@gmailcom", [E+"domain_incomplete"], "a missing dot before the ending gets a suggestion", suggestion="user@gmail.com")
bad("user@example.123", [E+"tld_numeric"], "numeric ending")
bad("user@123.456", [E+"tld_numeric"], "all-numeric two-label domain")
bad("user@1.2.3.4.5", [E+"tld_numeric"], "five numeric labels is not an IPv4 address but still a numeric ending")
bad("user@example.test", [E+"tld_reserved"], "RFC 2606 .test", message_contains=".test")
bad("user@printer.local", [E+"tld_reserved"], "mDNS .local")
bad("user@foo.localhost", [E+"tld_reserved"], "RFC 6761 .localhost")
bad("user@foo.invalid", [E+"tld_reserved"], "RFC 2606 .invalid")
bad("user@foo.example", [E+"tld_reserved"], "RFC 2606 .example")
bad("user@corp.internal", [E+"tld_reserved"], ".internal, reserved for private use")
bad("user@abcdefghijklmnop.onion", [E+"tld_reserved"], "Tor .onion")
bad("user@x.alt", [E+"tld_reserved"], "RFC 9476 .alt")
bad("user@router.home.arpa", [E+"tld_reserved"], "RFC 8375 home.arpa (the ending is two labels)", message_contains="home.arpa")
bad("user@box.LOCALDOMAIN", [E+"tld_reserved"], "localdomain from a misconfigured mail client")
bad("user@server.lan", [E+"tld_reserved"], "office network ending .lan")
bad("user@example.con", [E+"tld_unknown"], "unknown ending, no provider nearby: no suggestion")
bad("user@company.notarealtld", [E+"tld_unknown"], "made-up ending")
bad("user@example.c", [E+"tld_unknown"], "one-letter ending")
valid("user@example.xn--p1ai", "Cyrillic TLD as an A-label", "user", "example.рф", display_domain="example.рф")

# ---- typo suggestions: errors carry them ----
bad("user@gmail.con", [E+"tld_unknown"], "issue 2 acceptance: gmail.con is refused with the whole corrected address", suggestion="user@gmail.com")
bad("Jane.Doe@gmail.con", [E+"tld_unknown"], "the suggestion keeps the mailbox as typed", suggestion="Jane.Doe@gmail.com")
bad("user@hotmail.cmo", [E+"tld_unknown"], "swapped letters in the ending", suggestion="user@hotmail.com")
bad("user@gmail.comm", [E+"tld_unknown"], "doubled last letter", suggestion="user@gmail.com")
bad("user@gmail..com", [E+"domain_invalid"], "doubled dot at a provider", suggestion="user@gmail.com")
bad("user@gmail,com", [E+"domain_invalid_character"], "comma for dot (neighbouring keys)", suggestion="user@gmail.com")
valid("user@gmail.com.", "trailing root dot at a provider: accepted as gmail.com, no typo warning", "user", "gmail.com")
bad("ani@yahoo.co.od", [E+"tld_unknown"], "Indonesian Yahoo with o for i (neighbouring keys)", suggestion="ani@yahoo.co.id")
bad("ani@yahoo.co.di", [E+"tld_unknown"], "Indonesian Yahoo with a swapped ending", suggestion="ani@yahoo.co.id")
bad("ali@hotmail.co.uj", [E+"tld_unknown"], "UK Hotmail with j for k", suggestion="ali@hotmail.co.uk")
bad("joao@bol.com.vr", [E+"tld_unknown"], "Brazilian BOL with v for b", suggestion="joao@bol.com.br")
bad("hans@gmx.dr", [E+"tld_unknown"], "German GMX with r for e", suggestion="hans@gmx.de")
bad("ivan@mail.ry", [E+"tld_unknown"], "Russian Mail.ru with y for u", suggestion="ivan@mail.ru")
bad("ivan@yandex.ri", [E+"tld_unknown"], "Yandex with i for u", suggestion="ivan@yandex.ru")
bad("li@qq.con", [E+"tld_unknown"], "Chinese QQ: a short provider is suggested for an ending that does not exist", suggestion="li@qq.com")
bad("li@163.con", [E+"tld_unknown"], "Chinese NetEase 163", suggestion="li@163.com")
bad("kim@naver.con", [E+"tld_unknown"], "Korean Naver", suggestion="kim@naver.com")
bad("taro@yahoo.co.pj", [E+"tld_unknown"], "Yahoo Japan with a swapped ending", suggestion="taro@yahoo.co.jp")
bad("taro@docomo.ne.pj", [E+"tld_unknown"], "Japanese carrier docomo", suggestion="taro@docomo.ne.jp")
bad("reza@chmail.ri", [E+"tld_unknown"], "Iranian Chmail with a swapped ending", suggestion="reza@chmail.ir")
bad("Jane <jane@yahoo.co.od>", [EX, E+"tld_unknown"], "suggestion after unwrapping a display name", suggestion="jane@yahoo.co.id")

# ---- typo suggestions: warnings on valid domains ----
def typo(inp, sug, note):
    warn(inp, [TYPO], note, suggestion=sug, normalized=inp, message_contains=sug)
typo("user@gmali.com", "user@gmail.com", "swapped letters in Gmail")
typo("user@gmaik.com", "user@gmail.com", "k for l (neighbouring keys)")
typo("user@gmaill.com", "user@gmail.com", "doubled letter")
typo("user@gamil.com", "user@gmail.com", "swapped letters")
typo("user@gnail.com", "user@gmail.com", "n for m (neighbouring keys)")
typo("user@gmail.co", "user@gmail.com", ".co is a real ending, but gmail.co is a near miss of the provider")
typo("user@hotmali.com", "user@hotmail.com", "swapped letters in Hotmail")
typo("user@hotmal.com", "user@hotmail.com", "dropped letter")
typo("user@yaho.com", "user@yahoo.com", "dropped doubled letter")
typo("user@yahooo.com", "user@yahoo.com", "tripled letter")
typo("user@outlok.com", "user@outlook.com", "dropped doubled letter in Outlook")
typo("user@iclod.com", "user@icloud.com", "dropped letter in iCloud")
typo("ani@yaho.co.id", "ani@yahoo.co.id", "Indonesian Yahoo missing an o")
typo("ani@yahooo.co.id", "ani@yahoo.co.id", "Indonesian Yahoo with an extra o")
typo("ani@yhaoo.co.id", "ani@yahoo.co.id", "Indonesian Yahoo with swapped letters")
typo("ani@yahoo.com.id", "ani@yahoo.co.id", "Indonesian Yahoo with com for co")
typo("budi@plasa.co", "budi@plasa.com", "Indonesian Plasa missing the m")
typo("budi@telkom.ne", "budi@telkom.net", "Indonesian Telkom missing the t")
typo("budi@outlok.co.id", "budi@outlook.co.id", "Indonesian Outlook missing an o")
typo("ali@hotmial.co.uk", "ali@hotmail.co.uk", "UK Hotmail with swapped letters")
typo("joao@uol.com.bt", "joao@uol.com.br", "Brazilian UOL: .bt is real but a three-label near miss of a country variant")
typo("joao@terra.com.bf", "joao@terra.com.br", "Brazilian Terra with f for r (neighbouring keys)")
typo("hans@t-onlin.de", "hans@t-online.de", "German T-Online missing the e")
typo("hans@freenett.de", "hans@freenet.de", "German freenet with a doubled t")
typo("ivan@yadnex.ru", "ivan@yandex.ru", "Russian Yandex with swapped letters")
typo("ivan@rambeler.ru", "ivan@rambler.ru", "Russian Rambler with an extra letter")
typo("kim@navr.com", "kim@naver.com", "Korean Naver missing a letter")
typo("kim@hanmial.net", "kim@hanmail.net", "Korean Hanmail with swapped letters")
typo("ahmed@maktob.com", "ahmed@maktoob.com", "Arab world Maktoob missing a doubled letter")
typo("reza@chmial.ir", "reza@chmail.ir", "Iranian Chmail with swapped letters")
typo("taro@docmo.ne.jp", "taro@docomo.ne.jp", "Japanese docomo missing a letter")
typo("pierre@orange.gr", "pierre@orange.fr", "French Orange with g for f (neighbouring keys)")
typo("Jane.Doe@gmaik.com", "Jane.Doe@gmail.com", "the warning's suggestion keeps the mailbox case")

# ---- no suggestion: exact providers and unrelated domains ----
for d, why in [("yahoo.co.id", "Indonesian Yahoo is itself a provider"), ("outlook.co.id", "Indonesian Outlook"),
               ("yahoo.co.jp", "Yahoo Japan sits next to Yahoo Indonesia"), ("yahoo.co.in", "Yahoo India"),
               ("gmx.de", "GMX Germany"), ("gmx.at", "GMX Austria, one edit from gmx.de"), ("live.se", "Live Sweden next to live.de"),
               ("mail.com", "mail.com is one letter from gmail.com but real"), ("email.com", "email.com is real"),
               ("mail.ru", "Mail.ru"), ("qq.com", "QQ"), ("uol.com.br", "UOL Brazil"), ("hotmail.co.uk", "UK Hotmail"),
               ("web.de", "WEB.DE"), ("naver.com", "Naver"), ("chmail.ir", "Chmail Iran"), ("maktoob.com", "Maktoob"),
               ("acme.co.id", "an Indonesian company: unrelated to every provider"), ("ui.ac.id", "an Indonesian university"),
               ("company.com", "an unrelated company"), ("web.dev", "short provider name with another real ending is a different domain"),
               ("wbe.de", "a short name one swap away is not corrected: too likely a real domain"),
               ("qa.com", "qq.com is a short provider; qa.com is a different domain"),
               ("mycompany.co.uk", "unrelated UK company")]:
    valid(f"someone@{d}", why + ": no suggestion", "someone", d)

# ---- role accounts ----
valid("info@acme.co.id", "role mailbox warned, still accepted", "info", "acme.co.id", codes=[ROLE])
valid("admin@example.org", "admin is a role", "admin", "example.org", codes=[ROLE])
valid("No-Reply@example.org", "role match ignores case and separators", "No-Reply", "example.org", codes=[ROLE])
valid("postmaster+bounce@example.org", "role match ignores a plus tag", "postmaster+bounce", "example.org", codes=[ROLE])
valid("support@example.co.uk", "support is a role", "support", "example.co.uk", codes=[ROLE])
valid("kontak@example.co.id", "Indonesian kontak is a role", "kontak", "example.co.id", codes=[ROLE])
valid("contato@example.com.br", "Portuguese contato is a role", "contato", "example.com.br", codes=[ROLE])
valid("information.jane@example.org", "a personal mailbox that starts like a role is not one", "information.jane", "example.org")
valid("infos@example.org", "near a role name is not a role", "infos", "example.org")
warn("sales@gmaik.com", [TYPO, ROLE], "typo and role warnings together, in rule order", suggestion="sales@gmail.com")

# ---- keys and stored forms ----
valid("JANE@Example.ORG", "key folds the mailbox; stored keeps it", "JANE", "example.org")
valid("ΣΊΣΥΦΟΣ@example.gr", "Greek capitals with final sigma in the key", "ΣΊΣΥΦΟΣ", "example.gr", codes=[NA])
valid("Ｊａｎｅ@example.org", "fullwidth mailbox: stored and key are both plain ASCII", "Jane", "example.org")
valid("MÜLLER@EXAMPLE.DE", "non-ASCII capitals fold in the key", "MÜLLER", "example.de", codes=[NA])

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "vectors", "email.json")
# ---- the policy's limit, applied by every face (issue 13) ----
def limited(inp, ok, note, **kw):
    add(inp, ok, note, **kw)
    cases[-1]["policy"] = "short-email"
limited("ani.wijaya@gmail.com", True, "issue 13: 20 characters under a policy's fields.email.max_chars of 24: the browser's validateField and the CLI accept it as the server does",
        normalized="ani.wijaya@gmail.com", codes=[])
limited("ani.wijaya.kusuma@gmail.com", False, "issue 13: 27 characters over fields.email.max_chars of 24: the single-field check refuses it as validate_with does (it used to pass in the browser and fail on the server)",
        codes=["input.too_long"], message_contains="24")
limited(" ANI.WIJAYA.K@GMAIL.COM ", True, "issue 13: the limit counts the stored form, so the spaces around a 22-character address do not count",
        normalized="ANI.WIJAYA.K@gmail.com", codes=[])

with open(out, "w") as f:
    f.write("[\n" + ",\n".join("  " + json.dumps(c, ensure_ascii=False) for c in cases) + "\n]\n")
print(len(cases))
