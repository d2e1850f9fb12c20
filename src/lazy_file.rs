//! A data file the browser build loads when a check first needs it (the email data file, the
//! Unicode tables): accepted only if its SHA-256 starts with what `build.rs` wrote, decoded once.
//! A check that needed it before it came is marked (`begin`/`waited_for`), so its answer is
//! *pending*, naming the file, never a verdict made without the data.

use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// One such file: its name and hash (from `build.rs`), how to read it, and what was read.
pub(crate) struct LazyFile<T: 'static> {
    file: (&'static str, [u8; 8]),
    decode: fn(&[u8]) -> Option<T>,
    data: OnceLock<T>,
    missed: AtomicBool,
}

impl<T: Send + Sync> LazyFile<T> {
    /// A file not loaded yet: `file` is (name, first 8 bytes of its SHA-256).
    pub(crate) const fn new(file: (&'static str, [u8; 8]), decode: fn(&[u8]) -> Option<T>) -> Self {
        LazyFile {
            file,
            decode,
            data: OnceLock::new(),
            missed: AtomicBool::new(false),
        }
    }

    /// Loads the file (its bytes); other bytes, or bytes that do not decode, are refused.
    pub(crate) fn load(&self, bytes: &[u8]) -> Result<(), ()> {
        if Sha256::digest(bytes)[..8] != self.file.1[..] {
            return Err(());
        }
        if self.data.get().is_some() {
            return Ok(());
        }
        let data = (self.decode)(bytes).ok_or(())?;
        let _ = self.data.set(data);
        Ok(())
    }

    /// The file to load, or `None` once it is loaded.
    pub(crate) fn needed(&self) -> Option<&'static str> {
        self.data.get().is_none().then_some(self.file.0)
    }

    /// Starts watching for checks that need the file.
    pub(crate) fn begin(&self) {
        self.missed.store(false, Ordering::Relaxed);
    }

    /// The file a check since [`begin`](Self::begin) needed and that is still missing: what its
    /// answer waits for instead of a verdict.
    pub(crate) fn waited_for(&self) -> Option<&'static str> {
        self.needed()
            .filter(|_| self.missed.load(Ordering::Relaxed))
    }

    /// The file's data, or `None` (and the check marked) while it is not loaded.
    pub(crate) fn get(&self) -> Option<&T> {
        let data = self.data.get();
        if data.is_none() {
            self.missed.store(true, Ordering::Relaxed);
        }
        data
    }

    /// The file's name.
    #[cfg(test)]
    pub(crate) fn name(&self) -> &'static str {
        self.file.0
    }

    /// The bytes `build.rs` wrote for this file (`$OUT_DIR/STEM/STEM.<hash>.EXT`).
    #[cfg(test)]
    pub(crate) fn written(&self) -> Vec<u8> {
        let stem = self.file.0.split('.').next().unwrap_or_default();
        let path = std::path::Path::new(env!("OUT_DIR"))
            .join(stem)
            .join(self.file.0);
        std::fs::read(path).expect("build.rs wrote the file")
    }
}
