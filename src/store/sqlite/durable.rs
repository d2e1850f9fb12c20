//! Making each commit durable before it is answered: after every `COMMIT` the writer fsyncs the
//! `-wal` file through this module's own descriptor, and only then sends the batch's answers.
//!
//! The writer commits with `synchronous=NORMAL`, so `COMMIT` writes the batch's WAL frames with
//! write(2) and returns without an fsync; [`Syncer::make_durable`] then fsyncs the WAL (one
//! fsync for the whole batch) and answers. Why the writer does this itself rather than leave it
//! to `synchronous=FULL`, and why that is as durable, is argued in [`super::writer`]'s module
//! comment; the rules kept here:
//!
//! - an answer leaves only after an fsync of the WAL that started after its batch's `COMMIT`
//!   returned;
//! - the descriptor is trusted only while it names the file at the WAL's path (same device and
//!   inode): a WAL removed or replaced behind SQLite's back means the frames SQLite writes are
//!   not in the file this descriptor can sync, so nothing more is acknowledged;
//! - the first failed fsync poisons the store (Linux may drop the dirty pages it could not
//!   write and report success next time, so no later fsync proves anything): that batch and
//!   every later one hear 503, the writer stops taking jobs (the service reports itself
//!   unhealthy), and no checkpoint copies the unproven WAL into the database; SQLite's recovery
//!   at the next start keeps the WAL's intact prefix.

use super::writer::Done;
use crate::store::WriteError;
use std::fs::File;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What the writer and the checkpoint thread share.
#[derive(Default)]
pub(super) struct Health {
    /// Set for good when durability can no longer be proven (a failed fsync, a replaced WAL).
    poisoned: AtomicBool,
    /// Batches committed so far: the checkpoint thread reads it to tell a quiet writer.
    pub(super) commits: AtomicU64,
    /// Set by the writer when the WAL passed its cap: the checkpoint thread copies the bulk of
    /// it beside the writer, then clears it.
    pub(super) checkpoint_wanted: AtomicBool,
}

impl Health {
    /// Whether durability can no longer be proven.
    pub(super) fn is_poisoned(&self) -> bool {
        self.poisoned.load(Ordering::SeqCst)
    }

    fn poison(&self) {
        self.poisoned.store(true, Ordering::SeqCst);
    }
}

/// Test hooks of the writer's fsync; all off in production.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Faults {
    /// Fsyncs that succeed before every later one fails (as an I/O error would).
    pub(crate) fail_wal_sync_after: Option<u64>,
    /// The writer's WAL cap in frames instead of [`super::writer::WAL_CAP_PAGES`].
    pub(crate) wal_cap_pages: Option<i32>,
    /// A pause after each job is applied, before the next one or the commit: a writer slow
    /// enough that later jobs arrive while its batch is still open.
    pub(crate) pause_after_apply: Option<std::time::Duration>,
}

/// The error every job hears when its batch could not be proven durable.
fn unavailable(why: &str) -> WriteError {
    WriteError::Unavailable(format!("the commit could not be made durable: {why}"))
}

/// The writer's fsync of the WAL: the WAL's path and the descriptor opened on it.
pub(super) struct Syncer {
    wal_path: PathBuf,
    /// The open WAL and its device and inode, read once when it was opened.
    wal: Option<(File, FileId)>,
    health: Arc<Health>,
    pause_after_commit: Option<Duration>,
    faults: Faults,
    syncs: u64,
}

impl Syncer {
    /// The fsync of the WAL of the database at `db` (its WAL is `<db>-wal`).
    pub(super) fn new(
        db: &Path,
        health: Arc<Health>,
        pause_after_commit: Option<Duration>,
        faults: Faults,
    ) -> Syncer {
        let mut wal_path = db.as_os_str().to_owned();
        wal_path.push("-wal");
        Syncer {
            wal_path: wal_path.into(),
            wal: None,
            health,
            pause_after_commit,
            faults,
            syncs: 0,
        }
    }

    /// Fsyncs the WAL past a batch just committed, then answers each of its jobs: with its own
    /// outcome, or 503 when the fsync failed (which poisons the store) or an earlier one had.
    pub(super) fn make_durable(&mut self, done: Vec<Done>) {
        let synced = if self.health.is_poisoned() {
            Err(unavailable("an earlier fsync failed; restart the service"))
        } else {
            self.sync().map_err(|e| {
                crate::log::error("wal_sync_failed", &e.to_string());
                self.health.poison();
                unavailable(&e.to_string())
            })
        };
        if synced.is_ok() {
            if let Some(pause) = self.pause_after_commit {
                std::thread::sleep(pause);
            }
        }
        let failed = synced.err();
        // Every answer first, then the requests freed: the answers wake their requests' tasks
        // close together rather than spaced out by the frees, so fewer parked tokio workers are
        // woken (benches/server-profile.md, sixteenth session).
        let spent: Vec<_> = done
            .into_iter()
            .map(|d| d.answer(failed.as_ref()))
            .collect();
        drop(spent);
    }

    /// One fsync of the WAL (fdatasync: the data and the size needed to read it back).
    fn sync(&mut self) -> io::Result<()> {
        self.syncs += 1;
        if self
            .faults
            .fail_wal_sync_after
            .is_some_and(|n| self.syncs > n)
        {
            return Err(io::Error::other("injected fsync failure (test hook)"));
        }
        let on_path = file_id(&self.wal_path)?;
        let (wal, held) = match self.wal.take() {
            Some(open) => open,
            None => self.open()?,
        };
        if held != on_path {
            return Err(io::Error::other(format!(
                "{} was removed or replaced behind SQLite (the writer's frames are not in the \
                 file on that path)",
                self.wal_path.display()
            )));
        }
        wal.sync_data()?;
        self.wal = Some((wal, held));
        Ok(())
    }

    /// Opens the WAL once (read-only: fsync needs no write access) and syncs its directory, so
    /// the file's name survives a crash as well as its contents. Only this descriptor is ever
    /// closed here: SQLite keeps no POSIX locks on the WAL file itself (they are on
    /// the database and `-shm` files), so closing it cannot drop a lock SQLite holds.
    fn open(&self) -> io::Result<(File, FileId)> {
        let wal = File::open(&self.wal_path)?;
        if let Some(dir) = self.wal_path.parent() {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            File::open(dir)?.sync_all()?;
        }
        let meta = wal.metadata()?;
        Ok((wal, (meta.dev(), meta.ino())))
    }
}

/// A file's device and inode.
type FileId = (u64, u64);

/// The device and inode of the file at `path`, and nothing else. A stat that also reads the
/// file's timestamps marks them as read; on a filesystem with multigrain timestamps (recent
/// Linux: ext4 here) the next write then moves the mtime, so the next fdatasync writes the
/// inode as well. Before each commit's fsync that was one more device write (3 instead of 2)
/// and about 25 µs more CPU (benches/server-profile.md, fourteenth session).
#[cfg(target_os = "linux")]
fn file_id(path: &Path) -> io::Result<FileId> {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return std_file_id(path);
    };
    let mut st = std::mem::MaybeUninit::<libc::statx>::zeroed();
    // SAFETY: `c_path` is a NUL-terminated string that outlives the call, and `st` is a
    // zeroed `struct statx` the kernel fills; no other memory is touched.
    let r = unsafe {
        libc::statx(
            libc::AT_FDCWD,
            c_path.as_ptr(),
            0,
            libc::STATX_INO,
            st.as_mut_ptr(),
        )
    };
    if r != 0 {
        let e = io::Error::last_os_error();
        // No statx (kernels before 4.11, some seccomp sandboxes): the plain stat, as std does.
        return match e.raw_os_error() {
            Some(libc::ENOSYS | libc::EPERM) => std_file_id(path),
            _ => Err(e),
        };
    }
    // SAFETY: statx returned 0, so the kernel wrote the structure (the device is always
    // filled; the inode because STATX_INO was asked for).
    let st = unsafe { st.assume_init() };
    Ok((
        libc::makedev(st.stx_dev_major, st.stx_dev_minor),
        st.stx_ino,
    ))
}

/// The device and inode of the file at `path` through the standard library's stat.
fn std_file_id(path: &Path) -> io::Result<FileId> {
    let meta = std::fs::metadata(path)?;
    Ok((meta.dev(), meta.ino()))
}

#[cfg(not(target_os = "linux"))]
fn file_id(path: &Path) -> io::Result<FileId> {
    std_file_id(path)
}
