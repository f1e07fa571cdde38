//! Keys, mouse and paste -> picker changes and an `Outcome`. fzf habits.

use super::state::{Action, MENU, Mode, Outcome, Picker};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind};
use table::KeyAction;

pub fn handle_key(p: &mut Picker, k: KeyEvent) -> Outcome {
    if k.kind == KeyEventKind::Release {
        return Outcome::Nothing;
    }
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(k.code, KeyCode::Char('c')) {
        return Outcome::Cancel;
    }
    match p.mode {
        Mode::Region(_) => return region_key(p, k.code, ctrl),
        Mode::Help(at) => {
            // Up and down scroll a key list taller than the terminal; any
            // other key closes it.
            p.mode = match k.code {
                KeyCode::Down | KeyCode::PageDown => {
                    Mode::Help((at + 1).min(2 * table::lines().len() as u16))
                }
                KeyCode::Up | KeyCode::PageUp => Mode::Help(at.saturating_sub(1)),
                _ => Mode::List,
            };
            return Outcome::Redraw;
        }
        Mode::Menu(i) => return menu_key(p, i, k.code, ctrl),
        Mode::List => {}
    }
    let alt = k.modifiers.contains(KeyModifiers::ALT);
    match table::lookup(k.code, ctrl, alt) {
        Some(action) => act(p, action),
        // A character types itself; any other chord does nothing (an Alt
        // chord is never typed).
        None => match k.code {
            KeyCode::Char(c) if !ctrl && !alt => p.insert(c.encode_utf8(&mut [0; 4])),
            _ => Outcome::Nothing,
        },
    }
}

/// What an action of the key table does to the list.
fn act(p: &mut Picker, action: KeyAction) -> Outcome {
    match action {
        KeyAction::Quit => Outcome::Cancel,
        KeyAction::Accept => p.accept(Action::Default),
        KeyAction::Menu => {
            p.mode = Mode::Menu(0);
            Outcome::Redraw
        }
        KeyAction::Help => {
            p.mode = Mode::Help(0);
            Outcome::Redraw
        }
        KeyAction::CopyExports => match p.accept(Action::CopyExports) {
            Outcome::Accept(_) => Outcome::Copy(Action::CopyExports),
            other => other,
        },
        KeyAction::Mark => p.toggle_mark(),
        KeyAction::Region => p.open_regions(),
        KeyAction::Refresh => Outcome::Refresh,
        KeyAction::Login => Outcome::Login,
        KeyAction::ClearToStart => p.clear_to_start(),
        KeyAction::DeleteWord => p.delete_word(),
        KeyAction::DeleteChar => p.backspace(),
        KeyAction::Up => p.move_selection(-1),
        KeyAction::Down => p.move_selection(1),
        KeyAction::PageUp => p.move_selection(-(p.list.page.max(1) as isize)),
        KeyAction::PageDown => p.move_selection(p.list.page.max(1) as isize),
        KeyAction::First => p.move_selection(isize::MIN / 2),
        KeyAction::Last => p.move_selection(isize::MAX / 2),
        KeyAction::Left => p.move_cursor(-1),
        KeyAction::Right => p.move_cursor(1),
        KeyAction::LineStart => p.move_cursor(isize::MIN / 2),
        KeyAction::LineEnd => p.move_cursor(isize::MAX / 2),
        KeyAction::WordLeft => p.move_word(-1),
        KeyAction::WordRight => p.move_word(1),
    }
}

/// Ctrl-G's region list.
fn region_key(p: &mut Picker, code: KeyCode, ctrl: bool) -> Outcome {
    match code {
        KeyCode::Esc => {
            p.mode = Mode::List;
            Outcome::Redraw
        }
        KeyCode::Char('g') if ctrl => {
            p.mode = Mode::List;
            Outcome::Redraw
        }
        KeyCode::Enter => p.choose_region(),
        KeyCode::Up => p.move_region(-1),
        KeyCode::Char('k' | 'p') if ctrl => p.move_region(-1),
        KeyCode::Down => p.move_region(1),
        KeyCode::Char('j' | 'n') if ctrl => p.move_region(1),
        KeyCode::PageUp => p.move_region(-10),
        KeyCode::PageDown => p.move_region(10),
        KeyCode::Home => p.move_region(isize::MIN / 2),
        KeyCode::End => p.move_region(isize::MAX / 2),
        _ => Outcome::Nothing,
    }
}

/// Tab's action menu, item `i` highlighted.
fn menu_key(p: &mut Picker, i: usize, code: KeyCode, ctrl: bool) -> Outcome {
    match code {
        KeyCode::Esc | KeyCode::Tab | KeyCode::BackTab => {
            p.mode = Mode::List;
            Outcome::Redraw
        }
        KeyCode::Up | KeyCode::Char('k' | 'p') if code == KeyCode::Up || ctrl => {
            p.mode = Mode::Menu(i.saturating_sub(1));
            Outcome::Redraw
        }
        KeyCode::Down | KeyCode::Char('j' | 'n') if code == KeyCode::Down || ctrl => {
            p.mode = Mode::Menu((i + 1).min(MENU.len() - 1));
            Outcome::Redraw
        }
        KeyCode::Char(c @ '1'..='9') => match MENU.get(c as usize - '1' as usize) {
            Some((a, _)) => {
                p.mode = Mode::List;
                menu_action(p, *a)
            }
            None => Outcome::Nothing,
        },
        KeyCode::Enter => {
            p.mode = Mode::List;
            menu_action(p, MENU[i].0)
        }
        _ => Outcome::Nothing,
    }
}

fn menu_action(p: &mut Picker, a: Action) -> Outcome {
    match p.accept(a) {
        Outcome::Accept(a) if a.is_copy() => Outcome::Copy(a),
        other => other,
    }
}

pub fn handle_mouse(p: &mut Picker, m: MouseEvent) -> Outcome {
    if p.mode != Mode::List {
        return Outcome::Nothing;
    }
    match m.kind {
        MouseEventKind::ScrollUp => p.move_selection(-3),
        MouseEventKind::ScrollDown => p.move_selection(3),
        MouseEventKind::Down(crossterm::event::MouseButton::Left) => p.click(m.row),
        _ => Outcome::Nothing,
    }
}

pub fn handle_paste(p: &mut Picker, s: &str) -> Outcome {
    if p.mode != Mode::List {
        return Outcome::Nothing;
    }
    p.insert(s.trim())
}

pub mod table;

#[cfg(test)]
mod tests;
