//! Writes the picker's screens (the real view code, on the demo
//! organisation) as SVG into a folder, `screenshots/` by default. The
//! committed files are checked byte for byte by `tests/it/screens.rs`.
//! Usage: screens [OUT_DIR]

#[path = "common/scenes.rs"]
mod scenes;

fn main() {
    let out = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "screenshots".into()),
    );
    std::fs::create_dir_all(&out).expect("output folder");
    for (name, svg) in scenes::scenes() {
        let path = out.join(name);
        std::fs::write(&path, svg).expect("write svg");
        println!("{}", path.display());
    }
}
