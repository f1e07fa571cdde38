//! The overlays drawn over the list: the help and the action menu.

use super::ViewConfig;
use crate::state::MENU;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

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

/// What the list's first column says.
const MARKS: &str = " marks: + new, × gone, ! production, ✓ marked";

pub(super) fn draw_help(f: &mut Frame, cfg: &ViewConfig<'_>, area: Rect, scroll: u16) {
    let rows = crate::keys::table::lines();
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let what = rows
        .iter()
        .map(|(_, v)| v.chars().count())
        .max()
        .unwrap_or(0);
    let r = centered(area, (width + what + 5) as u16, rows.len() as u16 + 3);
    f.render_widget(Clear, r);
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|(k, v)| {
            Line::from(vec![
                Span::styled(
                    format!(" {k:<width$}  "),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(*v),
            ])
        })
        .collect();
    lines.push(Line::styled(MARKS, cfg.theme.dim()));
    // On a small terminal the list scrolls (its lines as wrapped).
    let inner = usize::from(r.width.saturating_sub(2)).max(1);
    let total: usize = lines.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
    let hidden = total.saturating_sub(usize::from(r.height.saturating_sub(2)));
    let title = if hidden > 0 {
        " keys · ↑↓ more · any other key closes "
    } else {
        " keys · any key closes "
    };
    let scroll = scroll.min(u16::try_from(hidden).unwrap_or(u16::MAX));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(Block::bordered().title(title)),
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
        Paragraph::new(lines)
            .block(Block::bordered().title(format!(" action · Enter/1-{} · Esc ", MENU.len()))),
        r,
    );
}

/// Ctrl-G: the regions, a window of them around the highlighted one.
pub(super) fn draw_regions(
    f: &mut Frame,
    p: &crate::state::Picker,
    cfg: &ViewConfig<'_>,
    area: Rect,
    sel: usize,
) {
    let entries: Vec<&str> = p.region_entries().collect();
    let h = (entries.len() as u16 + 2)
        .min(area.height.saturating_sub(2))
        .max(3);
    let r = centered(area, 40, h);
    let shown = h.saturating_sub(2) as usize;
    let first = sel
        .saturating_sub(shown.saturating_sub(1))
        .min(entries.len().saturating_sub(shown));
    f.render_widget(Clear, r);
    let lines: Vec<Line> = entries
        .iter()
        .enumerate()
        .skip(first)
        .take(shown)
        .map(|(i, e)| {
            let l = Line::raw(format!(" {e}"));
            if i == sel {
                l.style(cfg.theme.selected())
            } else {
                l
            }
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" region · Enter · Esc ")),
        r,
    );
}
