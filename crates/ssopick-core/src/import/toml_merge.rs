//! Account facts merged into config.toml's `[[account]]` tables, keeping
//! every other byte (toml_edit): a new table per unknown account; for an
//! account already there, only the fields it lacks, unless `force`.

use super::AccountFacts;
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value, value};

/// The merged text, and what was kept though the import said otherwise.
#[derive(Debug, PartialEq, Eq)]
pub struct Merged {
    pub text: String,
    pub kept: Vec<String>,
}

fn tags_value(tags: &[String]) -> Value {
    let mut a = Array::new();
    for t in tags {
        a.push(t.as_str());
    }
    Value::Array(a)
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.value() == y.value(),
        (Value::Array(x), Value::Array(y)) => {
            let s = |v: &Array| {
                v.iter()
                    .filter_map(|e| e.as_str().map(str::to_string))
                    .collect::<Vec<_>>()
            };
            s(x) == s(y)
        }
        _ => false,
    }
}

fn shown(v: &Value) -> String {
    v.to_string().trim().to_string()
}

/// Sets `key` of an existing table: added when missing, replaced only
/// with `force`; otherwise said in `kept`.
fn set(t: &mut Table, id: &str, key: &str, new: Value, force: bool, kept: &mut Vec<String>) {
    match t.get(key).and_then(Item::as_value) {
        None => {
            t.insert(key, Item::Value(new));
        }
        Some(old) if same(old, &new) => {}
        Some(old) if force => {
            let _ = old;
            t.insert(key, Item::Value(new));
        }
        Some(old) => kept.push(format!(
            "[[account]] id = \"{id}\" keeps {key} = {} (the import says {}; --force replaces it)",
            shown(old),
            shown(&new)
        )),
    }
}

/// `old` (config.toml's text) with `facts` merged in.
pub fn merge_accounts(old: &str, facts: &[AccountFacts], force: bool) -> Result<Merged, String> {
    let mut doc: DocumentMut = old.parse().map_err(|e| format!("config.toml: {e}"))?;
    if !doc.contains_key("account") {
        doc.insert("account", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let tables = doc["account"]
        .as_array_of_tables_mut()
        .ok_or("config.toml: `account` is not a list of [[account]] tables")?;
    let mut kept = Vec::new();
    for f in facts {
        let mut fields: Vec<(&str, Value)> = Vec::new();
        if let Some(a) = &f.alias {
            fields.push(("alias", a.as_str().into()));
        }
        if !f.tags.is_empty() {
            fields.push(("tags", tags_value(&f.tags)));
        }
        if let Some(r) = &f.region {
            fields.push(("region", r.as_str().into()));
        }
        if fields.is_empty() {
            continue;
        }
        let existing = tables
            .iter_mut()
            .find(|t| t.get("id").and_then(Item::as_str) == Some(f.id.as_str()));
        if let Some(t) = existing {
            for (k, v) in fields {
                set(t, &f.id, k, v, force, &mut kept);
            }
        } else {
            let mut t = Table::new();
            t.insert("id", value(f.id.as_str()));
            for (k, v) in fields {
                t.insert(k, Item::Value(v));
            }
            tables.push(t);
        }
    }
    if tables.is_empty() {
        doc.remove("account");
    }
    Ok(Merged {
        text: doc.to_string(),
        kept,
    })
}
