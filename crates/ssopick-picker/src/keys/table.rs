//! The one key table: every key of the list, the action it does, and the
//! line the help overlay, the man page's PICKER KEYS and README.md show for
//! it. `handle_key` looks keys up here; nothing else lists them.

use crossterm::event::KeyCode;

/// What a key does in the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAction {
    Accept,
    Menu,
    CopyExports,
    Mark,
    Region,
    Refresh,
    Login,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    Left,
    Right,
    LineStart,
    LineEnd,
    WordLeft,
    WordRight,
    DeleteChar,
    DeleteWord,
    ClearToStart,
    Help,
    Quit,
}

impl KeyAction {
    /// Every action, for the test that each one has a key.
    pub const ALL: [KeyAction; 24] = [
        KeyAction::Accept,
        KeyAction::Menu,
        KeyAction::CopyExports,
        KeyAction::Mark,
        KeyAction::Region,
        KeyAction::Refresh,
        KeyAction::Login,
        KeyAction::Up,
        KeyAction::Down,
        KeyAction::PageUp,
        KeyAction::PageDown,
        KeyAction::First,
        KeyAction::Last,
        KeyAction::Left,
        KeyAction::Right,
        KeyAction::LineStart,
        KeyAction::LineEnd,
        KeyAction::WordLeft,
        KeyAction::WordRight,
        KeyAction::DeleteChar,
        KeyAction::DeleteWord,
        KeyAction::ClearToStart,
        KeyAction::Help,
        KeyAction::Quit,
    ];
}

/// A key with the modifiers that matter (Shift is part of the character).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chord {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

const fn key(code: KeyCode) -> Chord {
    Chord {
        code,
        ctrl: false,
        alt: false,
    }
}

const fn ch(c: char) -> Chord {
    key(KeyCode::Char(c))
}

const fn ctrl(code: KeyCode) -> Chord {
    Chord {
        code,
        ctrl: true,
        alt: false,
    }
}

const fn ctrl_ch(c: char) -> Chord {
    ctrl(KeyCode::Char(c))
}

const fn alt(code: KeyCode) -> Chord {
    Chord {
        code,
        ctrl: false,
        alt: true,
    }
}

/// One line of the key list: its label (the keys' names, space separated,
/// `/` between groups) and what they do, and the keys themselves.
pub struct KeyRow {
    pub label: &'static str,
    pub what: &'static str,
    pub binds: &'static [(Chord, KeyAction)],
}

use KeyAction as A;
use KeyCode as K;

/// Lines about typing rather than keys: shown first, bound to nothing.
pub const NOTES: &[(&str, &str)] = &[
    ("type", "filter: words in any order (fuzzy)"),
    ("'x ^x x$ !x a|b", "exact, starts, ends, not, or"),
    ("paste id / ARN", "jump to that account / role"),
];

/// The keys of the list (`^X` is Ctrl-X).
pub const KEYS: &[KeyRow] = &[
    KeyRow {
        label: "Enter / Tab",
        what: "the command's action / the action menu",
        binds: &[(key(K::Enter), A::Accept), (key(K::Tab), A::Menu)],
    },
    KeyRow {
        label: "^Y",
        what: "copy export lines",
        binds: &[(ctrl_ch('y'), A::CopyExports)],
    },
    KeyRow {
        label: "^T / ^G",
        what: "mark rows / region for this delivery",
        binds: &[(ctrl_ch('t'), A::Mark), (ctrl_ch('g'), A::Region)],
    },
    KeyRow {
        label: "^R / ^L",
        what: "list anew / log in again",
        binds: &[(ctrl_ch('r'), A::Refresh), (ctrl_ch('l'), A::Login)],
    },
    KeyRow {
        label: "↑ ^P ^K / ↓ ^N ^J",
        what: "up / down (the wheel too; a click selects)",
        binds: &[
            (key(K::Up), A::Up),
            (ctrl_ch('p'), A::Up),
            (ctrl_ch('k'), A::Up),
            (key(K::Down), A::Down),
            (ctrl_ch('n'), A::Down),
            (ctrl_ch('j'), A::Down),
        ],
    },
    KeyRow {
        label: "PgUp PgDn / Home End",
        what: "move a page / to the ends",
        binds: &[
            (key(K::PageUp), A::PageUp),
            (key(K::PageDown), A::PageDown),
            (key(K::Home), A::First),
            (key(K::End), A::Last),
        ],
    },
    KeyRow {
        label: "← → / ^A ^E",
        what: "move in the query / to its ends",
        binds: &[
            (key(K::Left), A::Left),
            (key(K::Right), A::Right),
            (ctrl_ch('a'), A::LineStart),
            (ctrl_ch('e'), A::LineEnd),
        ],
    },
    KeyRow {
        label: "Alt-B Alt-← / Alt-F Alt-→",
        what: "a word left / right",
        binds: &[
            (alt(K::Char('b')), A::WordLeft),
            (alt(K::Left), A::WordLeft),
            (alt(K::Char('f')), A::WordRight),
            (alt(K::Right), A::WordRight),
        ],
    },
    KeyRow {
        label: "Bksp / ^W ^Bksp Alt-Bksp",
        what: "delete a character / a word",
        binds: &[
            (key(K::Backspace), A::DeleteChar),
            (ctrl_ch('w'), A::DeleteWord),
            (ctrl(K::Backspace), A::DeleteWord),
            (alt(K::Backspace), A::DeleteWord),
        ],
    },
    KeyRow {
        label: "^U",
        what: "delete to the start",
        binds: &[(ctrl_ch('u'), A::ClearToStart)],
    },
    KeyRow {
        label: "? F1",
        what: "this help",
        binds: &[(ch('?'), A::Help), (key(K::F(1)), A::Help)],
    },
    KeyRow {
        label: "Esc ^C",
        what: "quit (exit code 130)",
        binds: &[(key(K::Esc), A::Quit), (ctrl_ch('c'), A::Quit)],
    },
];

/// The action of a key in the list. Keys that are not characters act the
/// same with Ctrl held (Ctrl-Enter is Enter), as they always have.
pub fn lookup(code: KeyCode, ctrl: bool, alt: bool) -> Option<KeyAction> {
    let find = |ctrl: bool| {
        KEYS.iter()
            .flat_map(|r| r.binds.iter())
            .find(|(c, _)| c.code == code && c.ctrl == ctrl && c.alt == alt)
            .map(|(_, a)| *a)
    };
    find(ctrl).or_else(|| {
        (ctrl && !alt && !matches!(code, KeyCode::Char(_) | KeyCode::Backspace))
            .then(|| find(false))
            .flatten()
    })
}

/// A chord as the labels write it: `^P`, `Alt-B`, `↑`, `PgUp`, `Bksp`.
pub fn name(c: &Chord) -> String {
    let base = match c.code {
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Backspace => "Bksp".into(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Char(ch) if c.ctrl || c.alt => ch.to_ascii_uppercase().to_string(),
        KeyCode::Char(ch) => ch.to_string(),
        other => format!("{other:?}"),
    };
    match (c.ctrl, c.alt) {
        (true, _) => format!("^{base}"),
        (false, true) => format!("Alt-{base}"),
        (false, false) => base,
    }
}

/// Every line of the key list (notes first), as the help overlay and the
/// man page show it.
pub fn lines() -> Vec<(&'static str, &'static str)> {
    NOTES
        .iter()
        .copied()
        .chain(KEYS.iter().map(|r| (r.label, r.what)))
        .collect()
}

/// The key list as a Markdown table (README.md holds exactly this).
pub fn markdown() -> String {
    let mut out = String::from("| keys | action |\n|---|---|\n");
    for (label, what) in lines() {
        let cell = label.replace('|', "\\|");
        out.push_str(&format!("| `{cell}` | {what} |\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_label_names_exactly_its_keys() {
        for row in KEYS {
            let mut shown: Vec<&str> = row.label.split(' ').filter(|t| *t != "/").collect();
            let mut bound: Vec<String> = row.binds.iter().map(|(c, _)| name(c)).collect();
            shown.sort_unstable();
            bound.sort();
            assert_eq!(shown, bound, "{}", row.label);
            let groups = row.label.split(" / ").count();
            assert_eq!(groups, row.what.split(" / ").count(), "{}", row.label);
        }
    }

    #[test]
    fn every_action_has_a_key_and_every_key_one_action() {
        for a in KeyAction::ALL {
            assert!(
                KEYS.iter().flat_map(|r| r.binds).any(|(_, b)| *b == a),
                "{a:?} has no key"
            );
        }
        let chords: Vec<&Chord> = KEYS.iter().flat_map(|r| r.binds).map(|(c, _)| c).collect();
        for (i, c) in chords.iter().enumerate() {
            assert!(!chords[..i].contains(c), "{} is bound twice", name(c));
        }
    }

    #[test]
    fn lookup_finds_the_table_and_ctrl_of_a_plain_key() {
        assert_eq!(
            lookup(KeyCode::Char('y'), true, false),
            Some(KeyAction::CopyExports)
        );
        assert_eq!(lookup(KeyCode::Char('y'), false, false), None);
        assert_eq!(lookup(KeyCode::Enter, true, false), Some(KeyAction::Accept));
        assert_eq!(
            lookup(KeyCode::Backspace, true, false),
            Some(KeyAction::DeleteWord)
        );
        assert_eq!(lookup(KeyCode::Char('x'), false, true), None);
    }
}
