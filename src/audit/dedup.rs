//! Duplicates: the first valid row with a contact key is kept, later rows point back to it.
//!
//! A row with a valid email is compared by the email's dedup key only (two people may share a
//! phone). A row without an email is compared by its phone's E.164, against every earlier kept
//! row's phone. Memory is one 32-byte table slot per distinct key (a 128-bit hash and a row
//! number; tables grow by doubling), whatever the file size.

use super::row::Key;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Keys are already uniform hashes: the table uses their low bits instead of hashing them again.
#[derive(Default)]
struct PreHashed(u64);

impl Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
}

type Table<V> = HashMap<Key, V, BuildHasherDefault<PreHashed>>;

/// The first occurrence of every key seen so far, and the size of each duplicate group.
#[derive(Default)]
pub(super) struct Dedup {
    emails: Table<u64>,
    phones: Table<u64>,
    /// First row → how many later rows duplicate it.
    groups: HashMap<u64, u64>,
}

impl Dedup {
    /// Records valid row `row`; returns the row it duplicates, if any.
    pub(super) fn first_of(
        &mut self,
        row: u64,
        email: Option<Key>,
        phone: Option<Key>,
    ) -> Option<u64> {
        let first = match (email, phone) {
            (Some(e), _) => match self.emails.entry(e) {
                Entry::Occupied(o) => Some(*o.get()),
                Entry::Vacant(v) => {
                    v.insert(row);
                    None
                }
            },
            (None, Some(p)) => self.phones.get(&p).copied(),
            (None, None) => None,
        };
        if let Some(p) = phone {
            self.phones.entry(p).or_insert(first.unwrap_or(row));
        }
        if let Some(f) = first {
            *self.groups.entry(f).or_insert(0) += 1;
        }
        first
    }

    /// Number of groups with at least one duplicate.
    pub(super) fn groups(&self) -> u64 {
        self.groups.len() as u64
    }

    /// The `n` largest groups as (first row, rows in the group), largest first.
    pub(super) fn largest(&self, n: usize) -> Vec<(u64, u64)> {
        let mut all: Vec<(u64, u64)> = self.groups.iter().map(|(&f, &d)| (f, d + 1)).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        all.truncate(n);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_first_then_phone_only_when_the_email_is_missing() {
        let mut d = Dedup::default();
        assert_eq!(d.first_of(2, Some(1), Some(100)), None);
        // Same phone, other email: a shared family phone, not a duplicate.
        assert_eq!(d.first_of(3, Some(2), Some(100)), None);
        assert_eq!(d.first_of(4, Some(1), None), Some(2));
        // No email: the phone decides, and points at the first row that had it.
        assert_eq!(d.first_of(5, None, Some(100)), Some(2));
        assert_eq!(d.first_of(6, None, Some(200)), None);
        assert_eq!(d.first_of(7, None, Some(200)), Some(6));
        assert_eq!(d.groups(), 2);
        assert_eq!(d.largest(5), vec![(2, 3), (6, 2)]);
    }
}
