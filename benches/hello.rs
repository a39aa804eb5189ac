//! The floor for `benches/match.sh`: a Rust program that starts, prints a line and exits.
fn main() {
    println!("hello");
}
