//! The fields that bring the payer back to a hybrid app after an ISP, app-card or bank-app hop,
//! per PG: which fields each PG takes is its data (`app_return` in `data/pg/<pg>.json`, compiled
//! into [`APP_RETURN`] by `build/pg.rs`); what each field's value is here comes from
//! `hanpay_policy::app_return` ([`facts`], [`ReturnValue`]), re-exported with the escapes and the
//! scheme rules, so `hanpay::app_return` is one module.
//!
//! The browser package links this module (`appReturnFields`), so it follows the size rules of
//! `crates/clippy.toml`: no `format!`.

use crate::prelude::*;

pub use hanpay_policy::app_return::*;

use crate::env::Environment;
use crate::pg::Pg;

/// One PG's app-return fields: the group they are reported under (the key of
/// [`AppReturn`]'s JSON and of the browser's `appReturnFields()`) and the fields.
#[derive(Debug, Clone, Copy)]
pub struct Group {
    pub pg: Pg,
    pub name: &'static str,
    pub fields: &'static [Field],
}

/// One field: its PG-native name, the value it takes, and a prefix the PG wants before it
/// (KISPG's `P_RESERVED` is `app_scheme=<scheme>`).
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub value: ReturnValue,
    pub prefix: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/pg_app_return.rs"));

/// The app-return fields of every PG that takes them, for this environment: per group, each
/// field's value or `None` (JSON `null`) where it does not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppReturn(pub Vec<(&'static str, Values)>);

/// One group's fields and their values (`None` where a value does not apply).
pub type Values = Vec<(&'static str, Option<String>)>;

impl AppReturn {
    /// The value of `field` in `group`, if the group has the field and it applies here.
    pub fn get(&self, group: &str, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(g, _)| *g == group)
            .and_then(|(_, fields)| fields.iter().find(|(f, _)| *f == field))
            .and_then(|(_, v)| v.as_deref())
    }
}

/// Derives the PG return parameters for this environment (see [`facts`] for `host_scheme`).
pub fn derive(
    env: &Environment,
    user_agent: &str,
    host_scheme: Option<&str>,
) -> Result<AppReturn, AppReturnError> {
    let facts = facts(env, user_agent, host_scheme)?;
    Ok(AppReturn(
        APP_RETURN
            .iter()
            .map(|g| {
                let fields = g
                    .fields
                    .iter()
                    .map(|f| {
                        let v = facts
                            .value(f.value)
                            .map(|v| crate::text::concat(&[f.prefix, v]));
                        (f.name, v)
                    })
                    .collect();
                (g.name, fields)
            })
            .collect(),
    ))
}

/// `{"<group>": {"<field>": value | null, …}, …}`, in the data files' order.
impl serde::Serialize for AppReturn {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Fields<'a>(&'a [(&'static str, Option<String>)]);
        impl serde::Serialize for Fields<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for (k, v) in self.0 {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (group, fields) in &self.0 {
            m.serialize_entry(group, &Fields(fields))?;
        }
        m.end()
    }
}
