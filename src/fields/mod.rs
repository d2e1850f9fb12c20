//! The field rules: one module per field, each opening with its normalization rules.

pub mod consent;
pub mod country;
pub mod email;
pub mod name;
pub mod phone;
