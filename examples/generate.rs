//! `cargo run --release --example generate -- DIR N`: writes a synthetic
//! repository of N evidence items, for timing `pack` as a whole.

#[path = "../benches/support/generate.rs"]
mod generate;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(n)) = (args.get(1), args.get(2).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: generate DIR N");
        std::process::exit(2);
    };
    generate::repository(std::path::Path::new(dir), n);
}
