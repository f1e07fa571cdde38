//! Drawing the picker with ratatui. Reads the state; writes back only what
//! the layout decides (page size, where the list starts) for keys and mouse.

use super::state::{Mark, Mode, Picker};
use crate::core::filter::{Matcher, Query};
use crate::core::time::human_duration;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

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

fn truncate(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        return format!("{s:<w$}");
    }
    let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
    t.push('…');
    t
}

pub fn draw(f: &mut Frame, p: &mut Picker, cfg: &ViewConfig<'_>) {
    let area = f.area();
    let [query_area, body, status_area, hints_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (list_area, details_area) = if area.width >= 90 {
        let [l, d] = Layout::horizontal([Constraint::Min(40), Constraint::Length(38)]).areas(body);
        (l, Some(d))
    } else if area.height >= 16 {
        let [l, d] = Layout::vertical([Constraint::Min(3), Constraint::Length(4)]).areas(body);
        (l, Some(d))
    } else {
        (body, None)
    };
    p.page = list_area.height as usize;
    p.list_top = list_area.y;
    draw_query(f, p, cfg, query_area);
    draw_list(f, p, cfg, list_area);
    if let Some(d) = details_area {
        draw_details(f, p, cfg, d, area.width >= 90);
    }
    draw_status(f, p, cfg, status_area);
    let hints = format!(
        " Enter {} · Tab actions · ^Y copy · ^R refresh · ? help · Esc quit",
        cfg.enter_label
    );
    f.render_widget(
        Paragraph::new(Line::styled(hints, cfg.theme.dim())),
        hints_area,
    );
    match p.mode {
        Mode::Help => draw_help(f, cfg, area),
        Mode::Menu(i) => draw_menu(f, cfg, area, i),
        Mode::List => {}
    }
}

fn draw_query(f: &mut Frame, p: &Picker, cfg: &ViewConfig<'_>, area: Rect) {
    let count = format!(" {}/{} ", p.matches.len(), p.rows.len());
    let prompt = Span::styled("> ", cfg.theme.fg(Color::Cyan).add_modifier(Modifier::BOLD));
    let [left, right] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(count.len() as u16)])
            .areas(area);
    f.render_widget(
        Paragraph::new(Line::from(vec![prompt, Span::raw(p.query.clone())])),
        left,
    );
    f.render_widget(Paragraph::new(Line::styled(count, cfg.theme.dim())), right);
    if p.mode == Mode::List {
        let x = left.x
            + 2
            + p.query
                .chars()
                .take(p.cursor)
                .map(|c| unicode_width(c) as u16)
                .sum::<u16>();
        f.set_cursor_position(Position::new(x.min(left.right().saturating_sub(1)), left.y));
    }
}

fn unicode_width(c: char) -> usize {
    ratatui::text::Span::raw(c.to_string()).width()
}

fn draw_list(f: &mut Frame, p: &Picker, cfg: &ViewConfig<'_>, area: Rect) {
    let t = &cfg.theme;
    let width = area.width as usize;
    let name_w = p.name_width.clamp(8, (width * 45 / 100).max(8));
    let query = p
        .matched_query()
        .cloned()
        .unwrap_or_else(|| Query::parse(&p.query));
    let matcher = Matcher::default();
    let mut lines = Vec::new();
    if p.matches.is_empty() {
        let msg = if p.rows.is_empty() {
            if p.status.refreshing {
                "  listing accounts…"
            } else {
                "  no accounts yet: press Ctrl-R to list them"
            }
        } else if p.is_matching() {
            "  matching…"
        } else {
            "  no match: Backspace or Ctrl-U to widen the query"
        };
        lines.push(Line::styled(msg, t.dim()));
    }
    // Several sessions: the last column says which.
    let session_w = if p.multi {
        p.accounts
            .iter()
            .map(|a| a.session.chars().count())
            .max()
            .unwrap_or(0)
            .min(24)
    } else {
        0
    };
    for (n, &ri) in p
        .matches
        .iter()
        .enumerate()
        .skip(p.offset)
        .take(area.height as usize)
    {
        let row = &p.rows[ri as usize];
        let acct = p.account_of(row);
        let pos = matcher.positions(&p.hays, ri as usize, &query);
        let base = match row.mark {
            Mark::Removed => t.dim().add_modifier(Modifier::CROSSED_OUT),
            _ if row.production => t.fg(Color::Red),
            _ => Style::default(),
        };
        // Production shows as a mark, not by colour alone (NO_COLOR).
        let mark = match row.mark {
            Mark::New => Span::styled("+", t.fg(Color::Green).add_modifier(Modifier::BOLD)),
            Mark::Removed => Span::styled("×", t.fg(Color::Red)),
            Mark::None if row.production => {
                Span::styled("!", t.fg(Color::Red).add_modifier(Modifier::BOLD))
            }
            Mark::None if n == p.selected => Span::styled("▌", t.fg(Color::Cyan)),
            Mark::None => Span::raw(" "),
        };
        let mut spans = vec![mark];
        let cell =
            |spans: &mut Vec<Span<'static>>, text: &str, start: usize, w: usize, style: Style| {
                let shown = truncate(text, w);
                let mut run = String::new();
                let mut run_hl = false;
                for (k, c) in shown.chars().enumerate() {
                    let hl = k < text.chars().count() && pos.binary_search(&(start + k)).is_ok();
                    if hl != run_hl && !run.is_empty() {
                        spans.push(Span::styled(
                            std::mem::take(&mut run),
                            if run_hl {
                                style.patch(t.highlight())
                            } else {
                                style
                            },
                        ));
                    }
                    run_hl = hl;
                    run.push(c);
                }
                if !run.is_empty() {
                    spans.push(Span::styled(
                        run,
                        if run_hl {
                            style.patch(t.highlight())
                        } else {
                            style
                        },
                    ));
                }
            };
        cell(&mut spans, &acct.account_name, 0, name_w, base);
        spans.push(Span::raw("  "));
        cell(
            &mut spans,
            &acct.account_id,
            p.hays.account_id_at(ri as usize),
            12,
            base.patch(t.dim()),
        );
        spans.push(Span::raw("  "));
        let role_w =
            width.saturating_sub(name_w + 12 + 5 + if p.multi { session_w + 2 } else { 0 });
        match &row.role {
            Some(r) => cell(&mut spans, r, p.hays.role_at(ri as usize), role_w, base),
            None => spans.push(Span::styled(
                truncate("loading roles…", role_w),
                t.dim().add_modifier(Modifier::ITALIC),
            )),
        }
        if p.multi {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(
                truncate(&p.accounts[row.account].session, session_w),
                t.fg(Color::Cyan),
            ));
        }
        let mut line = Line::from(spans);
        if n == p.selected {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines), area);
}

fn draw_details(f: &mut Frame, p: &Picker, cfg: &ViewConfig<'_>, area: Rect, side: bool) {
    let t = &cfg.theme;
    let block = if side {
        Block::default()
            .borders(Borders::LEFT)
            .border_style(t.dim())
    } else {
        Block::default().borders(Borders::TOP).border_style(t.dim())
    };
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(row) = p.selected_row() else { return };
    let a = p.account_of(row);
    let state = &p.accounts[row.account];
    let roles: Vec<String> = state
        .fresh
        .clone()
        .or_else(|| state.old.clone())
        .unwrap_or_default();
    let picked = row
        .role
        .as_ref()
        .and_then(|r| p.history.find(&p.session, &a.account_id, r));
    let last = match picked {
        Some(h) => format!(
            "picked {} ago, {} time{}",
            human_duration(h.last.secs_until(p.now)),
            h.count,
            if h.count == 1 { "" } else { "s" }
        ),
        None => "never picked".into(),
    };
    let mut lines = vec![
        Line::styled(
            a.account_name.clone(),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Line::styled(format!("{}  {}", a.account_id, a.email_address), t.dim()),
    ];
    if p.multi {
        lines.insert(
            2,
            Line::styled(format!("session {}", state.session), t.fg(Color::Cyan)),
        );
    }
    if row.production {
        lines.insert(1, Line::styled("! production", t.error()));
    }
    if side {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("Roles ({})", roles.len()),
            Style::default().add_modifier(Modifier::UNDERLINED),
        ));
        for r in &roles {
            let st = if Some(r.as_str()) == row.role.as_deref() {
                Style::default().add_modifier(Modifier::BOLD)
            } else {
                Style::default()
            };
            lines.push(Line::styled(format!("  {r}"), st));
        }
        if roles.is_empty() {
            lines.push(Line::styled("  loading…", t.dim()));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(last, t.dim()));
    } else {
        lines.push(Line::styled(
            format!("{} · roles: {}", last, roles.join(", ")),
            t.dim(),
        ));
    }
    match row.mark {
        Mark::New => lines.push(Line::styled(
            "new since the last listing",
            t.fg(Color::Green),
        )),
        Mark::Removed => lines.push(Line::styled("no longer assigned to you", t.fg(Color::Red))),
        Mark::None => {}
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
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
        .map(|m| Span::styled(format!(" {m}"), t.fg(Color::Yellow)))
        .or_else(|| {
            p.status
                .expired
                .as_ref()
                .or(p.status.error.as_ref())
                .map(|e| Span::styled(format!(" {e}"), t.error()))
        });
    if let Some(a) = alert {
        f.render_widget(Paragraph::new(Line::from(a)), area);
        return;
    }
    let mut spans = vec![Span::raw(format!(" session {}", p.session))];
    if let Some(taken) = p.status.snapshot_taken {
        spans.push(Span::styled(
            format!(
                " · snapshot {} old",
                human_duration(taken.secs_until(p.now))
            ),
            t.dim(),
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

mod overlays;
pub use overlays::HELP;
use overlays::{draw_help, draw_menu};

#[cfg(test)]
mod tests;
