//! Editing the query and moving the selection: what keys do to the state.

use super::{Action, Mark, Outcome, Picker};

impl Picker {
    fn byte_at(&self, char_pos: usize) -> usize {
        self.query
            .char_indices()
            .nth(char_pos)
            .map_or(self.query.len(), |(i, _)| i)
    }

    fn edited(&mut self) -> Outcome {
        self.pending = true;
        self.moved = false;
        self.status.message = None;
        Outcome::Redraw
    }

    pub fn insert(&mut self, s: &str) -> Outcome {
        let clean: String = s.chars().filter(|c| !c.is_control()).collect();
        if clean.is_empty() {
            return Outcome::Nothing;
        }
        let at = self.byte_at(self.cursor);
        self.query.insert_str(at, &clean);
        self.cursor += clean.chars().count();
        self.edited()
    }

    pub fn backspace(&mut self) -> Outcome {
        if self.cursor == 0 {
            return Outcome::Nothing;
        }
        let (a, b) = (self.byte_at(self.cursor - 1), self.byte_at(self.cursor));
        self.query.replace_range(a..b, "");
        self.cursor -= 1;
        self.edited()
    }

    pub fn clear_to_start(&mut self) -> Outcome {
        let b = self.byte_at(self.cursor);
        self.query.replace_range(..b, "");
        self.cursor = 0;
        self.edited()
    }

    pub fn delete_word(&mut self) -> Outcome {
        let chars: Vec<char> = self.query.chars().collect();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !chars[start - 1].is_whitespace() {
            start -= 1;
        }
        let (a, b) = (self.byte_at(start), self.byte_at(self.cursor));
        self.query.replace_range(a..b, "");
        self.cursor = start;
        self.edited()
    }

    pub fn move_cursor(&mut self, delta: isize) -> Outcome {
        let len = self.query.chars().count() as isize;
        self.cursor = (self.cursor as isize + delta).clamp(0, len) as usize;
        Outcome::Redraw
    }

    /// Moves the cursor to the start of the previous word (`-1`) or past the
    /// end of the next one (`1`), as readline's Alt-b and Alt-f do.
    pub fn move_word(&mut self, direction: isize) -> Outcome {
        let chars: Vec<char> = self.query.chars().collect();
        let word = |c: char| c.is_alphanumeric();
        let mut at = self.cursor;
        if direction < 0 {
            while at > 0 && !word(chars[at - 1]) {
                at -= 1;
            }
            while at > 0 && word(chars[at - 1]) {
                at -= 1;
            }
        } else {
            while at < chars.len() && !word(chars[at]) {
                at += 1;
            }
            while at < chars.len() && word(chars[at]) {
                at += 1;
            }
        }
        self.cursor = at;
        Outcome::Redraw
    }

    pub fn move_selection(&mut self, delta: isize) -> Outcome {
        if self.matches.is_empty() {
            return Outcome::Nothing;
        }
        let last = self.matches.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
        self.moved = true;
        self.clamp();
        Outcome::Redraw
    }

    /// Clicking the list at screen row `y`.
    pub fn click(&mut self, y: u16) -> Outcome {
        if y < self.list_top {
            return Outcome::Nothing;
        }
        let idx = self.offset + (y - self.list_top) as usize;
        if idx >= self.matches.len() || idx >= self.offset + self.page {
            return Outcome::Nothing;
        }
        if idx == self.selected {
            return self.accept(Action::Default);
        }
        self.selected = idx;
        self.moved = true;
        Outcome::Redraw
    }

    /// An accept that waited for matching, now that results are in.
    pub fn take_deferred(&mut self) -> Option<Outcome> {
        if self.is_matching() {
            return None;
        }
        let a = self.deferred.take()?;
        Some(self.accept(a))
    }

    pub fn accept(&mut self, action: Action) -> Outcome {
        // What the user sees may be stale while the query is being matched:
        // decide when the results for the current query are in.
        if self.is_matching() {
            self.deferred = Some(action);
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
            self.wanted_first = Some(a.account_id.clone());
            self.waiting_for = Some(a.account_id.clone());
            // When its roles arrive, the highlight goes to the first of them.
            self.moved = true;
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
        if !self.marked.is_empty() && !self.takes_several(action) {
            self.status.message = Some(format!(
                "{} rows are marked, and this acts on one: Ctrl-T unmarks, or Tab for an action that takes several",
                self.marked.len()
            ));
            return Outcome::Redraw;
        }
        Outcome::Accept(action)
    }
}
