//! The phone engine reached in another WebAssembly module (feature `phone-bridge`, browser
//! builds): the page's first load carries no phone tables nor the code that walks them, only
//! this bridge. The page (or the drop-in) instantiates `phone-engine.<hash>.wasm` when a phone
//! number first needs it and hands the instance over (`usePhoneEngine`); until then every phone
//! answer is pending and names that file, never a verdict. The calls and their answers are the
//! engine crate's exports (`crates/phone-engine/src/lib.rs`).
//!
//! Phone data files are checked here (their hash names their calling code) and passed on; a file
//! loaded before the engine waits here and goes in with it.

use super::{tables, LoadError, Outcome, PhoneType, Shaped};
use js_sys::{Function, Reflect, Uint8Array, WebAssembly};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

/// The engine module's file name, `phone-engine.<hash>.wasm` (set by `scripts/build-wasm.sh`,
/// which builds the engine first and names it by its content).
pub(crate) const FILE: &str = match option_env!("SG_PHONE_ENGINE") {
    Some(name) => name,
    None => "phone-engine.wasm",
};

/// The engine's exports.
struct Engine {
    memory: WebAssembly::Memory,
    alloc: Function,
    answer_len: Function,
    judge: Function,
    shape: Function,
    install: Function,
}

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    /// Positions (in the chunk index) of the phone data loaded or waiting for the engine.
    static LOADED: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
    /// Data files loaded before the engine: they go in when it comes.
    static WAITING: RefCell<Vec<(usize, Vec<u8>)>> = const { RefCell::new(Vec::new()) };
}

fn export(exports: &JsValue, name: &str) -> Result<Function, ()> {
    Reflect::get(exports, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or(())
}

/// Takes the engine module's instance (`WebAssembly.Instance` of `phone-engine.<hash>.wasm`);
/// an object without its exports is refused.
pub(crate) fn use_engine(instance: &JsValue) -> Result<(), ()> {
    let exports = Reflect::get(instance, &JsValue::from_str("exports")).map_err(drop)?;
    let memory = Reflect::get(&exports, &JsValue::from_str("memory"))
        .ok()
        .and_then(|m| m.dyn_into::<WebAssembly::Memory>().ok())
        .ok_or(())?;
    let engine = Engine {
        memory,
        alloc: export(&exports, "sg_alloc")?,
        answer_len: export(&exports, "sg_answer_len")?,
        judge: export(&exports, "sg_judge")?,
        shape: export(&exports, "sg_shape")?,
        install: export(&exports, "sg_install")?,
    };
    // Data loaded before the engine goes in with it; it stays waiting until all of it did, so an
    // engine that refuses some leaves it for the next one instead of losing it.
    WAITING.with(|w| {
        w.borrow()
            .iter()
            .try_for_each(|(i, bytes)| engine.install(*i, bytes))
    })?;
    WAITING.with(|w| w.borrow_mut().clear());
    ENGINE.with(|e| *e.borrow_mut() = Some(engine));
    Ok(())
}

fn number(v: Result<JsValue, JsValue>) -> Result<u32, ()> {
    v.ok().and_then(|v| v.as_f64()).map(|n| n as u32).ok_or(())
}

impl Engine {
    /// Copies `bytes` into a buffer of the engine's memory: its address.
    fn put(&self, bytes: &[u8]) -> Result<u32, ()> {
        let len = bytes.len() as u32;
        let ptr = number(self.alloc.call1(&JsValue::NULL, &len.into()))?;
        Uint8Array::new_with_byte_offset_and_length(&self.memory.buffer(), ptr, len)
            .copy_from(bytes);
        Ok(ptr)
    }

    /// The answer text at `ptr`.
    fn answer(&self, ptr: u32) -> Result<String, ()> {
        let len = number(self.answer_len.call0(&JsValue::NULL))?;
        let bytes = Uint8Array::new_with_byte_offset_and_length(&self.memory.buffer(), ptr, len);
        String::from_utf8(bytes.to_vec()).map_err(drop)
    }

    fn install(&self, i: usize, bytes: &[u8]) -> Result<(), ()> {
        let ptr = self.put(bytes)?;
        let args = [i as u32, ptr, bytes.len() as u32].map(JsValue::from);
        let status = number(
            self.install
                .call3(&JsValue::NULL, &args[0], &args[1], &args[2]),
        )?;
        (status == 0).then_some(()).ok_or(())
    }

    fn ask(&self, f: &Function, text: &str, args: &[u32]) -> Result<String, ()> {
        let ptr = self.put(text.as_bytes())?;
        let list = js_sys::Array::of2(&ptr.into(), &(text.len() as u32).into());
        for a in args {
            list.push(&(*a).into());
        }
        self.answer(number(f.apply(&JsValue::NULL, &list))?)
    }
}

/// A region as the engine takes it: two ASCII letters `a << 8 | b`, 0 for none.
fn region_code(home: Option<&str>) -> u32 {
    match home.map(str::as_bytes) {
        Some(&[a, b]) => u32::from(a) << 8 | u32::from(b),
        _ => 0,
    }
}

fn with_engine<T>(f: impl FnOnce(&Engine) -> Result<T, ()>) -> Option<T> {
    ENGINE.with(|e| e.borrow().as_ref().and_then(|engine| f(engine).ok()))
}

/// [`Outcome`] from the engine; [`Outcome::NoEngine`] until it is loaded (or if it fails).
pub(super) fn judge(digits: &str, plus: bool, home: Option<&str>) -> Outcome {
    with_engine(|e| e.ask(&e.judge, digits, &[u32::from(plus), region_code(home)]))
        .and_then(|text| read_outcome(&text))
        .unwrap_or(Outcome::NoEngine)
}

fn read_outcome(text: &str) -> Option<Outcome> {
    let mut lines = text.split('\n');
    let mut next = || lines.next().map(str::to_owned);
    Some(match next()?.as_str() {
        "valid" => Outcome::Valid {
            cc: next()?.parse().ok()?,
            nsn: next()?,
            region: next()?.into(),
            kind: PhoneType::from_wire(&next()?)?,
            shown: Some(next()?),
        },
        "missing" => Outcome::Missing(next()?.parse().ok()?),
        "needs_cc" => Outcome::NeedsCountryCode,
        "invalid_cc" => Outcome::InvalidCountryCode(next()?.parse().ok()?),
        "too_short" => Outcome::TooShort,
        "too_long" => Outcome::TooLong,
        "invalid" => Outcome::Invalid(next()?),
        _ => return None,
    })
}

/// [`Shaped`] from the engine; [`Shaped::NoEngine`] until it is loaded (or if it fails).
pub(super) fn shape(typed: &str, home: Option<&str>) -> Shaped {
    let read = |text: String| -> Option<Shaped> {
        let mut lines = text.split('\n');
        Some(match lines.next()? {
            "text" => {
                let shown = lines.next()?.to_owned();
                let cc = lines.next()?;
                let region = lines.next()?;
                Shaped::Text(
                    shown,
                    cc.parse().ok(),
                    (!region.is_empty()).then(|| region.to_owned()),
                )
            }
            "missing" => Shaped::Missing(lines.next()?.parse().ok()?),
            _ => return None,
        })
    };
    with_engine(|e| e.ask(&e.shape, typed, &[region_code(home)]))
        .and_then(read)
        .unwrap_or(Shaped::NoEngine)
}

/// Checks a phone data file (its header names the chunk) and passes the chunk to the engine, or
/// keeps it until the engine comes; answers its calling code.
pub(super) fn load(mut bytes: Vec<u8>) -> Result<u16, LoadError> {
    let i = tables::identify(&bytes)?;
    bytes.drain(..tables::HEADER);
    let cc = tables::code_at(i).ok_or(LoadError::Unknown)?;
    if LOADED.with(|l| l.borrow().contains(&i)) {
        return Ok(cc);
    }
    let installed = ENGINE.with(|e| e.borrow().as_ref().map(|engine| engine.install(i, &bytes)));
    match installed {
        Some(Ok(())) => {}
        Some(Err(())) => return Err(LoadError::Malformed),
        None => WAITING.with(|w| w.borrow_mut().push((i, bytes))),
    }
    LOADED.with(|l| l.borrow_mut().push(i));
    Ok(cc)
}

/// Whether the data of calling code `cc` is loaded (or waiting for the engine).
pub(super) fn has(cc: u16) -> bool {
    tables::position(cc).is_some_and(|i| LOADED.with(|l| l.borrow().contains(&i)))
}

/// Whether the engine is in use.
pub(super) fn ready() -> bool {
    ENGINE.with(|e| e.borrow().is_some())
}
