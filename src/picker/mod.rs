//! The interactive picker: pure state and keys (`state`, `keys`), drawing
//! (`view`), and the terminal loop that carries out effects (`runtime`).
pub mod keys;
pub mod matching;
pub mod runtime;
pub mod state;
pub mod svg;
pub mod view;

pub use state::{Action, Outcome, Picker};
