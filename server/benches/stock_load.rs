//! Benchmark: not written yet.

fn main() {
    println!("stock_load: not written yet");
}
