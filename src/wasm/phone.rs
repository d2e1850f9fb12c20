//! The phone's part of the JS API: its data files, the engine module, formatting as typed, the
//! regions for a country picker.

use super::{type_error, JsResult};
use crate::fields::phone;
use crate::Country;
use js_sys::{Array, JsString, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Loads one phone data file (`phone-<code>.<hash>.bin` of this build, as bytes) and answers
/// its calling code; bytes of another build or a damaged file throw a `TypeError`.
#[wasm_bindgen(js_name = loadPhoneData)]
pub fn load_phone_data(bytes: Vec<u8>) -> Result<u16, JsValue> {
    phone::load_data(bytes).map_err(|_| type_error("not phone data of this build"))
}

/// Takes the phone engine, the `WebAssembly.Instance` of `phone-engine.<hash>.wasm` (the file a
/// pending phone answer names in builds whose engine is a module of its own): instantiate that
/// file with no imports and pass the instance. Anything else throws a `TypeError`.
#[wasm_bindgen(js_name = usePhoneEngine)]
pub fn use_phone_engine(instance: JsValue) -> Result<(), JsValue> {
    #[cfg(phone_bridge)]
    return phone::use_engine(&instance)
        .map_err(|()| type_error("not the phone engine of this build"));
    #[cfg(not(phone_bridge))]
    {
        drop(instance);
        Err(type_error("this build has its phone engine inside"))
    }
}

/// The phone engine module this build loads when a phone number first needs it
/// (`"phone-engine.<hash>.wasm"`), or `undefined` when the engine is inside or already in use.
#[wasm_bindgen(js_name = phoneEngineFor)]
pub fn phone_engine_for() -> Option<String> {
    phone::engine_needed()
}

/// The phone data file numbers in `country` need (`"ID"` → `"phone-62.<hash>.bin"`), or
/// `undefined` when it is loaded or the country is unknown: what a page prefetches.
#[wasm_bindgen(js_name = phoneDataFor)]
pub fn phone_data_for(country: &str) -> Option<String> {
    Country::from_code(country.trim()).and_then(phone::data_needed)
}

/// Formats a phone number while it is typed (`"08123456"`, `"ID"` → `"0812-3456"`), in the
/// digits the person uses: `{ text, callingCode?, region? }`. While the data of the number's
/// calling code is not loaded: `{ text: value, pending: true, needs: ["phone-62.<hash>.bin"] }`
/// (load it with `loadPhoneData`, then format again).
#[wasm_bindgen(js_name = formatAsYouType)]
pub fn format_as_you_type(value: JsValue, country: Option<String>) -> JsResult {
    let Some(text) = value.dyn_ref::<JsString>() else {
        return Err(type_error("value must be a string"));
    };
    let answer = Object::new();
    let set = |k: &str, v: JsValue| Reflect::set(&answer, &JsValue::from_str(k), &v).map(drop);
    if !text.is_valid_utf16() {
        set("text", value.clone())?;
        return Ok(answer.into());
    }
    let country = country.and_then(|c| Country::from_code(c.trim()));
    match phone::format_as_you_type(&String::from(text), country) {
        phone::AsYouType::Formatted {
            text,
            calling_code,
            region,
        } => {
            set("text", text.into())?;
            if let Some(cc) = calling_code {
                set("callingCode", cc.into())?;
            }
            if let Some(region) = region {
                set("region", region.as_str().into())?;
            }
        }
        phone::AsYouType::Pending { data } => {
            set("text", value.clone())?;
            set("pending", true.into())?;
            set("needs", Array::of1(&data.into()).into())?;
        }
    }
    Ok(answer.into())
}

/// Every region with phone numbers and its calling code, `[["AD", 376], …]` by region code:
/// what the drop-in's country picker lists (names come from `Intl.DisplayNames`).
#[wasm_bindgen(js_name = phoneRegions)]
pub fn phone_regions() -> Array {
    phone::regions()
        .map(|(c, cc)| -> JsValue { Array::of2(&c.as_str().into(), &cc.into()).into() })
        .collect()
}
