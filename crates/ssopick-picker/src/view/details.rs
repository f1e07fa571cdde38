//! The details pane: the highlighted row's account, its roles, its history.

use super::text::wrap_at_separators;
use super::{Mark, Picker, ViewConfig};
use crate::state::Row;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ssopick_core::time::human_duration;
use unicode_width::UnicodeWidthStr;

pub(super) fn draw_details(
    f: &mut Frame,
    p: &Picker,
    cfg: &ViewConfig<'_>,
    area: Rect,
    side: bool,
) {
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
    let state = &p.accounts[row.account];
    let roles: Vec<std::sync::Arc<str>> = state
        .fresh
        .clone()
        .or_else(|| state.old.clone())
        .unwrap_or_default();
    let mut lines = account_lines(p, cfg, row, inner.width as usize);
    lines.extend(role_lines(p, cfg, row, &roles, side));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// The account: name, production, id and e-mail, metadata, chain, session.
fn account_lines(p: &Picker, cfg: &ViewConfig<'_>, row: &Row, width: usize) -> Vec<Line<'static>> {
    let t = &cfg.theme;
    let a = p.account_of(row);
    let mut lines = vec![Line::styled(
        ssopick_core::visible::shown(&a.account_name).into_owned(),
        Style::default().add_modifier(Modifier::BOLD),
    )];
    if row.production {
        lines.push(Line::styled("! production", t.error()));
    }
    // The e-mail breaks after `@` or `.`, never inside a word.
    let id_mail = format!("{}  {}", a.account_id, a.email_address);
    if id_mail.width() <= width {
        lines.push(Line::styled(id_mail, t.dim()));
    } else {
        lines.push(Line::styled(a.account_id.clone(), t.dim()));
        for part in wrap_at_separators(&a.email_address, width) {
            lines.push(Line::styled(part, t.dim()));
        }
    }
    if let Some(m) = &a.meta {
        let alias = m.alias.as_ref().map(|alias| format!("alias {alias}"));
        let tags = (!m.tags.is_empty()).then(|| format!("tags {}", m.tags.join(", ")));
        let region = m.region.as_ref().map(|r| format!("region {r}"));
        for part in [alias, tags, region].into_iter().flatten() {
            lines.push(Line::styled(part, t.fg(Color::Cyan)));
        }
    }
    if let Some(c) = &a.chain {
        lines.push(Line::styled(
            format!("chained role {}", c.marker()),
            t.fg(Color::Cyan),
        ));
        for part in wrap_at_separators(&c.role_arn, width) {
            lines.push(Line::styled(part, t.dim()));
        }
    }
    if let Some(pr) = &a.profile {
        lines.push(Line::styled(
            format!(
                "AWS profile {}: {} credentials{}",
                pr.name,
                pr.kind.word(),
                if pr.mfa_serial.is_some() {
                    " (asks for an MFA code)"
                } else {
                    ""
                }
            ),
            t.fg(Color::Cyan),
        ));
        if let Some(arn) = &pr.role_arn {
            for part in wrap_at_separators(arn, width) {
                lines.push(Line::styled(part, t.dim()));
            }
        }
    }
    if p.multi {
        let session = &p.accounts[row.account].session;
        lines.push(Line::styled(
            format!("session {session}"),
            t.fg(Color::Cyan),
        ));
    }
    lines
}

/// The account's roles (beside the list: one a line), when the row was
/// last picked, and the row's mark.
fn role_lines(
    p: &Picker,
    cfg: &ViewConfig<'_>,
    row: &Row,
    roles: &[std::sync::Arc<str>],
    side: bool,
) -> Vec<Line<'static>> {
    let t = &cfg.theme;
    let a = p.account_of(row);
    let picked = row
        .role
        .as_ref()
        .and_then(|r| p.history.find(&p.session, &a.history_id(), r));
    let last = match picked {
        Some(h) => format!(
            "picked {} ago, {} time{}",
            human_duration(h.last.secs_until(p.now)),
            h.count,
            if h.count == 1 { "" } else { "s" }
        ),
        None => "never picked".into(),
    };
    let mut lines = Vec::new();
    if side {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("Roles ({})", roles.len()),
            Style::default().add_modifier(Modifier::UNDERLINED),
        ));
        for r in roles {
            let st = if Some(&**r) == row.role.as_deref() {
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
    lines
}
