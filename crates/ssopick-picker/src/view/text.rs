//! Fitting text into terminal cells: padding and cutting, e-mails broken at
//! `@` and `.`, the hint line.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `s` in exactly `w` terminal cells: padded, or cut with `…` (wide CJK
/// characters count two cells).
pub(super) fn truncate(s: &str, w: usize) -> String {
    let width = s.width();
    if width <= w {
        return format!("{s}{}", " ".repeat(w - width));
    }
    if w == 0 {
        return String::new();
    }
    let mut t = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw > w - 1 {
            break;
        }
        t.push(c);
        used += cw;
    }
    t.push('…');
    t.push_str(&" ".repeat(w - 1 - used));
    t
}

/// `s` fitted into exactly `w` cells, as pieces: each of `s`'s characters
/// with its index (an invisible one shown as `\u{200b}`), then `…` where
/// it is cut and the padding (no index).
pub(super) fn fitted(s: &str, w: usize) -> Vec<(Option<usize>, String)> {
    let pieces: Vec<(Option<usize>, String)> = s
        .chars()
        .enumerate()
        .map(|(k, c)| {
            if ssopick_core::visible::is_invisible(c) {
                (Some(k), ssopick_core::visible::escape(c))
            } else {
                (Some(k), c.to_string())
            }
        })
        .collect();
    let width: usize = pieces.iter().map(|(_, p)| p.width()).sum();
    let mut out = Vec::with_capacity(pieces.len() + 1);
    let mut used = 0;
    if width <= w {
        out.extend(pieces);
        used = width;
    } else if w > 0 {
        for (k, p) in pieces {
            let pw = p.width();
            if used + pw > w - 1 {
                break;
            }
            out.push((k, p));
            used += pw;
        }
        out.push((None, "…".to_string()));
        used += 1;
    }
    if used < w {
        out.push((None, " ".repeat(w - used)));
    }
    out
}

/// `s` in lines of at most `w` cells, broken after `@` and `.` (a piece
/// longer than a line is cut where it must be).
pub(super) fn wrap_at_separators(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut pieces: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        cur.push(c);
        if c == '@' || c == '.' {
            pieces.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        pieces.push(cur);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for piece in pieces {
        if !line.is_empty() && line.width() + piece.width() > w {
            lines.push(std::mem::take(&mut line));
        }
        for c in piece.chars() {
            if line.width() + c.width().unwrap_or(0) > w {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The key hints that fit in `w` cells; help and quit are always kept.
pub(super) fn hint_line(enter_label: &str, w: usize) -> String {
    let enter = format!("Enter {enter_label}");
    let all = [
        enter.as_str(),
        "Tab actions",
        "^Y copy",
        "^R refresh",
        "? help",
        "Esc quit",
    ];
    let mut keep: Vec<&str> = all.to_vec();
    for drop in ["^R refresh", "^Y copy", "Tab actions"] {
        if format!(" {}", keep.join(" · ")).width() <= w {
            break;
        }
        keep.retain(|h| *h != drop);
    }
    format!(" {}", keep.join(" · "))
}
