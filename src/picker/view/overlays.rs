//! The overlays drawn over the list: the help and the action menu.

use super::ViewConfig;
use crate::picker::state::MENU;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

pub const HELP: &[(&str, &str)] = &[
    ("type", "filter (words in any order; fuzzy)"),
    ("paste id / ARN", "jump to that account / role"),
    ("Enter", "the command's action"),
    ("Tab", "action menu"),
    ("Ctrl-Y", "copy export lines"),
    ("Ctrl-R", "list accounts and roles anew"),
    ("Ctrl-L", "log in again (expired session)"),
    ("Up/Down ^P/^N ^K/^J", "move"),
    ("PgUp/PgDn Home/End", "move by page / to the ends"),
    ("Backspace ^W ^U", "delete char / word / to start"),
    ("mouse", "wheel scrolls, click selects, click again picks"),
    ("Esc / Ctrl-C", "quit (exit code 130)"),
];

pub(super) fn draw_help(f: &mut Frame, cfg: &ViewConfig<'_>, area: Rect) {
    let r = centered(area, 64, HELP.len() as u16 + 4);
    f.render_widget(Clear, r);
    let mut lines: Vec<Line> = HELP
        .iter()
        .map(|(k, v)| {
            Line::from(vec![
                Span::styled(
                    format!(" {k:<22}"),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(*v),
            ])
        })
        .collect();
    lines.push(Line::styled(
        " marks: + new since last listing, × no longer assigned",
        cfg.theme.dim(),
    ));
    f.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" ssopick keys · any key closes ")),
        r,
    );
}

pub(super) fn draw_menu(f: &mut Frame, cfg: &ViewConfig<'_>, area: Rect, sel: usize) {
    let r = centered(area, 46, MENU.len() as u16 + 2);
    f.render_widget(Clear, r);
    let lines: Vec<Line> = MENU
        .iter()
        .enumerate()
        .map(|(i, (_, label))| {
            let l = Line::raw(format!(" {} {label}", i + 1));
            if i == sel {
                l.style(cfg.theme.selected())
            } else {
                l
            }
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" action · Enter/1-6 · Esc ")),
        r,
    );
}
