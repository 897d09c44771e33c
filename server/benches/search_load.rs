//! Benchmark: not written yet.

fn main() {
    println!("search_load: not written yet");
}
