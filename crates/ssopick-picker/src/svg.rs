//! A ratatui buffer as an SVG picture (for README screenshots made from the
//! real renderer). Monospace cells; runs of equal style become one `<text>`.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 18.0;
const BG: &str = "#1e1f29";
const FG: &str = "#d8dae3";

fn hex(c: Color, fallback: &'static str) -> String {
    match c {
        Color::Reset => fallback.into(),
        Color::Black => "#1e1f29".into(),
        Color::Red => "#ff6e6e".into(),
        Color::Green => "#69db7c".into(),
        Color::Yellow => "#ffd166".into(),
        Color::Blue => "#6ea8ff".into(),
        Color::Magenta => "#d291ff".into(),
        Color::Cyan => "#66d9ef".into(),
        Color::Gray => "#a0a4b8".into(),
        Color::DarkGray => "#5c6073".into(),
        Color::LightRed => "#ff9b9b".into(),
        Color::LightGreen => "#9be9a8".into(),
        Color::LightYellow => "#ffe29a".into(),
        Color::LightBlue => "#9cc3ff".into(),
        Color::LightMagenta => "#e2b6ff".into(),
        Color::LightCyan => "#9eeaf9".into(),
        Color::White => "#ffffff".into(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        // The xterm 256-colour palette: greys from 232, a 6x6x6 cube from 16.
        Color::Indexed(i @ 232..=255) => {
            let v = 8 + (i - 232) * 10;
            format!("#{v:02x}{v:02x}{v:02x}")
        }
        Color::Indexed(i @ 16..=231) => {
            let c = |n: u8| if n == 0 { 0 } else { 55 + n * 40 };
            let n = i - 16;
            format!("#{:02x}{:02x}{:02x}", c(n / 36), c(n / 6 % 6), c(n % 6))
        }
        Color::Indexed(_) => fallback.into(),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Row `y`'s background runs, as rectangles.
fn backgrounds(s: &mut String, buf: &Buffer, y: u16) {
    let w = buf.area.width;
    let bg_of = |c: &ratatui::buffer::Cell| {
        if c.modifier.contains(Modifier::REVERSED) {
            c.fg
        } else {
            c.bg
        }
    };
    let mut x = 0;
    while x < w {
        let cell = &buf[(x, y)];
        let reversed = cell.modifier.contains(Modifier::REVERSED);
        let bg = bg_of(cell);
        let start = x;
        while x < w && bg_of(&buf[(x, y)]) == bg {
            x += 1;
        }
        if bg != Color::Reset || reversed {
            s.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{CELL_H}\" fill=\"{}\"/>\n",
                start as f32 * CELL_W,
                y as f32 * CELL_H,
                (x - start) as f32 * CELL_W,
                hex(bg, FG)
            ));
        }
    }
}

/// Row `y`'s runs of text in one style, as `<text>` elements.
fn text_runs(s: &mut String, buf: &Buffer, y: u16) {
    let w = buf.area.width;
    let mut x = 0;
    while x < w {
        let cell = &buf[(x, y)];
        let key = (cell.fg, cell.bg, cell.modifier);
        let start = x;
        let mut text = String::new();
        while x < w && (buf[(x, y)].fg, buf[(x, y)].bg, buf[(x, y)].modifier) == key {
            text.push_str(buf[(x, y)].symbol());
            x += 1;
        }
        if text.trim().is_empty() {
            continue;
        }
        let m = key.2;
        let fg = if m.contains(Modifier::REVERSED) {
            hex(key.1, BG)
        } else {
            hex(key.0, FG)
        };
        let mut attrs = format!("fill=\"{fg}\"");
        if m.contains(Modifier::BOLD) {
            attrs.push_str(" font-weight=\"bold\"");
        }
        if m.contains(Modifier::ITALIC) {
            attrs.push_str(" font-style=\"italic\"");
        }
        if m.contains(Modifier::DIM) {
            attrs.push_str(" opacity=\"0.6\"");
        }
        let deco = match (
            m.contains(Modifier::UNDERLINED),
            m.contains(Modifier::CROSSED_OUT),
        ) {
            (true, _) => " text-decoration=\"underline\"",
            (_, true) => " text-decoration=\"line-through\"",
            _ => "",
        };
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\" {attrs}{deco}>{}</text>\n",
            start as f32 * CELL_W,
            y as f32 * CELL_H + 13.5,
            (x - start) as f32 * CELL_W,
            escape(&text)
        ));
    }
}

pub fn buffer_to_svg(buf: &Buffer, title: &str) -> String {
    let (w, h) = (buf.area.width, buf.area.height);
    let (pw, ph) = (w as f32 * CELL_W + 24.0, h as f32 * CELL_H + 48.0);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{pw}\" height=\"{ph}\" viewBox=\"0 0 {pw} {ph}\">\n\
         <rect width=\"100%\" height=\"100%\" rx=\"8\" fill=\"{BG}\"/>\n\
         <circle cx=\"18\" cy=\"16\" r=\"6\" fill=\"#ff5f57\"/><circle cx=\"38\" cy=\"16\" r=\"6\" fill=\"#febc2e\"/><circle cx=\"58\" cy=\"16\" r=\"6\" fill=\"#28c840\"/>\n\
         <text x=\"{}\" y=\"21\" fill=\"#8b8fa3\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"13\" text-anchor=\"middle\">{}</text>\n\
         <g transform=\"translate(12,36)\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"14\" xml:space=\"preserve\">\n",
        pw / 2.0,
        escape(title)
    );
    for y in 0..h {
        backgrounds(&mut s, buf, y);
        text_runs(&mut s, buf, y);
    }
    s.push_str("</g>\n</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn cells_become_svg() {
        let mut b = Buffer::empty(Rect::new(0, 0, 10, 2));
        b.set_string(
            0,
            0,
            "a<b",
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
        );
        b.set_string(0, 1, "sel", Style::default().bg(Color::DarkGray));
        let svg = buffer_to_svg(&b, "t & t");
        assert!(svg.starts_with("<svg"));
        assert!(
            svg.contains(">a&lt;b</text>")
                && svg.contains("#ffd166")
                && svg.contains("font-weight=\"bold\"")
        );
        assert!(svg.contains("fill=\"#5c6073\""), "background run");
        assert!(svg.contains("t &amp; t"));
    }
}
