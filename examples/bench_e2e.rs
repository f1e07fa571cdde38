//! The picker as a user sees it, against fzf fed the same lines, in the
//! same run, interleaved: each program runs in its own pseudo-terminal
//! (120x40), its output is parsed by a terminal emulator (vt100), and the
//! clock reads when the screen shows what the user waits for.
//!
//!   cargo build --release --bin ssopick --example bench_e2e && ./target/release/examples/bench_e2e [RUNS]
//!
//! - first frame: from spawn to a screen showing at least 10 entry rows;
//! - all rows: from spawn to a screen whose counter says every entry is in
//!   (`N/N`): both programs draw before they have read everything;
//! - keystroke: from writing one key of `prodadm` to the last screen change
//!   it causes (the screen then stays still for 300 ms);
//! - pasted word: `prodadm` written at once, measured the same way;
//! - peak memory: VmHWM after the pasted word.
//!
//! fzf reads the lines `ssopick list --offline` prints, from a file (so its
//! figure is fzf alone). Needs fzf on PATH (Debian's package).

// A benchmark harness: ptys and poll need libc.
#![allow(unsafe_code)]

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{bench_snapshot, in_bench_home, ssopick_exe};

const ROWS: u16 = 40;
const COLS: u16 = 120;
const QUERY: &str = "prodadm";
const QUIET: Duration = Duration::from_millis(300);

struct Term {
    master: std::fs::File,
    child: std::process::Child,
    screen: vt100::Parser,
}

/// Starts `cmd` with a new pseudo-terminal as its controlling terminal
/// (and stdout/stderr); stdin is `stdin` when given, else the terminal.
fn spawn(cmd: &mut Command, stdin: Option<std::fs::File>) -> Term {
    let (mut master, mut slave) = (0, 0);
    let ws = libc::winsize {
        ws_row: ROWS,
        ws_col: COLS,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two fds; the other pointers may be null.
    let rc = unsafe {
        libc::openpty(
            &raw mut master,
            &raw mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &raw const ws,
        )
    };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: fresh fds from openpty, owned here.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let out = || Stdio::from(slave.try_clone().expect("dup"));
    cmd.stdout(out()).stderr(out());
    match stdin {
        Some(f) => cmd.stdin(f),
        None => cmd.stdin(out()),
    };
    let slave_fd = slave.as_raw_fd();
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::setsid();
            libc::ioctl(slave_fd, libc::TIOCSCTTY, 0);
            Ok(())
        });
    }
    let child = cmd.spawn().expect("spawn");
    drop(slave);
    Term {
        master: std::fs::File::from(master),
        child,
        screen: vt100::Parser::new(
            std::num::NonZeroU16::new(ROWS).expect("rows"),
            std::num::NonZeroU16::new(COLS).expect("cols"),
            0,
        ),
    }
}

impl Term {
    /// Reads what arrives within `wait`; true when anything did.
    fn pump(&mut self, wait: Duration) -> bool {
        let mut fds = libc::pollfd {
            fd: self.master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = i32::try_from(wait.as_millis()).unwrap_or(i32::MAX);
        // SAFETY: one valid pollfd.
        if unsafe { libc::poll(&raw mut fds, 1, ms) } <= 0 {
            return false;
        }
        let mut buf = [0u8; 16384];
        match self.master.read(&mut buf) {
            Ok(n) if n > 0 => {
                self.screen.process(&buf[..n]);
                true
            }
            _ => false,
        }
    }

    /// Time from `start` until `pred` holds for the screen.
    fn until(
        &mut self,
        start: Instant,
        limit: Duration,
        pred: impl Fn(&vt100::Screen) -> bool,
    ) -> Option<Duration> {
        while start.elapsed() < limit {
            if pred(self.screen.screen()) {
                return Some(start.elapsed());
            }
            self.pump(Duration::from_millis(50));
        }
        None
    }

    /// Time from `start` to the last screen change before `QUIET` of stillness.
    fn settle(&mut self, start: Instant) -> Duration {
        let mut last = self.screen.screen().contents();
        let mut changed = Duration::ZERO;
        let mut still_since = Instant::now();
        while still_since.elapsed() < QUIET && start.elapsed() < Duration::from_secs(10) {
            if self.pump(Duration::from_millis(20)) {
                let now = self.screen.screen().contents();
                if now != last {
                    changed = start.elapsed();
                    last = now;
                    still_since = Instant::now();
                }
            }
        }
        changed
    }

    fn send(&mut self, bytes: &[u8]) {
        self.master.write_all(bytes).expect("write to the pty");
    }

    fn peak_kb(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            })
            .unwrap_or(0)
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A row that shows an entry: it holds a 12-digit account id.
fn entry_rows(s: &vt100::Screen) -> usize {
    s.contents()
        .lines()
        .filter(|l| {
            l.as_bytes()
                .windows(12)
                .any(|w| w.iter().all(u8::is_ascii_digit))
        })
        .count()
}

#[derive(Default)]
struct Figures {
    first: Vec<f64>,
    all: Vec<f64>,
    keys: Vec<f64>,
    paste: Vec<f64>,
    peak_mb: Vec<f64>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One run of one program: first frame, each key of QUERY, then the pasted word.
fn run_once(mut make: impl FnMut() -> Term, total: usize, f: &mut Figures) {
    let start = Instant::now();
    let mut t = make();
    let Some(first) = t.until(start, Duration::from_secs(30), |s| entry_rows(s) >= 10) else {
        eprintln!("no first frame: {}", t.screen.screen().contents());
        return;
    };
    f.first.push(ms(first));
    let counter = format!("{total}/{total}");
    let Some(all) = t.until(start, Duration::from_secs(30), |s| {
        s.contents().contains(&counter)
    }) else {
        eprintln!("never all rows: {}", t.screen.screen().contents());
        return;
    };
    f.all.push(ms(all));
    t.settle(Instant::now());
    for c in QUERY.bytes() {
        let at = Instant::now();
        t.send(&[c]);
        f.keys.push(ms(t.settle(at)));
    }
    // Clear the query (Ctrl-U), then paste the word in one write.
    t.send(&[0x15]);
    t.settle(Instant::now());
    let at = Instant::now();
    t.send(QUERY.as_bytes());
    f.paste.push(ms(t.settle(at)));
    f.peak_mb.push(t.peak_kb() as f64 / 1024.0);
}

fn stats(v: &[f64]) -> String {
    if v.is_empty() {
        return "-".into();
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    format!(
        "{:.1} (p90 {:.1})",
        s[s.len() / 2],
        s[(s.len() * 9 / 10).min(s.len() - 1)]
    )
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s.get(s.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let Some(exe) = ssopick_exe() else {
        println!("build the ssopick binary first (cargo build --release --bin ssopick)");
        return;
    };
    let fzf = Command::new("fzf")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !fzf {
        println!("fzf is not installed: ssopick's figures only");
    }
    println!(
        "end to end, {COLS}x{ROWS} pseudo-terminal, {runs} runs each, interleaved; milliseconds (median, p90), MB"
    );
    println!(
        "| entries | program | first frame | all rows | keystroke | pasted word | peak memory | ratio to fzf (first, all, key, paste, memory) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for accounts in [2_500, 25_000] {
        let (home, cache, cat) = bench_snapshot(accounts, 7);
        let lines = home.path().join("lines.txt");
        let out = in_bench_home(&exe, home.path(), &cache)
            .args(["list", "--offline"])
            .output()
            .expect("list");
        std::fs::write(&lines, &out.stdout).expect("lines");
        let (mut ours, mut theirs) = (Figures::default(), Figures::default());
        let n = cat.role_count();
        for _ in 0..runs {
            run_once(
                || {
                    let mut c = in_bench_home(&exe, home.path(), &cache);
                    c.args(["--offline", "export"])
                        .env("TERM", "xterm-256color")
                        .env_remove("TMUX");
                    spawn(&mut c, None)
                },
                n,
                &mut ours,
            );
            if fzf {
                run_once(
                    || {
                        let mut c = Command::new("fzf");
                        c.env("TERM", "xterm-256color")
                            .env_remove("FZF_DEFAULT_OPTS")
                            .env_remove("TMUX");
                        spawn(&mut c, Some(std::fs::File::open(&lines).expect("lines")))
                    },
                    n,
                    &mut theirs,
                );
            }
        }
        let ratio = |a: &[f64], b: &[f64]| format!("{:.2}", median(a) / median(b));
        println!(
            "| {n} | ssopick | {} | {} | {} | {} | {:.1} | {} |",
            stats(&ours.first),
            stats(&ours.all),
            stats(&ours.keys),
            stats(&ours.paste),
            median(&ours.peak_mb),
            if fzf {
                format!(
                    "{}, {}, {}, {}, {}",
                    ratio(&ours.first, &theirs.first),
                    ratio(&ours.all, &theirs.all),
                    ratio(&ours.keys, &theirs.keys),
                    ratio(&ours.paste, &theirs.paste),
                    ratio(&ours.peak_mb, &theirs.peak_mb)
                )
            } else {
                "-".into()
            }
        );
        if fzf {
            let met = |a: &[f64], b: &[f64]| {
                if median(a) <= median(b) {
                    "met"
                } else {
                    "NOT met"
                }
            };
            eprintln!(
                "  {n} entries, targets (at most fzf's, same run): first frame {} (and < 50 ms: {}), keystroke {}, pasted word {}, peak memory {}; every entry in: no target",
                met(&ours.first, &theirs.first),
                if median(&ours.first) < 50.0 {
                    "met"
                } else {
                    "NOT met"
                },
                met(&ours.keys, &theirs.keys),
                met(&ours.paste, &theirs.paste),
                met(&ours.peak_mb, &theirs.peak_mb)
            );
            println!(
                "| {n} | fzf | {} | {} | {} | {} | {:.1} | 1 |",
                stats(&theirs.first),
                stats(&theirs.all),
                stats(&theirs.keys),
                stats(&theirs.paste),
                median(&theirs.peak_mb)
            );
        }
    }
}
