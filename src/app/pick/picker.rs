//! The picker wired to the world: built from the targets' snapshots and the
//! pick history, shown on the terminal, with Ctrl-Y and Ctrl-R carried out
//! as effects off the UI path, Ctrl-L logging in and reopening the picker
//! on the same query and row, and the pick recorded in the history.

use crate::app::error::Error;
use crate::app::login;
pub(crate) use crate::app::pick::effects::role_arn;
use crate::app::pick::effects::{AppEffects, can_list, problem_line, start_listing};
use crate::app::session::target::Target;
use crate::app::setup::Setup;
use crate::core::catalog::Catalog;
use crate::core::config_rows;
use crate::core::delivery::Action;
use crate::core::env_vars as var;
use crate::core::export::Chosen;
use crate::core::snapshot_stream::{Head, Loaded};
use crate::edge::{history_file, terminal};
use crate::picker::Picker;
use crate::picker::run::{PickerExit, PickerInput};
use crate::picker::view::{Theme, ViewConfig};
use tokio::sync::mpsc;

/// True when there is a terminal to run the picker on.
pub(crate) fn available() -> bool {
    terminal::available()
}

/// The picker, what the first session's snapshot says of itself, and, for
/// one session whose snapshot has not been read yet, that snapshot being
/// read in chunks: the picker opens before a large one is read whole.
struct Built {
    picker: Picker,
    head: Option<Head>,
    stream: Option<mpsc::UnboundedReceiver<Loaded>>,
}

fn build(setup: &Setup, targets: &[&Target<'_>], query: &str) -> Built {
    let first = targets[0];
    let history = history_file::load(&history_file::path(&setup.paths.state));
    let stream = if targets.len() == 1 {
        first.catalog.stream()
    } else {
        None
    };
    // No SSO session: its empty catalog is no snapshot to speak of.
    let snapshot = if stream.is_some() || !first.has_session() {
        None
    } else {
        first.catalog.snapshot_ref()
    };
    let mut p = Picker::new(
        first.id(),
        snapshot.as_deref(),
        history,
        setup.clock.now(),
        query,
    );
    let (head, stream) = match stream {
        Some((head, rx)) => {
            p.stream_snapshot(&head);
            (Some(head), Some(rx))
        }
        None => (snapshot.as_deref().map(Head::of), None),
    };
    p.set_settings(setup.row_settings().clone());
    let regions = crate::core::regions::choices(&first.session.region, &p.history.regions);
    p.set_regions(regions);
    if targets.len() > 1 {
        // A session column even before any snapshot or listing arrives.
        p.set_multi();
        for t in targets {
            if t.id() != first.id()
                && let Some(snap) = t.catalog.snapshot_ref()
            {
                p.add_session(t.id(), &snap);
            }
            if let Some(problem) = problem_line(t) {
                p.expired_sessions.insert(t.id().to_string(), problem);
            }
        }
    } else {
        p.status.expired = problem_line(first);
    }
    p.status.title = first.no_session_title().map(String::from);
    let chains = &setup.settings.chains;
    // No SSO session: no chain can start (each starts from a portal role).
    if !chains.is_empty() && first.has_session() {
        // One session owns every chain whatever its catalog holds, so a
        // streamed snapshot is not needed here.
        let snaps: Vec<Option<std::sync::Arc<Catalog>>> = targets
            .iter()
            .map(|t| {
                (targets.len() > 1)
                    .then(|| t.catalog.snapshot_ref())
                    .flatten()
            })
            .collect();
        let sessions: Vec<(&str, Option<&Catalog>)> = targets
            .iter()
            .zip(&snaps)
            .map(|(t, s)| (t.id(), s.as_deref()))
            .collect();
        p.add_chains(chains.iter().filter_map(|c| {
            let i = config_rows::owner(c, &sessions)?;
            Some((sessions[i].0.to_string(), config_rows::row(c)))
        }));
    }
    // The AWS files' other profiles, under the first session.
    let profiles = &setup.row_settings().profiles;
    if !profiles.is_empty() {
        let first = first.id().to_string();
        p.add_chains(
            profiles
                .iter()
                .map(|r| (first.clone(), config_rows::profile_row(r))),
        );
    }
    Built {
        picker: p,
        head,
        stream,
    }
}

/// What the user chose in the picker.
pub(crate) struct Picked {
    pub chosen: Chosen,
    pub action: Action,
    /// Rows marked with Ctrl-T (for an action that takes several): the
    /// action is for each, in the order marked.
    pub marked: Vec<Chosen>,
}

/// Opens the picker over one or several targets with the command's QUERY
/// typed in; returns what was chosen, or `None` when the user cancelled.
/// `settle`: when the opening listing ends before the user acts, the
/// command's selection rule may go straight in. `multi`: the command's own
/// Enter acts on every marked row.
pub(crate) async fn pick(
    targets: &[&Target<'_>],
    words: &[String],
    enter_label: &str,
    settle: bool,
    multi: bool,
) -> Result<Option<Picked>, Error> {
    let Some(&first) = targets.first() else {
        return Err(Error::Usage("no SSO session to pick from".into()));
    };
    let setup = first.setup;
    let mut query = words.join(" ");
    let mut selected: Option<Chosen> = None;
    loop {
        let Built {
            mut picker,
            head,
            stream,
        } = build(setup, targets, &query);
        picker.choice.multi_enter = multi;
        if let Some(c) = &selected {
            picker.preselect(c);
        }
        let input = picker_input(targets, words, picker, (head, stream), enter_label, settle);
        let exit = run_on_terminal(setup, input).await?;
        match exit {
            PickerExit::Chosen {
                chosen,
                action,
                marked,
            } => {
                remember(setup, &chosen, &marked);
                return Ok(Some(Picked {
                    chosen,
                    action,
                    marked,
                }));
            }
            PickerExit::Cancelled => return Ok(None),
            PickerExit::Signal(n) => return Err(Error::Signal(n)),
            PickerExit::Login {
                query: q,
                selected: s,
            } => {
                login::login(
                    &first.tokens,
                    &setup.env,
                    &crate::core::sso::flow::LoginOptions::from_settings(&setup.settings.login),
                    &first.oidc_start_url().await?,
                )
                .await?;
                query = q;
                selected = s;
            }
        }
    }
}

/// The picker's input: its listings in turn (every session whose snapshot
/// is missing or stale), straight in for a query that may name an account
/// exactly (one session only), the view and the effects.
fn picker_input<'t, 's>(
    targets: &'t [&'t Target<'s>],
    words: &'t [String],
    picker: Picker,
    (head, stream): (Option<Head>, Option<mpsc::UnboundedReceiver<Loaded>>),
    enter_label: &'t str,
    settle: bool,
) -> PickerInput<'t, AppEffects<'t, 's>> {
    let first = targets[0];
    let setup = first.setup;
    let single = targets.len() == 1;
    let mut queue: std::collections::VecDeque<&Target<'_>> = targets
        .iter()
        .copied()
        .filter(|t| {
            can_list(t)
                && if t.id() == first.id() {
                    t.catalog.picker_should_list(head.as_ref())
                } else {
                    t.catalog.picker_should_list(t.catalog.head().as_ref())
                }
        })
        .collect();
    let straight = (settle && single)
        .then(|| crate::app::listing::straight::Straight::new(setup, words))
        .flatten();
    let listing = queue.pop_front().map(|t| start_listing(t, straight));
    let listing_now = listing.is_some();
    let view = ViewConfig {
        enter_label,
        theme: Theme {
            color: setup.settings.color(
                setup.env.get(var::NO_COLOR).is_some(),
                setup.env.get(var::TERM).as_deref(),
            ),
        },
    };
    PickerInput {
        picker,
        view,
        listing,
        snapshot: stream,
        effects: AppEffects {
            targets,
            query: words,
            queue: std::cell::RefCell::new(queue),
        },
        clock: setup.clock.as_ref(),
        no_login: if let Some(line) = first.no_session_line() {
            Some(line.to_string())
        } else if !single {
            Some("log in per session: ssopick login --session NAME".into())
        } else if setup.is_demo() {
            Some("the demo needs no login".into())
        } else {
            None
        },
        settle: settle && listing_now,
    }
}

/// The picks (and the region) recorded in the history.
fn remember(setup: &Setup, chosen: &Chosen, marked: &[Chosen]) {
    let path = history_file::path(&setup.paths.state);
    let mut h = history_file::load(&path);
    for c in marked.iter().chain(marked.is_empty().then_some(chosen)) {
        h.record(
            &c.session,
            &c.account.history_id(),
            &c.role,
            setup.clock.now(),
        );
    }
    if let Some(r) = &chosen.region {
        crate::core::regions::used(&mut h.regions, r);
    }
    let _ = history_file::save(&h, &path);
}

/// The picker on the real terminal, restored whatever happens.
async fn run_on_terminal<'t, 's: 't>(
    setup: &Setup,
    input: PickerInput<'t, AppEffects<'t, 's>>,
) -> Result<PickerExit, Error> {
    let signal = terminal::signals()?;
    let (mut term, guard) = terminal::open()?;
    let mut events = terminal::events();
    // Benchmarks ask where to note how long the first frame with rows (or
    // with all there is to show) took.
    let mut first_frame = setup.env.get(var::SSOPICK_FIRST_FRAME_FILE);
    #[cfg(debug_assertions)]
    let test_panic = setup.env.get(var::SSOPICK_TEST_PANIC).as_deref() == Some("after-first-frame");
    let on_frame = |_: &_, p: &crate::picker::Picker| {
        let shown = !p.found.matches.is_empty() || p.status.loading.is_none();
        if let (true, Some(t0)) = (shown, crate::app::STARTED.get())
            && let Some(path) = first_frame.take()
        {
            let ms = t0.elapsed().as_secs_f64() * 1000.0;
            let _ = crate::edge::fs::write_note(std::path::Path::new(&path), &format!("{ms:.2}\n"));
        }
        // Debug builds only: tests prove the panic path restores the terminal.
        #[cfg(debug_assertions)]
        assert!(!test_panic, "test panic requested by SSOPICK_TEST_PANIC");
    };
    let exit = crate::picker::run::run(input, &mut term, &mut events, signal, on_frame).await;
    drop(term);
    drop(guard);
    Ok(exit?)
}
