//! `pick --format`: a chosen row as a line for scripts, fzf-style, from a
//! template with `{field}` placeholders. Pure.

use crate::export::Chosen;

/// The fields a template may name.
pub const FIELDS: &[&str] = &[
    "account_id",
    "account_name",
    "role_name",
    "session",
    "email",
    "role_arn",
];

pub const DEFAULT: &str = "{account_id} {role_name}";

/// A checked template: literal text and fields, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template(Vec<Part>);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Field(&'static str),
}

impl Template {
    /// Parses `{field}` placeholders; `{{` and `}}` are literal braces.
    /// An unknown field or a lone brace is an error that names the fields.
    pub fn parse(s: &str) -> Result<Template, String> {
        let known = || {
            format!(
                "the fields are {}",
                FIELDS
                    .iter()
                    .map(|f| format!("{{{f}}}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        };
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    let mut closed = false;
                    for c in chars.by_ref() {
                        if c == '}' {
                            closed = true;
                            break;
                        }
                        name.push(c);
                    }
                    if !closed {
                        return Err(format!("--format: {{{name} is not closed; {}", known()));
                    }
                    let Some(field) = FIELDS.iter().copied().find(|f| *f == name) else {
                        return Err(format!("--format: unknown field {{{name}}}; {}", known()));
                    };
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Field(field));
                }
                '}' => {
                    return Err(format!(
                        "--format: a lone }} (write }}}} for a brace); {}",
                        known()
                    ));
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template(parts))
    }

    /// Whether the template names `{role_arn}`, which for an SSO role only
    /// STS can tell (its credentials are fetched for it).
    pub fn needs_role_arn(&self) -> bool {
        self.0.contains(&Part::Field("role_arn"))
    }

    /// The line for `c` (without a newline); `role_arn` fills `{role_arn}`.
    /// An AWS profile's row gives its name for `{account_id}`: what
    /// `--account` takes for it (its account's id would name the portal's
    /// row of that id instead).
    pub fn render(&self, c: &Chosen, role_arn: &str) -> String {
        let id = match &c.account.profile {
            Some(p) => p.name.as_str(),
            None => c.account.account_id.as_str(),
        };
        self.0
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.as_str(),
                Part::Field("account_id") => id,
                Part::Field("account_name") => &c.account.account_name,
                Part::Field("role_name") => &c.role,
                Part::Field("session") => &c.session,
                Part::Field("role_arn") => role_arn,
                Part::Field(_) => &c.account.email_address,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Account;

    fn chosen() -> Chosen {
        Chosen::new(
            Account::new("111122223333", "payments-prod", "aws+pay@example.com"),
            "AdministratorAccess",
            "corp",
        )
    }

    #[test]
    fn renders_every_field_and_literal_braces() {
        let t =
            Template::parse("{account_id}\t{account_name} {role_name}@{session} <{email}> {{x}}")
                .expect("valid");
        assert_eq!(
            t.render(&chosen(), ""),
            "111122223333\tpayments-prod AdministratorAccess@corp <aws+pay@example.com> {x}"
        );
        assert!(!t.needs_role_arn());
        let d = Template::parse(DEFAULT).expect("valid");
        assert_eq!(d.render(&chosen(), ""), "111122223333 AdministratorAccess");
        let arn = Template::parse("{role_arn}").expect("valid");
        assert!(arn.needs_role_arn());
        assert_eq!(arn.render(&chosen(), "arn:x"), "arn:x");
    }

    #[test]
    fn unknown_fields_and_lone_braces_are_errors_that_name_the_fields() {
        for bad in ["{role}", "{account_id", "x } y", "{}"] {
            let e = Template::parse(bad).expect_err(bad);
            assert!(
                e.contains("{account_id} {account_name} {role_name} {session} {email} {role_arn}"),
                "{e}"
            );
        }
    }
}
