//! The parts of the picker's state, each a named struct with the fields
//! one concern owns; `Picker` holds one of each.

use super::{Action, MarkKey, RowKey};
use ssopick_core::filter::Query;
use std::collections::HashMap;

/// The query line: its text and the cursor in it.
#[derive(Default)]
pub struct Input {
    pub query: String,
    /// Cursor position in `query`, in chars.
    pub cursor: usize,
}

/// Readline's edits; each says whether the text changed.
impl Input {
    fn byte_at(&self, char_pos: usize) -> usize {
        self.query
            .char_indices()
            .nth(char_pos)
            .map_or(self.query.len(), |(i, _)| i)
    }

    /// Typed or pasted text, without control characters.
    pub fn insert(&mut self, s: &str) -> bool {
        let clean: String = s.chars().filter(|c| !c.is_control()).collect();
        if clean.is_empty() {
            return false;
        }
        let at = self.byte_at(self.cursor);
        self.query.insert_str(at, &clean);
        self.cursor += clean.chars().count();
        true
    }

    pub fn backspace(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        let (a, b) = (self.byte_at(self.cursor - 1), self.byte_at(self.cursor));
        self.query.replace_range(a..b, "");
        self.cursor -= 1;
        true
    }

    pub fn clear_to_start(&mut self) {
        let b = self.byte_at(self.cursor);
        self.query.replace_range(..b, "");
        self.cursor = 0;
    }

    /// The word before the cursor, and the spaces after it.
    pub fn delete_word(&mut self) {
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
    }

    pub fn move_cursor(&mut self, delta: isize) {
        let len = self.query.chars().count() as isize;
        self.cursor = (self.cursor as isize + delta).clamp(0, len) as usize;
    }

    /// To the start of the previous word (`-1`) or past the end of the
    /// next one (`1`), as readline's Alt-b and Alt-f do.
    pub fn move_word(&mut self, direction: isize) {
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
    }
}

/// The list's viewport: the highlighted match, the first shown, and what
/// the view measured.
pub struct ListView {
    pub selected: usize,
    pub offset: usize,
    /// Rows the list can show, set by the view.
    pub page: usize,
    /// Screen row of the first list line, set by the view (for mouse clicks).
    pub list_top: u16,
    /// Widest account name (chars), for the list's first column.
    pub name_width: usize,
}

/// The viewport over `len` matches.
impl ListView {
    /// The highlight within the matches, and the page around it.
    pub fn clamp(&mut self, len: usize) {
        if len == 0 {
            self.selected = 0;
        } else if self.selected >= len {
            self.selected = len - 1;
        }
        let page = self.page.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        self.offset = self.offset.min(len.saturating_sub(page));
    }

    /// The highlight moved by `delta`, within the matches.
    pub fn move_by(&mut self, delta: isize, len: usize) {
        if len == 0 {
            return;
        }
        let last = len as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
        self.clamp(len);
    }

    /// The match shown at screen row `y`, if one is.
    pub fn row_at(&self, y: u16, len: usize) -> Option<usize> {
        let idx = self.offset + usize::from(y.checked_sub(self.list_top)?);
        (idx < len && idx < self.offset + self.page).then_some(idx)
    }
}

/// The matcher's results for the query, and what the highlight follows.
#[derive(Default)]
pub struct Found {
    pub matches: Vec<u32>,
    pub(crate) matched_query: Option<Query>,
    /// The query of the matches last applied; unlike `matched_query`, a
    /// rebuild (new rows) does not clear it, so live arrivals keep the
    /// highlighted row while a new query puts the best match on top.
    pub(crate) shown_query: Option<Query>,
    pub(crate) generation: u64,
    pub(crate) pending: bool,
    /// Enter pressed while the query's matches were still computing.
    pub(crate) deferred: Option<Action>,
    /// The user moved the highlight since the query last changed: new
    /// results keep it on that row. Otherwise they highlight the best match.
    pub(crate) moved: bool,
    /// The row to highlight when the next matches arrive (`preselect`).
    pub(crate) wanted: Option<RowKey>,
}

/// Bookkeeping for arrivals: snapshot chunks and listing events.
#[derive(Default)]
pub struct Arrivals {
    pub(crate) had_snapshot: bool,
    pub(crate) dirty: bool,
    /// A refresh started: the next rebuild drops accounts it has no reason
    /// to keep.
    pub(crate) prune: bool,
    /// Account index by id (this session's live listing), rebuilt with the
    /// rows.
    pub(crate) by_id: HashMap<String, usize>,
    /// `by_id` is to be rebuilt before its next use.
    pub(crate) by_id_stale: bool,
    /// An account whose roles the user wants now (Enter on a loading row).
    pub(crate) wanted_first: Option<String>,
    /// ... and whose arrival ends the "listing its roles first" message.
    pub(crate) waiting_for: Option<String>,
}

/// What a delivery covers beyond the highlighted row: marks and a region.
#[derive(Default)]
pub struct Choice {
    /// Rows marked with Ctrl-T, in the order marked.
    pub marked: Vec<MarkKey>,
    /// The command's own Enter acts on several rows (`pick --multi`,
    /// `profile`, `console`).
    pub multi_enter: bool,
    /// Ctrl-G's regions, and the one chosen for this delivery.
    pub regions: Vec<String>,
    pub region: Option<String>,
}
