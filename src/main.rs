fn main() {
    std::process::exit(ssopick::cli::main());
}
