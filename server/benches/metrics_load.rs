//! Benchmark: not written yet.

fn main() {
    println!("metrics_load: not written yet");
}
