//! The field parsers: one module per field, each opening with its normalization rules. They know
//! nothing of policies (the policy's limits are applied by [`crate::check`]), so the layering is
//! one way: `fields` ← `policy` ← `check` and `consent` ← `validate`.

pub mod country;
pub mod email;
pub mod name;
pub mod phone;
