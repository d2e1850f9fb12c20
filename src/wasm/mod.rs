//! The browser face: the JS API of the WebAssembly module (wasm32 only).
//!
//! Translation and nothing else: JS values in, the core's answer out, as the same JSON shapes
//! the HTTP service sends (DESIGN §2). Inputs cross as JSON text (`JSON.stringify`, then the
//! core's own strict parsers), so a submission the server refuses is refused here with the same
//! code; outputs cross back through `JSON.parse`. The drop-in's build (`fields_only`) has no
//! `validate` (`form.rs`) and reads the policy object key by key (`page_policy.rs`). Strings are checked with
//! `JsString::is_valid_utf16()` first: wasm-bindgen would turn a lone surrogate into U+FFFD,
//! while the server refuses it, so the browser answers `input.invalid_text` like the server.
//!
//! Phone data loads on demand (DESIGN §5): a phone whose calling code's data is not loaded yet
//! gets a *pending* answer, `{ pending: true, needs: ["phone-62.<hash>.bin"], ok: false,
//! issues: [], message: "Checking this phone number…" }`: no verdict, no issue to show. The page fetches each file in `needs` (relative
//! to the module), hands the bytes to `loadPhoneData` and asks again. In the default build the
//! phone engine itself is such a file, `phone-engine.<hash>.wasm`: instantiate it and pass the
//! instance to `usePhoneEngine`.
//!
//! An address whose ending is not among the most common ones needs the email data file (the
//! root zone, providers and role names: `email.<hash>.txt`, `loadEmailData`) the same way:
//! `email.pending` until it is loaded (in the drop-in's module every address that gets past the
//! syntax rules does); so does
//! an address beyond ASCII the Unicode tables (`unicode.<hash>.bin`), and in the drop-in's module
//! a name beyond ASCII too (its script names are in that file): pending, with an empty message.
//!
//! Messages load the same way: the module carries English (the drop-in's carries none: English is
//! a file there too, `messages-en.<hash>.txt`); another locale's catalogue is a file
//! (`messages-fa.<hash>.txt`), and until it is loaded (`loadMessages`) every answer in that locale
//! is pending with that file in `needs` (and an empty `message`). `messagesFor(locale)` names
//! the file a page prefetches.
//!
//! The policy's custom fields need no function of their own: `validate` checks them (a
//! submission holding only `custom` gets their issues, `field: "custom"` with `params.field`;
//! the drop-in asks the verifier's `POST /v1/validate` the same), and a page reads their labels
//! from the policy it already has.
//!
//! A failed validation is a returned value; only a malformed call (a field name that does not
//! exist, a value that is not a string, a policy that does not load) throws a `TypeError`.
//!
//! ```js
//! import init, { validateField } from "./signup_guard.js";
//! await init();
//! validateField("phone", "۰۸۱۲۳۴۵۶۷۸۹۰", { country: "ID", locale: "fa" }).display;
//! // "+62 812-3456-7890"
//! ```

#[cfg(not(fields_only))]
use crate::check::{check_field, FieldContext};
use crate::check::{check_field_in, FieldVerdict};
use crate::issue::{Code, Field, Issue};
use crate::policy::{sha256_hex, Policy};
use crate::{messages, Country};
use js_sys::{JsString, Object, Reflect, JSON};
#[cfg(not(fields_only))]
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[cfg(not(fields_only))]
pub mod form;
mod out;
#[cfg(fields_only)]
mod page_policy;
pub mod phone;

pub(crate) type JsResult = Result<JsValue, JsValue>;

/// The module's allocator (single-threaded wasm; see Cargo.toml).
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
// SAFETY: this module has one thread (no `atomics`): nothing allocates concurrently.
static ALLOC: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

pub(crate) fn type_error(msg: impl AsRef<str>) -> JsValue {
    js_sys::TypeError::new(msg.as_ref()).into()
}

/// The core's answer as a plain JS object (the same JSON the server sends): whole-submission
/// verdicts and receipts; a field's answers are built directly (`out.rs`).
#[cfg(not(fields_only))]
fn to_js<T: Serialize>(value: &T) -> JsResult {
    let text = crate::json::to_string(value).map_err(|e| type_error(e.to_string()))?;
    JSON::parse(&text)
}

/// A string argument, or `None` for `undefined`/`null`; anything else is a malformed call.
fn opt_string(value: &JsValue, what: &str) -> Result<Option<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        value
            .as_string()
            .map(Some)
            .ok_or_else(|| type_error([what, " must be a string"].concat()))
    }
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    if obj.is_object() {
        Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

thread_local! {
    /// The last policy parsed, keyed by the JS value it came from (`Object.is`), so a form that
    /// passes the same policy object on every keystroke parses it once.
    static POLICY: RefCell<Option<(JsValue, Rc<Policy>)>> = const { RefCell::new(None) };
}

/// The policy from a JS object or JSON text; `undefined`/`null` is the default policy.
fn policy_from(value: &JsValue) -> Result<Rc<Policy>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Rc::new(Policy::default()));
    }
    if let Some(hit) = POLICY.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|(k, _)| Object::is(k, value))
            .map(|(_, p)| p.clone())
    }) {
        return Ok(hit);
    }
    #[cfg(fields_only)]
    let policy = Rc::new(page_policy::read(&match value.as_string() {
        Some(s) => JSON::parse(&s)?,
        None if value.is_object() => value.clone(),
        None => return Err(type_error("policy must be an object or JSON text")),
    }));
    #[cfg(not(fields_only))]
    let policy = {
        let text = match value.as_string() {
            Some(s) => s,
            None if value.is_object() => JSON::stringify(value)?
                .as_string()
                .ok_or_else(|| type_error("policy is not JSON"))?,
            None => return Err(type_error("policy must be an object or JSON text")),
        };
        Rc::new(Policy::from_json(&text).map_err(|e| type_error(e.to_string()))?)
    };
    POLICY.with(|c| *c.borrow_mut() = Some((value.clone(), policy.clone())));
    Ok(policy)
}

/// The field for a wire name (`"email"`, `"given_name"`…; camelCase is accepted too).
fn field_named(name: &str) -> Option<Field> {
    Some(match name {
        "email" => Field::Email,
        "phone" => Field::Phone,
        "given_name" | "givenName" | "name" => Field::GivenName,
        "family_name" | "familyName" => Field::FamilyName,
        "country" => Field::Country,
        _ => return None,
    })
}

/// The pending answer when some issue says phone data or an email data file is not loaded, else
/// `None`.
fn pending(issues: &[Issue]) -> Option<JsResult> {
    let waiting: Vec<&Issue> = issues
        .iter()
        .filter(|i| matches!(i.code, Code::PhonePending | Code::EmailPending))
        .collect();
    let first = waiting.first()?;
    // The message is what a form may say while it waits (`phone.pending`, in its locale).
    Some(Ok(out::pending(
        waiting.iter().filter_map(|i| i.params.get("data")),
        &first.message,
    )))
}

/// The pending answer while the catalogue of `locale` (negotiated) is not loaded, else `None`:
/// its page's part, and its whole form's part too if `whole_form` (`validate`).
fn catalogue_pending(locale: &str, whole_form: bool) -> Option<JsResult> {
    messages::needed(locale, whole_form).map(waiting_for)
}

/// The pending answer that names one file and says nothing (no catalogue may be loaded yet).
fn waiting_for(file: &str) -> JsResult {
    Ok(out::pending([file], ""))
}

/// Checks one value of one field: what the drop-in script runs on blur and input.
///
/// `ctx` is `{ country?, locale?, policy? }`; an unknown or empty country is ignored (the phone
/// then needs a country code or the policy's `default_country`).
#[wasm_bindgen(js_name = validateField)]
pub fn validate_field(field: &str, value: JsValue, ctx: JsValue) -> JsResult {
    let field =
        field_named(field).ok_or_else(|| type_error(["unknown field \"", field, "\""].concat()))?;
    let locale = opt_string(&get(&ctx, "locale"), "ctx.locale")?;
    let policy = policy_from(&get(&ctx, "policy"))?;
    let country = opt_string(&get(&ctx, "country"), "ctx.country")?;
    let Some(text) = value.dyn_ref::<JsString>() else {
        return Err(type_error("value must be a string"));
    };
    if let Some(answer) = catalogue_pending(
        messages::negotiate(locale.as_deref().unwrap_or("en")),
        false,
    ) {
        return answer;
    }
    if !text.is_valid_utf16() {
        let locale = locale.as_deref().unwrap_or("en");
        return Ok(out::field_verdict(&FieldVerdict::refuse(
            field,
            "",
            Code::InputInvalidText,
            locale,
        )));
    }
    let country = country
        .as_deref()
        .and_then(|c| Country::from_code(c.trim()));
    let data = &crate::unicode::lazy::FILE;
    data.begin();
    let verdict = check_field_in(
        field,
        &String::from(text),
        &policy,
        country,
        locale.as_deref(),
    );
    // A name beyond ASCII in the drop-in's module, before the Unicode data file (the script
    // names) came: no verdict yet.
    pending(&verdict.issues)
        .or_else(|| data.waited_for().map(waiting_for))
        .unwrap_or_else(|| Ok(out::field_verdict(&verdict)))
}

/// Loads a data file of this build the email rules need (as bytes): the email data file
/// (`email.<hash>.txt`: the root zone, which addresses with less common endings need, and in the
/// drop-in's module the providers and role names every address needs), or the Unicode tables
/// (`unicode.<hash>.bin`), which addresses beyond ASCII need; other bytes throw a `TypeError`.
#[wasm_bindgen(js_name = loadEmailData)]
pub fn load_email_data(bytes: &[u8]) -> Result<(), JsValue> {
    crate::fields::email::lists::lazy::FILE
        .load(bytes)
        .or_else(|()| crate::unicode::lazy::FILE.load(bytes))
        .map_err(|()| type_error("not an email data file of this build"))
}

/// The email data file (`"email.<hash>.txt"`) while it is not loaded, else `undefined`: what a
/// page prefetches when the person starts on the email field.
#[wasm_bindgen(js_name = emailDataFor)]
pub fn email_data_for() -> Option<String> {
    crate::fields::email::lists::lazy::FILE
        .needed()
        .map(str::to_owned)
}

/// Loads one message catalogue file (`messages-<locale>.<hash>.txt` of this build, as bytes) and
/// answers its locale; bytes of another build or a damaged file throw a `TypeError`.
#[wasm_bindgen(js_name = loadMessages)]
pub fn load_messages(bytes: &[u8]) -> Result<String, JsValue> {
    messages::load(bytes)
        .map(str::to_owned)
        .map_err(|_| type_error("not a message catalogue of this build"))
}

/// The next catalogue file messages in `locale` need (`"fa-IR"` → `"messages-fa.<hash>.txt"`, the
/// page's part, then `"messages-fa.form.<hash>.txt"`, the whole form's, which the drop-in's
/// module never asks for), or `undefined` when it is compiled in (English, but in the drop-in's
/// module) or loaded: what a page prefetches for its language.
#[wasm_bindgen(js_name = messagesFor)]
pub fn messages_for(locale: &str) -> Option<String> {
    messages::needed(messages::negotiate(locale), true).map(str::to_owned)
}

/// The consent purposes to render for `locale`, each with the text to show and its hash.
///
/// The text is the one `validate` checks the receipt against, so a form that shows exactly
/// this text sends a receipt that verifies.
#[wasm_bindgen(js_name = consentPurposes)]
pub fn consent_purposes(policy: JsValue, locale: Option<String>) -> JsResult {
    let policy = policy_from(&policy)?;
    let locale = messages::negotiate(locale.as_deref().unwrap_or("en"));
    // Each as a form shows it: `{ id, channel, required, text, text_hash }`, the exact text for
    // the locale and its SHA-256.
    Ok(out::array(&policy.purposes, |p| {
        let text = p.text_for(locale);
        out::Obj::new()
            .set("id", p.id.as_str())
            .set("channel", p.channel.as_str())
            .set("required", p.required)
            .set("text", text)
            .set("text_hash", sha256_hex(text))
            .done()
    }))
}

/// The consent part of a submission: the purposes granted, the SHA-256 of every purpose text
/// shown in `locale`, and the browser's clock (recorded as claimed by the server).
#[cfg(not(fields_only))]
#[wasm_bindgen(js_name = consentReceipt)]
pub fn consent_receipt(policy: JsValue, granted: JsValue, locale: Option<String>) -> JsResult {
    let policy = policy_from(&policy)?;
    let locale = messages::negotiate(locale.as_deref().unwrap_or("en"));
    if !js_sys::Array::is_array(&granted) {
        return Err(type_error("granted must be an array of purpose ids"));
    }
    let mut ids = Vec::new();
    for id in js_sys::Array::from(&granted).iter() {
        let id = id
            .dyn_ref::<JsString>()
            .filter(|s| s.is_valid_utf16())
            .map(String::from)
            .ok_or_else(|| type_error("granted must be an array of purpose ids"))?;
        ids.push(id);
    }
    let claim = crate::consent::receipt(
        &policy,
        ids,
        locale,
        js_sys::Date::new_0().to_iso_string().as_string(),
    );
    to_js(&claim)
}

/// The release and date of each data set compiled into the module (phone metadata, TLDs,
/// mailbox providers): the same object as `data_versions` in the server's `GET /healthz`.
#[cfg(not(fields_only))]
#[wasm_bindgen(js_name = dataVersions)]
pub fn data_versions_js() -> JsResult {
    to_js(&crate::data_versions())
}

/// Lowercase hex SHA-256 of a text's UTF-8 bytes, the hash every consent receipt carries.
#[wasm_bindgen(js_name = sha256Hex)]
pub fn sha256_hex_js(text: &str) -> String {
    sha256_hex(text)
}

/// Touches every code path once (email, phone, names, country) so the first real keystroke
/// does not pay for memory growth or table first-use.
#[cfg(not(fields_only))]
#[wasm_bindgen(js_name = warmUp)]
pub fn warm_up() {
    let ctx = FieldContext::default();
    for (field, value) in [
        (Field::Email, "warm.up@example.org"),
        (Field::Phone, "+62 812-3456-7890"),
        (Field::Phone, "+1 202 555 0143"),
        (Field::GivenName, "Ani"),
        (Field::Country, "ID"),
    ] {
        let _ = check_field(field, value, &ctx);
    }
}

/// Whether text in `locale` is laid out right to left (`ar`, `fa`).
#[wasm_bindgen(js_name = isRtl)]
pub fn is_rtl(locale: &str) -> bool {
    messages::is_rtl(locale)
}

/// The shipped locale for a BCP 47 tag (`"fa-IR"` → `"fa"`), English otherwise.
#[wasm_bindgen(js_name = negotiateLocale)]
pub fn negotiate_locale(tag: &str) -> String {
    messages::negotiate(tag).to_owned()
}
