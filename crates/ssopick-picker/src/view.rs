//! Drawing the picker with ratatui. Reads the state; writes back only what
//! the layout decides (page size, where the list starts) for keys and mouse.

use super::state::{Mark, Mode, Picker};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ssopick_core::time::human_duration;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }
    fn highlight(&self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    fn selected(&self) -> Style {
        if self.color {
            Style::default()
                .bg(Color::Indexed(237))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }
    /// An invisible character, shown as `\u{200b}`: never mistaken for
    /// the name around it.
    fn invisible(&self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::REVERSED)
    }

    fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }
    fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
}

/// What Enter does, for the hint line ("shell", "export", ...).
pub struct ViewConfig<'a> {
    pub enter_label: &'a str,
    pub theme: Theme,
}

pub fn draw(f: &mut Frame, p: &mut Picker, cfg: &ViewConfig<'_>) {
    let area = f.area();
    // A status message longer than the screen is wide wraps onto a second
    // line instead of being cut.
    let status_h = alert_text(p).map_or(1, |a| {
        let w = (area.width as usize).saturating_sub(1).max(1);
        a.width().div_ceil(w).clamp(1, 3) as u16
    });
    let [query_area, body, status_area, hints_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(status_h),
        Constraint::Length(1),
    ])
    .areas(area);
    let (list_area, details_area) = if area.width >= 90 {
        // The details pane grows with the terminal: ~30 % of it, 38 to 64.
        let pane = (area.width * 3 / 10).clamp(38, 64);
        let [l, d] =
            Layout::horizontal([Constraint::Min(40), Constraint::Length(pane)]).areas(body);
        (l, Some(d))
    } else if area.height >= 16 {
        // Below the list: more lines when the screen has them.
        let h = (body.height / 3).clamp(4, 7);
        let [l, d] = Layout::vertical([Constraint::Min(3), Constraint::Length(h)]).areas(body);
        (l, Some(d))
    } else {
        (body, None)
    };
    // After a resize the highlighted row stays on screen.
    p.set_page(list_area.height as usize);
    p.list.list_top = list_area.y;
    draw_query(f, p, cfg, query_area);
    draw_list(f, p, cfg, list_area);
    if let Some(d) = details_area {
        draw_details(f, p, cfg, d, area.width >= 90);
    }
    draw_status(f, p, cfg, status_area);
    let hints = hint_line(cfg.enter_label, area.width as usize);
    f.render_widget(
        Paragraph::new(Line::styled(hints, cfg.theme.dim())),
        hints_area,
    );
    match p.mode {
        Mode::Help(scroll) => draw_help(f, cfg, area, scroll),
        Mode::Menu(i) => draw_menu(f, cfg, area, i),
        Mode::Region(i) => draw_regions(f, p, cfg, area, i),
        Mode::List => {}
    }
}

fn draw_query(f: &mut Frame, p: &Picker, cfg: &ViewConfig<'_>, area: Rect) {
    let count = format!(" {}/{} ", p.found.matches.len(), p.rows.len());
    let prompt = Span::styled("> ", cfg.theme.fg(Color::Cyan).add_modifier(Modifier::BOLD));
    let [left, right] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(count.len() as u16)])
            .areas(area);
    f.render_widget(
        Paragraph::new(Line::from(vec![prompt, Span::raw(p.input.query.clone())])),
        left,
    );
    f.render_widget(Paragraph::new(Line::styled(count, cfg.theme.dim())), right);
    if p.mode == Mode::List {
        let x = left.x
            + 2
            + p.input
                .query
                .chars()
                .take(p.input.cursor)
                .map(|c| unicode_width(c) as u16)
                .sum::<u16>();
        f.set_cursor_position(Position::new(x.min(left.right().saturating_sub(1)), left.y));
    }
}

fn unicode_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// The message, effect, expiry or error the status line shows, if any.
fn alert_text(p: &Picker) -> Option<&String> {
    p.status
        .message
        .as_ref()
        .or(p.status.busy.as_ref())
        .or(p.status.expired.as_ref())
        .or(p.status.error.as_ref())
}

fn draw_status(f: &mut Frame, p: &Picker, cfg: &ViewConfig<'_>, area: Rect) {
    let t = &cfg.theme;
    // A problem or a message takes the whole line, so it is never cut short
    // by the usual information.
    let alert = p
        .status
        .message
        .as_ref()
        .or(p.status.busy.as_ref())
        .map(|m| Span::styled(m.clone(), t.fg(Color::Yellow)))
        .or_else(|| alert_text(p).map(|e| Span::styled(e.clone(), t.error())));
    if let Some(a) = alert {
        // Wrapped lines line up under the first (one cell in).
        let [_, text] = Layout::horizontal([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        f.render_widget(
            Paragraph::new(Line::from(a)).wrap(Wrap { trim: true }),
            text,
        );
        return;
    }
    // Several sessions: the one of the highlighted row.
    let session = p
        .selected_row()
        .filter(|_| p.multi)
        .map_or(p.session.as_str(), |r| &*p.accounts[r.account].session);
    let mut spans = vec![Span::raw(match &p.status.title {
        Some(t) => format!(" {t}"),
        None => format!(" session {session}"),
    })];
    if let Some(r) = &p.choice.region {
        spans.push(Span::styled(
            format!(" · region {r} (Ctrl-G)"),
            t.fg(Color::Cyan).add_modifier(Modifier::BOLD),
        ));
    }
    if !p.choice.marked.is_empty() {
        spans.push(Span::styled(
            format!(" · {} marked (Ctrl-T)", p.choice.marked.len()),
            t.fg(Color::Green).add_modifier(Modifier::BOLD),
        ));
    }
    if let Some(taken) = p.status.snapshot_taken {
        spans.push(Span::styled(
            format!(
                " · snapshot {} old",
                human_duration(taken.secs_until(p.now))
            ),
            t.dim(),
        ));
    }
    if let Some(l) = p.status.loading {
        let of = l.of.map(|n| format!("/{n}")).unwrap_or_default();
        spans.push(Span::styled(
            format!(" · reading {}{of}", l.rows),
            t.fg(Color::Cyan),
        ));
    }
    if let Some(pr) = p.status.progress.filter(|_| p.status.refreshing) {
        let mut s = format!(" · roles {}/{}", pr.roles_done, pr.accounts);
        if !pr.accounts_complete {
            s.push('+');
        }
        if pr.throttled > 0 {
            s.push_str(&format!(" ({} throttled, retried)", pr.throttled));
        }
        spans.push(Span::styled(s, t.fg(Color::Cyan)));
    } else if p.status.refreshing {
        spans.push(Span::styled(" · listing…", t.fg(Color::Cyan)));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A colour of config.toml's `[[account]]` as the terminal shows it.
fn named_color(name: &str) -> Color {
    match name {
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "purple" => Color::Magenta,
        "pink" => Color::LightMagenta,
        "orange" => Color::LightRed,
        "turquoise" => Color::Cyan,
        _ => Color::Reset,
    }
}

mod details;
mod list;
use list::draw_list;
mod overlays;
use details::draw_details;
mod text;
use overlays::{draw_help, draw_menu, draw_regions};
#[cfg(test)]
use text::wrap_at_separators;
use text::{fitted, hint_line, truncate};

#[cfg(test)]
mod tests;
