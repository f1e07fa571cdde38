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

/// A value as written, without its comment or spacing.
fn shown(v: &Value) -> String {
    let mut v = v.clone();
    v.decor_mut().clear();
    v.to_string()
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
            // The old value's spacing and comment stay with the new one.
            let decor = old.decor().clone();
            let mut new = new;
            *new.decor_mut() = decor;
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
    // A byte-order mark and CRLF line ends come back as they were.
    let (bom, body) = match old.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", old),
    };
    let crlf = body.contains("\r\n");
    let mut m = merge_lf(&body.replace("\r\n", "\n"), facts, force)?;
    if crlf {
        m.text = m.text.replace('\n', "\r\n");
    }
    m.text = format!("{bom}{}", m.text);
    if facts.is_empty() || m.text.replace("\r\n", "\n") == old.replace("\r\n", "\n") {
        m.text = old.to_string();
    }
    Ok(m)
}

fn merge_lf(old: &str, facts: &[AccountFacts], force: bool) -> Result<Merged, String> {
    let mut doc: DocumentMut = old.parse().map_err(|e| format!("config.toml: {e}"))?;
    if !doc.contains_key("account") {
        doc.insert("account", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let tables = doc["account"]
        .as_array_of_tables_mut()
        .ok_or("config.toml: `account` is not a list of [[account]] tables")?;
    let mut kept = Vec::new();
    // Each id's table, found once (an import may bring thousands).
    let mut at: std::collections::HashMap<String, usize> = tables
        .iter()
        .enumerate()
        .filter_map(|(i, t)| Some((t.get("id")?.as_str()?.to_string(), i)))
        .collect();
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
        let existing = at.get(&f.id).and_then(|i| tables.get_mut(*i));
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
            at.insert(f.id.clone(), tables.len() - 1);
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
