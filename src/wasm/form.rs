//! The whole-form part of the JS API: a submission's verdict, custom fields included. The
//! drop-in's module (`fields_only`, see `Cargo.toml`) leaves it out: the drop-in asks the
//! verifier's `POST /v1/validate` for that verdict, which is the same code on the server. The npm
//! package's module has it always.

use super::{catalogue_pending, get, pending, policy_from, to_js, type_error, JsResult};
use crate::issue::Code;
use crate::submission::Submission;
use crate::verdict::Verdict;
use crate::{messages, validate_with};
use js_sys::{Array, JsString, Object, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Validates a whole submission against a policy: the verdict the server would give.
///
/// A submission the server would refuse as a whole (an unknown key, a wrong type, a lone
/// surrogate) gets the same one-issue refusal; only a policy that does not load throws.
#[wasm_bindgen]
pub fn validate(submission: JsValue, policy: JsValue) -> JsResult {
    let policy = policy_from(&policy)?;
    if !submission.is_object() || Array::is_array(&submission) {
        return Err(type_error("submission must be an object"));
    }
    let locale = get(&submission, "locale")
        .as_string()
        .map(|l| messages::negotiate(&l))
        .unwrap_or("en");
    if let Some(answer) = catalogue_pending(locale, true) {
        return answer;
    }
    if !well_formed(&submission, 0) {
        return to_js(&Verdict::refuse(Code::InputInvalidText, None, locale));
    }
    let text = JSON::stringify(&submission)?
        .as_string()
        .ok_or_else(|| type_error("submission is not JSON"))?;
    let verdict = match Submission::from_json(&text) {
        Ok(sub) => validate_with(&sub, &policy),
        Err(e) => e.verdict(locale),
    };
    pending(&verdict.issues).unwrap_or_else(|| to_js(&verdict))
}

/// Whether every string inside `value` (object values, keys, array items) is valid UTF-16.
fn well_formed(value: &JsValue, depth: u32) -> bool {
    if let Some(s) = value.dyn_ref::<JsString>() {
        return s.is_valid_utf16();
    }
    if depth > 8 || !value.is_object() {
        return true;
    }
    if Array::is_array(value) {
        return Array::from(value)
            .iter()
            .all(|v| well_formed(&v, depth + 1));
    }
    let entries = Object::entries(value.unchecked_ref());
    entries.iter().all(|pair| well_formed(&pair, depth + 1))
}
