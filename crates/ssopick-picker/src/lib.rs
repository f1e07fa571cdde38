//! The interactive picker, a leaf over the core: pure state and keys
//! (`state`, `keys`), matching off the UI thread (`matching`), drawing
//! (`view`, `svg` for screenshots), and the event loop (`run`), generic over
//! the terminal backend, that hands effects back to its caller.
pub mod keys;
pub mod matching;
pub mod run;
pub mod state;
pub mod svg;
pub mod view;

pub use state::{Action, Outcome, Picker};
