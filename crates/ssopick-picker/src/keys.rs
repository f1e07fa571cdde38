//! Keys, mouse and paste -> picker changes and an `Outcome`. fzf habits.

use super::state::{Action, MENU, Mode, Outcome, Picker};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind};

pub fn handle_key(p: &mut Picker, k: KeyEvent) -> Outcome {
    if k.kind == KeyEventKind::Release {
        return Outcome::Nothing;
    }
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(k.code, KeyCode::Char('c')) {
        return Outcome::Cancel;
    }
    match p.mode {
        Mode::Region(_) => {
            return match k.code {
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
            };
        }
        Mode::Help => {
            p.mode = Mode::List;
            return Outcome::Redraw;
        }
        Mode::Menu(i) => {
            return match k.code {
                KeyCode::Esc | KeyCode::Tab | KeyCode::BackTab => {
                    p.mode = Mode::List;
                    Outcome::Redraw
                }
                KeyCode::Up | KeyCode::Char('k' | 'p') if k.code == KeyCode::Up || ctrl => {
                    p.mode = Mode::Menu(i.saturating_sub(1));
                    Outcome::Redraw
                }
                KeyCode::Down | KeyCode::Char('j' | 'n') if k.code == KeyCode::Down || ctrl => {
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
            };
        }
        Mode::List => {}
    }
    // Readline's word keys; any other Alt chord is ignored (never typed).
    if k.modifiers.contains(KeyModifiers::ALT) {
        return match k.code {
            KeyCode::Char('b') | KeyCode::Left => p.move_word(-1),
            KeyCode::Char('f') | KeyCode::Right => p.move_word(1),
            KeyCode::Backspace => p.delete_word(),
            _ => Outcome::Nothing,
        };
    }
    match (k.code, ctrl) {
        (KeyCode::Esc, _) => Outcome::Cancel,
        (KeyCode::Enter, _) => p.accept(Action::Default),
        (KeyCode::Tab, _) => {
            p.mode = Mode::Menu(0);
            Outcome::Redraw
        }
        (KeyCode::F(1), _) | (KeyCode::Char('?'), false) => {
            p.mode = Mode::Help;
            Outcome::Redraw
        }
        (KeyCode::Char('y'), true) => match p.accept(Action::CopyExports) {
            Outcome::Accept(_) => Outcome::Copy(Action::CopyExports),
            other => other,
        },
        (KeyCode::Char('t'), true) => p.toggle_mark(),
        (KeyCode::Char('g'), true) => p.open_regions(),
        (KeyCode::Char('r'), true) => Outcome::Refresh,
        (KeyCode::Char('l'), true) => Outcome::Login,
        (KeyCode::Char('u'), true) => p.clear_to_start(),
        (KeyCode::Char('w') | KeyCode::Backspace, true) => p.delete_word(),
        (KeyCode::Char('p' | 'k'), true) | (KeyCode::Up, _) => p.move_selection(-1),
        (KeyCode::Char('n' | 'j'), true) | (KeyCode::Down, _) => p.move_selection(1),
        (KeyCode::PageUp, _) => p.move_selection(-(p.page.max(1) as isize)),
        (KeyCode::PageDown, _) => p.move_selection(p.page.max(1) as isize),
        (KeyCode::Home, _) => p.move_selection(isize::MIN / 2),
        (KeyCode::End, _) => p.move_selection(isize::MAX / 2),
        (KeyCode::Left, _) => p.move_cursor(-1),
        (KeyCode::Right, _) => p.move_cursor(1),
        (KeyCode::Char('a'), true) => p.move_cursor(isize::MIN / 2),
        (KeyCode::Char('e'), true) => p.move_cursor(isize::MAX / 2),
        (KeyCode::Backspace, false) => p.backspace(),
        (KeyCode::Char(c), false) => p.insert(c.encode_utf8(&mut [0; 4])),
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

#[cfg(test)]
mod tests;
