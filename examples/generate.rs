//! `cargo run --release --example generate -- DIR N [MONTHS]`: writes a
//! synthetic repository of N evidence items dated over MONTHS months (24 by
//! default; 5 or fewer makes every item current), for timing `pack` as a whole.

#[path = "../benches/support/generate.rs"]
mod generate;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(n)) = (args.get(1), args.get(2).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: generate DIR N");
        std::process::exit(2);
    };
    let months = args.get(3).and_then(|m| m.parse().ok()).unwrap_or(24);
    generate::repository_over(std::path::Path::new(dir), n, months);
}
