//! Shell completion of account names, role names and QUERY words from the
//! catalog snapshots (`ssopick __complete`), and the shell glue that asks
//! for them: a bash wrapper around clap's static script, and clap's zsh
//! script with its value completers pointed at ssopick. Pure.

use crate::catalog::{Catalog, cmp_ignoring_case};
use std::collections::BTreeSet;

/// What is being completed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `--account`: account names and ids.
    Account,
    /// `--role`: role names (of `--account`'s account when given).
    Role,
    /// A QUERY word: account names, ids and role names.
    Query,
    /// `--profile`: the names of the AWS files' other profiles (rows).
    Profile,
}

crate::named_enum!(Kind {
    Account = "account": "--account: account names and ids",
    Role = "role": "--role: role names (of --account's account when given)",
    Query = "query": "a QUERY word: account names, ids and role names",
    Profile = "profile": "--profile: the AWS files' other profiles",
});

/// At most this many candidates: a shell shows no more anyway.
pub const MAX: usize = 2000;

fn starts_with_ignoring_case(s: &str, prefix: &str) -> bool {
    if s.is_ascii() && prefix.is_ascii() {
        return s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix);
    }
    // Any case, accents folded, as the matcher compares (`un` finds
    // `Ünïcode Team`).
    let fold = crate::fold::Fold::LOOSE;
    let mut s = s.chars().map(|c| fold.char(c));
    prefix.chars().all(|p| s.next() == Some(fold.char(p)))
}

/// The candidates for `prefix` (any case), sorted, without duplicates.
pub fn candidates<'c>(
    kind: Kind,
    prefix: &str,
    account: Option<&str>,
    catalogs: &[&'c Catalog],
) -> Vec<String> {
    let mut found: BTreeSet<&'c str> = BTreeSet::new();
    let mut tags: BTreeSet<String> = BTreeSet::new();
    for c in catalogs {
        for a in &c.accounts {
            let acct = &a.account;
            let roles = a.roles.iter().flatten().map(String::as_str);
            // config.toml's alias (and tags, as query words) too.
            let meta = acct.meta.as_deref();
            let alias = meta.and_then(|m| m.alias.as_deref());
            let words: Vec<&'c str> = match kind {
                Kind::Account => [acct.account_name.as_str(), &acct.account_id]
                    .into_iter()
                    .chain(alias)
                    .collect(),
                Kind::Role => {
                    let this = account.is_none_or(|x| crate::select::names_account(x, acct));
                    if this { roles.collect() } else { Vec::new() }
                }
                Kind::Query => [acct.account_name.as_str(), &acct.account_id]
                    .into_iter()
                    .chain(roles)
                    .chain(alias)
                    .collect(),
                Kind::Profile => acct.profile.iter().map(|p| p.name.as_str()).collect(),
            };
            if kind == Kind::Query
                && let Some(m) = meta
            {
                tags.extend(m.tags.iter().map(|t| format!("tag:{t}")));
            }
            found.extend(
                words
                    .into_iter()
                    .filter(|s| !s.is_empty() && starts_with_ignoring_case(s, prefix)),
            );
        }
    }
    // Invisible characters shown as `\u{200b}` (typed back, the
    // selection rule reads them as the characters).
    let mut v: Vec<String> = found
        .into_iter()
        .map(|s| crate::visible::shown(s).into_owned())
        .collect();
    v.extend(
        tags.into_iter()
            .filter(|t| starts_with_ignoring_case(t, prefix)),
    );
    v.sort_by(|a, b| cmp_ignoring_case(a, b).then_with(|| a.cmp(b)));
    v.truncate(MAX);
    v
}

/// Appended to clap's bash script: `--account`, `--role` and QUERY words
/// are completed from the snapshots (`ssopick __complete`); everything
/// else is clap's. The word as typed is unquoted first (`Team\ A`, `'Team
/// A`, `"Team A`), and candidates are quoted for where they go: with
/// `printf %q` in a bare word, as the open quote needs inside one, so a
/// name with spaces or `$(...)` is inserted as one literal word.
pub const BASH_WRAPPER: &str = r#"
# Account, role and QUERY completion from ssopick's snapshots.
_ssopick_values() {
    local line
    COMPREPLY=()
    while IFS= read -r line; do
        case $_ssopick_quote in
            \') COMPREPLY+=("${line//\'/\'\\\'\'}") ;;
            \") line=${line//\\/\\\\}; line=${line//\"/\\\"}; line=${line//\$/\\\$}; COMPREPLY+=("${line//\`/\\\`}") ;;
            *) COMPREPLY+=("$(printf '%q' "$line")") ;;
        esac
    done < <(command ssopick __complete "$1" --account "$3" -- "$2" 2>/dev/null)
}
# The word being completed as the user means it: an opening quote noted
# in _ssopick_quote and dropped, backslash escapes undone (never evaluated).
_ssopick_unquote() {
    local w=$1 out= i c
    _ssopick_quote=
    case $w in
        \'*) _ssopick_quote=\'; REPLY=${w#\'}; return ;;
        \"*) _ssopick_quote=\"; w=${w#\"} ;;
    esac
    for ((i = 0; i < ${#w}; i++)); do
        c=${w:i:1}
        if [[ $c == \\ ]]; then
            ((i++))
            c=${w:i:1}
        fi
        out+=$c
    done
    REPLY=$out
}
_ssopick_dynamic() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    # `--account=x`: bash splits the word at `=`.
    if [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    elif [[ $cur == = ]]; then
        cur=
    fi
    local i w cmd= account= dashdash= REPLY
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
            --) dashdash=1 ;;
            --account=*) account=${w#--account=} ;;
            -*|=) ;;
            *)
                case ${COMP_WORDS[i-1]} in
                    --account|=) [[ ${COMP_WORDS[i-1]} == --account || ${COMP_WORDS[i-2]} == --account ]] && account=$w ;;
                    --role|--profile|--session|--region|--format|-f|--name|--style|--listen|--clear-after|--timeout) ;;
                    *) [[ -z $cmd ]] && cmd=$w ;;
                esac ;;
        esac
    done
    # The account as typed, unquoted (never evaluated).
    _ssopick_unquote "$account"
    account=${REPLY%[\"\']}
    _ssopick_unquote "$cur"
    cur=$REPLY
    case $prev in
        --account) _ssopick_values account "$cur" ""; return 0 ;;
        --role) _ssopick_values role "$cur" "$account"; return 0 ;;
        --profile) _ssopick_values profile "$cur" ""; return 0 ;;
    esac
    if [[ -z $dashdash && $cur != -* && $prev != -* && $prev != = ]]; then
        case $cmd in
            shell|exec|export|copy|console|profile|list|pick|serve)
                _ssopick_values query "$cur" ""; return 0 ;;
            '')
                _ssopick "$@"
                local words=("${COMPREPLY[@]}")
                _ssopick_values query "$cur" ""
                COMPREPLY=("${words[@]}" "${COMPREPLY[@]}")
                return 0 ;;
        esac
    fi
    _ssopick "$@"
}
complete -F _ssopick_dynamic -o bashdefault -o default ssopick
"#;

/// Put in clap's zsh script before its last lines: the value completers.
/// `compadd -U`: candidates match the prefix in any case, as the picker does.
const ZSH_FUNCTIONS: &str = r#"
# Account, role and QUERY completion from ssopick's snapshots.
_ssopick_values() {
    local kind=$1 account= i
    local -a vals
    # ${(Q)...}: the account as typed, its quoting removed (never evaluated).
    for ((i = 1; i < $#words; i++)); do
        [[ ${words[i]} == --account ]] && account=${(Q)words[i+1]}
        [[ ${words[i]} == --account=* ]] && account=${(Q)${words[i]#--account=}}
    done
    # ${(Q)PREFIX}: the word as meant (`Team\ A` is `Team A`); inside an
    # open quote zsh has taken the quote off already.
    vals=("${(@f)$(command ssopick __complete $kind --account "$account" -- "${(Q)PREFIX}" 2>/dev/null)}")
    vals=(${vals:#})
    (( $#vals )) && compadd -U -a vals
}
(( $+functions[_ssopick_accounts] )) || _ssopick_accounts() { _ssopick_values account }
(( $+functions[_ssopick_roles] )) || _ssopick_roles() { _ssopick_values role }
(( $+functions[_ssopick_query] )) || _ssopick_query() { _ssopick_values query }
(( $+functions[_ssopick_profiles] )) || _ssopick_profiles() { _ssopick_values profile }
(( $+functions[_ssopick_first] )) || _ssopick_first() {
    _ssopick_commands "$@"
    [[ $PREFIX == -* ]] || _ssopick_values query
}

"#;

/// clap's zsh script with `--account`, `--role` and QUERY completed from
/// the snapshots. Its top level is fixed too: clap gives `ssopick` an
/// optional QUERY *before* the subcommand, so `ssopick list <Tab>` offered
/// the subcommands again; the first word now completes as a subcommand or
/// a QUERY word, and what follows a subcommand is that subcommand's.
/// `None` when the script's shape is not the one expected (a clap_complete
/// change), so a test catches it.
pub fn zsh_script(clap: &str) -> Option<String> {
    let mut out = String::with_capacity(clap.len() + ZSH_FUNCTIONS.len());
    let (mut patched, mut top_query, mut top_line) = (0, false, 0);
    for line in clap.lines() {
        if !top_query && line.starts_with("'::query -- ") {
            // The top level's QUERY: completed with the subcommands below.
            top_query = true;
            continue;
        }
        let l = if line.starts_with("'--account=") && line.contains(":ID|NAME:_default'") {
            line.replace(":ID|NAME:_default'", ":ID|NAME:_ssopick_accounts'")
        } else if line.starts_with("'--role=") && line.contains(":NAME:_default'") {
            line.replace(":NAME:_default'", ":NAME:_ssopick_roles'")
        } else if line.contains("--profile=[Another profile") && line.contains(":NAME:_default'") {
            line.replace(":NAME:_default'", ":NAME:_ssopick_profiles'")
        } else if line.contains("::query -- ") && line.contains(":_default'") {
            line.replace(":_default'", ":_ssopick_query'")
        } else if line == "\":: :_ssopick_commands\" \\" {
            "\":: :_ssopick_first\" \\".to_string()
        } else if top_query && top_line < 3 && line.contains("$line[2]") {
            // The top-level state block: the subcommand is now word 1.
            top_line += 1;
            line.replace("$line[2]", "$line[1]")
        } else {
            line.to_string()
        };
        patched += usize::from(l != line);
        if line.starts_with("if [ \"$funcstack[1]\" = \"_ssopick\" ]") {
            out.push_str(ZSH_FUNCTIONS);
        }
        out.push_str(&l);
        out.push('\n');
    }
    let whole = top_query && top_line == 3 && out.contains("_ssopick_first\"");
    (patched > 0 && whole && out.contains("_ssopick_values() {")).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Account, AccountRoles};
    use crate::time::UtcTime;

    fn cat() -> Catalog {
        let mut c = Catalog::new("corp", "u", "us-east-1", UtcTime(0));
        let a = |id: &str, name: &str, roles: &[&str]| AccountRoles {
            account: Account::new(id, name, ""),
            roles: Some(roles.iter().map(std::string::ToString::to_string).collect()),
        };
        c.accounts = vec![
            a("111111111111", "payments-prod", &["Admin", "ReadOnly"]),
            a("222222222222", "Payroll", &["ReadOnly", "Billing"]),
            a("333333333333", "search", &["Admin"]),
        ];
        c
    }

    #[test]
    fn candidates_by_kind_any_case() {
        let c = cat();
        let got = |k, p, acct| candidates(k, p, acct, &[&c]);
        assert_eq!(
            got(Kind::Account, "PAY", None),
            ["payments-prod", "Payroll"]
        );
        assert_eq!(got(Kind::Account, "2", None), ["222222222222"]);
        assert_eq!(got(Kind::Role, "", None), ["Admin", "Billing", "ReadOnly"]);
        assert_eq!(
            got(Kind::Role, "", Some("payroll")),
            ["Billing", "ReadOnly"]
        );
        assert_eq!(got(Kind::Role, "", Some("333333333333")), ["Admin"]);
        assert_eq!(got(Kind::Query, "s", None), ["search"]);
        assert_eq!(got(Kind::Query, "r", None), ["ReadOnly"]);
        assert!(got(Kind::Query, "zzz", None).is_empty());
        let mut u = cat();
        u.accounts[2].account.account_name = "Ünïcode Team ✓".into();
        assert_eq!(
            candidates(Kind::Account, "unic", None, &[&u]),
            ["Ünïcode Team ✓"]
        );
    }
}
