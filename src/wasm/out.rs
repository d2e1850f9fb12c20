//! A field's answers as JS values, built key by key in the shapes the server's JSON has: the
//! same keys in the same order, `null` where that JSON writes `null`, no key where it leaves one
//! out. Writing JSON text and parsing it back (`to_js`) cost the drop-in's module its JSON writer
//! and the serialization code of these types (1.0 KB brotli); the npm module keeps `to_js` for
//! whole-submission verdicts and receipts. The vectors compare every answer with the native JSON.

use crate::check::FieldVerdict;
use crate::issue::Issue;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

/// A plain object being filled.
pub(super) struct Obj(Object);

impl Obj {
    pub(super) fn new() -> Obj {
        Obj(Object::new())
    }

    /// Sets `key` (on a fresh plain object, which cannot refuse it).
    pub(super) fn set(self, key: &str, value: impl Into<JsValue>) -> Obj {
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), &value.into());
        self
    }

    /// Sets `key` when there is a value (the JSON's `skip_serializing_if = "Option::is_none"`).
    fn some(self, key: &str, value: Option<&str>) -> Obj {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    pub(super) fn done(self) -> JsValue {
        self.0.into()
    }
}

/// A string, or `null` for none.
fn or_null(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}

/// An array of `items` turned into JS values.
pub(super) fn array<T>(items: impl IntoIterator<Item = T>, each: impl Fn(T) -> JsValue) -> JsValue {
    items.into_iter().map(each).collect::<Array>().into()
}

/// One issue: `{ field, code, severity, params, suggestion?, message }`.
fn issue(i: &Issue) -> JsValue {
    let params = i
        .params
        .0
        .iter()
        .fold(Obj::new(), |o, (k, v)| o.set(k, v.as_str()));
    Obj::new()
        .set("field", i.field.as_str())
        .set("code", i.code.as_str())
        .set("severity", if i.is_error() { "error" } else { "warning" })
        .set("params", params.done())
        .some("suggestion", i.suggestion.as_deref())
        .set("message", i.message.as_str())
        .done()
}

/// A field's verdict: `{ input, ok, normalized, display, key, phone_type?, region?, issues }`.
pub(super) fn field_verdict(v: &FieldVerdict) -> JsValue {
    Obj::new()
        .set("input", v.input.as_str())
        .set("ok", v.ok)
        .set("normalized", or_null(v.normalized.as_deref()))
        .set("display", or_null(v.display.as_deref()))
        .set("key", or_null(v.key.as_deref()))
        .some("phone_type", v.phone_type.map(|t| t.as_str()))
        .some("region", v.region.as_deref())
        .set("issues", array(&v.issues, issue))
        .done()
}

/// The answer while data is missing, not a verdict: `{ pending: true, needs, ok: false, issues:
/// [], message }` (see the module doc of `wasm`).
pub(super) fn pending<'a>(needs: impl IntoIterator<Item = &'a str>, message: &str) -> JsValue {
    Obj::new()
        .set("pending", true)
        .set("needs", array(needs, JsValue::from_str))
        .set("ok", false)
        .set("issues", Array::new())
        .set("message", message)
        .done()
}
