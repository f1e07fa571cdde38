//! Edits of the user's AWS config and credentials files that change only
//! the section asked for: every other byte (comments, blank lines, CRLF,
//! odd spacing, order, unknown keys, sub-sections) stays as it was. Pure.

use crate::profile::MARKER;
use crate::sso::config::header_of;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `~/.aws/config`: `[default]` and `[profile default]` are one profile.
    Config,
    /// `~/.aws/credentials`: bare `[NAME]`.
    Credentials,
}

#[derive(Debug, PartialEq, Eq)]
pub enum MergeError {
    /// The section exists and ssopick did not write it.
    NotOurs(String),
    /// The section appears more than once (the SDKs merge duplicates).
    Duplicate(String),
}

impl std::fmt::Display for MergeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MergeError::NotOurs(s) => write!(
                f,
                "[{s}] exists and was not written by ssopick; pass --force to replace it, or choose another --name"
            ),
            MergeError::Duplicate(s) => write!(
                f,
                "[{s}] appears more than once in the file; merge the copies by hand, or pass --force to replace them all"
            ),
        }
    }
}

/// One section: bytes `start..end` run from its header line to the end of
/// its last key line; comments and blank lines after that are left outside,
/// since they usually belong to what follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub key: String,
    pub start: usize,
    pub end: usize,
}

/// `profile x` / `default` -> `profile x` (config); `x` (credentials).
pub fn section_key(header: &str, kind: FileKind) -> String {
    let words: Vec<&str> = header.split_whitespace().collect();
    match (kind, words.as_slice()) {
        (FileKind::Config, ["default"]) => "profile default".into(),
        (FileKind::Config, [k, rest @ ..]) if !rest.is_empty() => format!("{k} {}", rest.join(" ")),
        _ => words.join(" "),
    }
}

/// The line ending the file already uses (`\n` for a new file).
pub fn newline_of(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = 0;
    text.split_inclusive('\n').map(move |l| {
        let at = pos;
        pos += l.len();
        (at, l)
    })
}

pub fn sections(text: &str, kind: FileKind) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for (at, line) in lines_with_offsets(text) {
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some(h) = header_of(content) {
            out.push(Span {
                key: section_key(h, kind),
                start: at,
                end: at + line.len(),
            });
            continue;
        }
        let t = content.trim();
        let is_content = !t.is_empty() && !t.starts_with('#') && !t.starts_with(';');
        if let Some(last) = out.last_mut()
            && is_content
        {
            last.end = at + line.len();
        }
    }
    out
}

fn with_newlines(s: &str, nl: &str) -> String {
    if nl == "\n" {
        s.to_string()
    } else {
        s.replace('\n', nl)
    }
}

/// Text with `addition` appended after a blank line, in the file's line ends.
fn append(text: &str, addition: &str) -> String {
    let nl = newline_of(text);
    let mut out = text.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(nl);
    }
    if !out.is_empty() && !out.ends_with(&format!("{nl}{nl}")) {
        out.push_str(nl);
    }
    out.push_str(&with_newlines(addition, nl));
    out
}

/// Replaces section `key` with `section` (text with `\n` ends), or appends
/// it. Refuses a section ssopick did not write, or one that appears twice,
/// unless `force` (which replaces the first copy and removes the others).
pub fn upsert(
    text: &str,
    kind: FileKind,
    key: &str,
    section: &str,
    force: bool,
) -> Result<String, MergeError> {
    let found: Vec<Span> = sections(text, kind)
        .into_iter()
        .filter(|s| s.key == key)
        .collect();
    let Some(first) = found.first() else {
        return Ok(append(text, section));
    };
    if !force {
        if found.len() > 1 {
            return Err(MergeError::Duplicate(key.into()));
        }
        if !text[first.start..first.end].contains(MARKER) && !inside_block(text, first.start) {
            return Err(MergeError::NotOurs(key.into()));
        }
    }
    let nl = newline_of(text);
    let mut out = String::with_capacity(text.len() + section.len());
    let mut pos = 0;
    for (i, s) in found.iter().enumerate() {
        out.push_str(&text[pos..s.start]);
        if i == 0 {
            let mut new = with_newlines(section, nl);
            // Keep "no newline at end of file" when the section was last.
            if s.end == text.len() && !text.ends_with('\n') {
                new.truncate(new.trim_end_matches(['\n', '\r']).len());
            }
            out.push_str(&new);
        }
        pos = s.end;
    }
    out.push_str(&text[pos..]);
    Ok(out)
}

pub fn block_begin(session: &str) -> String {
    format!(
        "# BEGIN ssopick profiles for session {session} (this block is rewritten by `ssopick profile --all --write`)"
    )
}

pub fn block_end(session: &str) -> String {
    format!("# END ssopick profiles for session {session}")
}

/// Byte range of the managed block of `session`, marker lines included.
pub fn block_range(text: &str, session: &str) -> Option<(usize, usize)> {
    let (begin, end) = (block_begin(session), block_end(session));
    let mut start = None;
    for (at, line) in lines_with_offsets(text) {
        let l = line.trim_end_matches(['\n', '\r']);
        if l == begin {
            start = Some(at);
        } else if l == end
            && let Some(s) = start
        {
            return Some((s, at + line.len()));
        }
    }
    None
}

pub fn inside_block(text: &str, at: usize) -> bool {
    let before = &text[..at];
    match (
        before.rfind("# BEGIN ssopick profiles for session"),
        before.rfind("# END ssopick profiles for session"),
    ) {
        (Some(b), Some(e)) => b > e,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Puts `inner` (sections, `\n` ends) between the block markers, replacing
/// the old block exactly, or appending a new one.
pub fn replace_block(text: &str, session: &str, inner: &str) -> String {
    let block = format!(
        "{}\n{}{}\n",
        block_begin(session),
        inner,
        block_end(session)
    );
    match block_range(text, session) {
        Some((s, e)) => {
            let nl = newline_of(text);
            let mut new = with_newlines(&block, nl);
            if e == text.len() && !text.ends_with('\n') {
                new.truncate(new.trim_end_matches(['\n', '\r']).len());
            }
            format!("{}{}{}", &text[..s], new, &text[e..])
        }
        None => append(text, &block),
    }
}

/// Removes a section (used with --force for a profile outside the block).
pub fn remove(text: &str, kind: FileKind, key: &str) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for s in sections(text, kind).into_iter().filter(|s| s.key == key) {
        out.push_str(&text[pos..s.start]);
        pos = s.end;
    }
    out.push_str(&text[pos..]);
    out
}

pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(path, &format!("{path} (new)"))
        .to_string()
}

#[cfg(test)]
mod tests;
