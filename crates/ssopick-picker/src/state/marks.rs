//! Marked rows (Ctrl-T): several rows for the actions that take several
//! (print, profile blocks, consoles, copying ids or ARNs).

use super::{Action, Outcome, Picker, Row};
use ssopick_core::export::Chosen;

/// A marked row across rebuilds: session, account id, role, and the chain
/// or profile it is a row of (a chained row often shares its account id
/// with an SSO row).
pub type MarkKey = (String, String, String, Option<String>);

impl Picker {
    fn mark_key(&self, row: &Row) -> Option<MarkKey> {
        let a = &self.accounts[row.account];
        Some((
            a.session.to_string(),
            a.account.account_id.clone(),
            row.role.as_deref()?.to_string(),
            a.account.added_key(),
        ))
    }

    /// True when `row` is marked (drawn with a check mark).
    pub fn is_marked(&self, row: &Row) -> bool {
        !self.choice.marked.is_empty()
            && self
                .mark_key(row)
                .is_some_and(|k| self.choice.marked.contains(&k))
    }

    /// Ctrl-T: marks (or unmarks) the highlighted row and moves down, as
    /// fzf's Tab does in `--multi` mode.
    pub fn toggle_mark(&mut self) -> Outcome {
        let Some(key) = self.selected_row().and_then(|r| self.mark_key(r)) else {
            self.status.message = Some("only a row with a role can be marked".into());
            return Outcome::Redraw;
        };
        if let Some(i) = self.choice.marked.iter().position(|k| *k == key) {
            self.choice.marked.remove(i);
        } else {
            self.choice.marked.push(key);
        }
        self.status.message = None;
        self.move_selection(1);
        Outcome::Redraw
    }

    /// Whether `action` acts on every marked row.
    pub fn takes_several(&self, action: Action) -> bool {
        match action {
            Action::Default => self.choice.multi_enter,
            a => a.takes_several(),
        }
    }

    /// The marked rows as chosen roles, in the order they were marked
    /// (rows no longer shown are left out).
    pub fn marked_chosen(&self) -> Vec<Chosen> {
        self.choice
            .marked
            .iter()
            .filter_map(|(session, id, role, chain)| {
                let a = self.accounts.iter().find(|a| {
                    *a.session == **session
                        && a.account.account_id == *id
                        && a.account.added_key() == *chain
                })?;
                Some(
                    Chosen::new(a.account.clone(), role.clone(), session.clone())
                        .in_region(self.choice.region.clone()),
                )
            })
            .collect()
    }

    /// The rows an action works on: the marked ones, else the highlighted.
    pub fn acted_on(&self) -> Vec<Chosen> {
        if self.choice.marked.is_empty() {
            self.chosen().into_iter().collect()
        } else {
            self.marked_chosen()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::keys::handle_key;
    use crate::state::{Outcome, Picker};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ssopick_core::catalog::Catalog;
    use ssopick_core::delivery::Action;
    use ssopick_core::history::History;
    use ssopick_core::time::UtcTime;

    fn picker() -> Picker {
        let mut c = Catalog::from_rows(
            "corp",
            [
                ("111111111111", "payments-prod", vec!["Admin", "ReadOnly"]),
                ("222222222222", "search", vec!["ReadOnly"]),
            ],
            |n| format!("{n}@example.com"),
        );
        c.sort();
        let mut p = Picker::new("corp", Some(&c), History::default(), UtcTime(0), "");
        p.match_now();
        p
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn ctrl_t_marks_moves_down_and_unmarks() {
        let mut p = picker();
        handle_key(&mut p, ctrl('t'));
        handle_key(&mut p, ctrl('t'));
        assert_eq!(p.choice.marked.len(), 2);
        assert_eq!(
            p.list.selected, 2,
            "the highlight moves down after each mark"
        );
        let rows: Vec<(String, String)> = p
            .marked_chosen()
            .into_iter()
            .map(|c| (c.account.account_name, c.role))
            .collect();
        assert_eq!(
            rows,
            [
                ("payments-prod".into(), "Admin".into()),
                ("payments-prod".into(), "ReadOnly".into())
            ]
        );
        // Back up and unmark the first.
        p.list.selected = 0;
        handle_key(&mut p, ctrl('t'));
        assert_eq!(p.choice.marked.len(), 1);
        let first = p.rows[p.found.matches[0] as usize].clone();
        assert!(!p.is_marked(&first));
    }

    #[test]
    fn one_row_actions_refuse_marks_and_several_row_ones_take_them() {
        let mut p = picker();
        handle_key(&mut p, ctrl('t'));
        handle_key(&mut p, ctrl('t'));
        // The command's own Enter (a shell, say) acts on one row.
        assert_eq!(p.accept(Action::Default), Outcome::Redraw);
        assert!(
            p.status
                .message
                .as_deref()
                .unwrap()
                .contains("Ctrl-T unmarks")
        );
        assert_eq!(p.accept(Action::CopyExports), Outcome::Redraw);
        // A profile block, a console, an id or ARN copy: every marked row.
        for a in [
            Action::PrintProfile,
            Action::Console,
            Action::CopyAccountId,
            Action::CopyRoleArn,
        ] {
            assert_eq!(p.accept(a), Outcome::Accept(a));
        }
        assert_eq!(p.acted_on().len(), 2);
        // `pick --multi`, `profile`, `console`: their own Enter takes several.
        p.choice.multi_enter = true;
        assert_eq!(p.accept(Action::Default), Outcome::Accept(Action::Default));
    }
}
