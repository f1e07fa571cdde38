//! Ctrl-G: the region for this delivery, from the partition's regions,
//! most recently used first (the first entry keeps the account's own).

use super::{Mode, Outcome, Picker};

/// The list's first entry: no choice (the account's or default region).
pub(super) const DEFAULT_ENTRY: &str = "(the account's own region)";

impl Picker {
    /// The regions Ctrl-G offers (`core::regions::choices`).
    pub fn set_regions(&mut self, regions: Vec<String>) {
        self.choice.regions = regions;
    }

    /// Ctrl-G: opens the region list on the current choice.
    pub fn open_regions(&mut self) -> Outcome {
        if self.choice.regions.is_empty() {
            self.status.message = Some("no regions to choose from".into());
            return Outcome::Redraw;
        }
        let at = self
            .choice
            .region
            .as_ref()
            .and_then(|r| self.choice.regions.iter().position(|x| x == r))
            .map_or(0, |i| i + 1);
        self.mode = Mode::Region(at);
        Outcome::Redraw
    }

    /// The entries the region list shows: the default, then the regions.
    pub fn region_entries(&self) -> impl Iterator<Item = &str> {
        std::iter::once(DEFAULT_ENTRY).chain(self.choice.regions.iter().map(String::as_str))
    }

    /// Moves the region list's highlight by `by` entries.
    pub fn move_region(&mut self, by: isize) -> Outcome {
        if let Mode::Region(i) = self.mode {
            let last = self.choice.regions.len() as isize;
            self.mode = Mode::Region((i as isize + by).clamp(0, last) as usize);
        }
        Outcome::Redraw
    }

    /// Enter in the region list: entry `i` becomes this delivery's region.
    pub fn choose_region(&mut self) -> Outcome {
        if let Mode::Region(i) = self.mode {
            self.choice.region = i
                .checked_sub(1)
                .and_then(|i| self.choice.regions.get(i))
                .cloned();
            self.status.message = Some(match &self.choice.region {
                Some(r) => format!("region {r} for this delivery"),
                None => "the account's own region".into(),
            });
        }
        self.mode = Mode::List;
        Outcome::Redraw
    }
}

#[cfg(test)]
mod tests {
    use crate::keys::handle_key;
    use crate::state::{Mode, Picker};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ssopick_core::history::History;
    use ssopick_core::time::UtcTime;

    #[test]
    fn ctrl_g_chooses_a_region_for_the_delivery() {
        let c = ssopick_core::catalog::Catalog::from_rows(
            "corp",
            [("111111111111", "payments", vec!["Admin"])],
            |n| format!("{n}@example.com"),
        );
        let mut p = Picker::new("corp", Some(&c), History::default(), UtcTime(0), "");
        p.match_now();
        p.set_regions(vec!["eu-west-1".into(), "us-east-1".into()]);
        let key = |p: &mut Picker, k: KeyEvent| {
            handle_key(p, k);
        };
        key(
            &mut p,
            KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL),
        );
        assert_eq!(p.mode, Mode::Region(0));
        key(&mut p, KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
        key(&mut p, KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
        key(&mut p, KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        assert_eq!(p.mode, Mode::List);
        assert_eq!(p.chosen().unwrap().region.as_deref(), Some("us-east-1"));
        // Back to the account's own.
        key(
            &mut p,
            KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL),
        );
        assert_eq!(p.mode, Mode::Region(2), "opens on the current choice");
        key(&mut p, KeyEvent::new(KeyCode::Home, KeyModifiers::NONE));
        key(&mut p, KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        assert_eq!(p.chosen().unwrap().region, None);
        // Esc leaves the choice as it was.
        key(
            &mut p,
            KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL),
        );
        key(&mut p, KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
        key(&mut p, KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        assert_eq!((p.mode, p.choice.region.clone()), (Mode::List, None));
    }
}
