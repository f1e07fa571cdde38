//! Editing the query and moving the selection: what keys do to the state.

use super::{Action, Mark, Outcome, Picker};

impl Picker {
    fn edited(&mut self) -> Outcome {
        self.found.pending = true;
        self.found.moved = false;
        self.status.message = None;
        Outcome::Redraw
    }

    pub fn insert(&mut self, s: &str) -> Outcome {
        if self.input.insert(s) {
            self.edited()
        } else {
            Outcome::Nothing
        }
    }

    pub fn backspace(&mut self) -> Outcome {
        if self.input.backspace() {
            self.edited()
        } else {
            Outcome::Nothing
        }
    }

    pub fn clear_to_start(&mut self) -> Outcome {
        self.input.clear_to_start();
        self.edited()
    }

    pub fn delete_word(&mut self) -> Outcome {
        self.input.delete_word();
        self.edited()
    }

    pub fn move_cursor(&mut self, delta: isize) -> Outcome {
        self.input.move_cursor(delta);
        Outcome::Redraw
    }

    pub fn move_word(&mut self, direction: isize) -> Outcome {
        self.input.move_word(direction);
        Outcome::Redraw
    }

    pub fn move_selection(&mut self, delta: isize) -> Outcome {
        if self.found.matches.is_empty() {
            return Outcome::Nothing;
        }
        self.list.move_by(delta, self.found.matches.len());
        self.found.moved = true;
        Outcome::Redraw
    }

    /// Clicking the list at screen row `y`.
    pub fn click(&mut self, y: u16) -> Outcome {
        let Some(idx) = self.list.row_at(y, self.found.matches.len()) else {
            return Outcome::Nothing;
        };
        if idx == self.list.selected {
            return self.accept(Action::Default);
        }
        self.list.selected = idx;
        self.found.moved = true;
        Outcome::Redraw
    }

    /// An accept that waited for matching, now that results are in.
    pub fn take_deferred(&mut self) -> Option<Outcome> {
        if self.is_matching() {
            return None;
        }
        let a = self.found.deferred.take()?;
        Some(self.accept(a))
    }

    pub fn accept(&mut self, action: Action) -> Outcome {
        // What the user sees may be stale while the query is being matched:
        // decide when the results for the current query are in.
        if self.is_matching() {
            self.found.deferred = Some(action);
            return Outcome::Nothing;
        }
        let Some(row) = self.selected_row() else {
            self.status.message = Some("nothing matches; change the query".into());
            return Outcome::Redraw;
        };
        if row.role.is_none() {
            let a = &self.accounts[row.account].account;
            self.status.message = Some(if self.status.refreshing {
                format!("listing the roles of {} first…", a.account_name)
            } else {
                format!(
                    "the roles of {} are not known; Ctrl-R lists them",
                    a.account_name
                )
            });
            self.arrivals.wanted_first = Some(a.account_id.clone());
            self.arrivals.waiting_for = Some(a.account_id.clone());
            // When its roles arrive, the highlight goes to the first of them.
            self.found.moved = true;
            return Outcome::Redraw;
        }
        let why = match row.mark {
            Mark::Removed => Some("that role is no longer assigned to you"),
            _ => None,
        };
        if let Some(why) = why {
            self.status.message = Some(why.into());
            return Outcome::Redraw;
        }
        if let Some(e) = self
            .expired_sessions
            .get(&*self.accounts[row.account].session)
        {
            self.status.message = Some(format!("cannot get credentials: {e}"));
            return Outcome::Redraw;
        }
        if let Some(e) = &self.status.expired {
            self.status.message = Some(format!("cannot get credentials: {e}"));
            return Outcome::Redraw;
        }
        if !self.choice.marked.is_empty() && !self.takes_several(action) {
            self.status.message = Some(format!(
                "{} rows are marked, and this acts on one: Ctrl-T unmarks, or Tab for an action that takes several",
                self.choice.marked.len()
            ));
            return Outcome::Redraw;
        }
        Outcome::Accept(action)
    }
}
