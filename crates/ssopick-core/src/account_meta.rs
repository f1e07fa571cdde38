//! Account metadata from config.toml (`[[account]]`): an alias, tags, a
//! colour and a default region for accounts chosen by id or by a glob on
//! the name. Aliases and tags are searchable (`tag:prod`, or `prod`), and
//! the region goes to every delivery unless `--region` names one. Pure.
//!
//! ```toml
//! [[account]]
//! match = "*-prod-*"      # or id = "123456789012"
//! alias = "pay"
//! tags = ["prod", "payments"]
//! color = "red"
//! region = "eu-west-1"
//! ```

use serde::Deserialize;

/// One `[[account]]` entry, as written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountEntry {
    pub id: Option<String>,
    #[serde(rename = "match")]
    pub pattern: Option<String>,
    pub alias: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub color: Option<String>,
    pub region: Option<String>,
}

/// Between an account's name and its alias and tags in the text the
/// matcher sees (never typed; the name field ends there).
pub const SEPARATOR: char = '\u{1f}';

/// The colours an account can be shown in (and its Firefox container's).
pub const COLORS: &[&str] = &[
    "red",
    "green",
    "yellow",
    "blue",
    "purple",
    "pink",
    "orange",
    "turquoise",
];

/// What the entries that match one account say together: later entries
/// win for the alias, colour and region; tags add up.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    pub alias: Option<String>,
    pub tags: Vec<String>,
    pub color: Option<String>,
    pub region: Option<String>,
}

fn word_ok(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-+=@/".contains(c))
}

/// `s` made an alias or tag (`word_ok`): other characters (spaces) as
/// `-`, runs of them as one, at most 64; `None` when nothing is left.
pub fn word_from(s: &str) -> Option<String> {
    let mut out = String::new();
    for c in s.trim().chars() {
        let c = if c.is_ascii_alphanumeric() || "_.-+=@/".contains(c) {
            c
        } else {
            '-'
        };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    let out: String = out.trim_matches('-').chars().take(64).collect();
    word_ok(&out).then_some(out)
}

impl AccountEntry {
    /// Checks one entry; the message names what is wrong.
    pub fn check(&self, n: usize) -> Result<(), String> {
        let at = format!("[[account]] #{n}");
        match (&self.id, &self.pattern) {
            (Some(id), None) if crate::names::valid_account_id(id) => {}
            (Some(id), None) => {
                return Err(format!("{at}: id {id:?} is not a 12-digit account id"));
            }
            (None, Some(p)) if !p.is_empty() && !p.chars().any(char::is_control) => {}
            (None, Some(_)) => {
                return Err(format!("{at}: match must be a glob on the account name"));
            }
            _ => {
                return Err(format!(
                    "{at}: give either id = \"123456789012\" or match = \"*-prod\""
                ));
            }
        }
        if let Some(a) = &self.alias
            && !word_ok(a)
        {
            return Err(format!(
                "{at}: alias {a:?}: 1-64 letters, digits or _.-+=@/"
            ));
        }
        if let Some(t) = self.tags.iter().find(|t| !word_ok(t)) {
            return Err(format!("{at}: tag {t:?}: 1-64 letters, digits or _.-+=@/"));
        }
        if let Some(c) = &self.color
            && !COLORS.contains(&c.as_str())
        {
            return Err(format!("{at}: color {c:?}: one of {}", COLORS.join(", ")));
        }
        if let Some(r) = &self.region
            && crate::sso::setup::check_region(r).is_err()
        {
            return Err(format!("{at}: region {r:?} is not an AWS region name"));
        }
        Ok(())
    }

    fn matches(&self, account_id: &str, name: &str) -> bool {
        match (&self.id, &self.pattern) {
            (Some(id), _) => id == account_id,
            (None, Some(p)) => crate::names::glob(&p.to_lowercase(), &name.to_lowercase()),
            (None, None) => false,
        }
    }
}

/// The metadata of account `account_id` named `name`, if any entry says
/// anything about it.
pub fn resolve(entries: &[AccountEntry], account_id: &str, name: &str) -> Option<Meta> {
    // Globs (and so tags) see the name as it looks, invisible characters
    // removed.
    let name = &*crate::visible::stripped(name);
    let mut m: Option<Meta> = None;
    for e in entries.iter().filter(|e| e.matches(account_id, name)) {
        let m = m.get_or_insert_with(Meta::default);
        if e.alias.is_some() {
            m.alias.clone_from(&e.alias);
        }
        if e.color.is_some() {
            m.color.clone_from(&e.color);
        }
        if e.region.is_some() {
            m.region.clone_from(&e.region);
        }
        for t in &e.tags {
            if !m.tags.contains(t) {
                m.tags.push(t.clone());
            }
        }
    }
    m
}

/// The text the matcher sees for an account: its name, then (after a unit
/// separator each, so anchors see the name alone) its alias, its tags as
/// `tag:NAME;` (so `tag:prod`, read as `tag:prod;`, finds exactly that tag,
/// and `prod` finds it among the rest), and the session it is listed in
/// when several are shown. Just the name when there is nothing more.
pub fn search_text(name: &str, meta: Option<&Meta>, session: Option<&str>) -> String {
    if meta.is_none() && session.is_none() {
        return name.to_string();
    }
    let mut s = String::with_capacity(name.len() + 32);
    s.push_str(name);
    s.push(SEPARATOR);
    if let Some(a) = meta.and_then(|m| m.alias.as_deref()) {
        s.push_str(a);
    }
    s.push(SEPARATOR);
    for t in meta.map(|m| m.tags.as_slice()).unwrap_or_default() {
        s.push_str(" tag:");
        s.push_str(t);
        s.push(';');
    }
    s.push(SEPARATOR);
    if let Some(x) = session {
        s.push_str(x);
    }
    s
}

/// The fields of a `search_text`: name, alias, tags, session (empty when
/// absent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SearchFields<'a> {
    pub name: &'a str,
    pub alias: &'a str,
    pub tags: &'a str,
    pub session: &'a str,
}

impl<'a> SearchFields<'a> {
    pub fn of(text: &'a str) -> SearchFields<'a> {
        let mut it = text.splitn(4, SEPARATOR);
        SearchFields {
            name: it.next().unwrap_or(""),
            alias: it.next().unwrap_or(""),
            tags: it.next().unwrap_or(""),
            session: it.next().unwrap_or(""),
        }
    }

    /// The fields a word or an anchor can match on its own (tags are
    /// found by `tag:NAME`, or as loose words).
    pub fn anchored(&self) -> impl Iterator<Item = &'a str> {
        [self.name, self.alias, self.session]
            .into_iter()
            .filter(|f| !f.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;

    const TOML: &str = r#"
[[account]]
match = "*-prod*"
tags = ["prod"]
color = "red"
region = "eu-west-1"

[[account]]
id = "111111111111"
alias = "pay"
tags = ["payments", "prod"]
region = "eu-central-1"
"#;

    #[test]
    fn entries_merge_in_order() {
        let s = Settings::parse(TOML).unwrap();
        let m = resolve(&s.accounts, "111111111111", "payments-prod").unwrap();
        assert_eq!(m.alias.as_deref(), Some("pay"));
        assert_eq!(m.tags, ["prod", "payments"]);
        assert_eq!(m.color.as_deref(), Some("red"));
        assert_eq!(
            m.region.as_deref(),
            Some("eu-central-1"),
            "the later entry wins"
        );
        let text = search_text("payments-prod", Some(&m), Some("work"));
        assert_eq!(
            text,
            "payments-prod\u{1f}pay\u{1f} tag:prod; tag:payments;\u{1f}work"
        );
        let f = SearchFields::of(&text);
        assert_eq!(
            (f.name, f.alias, f.session),
            ("payments-prod", "pay", "work")
        );
        assert_eq!(search_text("x", None, None), "x");
        let other = resolve(&s.accounts, "222222222222", "Search-PROD").unwrap();
        assert_eq!(
            other.region.as_deref(),
            Some("eu-west-1"),
            "globs ignore case"
        );
        assert_eq!(resolve(&s.accounts, "333333333333", "dev"), None);
    }

    #[test]
    fn bad_entries_are_named() {
        for (text, word) in [
            ("[[account]]\ntags = [\"x\"]\n", "either id"),
            ("[[account]]\nid = \"1\"\n", "12-digit"),
            (
                "[[account]]\nid = \"111111111111\"\nmatch = \"x\"\n",
                "either id",
            ),
            (
                "[[account]]\nid = \"111111111111\"\ntags = [\"a b\"]\n",
                "tag",
            ),
            (
                "[[account]]\nid = \"111111111111\"\nalias = \"x\\ny\"\n",
                "alias",
            ),
            (
                "[[account]]\nid = \"111111111111\"\ncolor = \"mauve\"\n",
                "color",
            ),
            (
                "[[account]]\nid = \"111111111111\"\nregion = \"mars-1\"\n",
                "region",
            ),
            (
                "[[account]]\nid = \"111111111111\"\nowner = \"me\"\n",
                "unknown field",
            ),
        ] {
            let e = Settings::parse(text).unwrap_err();
            assert!(e.contains(word), "{word}: {e}");
        }
    }
}
