//! Benchmark: not written yet.

fn main() {
    println!("export_load: not written yet");
}
