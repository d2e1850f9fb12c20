//! The policy's custom fields in a list (`audit --policy`): a column whose header is a field's
//! id, `custom_ID` / `custom.ID` (what `export` writes), or its label in any locale, compared
//! after the same folding as every header, is checked by [`check::custom`], so a list gets the
//! verdict `verify` and the server give. Issues go in `sg_issues` as `custom:custom.CODE`.

use super::columns::{fold, Columns};
use crate::check;
use crate::custom::CustomValue;
use crate::issue::{Code, Field, Issue};
use crate::policy::Policy;

/// The (column, field id) of each custom field the header names, skipping the columns taken
/// by the built-in fields.
pub(super) fn find(headers: &[String], policy: &Policy, columns: &Columns) -> Vec<(usize, String)> {
    let taken: Vec<usize> = columns.used().into_iter().map(|(_, c)| c).collect();
    let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    let mut found = Vec::new();
    for f in &policy.custom_fields {
        let mut names = vec![fold(&f.id), fold(&format!("custom_{}", f.id))];
        names.extend(f.label.values().map(|l| fold(l)));
        let hit = folded.iter().enumerate().position(|(i, h)| {
            !h.is_empty()
                && !taken.contains(&i)
                && names.contains(h)
                && !found.iter().any(|(c, _)| *c == i)
        });
        if let Some(col) = hit {
            found.push((col, f.id.clone()));
        }
    }
    found
}

/// Checks a row's custom cells (`cell(col)`: the trimmed-non-empty value and whether it had to be
/// decoded lossily): whether any is an error, and the issues.
pub(super) fn check_row<'a>(
    custom: &[(usize, String)],
    policy: &Policy,
    mut cell: impl FnMut(usize) -> Option<(&'a str, bool)>,
) -> (bool, Vec<(Field, Code)>) {
    let mut issues = Vec::new();
    for (col, id) in custom {
        match cell(*col) {
            Some((_, true)) => issues.push((Field::Custom, Code::InputInvalidText)),
            value => {
                let v = value.map(|(raw, _)| CustomValue::Text(raw.to_owned()));
                let checked = check::custom(id, v.as_ref(), policy, "en");
                issues.extend(checked.issues.iter().map(|i: &Issue| (i.field, i.code)));
            }
        }
    }
    (!issues.is_empty(), issues)
}
