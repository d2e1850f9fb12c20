//! The policy document (`src/json/read.rs` reads the submission and holds the shared steps, which
//! are serde's derive's): its fields, controller, field rules, phone rule and purposes.

use super::custom::read_custom_field;
use super::{boolean, fields, list, optional, string, strings, unsigned, variant};
use crate::fields::country::Country;
use crate::fields::phone::PhoneType;
use crate::json::de::De;
use crate::json::Error;
use crate::policy::{Channel, Confirm, Controller, FieldRule, Fields, PhoneRule, Policy, Purpose};
use std::collections::BTreeMap;

pub(super) fn read_policy(de: &mut De<'_>) -> Result<Policy, Error> {
    const NAMES: [&str; 10] = [
        "id",
        "version",
        "controller",
        "default_country",
        "fields",
        "purposes",
        "retention_days",
        "confirm",
        "confirm_within_days",
        "custom_fields",
    ];
    let mut p = Policy::default();
    fields(de, "Policy", &NAMES, 0b11, |de, i| {
        match i {
            0 => p.id = string(de)?,
            1 => p.version = string(de)?,
            2 => p.controller = read_controller(de)?,
            3 => p.default_country = optional(de, country)?,
            4 => p.fields = read_fields(de)?,
            5 => p.purposes = list(de, read_purpose)?,
            6 => {
                p.retention_days =
                    optional(de, |de| unsigned(de, u32::MAX.into()))?.map(|n| n as u32)
            }
            7 => p.confirm = optional(de, |de| variant(de, &["email"]).map(|_| Confirm::Email))?,
            8 => {
                p.confirm_within_days =
                    optional(de, |de| unsigned(de, u32::MAX.into()))?.map(|n| n as u32)
            }
            _ => p.custom_fields = list(de, read_custom_field)?,
        }
        Ok(())
    })?;
    Ok(p)
}

fn country(de: &mut De<'_>) -> Result<Country, Error> {
    let code = string(de)?;
    Country::from_code(&code)
        .ok_or_else(|| de.err(&format!("\"{code}\" is not an ISO 3166-1 alpha-2 code")))
}

fn read_controller(de: &mut De<'_>) -> Result<Controller, Error> {
    let mut c = Controller::default();
    fields(
        de,
        "Controller",
        &["name", "contact", "privacy_url"],
        0,
        |de, i| {
            match i {
                0 => c.name = string(de)?,
                1 => c.contact = optional(de, string)?,
                _ => c.privacy_url = optional(de, string)?,
            }
            Ok(())
        },
    )?;
    Ok(c)
}

fn read_fields(de: &mut De<'_>) -> Result<Fields, Error> {
    const NAMES: [&str; 5] = ["email", "phone", "given_name", "family_name", "country"];
    let mut f = Fields::default();
    fields(de, "Fields", &NAMES, 0, |de, i| {
        match i {
            0 => f.email = read_rule(de)?,
            1 => f.phone = read_phone_rule(de)?,
            2 => f.given_name = read_rule(de)?,
            3 => f.family_name = read_rule(de)?,
            _ => f.country = read_rule(de)?,
        }
        Ok(())
    })?;
    Ok(f)
}

fn read_rule(de: &mut De<'_>) -> Result<FieldRule, Error> {
    let mut r = FieldRule::default();
    fields(de, "FieldRule", &["required", "max_chars"], 0, |de, i| {
        match i {
            0 => r.required = boolean(de)?,
            _ => {
                r.max_chars =
                    optional(de, |de| unsigned(de, usize::MAX as u64))?.map(|n| n as usize)
            }
        }
        Ok(())
    })?;
    Ok(r)
}

fn read_phone_rule(de: &mut De<'_>) -> Result<PhoneRule, Error> {
    let mut r = PhoneRule::default();
    fields(de, "PhoneRule", &["required", "types"], 0, |de, i| {
        match i {
            0 => r.required = boolean(de)?,
            _ => {
                let names = PhoneType::ALL.map(PhoneType::as_str);
                r.types = list(de, |de| variant(de, &names).map(|i| PhoneType::ALL[i]))?;
            }
        }
        Ok(())
    })?;
    Ok(r)
}

/// Every channel, in declaration order.
pub(in crate::json) const CHANNELS: [Channel; 3] = [Channel::Email, Channel::Sms, Channel::Phone];

fn read_purpose(de: &mut De<'_>) -> Result<Purpose, Error> {
    const NAMES: [&str; 5] = ["id", "channel", "required", "text", "label"];
    let mut p = Purpose {
        id: String::new(),
        channel: Channel::Email,
        required: false,
        text: BTreeMap::new(),
        label: BTreeMap::new(),
    };
    fields(de, "Purpose", &NAMES, 0b1011, |de, i| {
        match i {
            0 => p.id = string(de)?,
            1 => p.channel = CHANNELS[variant(de, &CHANNELS.map(Channel::as_str))?],
            2 => p.required = boolean(de)?,
            3 => p.text = strings(de)?,
            _ => p.label = strings(de)?,
        }
        Ok(())
    })?;
    Ok(p)
}
