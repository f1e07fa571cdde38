//! The list: one line per match, its columns fitted to the screen.

use super::{Theme, ViewConfig, fitted, named_color, truncate};
use crate::state::{Mark, Picker, Row};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ssopick_core::filter::{Matcher, Query};
use unicode_width::UnicodeWidthStr;

pub(super) fn draw_list(f: &mut Frame, p: &Picker, cfg: &ViewConfig<'_>, area: Rect) {
    let query = p
        .matched_query()
        .cloned()
        .unwrap_or_else(|| Query::parse(&p.input.query));
    let matcher = Matcher::default();
    let cols = Columns::of(p, area);
    let mut lines = Vec::new();
    if p.found.matches.is_empty() {
        lines.push(Line::styled(empty_list(p), cfg.theme.dim()));
    }
    for (n, &ri) in p
        .found
        .matches
        .iter()
        .enumerate()
        .skip(p.list.offset)
        .take(area.height as usize)
    {
        let pos = matcher.positions(&p.hays, ri as usize, &query);
        lines.push(row_line(p, &cfg.theme, &cols, n, ri as usize, &pos));
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// What the list says when nothing is shown.
fn empty_list(p: &Picker) -> &'static str {
    if p.rows.is_empty() {
        if p.status.loading.is_some() {
            "  reading the snapshot…"
        } else if p.status.refreshing {
            "  listing accounts…"
        } else {
            "  no accounts yet: press Ctrl-R to list them"
        }
    } else if p.is_matching() {
        "  matching…"
    } else {
        "  no match: Backspace or Ctrl-U to widen the query"
    }
}

/// The list's column widths for this screen.
struct Columns {
    name: usize,
    /// Several sessions: the last column says which (0: one session).
    session: usize,
    /// A narrow screen drops the id column before it cuts a role.
    show_id: bool,
    role: usize,
}

impl Columns {
    fn of(p: &Picker, area: Rect) -> Columns {
        let width = area.width as usize;
        let name = p.list.name_width.clamp(8, (width * 45 / 100).max(8));
        let session = if p.multi {
            p.accounts
                .iter()
                .map(|a| a.session.width())
                .max()
                .unwrap_or(0)
                .min(24)
        } else {
            0
        };
        let role_need = p
            .found
            .matches
            .iter()
            .skip(p.list.offset)
            .take(area.height as usize)
            .filter_map(|&ri| p.rows[ri as usize].role.as_deref())
            .map(UnicodeWidthStr::width)
            .max()
            .unwrap_or(0)
            .min(24);
        let session_part = if p.multi { session + 2 } else { 0 };
        let show_id = width >= 1 + name + 2 + 12 + 2 + role_need + session_part;
        let id_part = if show_id { 14 } else { 0 };
        Columns {
            name,
            session,
            show_id,
            role: width.saturating_sub(1 + name + 2 + id_part + session_part),
        }
    }
}

/// One row of the list: its mark, name, id, role (with a chain's route)
/// and session, matched characters highlighted.
fn row_line(
    p: &Picker,
    t: &Theme,
    cols: &Columns,
    n: usize,
    ri: usize,
    pos: &[usize],
) -> Line<'static> {
    let row = &p.rows[ri];
    let acct = p.account_of(row);
    let base = match row.mark {
        Mark::Removed => t.dim().add_modifier(Modifier::CROSSED_OUT),
        _ if row.production => t.fg(Color::Red),
        _ => acct
            .meta
            .as_ref()
            .and_then(|m| m.color.as_deref())
            .map_or_else(Style::default, |c| t.fg(named_color(c))),
    };
    let mut spans = vec![row_mark(p, t, row, n)];
    let cell = |spans: &mut Vec<Span<'static>>, text: &str, start: usize, w: usize, style| {
        push_cell(spans, t, pos, (text, start, w), style);
    };
    cell(&mut spans, &acct.account_name, 0, cols.name, base);
    spans.push(Span::raw("  "));
    if cols.show_id {
        let start = p.hays.account_id_at(ri);
        cell(&mut spans, &acct.account_id, start, 12, base.patch(t.dim()));
        spans.push(Span::raw("  "));
    }
    match &row.role {
        Some(r) => {
            // A chained row says what it goes through, after its role; a
            // profile's row says its kind.
            let rw = r.width();
            let note = acct
                .chain
                .as_ref()
                .map(|c| c.marker())
                .or_else(|| acct.profile.as_ref().map(|p| p.marker()));
            match note {
                Some(note) if cols.role > rw + 2 => {
                    cell(&mut spans, r, p.hays.role_at(ri), rw, base);
                    let via = format!("  {note}");
                    spans.push(Span::styled(truncate(&via, cols.role - rw), t.dim()));
                }
                _ => cell(&mut spans, r, p.hays.role_at(ri), cols.role, base),
            }
        }
        None => spans.push(Span::styled(
            truncate("loading roles…", cols.role),
            t.dim().add_modifier(Modifier::ITALIC),
        )),
    }
    if p.multi {
        spans.push(Span::raw("  "));
        spans.push(Span::styled(
            truncate(&p.accounts[row.account].session, cols.session),
            t.fg(Color::Cyan),
        ));
    }
    let line = Line::from(spans);
    if n == p.list.selected {
        line.style(t.selected())
    } else {
        line
    }
}

/// The first column: marked, new, gone, production, or the highlight.
/// Production shows as a mark, not by colour alone (NO_COLOR).
fn row_mark(p: &Picker, t: &Theme, row: &Row, n: usize) -> Span<'static> {
    match row.mark {
        Mark::None if p.is_marked(row) => Span::styled(
            "✓",
            t.fg(if row.production {
                Color::Red
            } else {
                Color::Green
            })
            .add_modifier(Modifier::BOLD),
        ),
        Mark::New => Span::styled("+", t.fg(Color::Green).add_modifier(Modifier::BOLD)),
        Mark::Removed => Span::styled("×", t.fg(Color::Red)),
        Mark::None if row.production => {
            Span::styled("!", t.fg(Color::Red).add_modifier(Modifier::BOLD))
        }
        Mark::None if n == p.list.selected => Span::styled("▌", t.fg(Color::Cyan)),
        Mark::None => Span::raw(" "),
    }
}

/// A cell of text (`text`, its first matchable position `start`, its width
/// `w`): matched characters highlighted, invisible ones shown as
/// `\u{200b}` in their own style, cut or padded to `w`.
fn push_cell(
    spans: &mut Vec<Span<'static>>,
    t: &Theme,
    pos: &[usize],
    (text, start, w): (&str, usize, usize),
    style: Style,
) {
    let mut run = String::new();
    let mut run_style = style;
    for (k, piece) in fitted(text, w) {
        let piece_style = match k {
            Some(_) if piece.starts_with("\\u{") => style.patch(t.invisible()),
            Some(k) if pos.binary_search(&(start + k)).is_ok() => style.patch(t.highlight()),
            _ => style,
        };
        if piece_style != run_style && !run.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut run), run_style));
        }
        run_style = piece_style;
        run.push_str(&piece);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, run_style));
    }
}
