//! The drop-in's build (`fields_only`) reads the policy from the object the page already parsed,
//! key by key, instead of through the strict JSON reader: about 8 KB brotli less on every first
//! load. It may be lenient because the verifier loaded the same document strictly (`serve`
//! refuses to start on an unknown key, a wrong type or a failed check), so the page only ever
//! gets a valid one. It reads what this build's functions use: the field rules and the default
//! country (`validateField`), the policy's id, version and purposes (the consent texts and
//! receipt). A missing key keeps the strict reader's default, a present rule object starts from
//! its own type's default, as there; the rest (controller, labels, retention, double opt-in,
//! custom fields) is the verifier's or the drop-in's own reading of the object. A Node test
//! compares this reading with the strict one under every vector policy.

use super::get;
use crate::fields::country::Country;
use crate::fields::phone::PhoneType;
use crate::policy::{Channel, FieldRule, PhoneRule, Policy, Purpose};
use js_sys::{Array, JsString, Object};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The policy an object describes (`undefined` keys keep their defaults).
pub(super) fn read(doc: &JsValue) -> Policy {
    let mut p = Policy::default();
    if let Some(s) = text(doc, "id") {
        p.id = s;
    }
    if let Some(s) = text(doc, "version") {
        p.version = s;
    }
    p.default_country = text(doc, "default_country").and_then(|c| Country::from_code(&c));
    let f = get(doc, "fields");
    for (name, rule) in [
        ("email", &mut p.fields.email),
        ("given_name", &mut p.fields.given_name),
        ("family_name", &mut p.fields.family_name),
        ("country", &mut p.fields.country),
    ] {
        let r = get(&f, name);
        if r.is_object() {
            *rule = FieldRule {
                required: flag(&r, "required"),
                max_chars: number(&r, "max_chars").map(|n| n as usize),
            };
        }
    }
    let phone = get(&f, "phone");
    if phone.is_object() {
        p.fields.phone = PhoneRule {
            required: flag(&phone, "required"),
            types: items(&get(&phone, "types"))
                .filter_map(|t| PhoneType::from_wire(&t.as_string()?))
                .collect(),
        };
    }
    p.purposes = items(&get(doc, "purposes"))
        .map(|d| Purpose {
            id: text(&d, "id").unwrap_or_default(),
            channel: match text(&d, "channel").as_deref() {
                Some("sms") => Channel::Sms,
                Some("phone") => Channel::Phone,
                _ => Channel::Email,
            },
            required: flag(&d, "required"),
            text: strings(&get(&d, "text")),
            label: BTreeMap::new(),
        })
        .collect();
    p
}

fn text(obj: &JsValue, key: &str) -> Option<String> {
    get(obj, key).as_string()
}

fn flag(obj: &JsValue, key: &str) -> bool {
    get(obj, key).as_bool().unwrap_or(false)
}

fn number(obj: &JsValue, key: &str) -> Option<f64> {
    get(obj, key).as_f64()
}

/// The items of an array (none for anything else).
fn items(value: &JsValue) -> impl Iterator<Item = JsValue> {
    let list = if Array::is_array(value) {
        Array::from(value)
    } else {
        Array::new()
    };
    (0..list.length()).map(move |i| list.get(i))
}

/// A map of strings (a purpose's text or label per locale); keys with other values are left out.
fn strings(value: &JsValue) -> BTreeMap<String, String> {
    if !value.is_object() {
        return BTreeMap::new();
    }
    // Inserted one by one: collecting would sort the pairs first, sort code the module need not
    // carry for a handful of locales.
    let mut map = BTreeMap::new();
    for pair in Object::entries(value.unchecked_ref()).iter() {
        let pair: Array = pair.unchecked_into();
        if let (Ok(key), Some(text)) = (pair.get(0).dyn_into::<JsString>(), pair.get(1).as_string())
        {
            map.insert(String::from(key), text);
        }
    }
    map
}
