//! The reviewer chart on generated series: whatever the data, no two
//! labels meet, no label crosses a drawn line, point or the axis, and
//! every label left out is in the alt text.

use super::*;
use crate::finding::Pos;
use crate::model::{At, BenchPoint, Direction, Point};

/// A small seeded generator (xorshift64*), so every run draws the same charts.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// In [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

pub(crate) fn measure(unit: &str, data: &[(Date, f64)]) -> Measure {
    Measure {
        id: At::new("A1.M1".into(), Pos::START),
        id_ok: true,
        title: "Plans issued within 20 weeks".into(),
        unit: unit.into(),
        direction: Direction::Up,
        source: None,
        baseline: None,
        target: None,
        floor: None,
        data: data
            .iter()
            .map(|(date, value)| Point {
                date: *date,
                value: *value,
                note: None,
                pos: Pos::START,
            })
            .collect(),
        official: None,
        benchmarks: Vec::new(),
        suppressed: Vec::new(),
    }
}

pub(crate) fn bench(kind: BenchKind, name: &str, points: &[(Date, f64)]) -> Benchmark {
    Benchmark {
        kind,
        name: name.into(),
        of: (kind == BenchKind::Neighbours).then_some(10),
        points: points
            .iter()
            .map(|(date, value)| BenchPoint {
                date: *date,
                value: *value,
                count: (kind == BenchKind::Neighbours).then_some(9),
            })
            .collect(),
    }
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// A random series: 1 to 30 points at uneven dates, values random, flat,
/// spiky or trending, at a random magnitude; a target, floor, benchmarks
/// and suppressed periods near the data or not at all.
pub(crate) fn generated(rng: &mut Rng) -> Measure {
    let n = 1 + rng.below(30);
    let scale = [1.0, 10.0, 100.0, 1000.0, 25_000.0][rng.below(5)];
    let base = scale * rng.unit();
    let shape = rng.below(4);
    let mut date = d("2019-01-31").plus_days(rng.below(400) as i64);
    let mut data = Vec::new();
    for i in 0..n {
        let v = match shape {
            0 => scale * rng.unit(),
            1 => base,
            2 if rng.chance(0.2) => base + scale * (rng.unit() - 0.5) * 4.0,
            2 => base,
            _ => base + scale * 0.05 * i as f64,
        };
        data.push((date, (v * 10.0).round() / 10.0));
        date = date.plus_days(
            1 + [30, 91, 182, 365, 730][rng.below(5)] as i64 * (1 + rng.below(2)) as i64
                / (1 + rng.below(2)) as i64,
        );
    }
    let unit = ["%", "", "cases", "weeks", "children waiting"][rng.below(5)];
    let mut m = measure(unit, &data);
    let near = |rng: &mut Rng| data[rng.below(data.len())].1 + scale * 0.05 * (rng.unit() - 0.5);
    if rng.chance(0.7) {
        let value = near(rng);
        m.target = Some(Point {
            date,
            value,
            note: None,
            pos: Pos::START,
        });
    }
    if rng.chance(0.6) {
        m.floor = Some(near(rng));
    }
    for (kind, name) in [
        (BenchKind::England, "England"),
        (BenchKind::Region, "South East"),
        (BenchKind::Neighbours, "Statistical neighbours"),
    ] {
        if rng.chance(0.5) {
            let mut pts: Vec<(Date, f64)> = Vec::new();
            for p in &data {
                if rng.chance(0.8) {
                    pts.push((p.0, p.1 + scale * 0.1 * (rng.unit() - 0.5)));
                }
            }
            m.benchmarks.push(bench(kind, name, &pts));
        }
    }
    if rng.chance(0.3) {
        m.suppressed = data
            .iter()
            .filter(|_| rng.chance(0.2))
            .map(|p| p.0.plus_days(15))
            .collect();
    }
    m
}

/// The labels the chart means to show, each as its alt text names it when
/// it is left out.
fn wanted(m: &Measure, as_of: Date) -> Vec<(String, String)> {
    let pts: Vec<_> = m.data.iter().filter(|p| p.date <= as_of).collect();
    let mut out = Vec::new();
    if let Some(l) = pts.last() {
        let t = with_unit(l.value, &m.unit);
        out.push((t.clone(), format!("latest value {t}")));
    }
    if pts.len() > 1 {
        let t = with_unit(pts[0].value, &m.unit);
        out.push((t.clone(), format!("first value {t}")));
    }
    if let Some(t) = &m.target {
        let t = format!("Target {}", with_unit(t.value, &m.unit));
        out.push((t.clone(), t));
    }
    if let Some(f) = m.floor {
        let t = format!("Floor {}", with_unit(f, &m.unit));
        out.push((t.clone(), t));
    }
    out
}

#[test]
fn labels_never_meet_each_other_a_line_a_point_or_the_axis() {
    let mut rng = Rng::new(20);
    let as_of = d("2040-01-01");
    let (mut placed, mut left_out) = (0, 0);
    for i in 0..400 {
        let m = generated(&mut rng);
        let (scene, alt) = draw(&m, as_of);
        let faults = scene::faults(&scene);
        assert!(faults.is_empty(), "series {i}: {faults:#?}\n{m:#?}");
        for (text, said) in wanted(&m, as_of) {
            // A value's label stays in the plot, above the axis.
            for t in scene
                .texts
                .iter()
                .filter(|t| t.text == text && t.fill != INK)
            {
                assert!(
                    t.rect().y1 < H - BOTTOM,
                    "series {i}: {text:?} under the axis"
                );
            }
            if scene.texts.iter().any(|t| t.text == text) {
                placed += 1;
            } else {
                left_out += 1;
                assert!(
                    alt.contains(&said),
                    "series {i}: {said:?} neither drawn nor in {alt:?}"
                );
            }
        }
        for b in &m.benchmarks {
            let name = if b.kind == BenchKind::Neighbours {
                "Neighbours"
            } else {
                b.name.as_str()
            };
            let drawn = scene.texts.iter().any(|t| t.text.starts_with(name));
            let listed = b.points.is_empty() || alt.contains(&format!("{}: ", b.name));
            assert!(listed, "series {i}: {} not in {alt:?}", b.name);
            if !drawn && !b.points.is_empty() {
                assert!(
                    alt.contains("for room: ") && alt.contains(name),
                    "series {i}: {alt}"
                );
            }
        }
    }
    // The layout places most labels: a test that only ever dropped them
    // would prove nothing.
    assert!(
        placed > left_out * 3,
        "{placed} placed, {left_out} left out"
    );
    // And some crowded charts do leave labels out: that path is tested too.
    assert!(left_out > 0);
}

#[test]
fn points_are_placed_by_date() {
    let m = measure(
        "%",
        &[
            (d("2022-05-31"), 45.0),
            (d("2024-05-31"), 24.0),
            (d("2024-11-30"), 33.5),
        ],
    );
    let (scene, _) = draw(&m, d("2025-01-01"));
    let xs: Vec<f64> = scene
        .shapes
        .iter()
        .filter_map(|s| match s {
            scene::Shape::Circle { cx, .. } => Some(*cx),
            scene::Shape::Line { .. } => None,
        })
        .collect();
    // Two years, then six months: four times as wide.
    let ratio = (xs[1] - xs[0]) / (xs[2] - xs[1]);
    assert!((ratio - 4.0).abs() < 0.05, "{xs:?}");
}

#[test]
fn benchmarks_are_dashed_lines_named_at_their_ends_and_said_in_the_alt_text() {
    let dates = [d("2022-12-31"), d("2023-12-31"), d("2024-12-31")];
    let mut m = measure("%", &[(dates[0], 52.0), (dates[1], 40.1), (dates[2], 60.5)]);
    m.benchmarks = vec![
        bench(
            BenchKind::England,
            "England",
            &[(dates[0], 49.2), (dates[1], 50.3), (dates[2], 46.4)],
        ),
        bench(
            BenchKind::Region,
            "South East",
            &[(dates[1], 44.0), (dates[2], 41.0)],
        ),
        bench(
            BenchKind::Neighbours,
            "Statistical neighbours",
            &[(dates[1], 55.0), (dates[2], 57.0)],
        ),
    ];
    m.suppressed = vec![d("2023-06-30")];
    let (svg, alt) = svg(&m, d("2025-06-01"));
    for dash in ["12 3", "12 3 2 3", "12 3 2 3 2 3"] {
        assert!(
            svg.contains(&format!(r#"stroke-dasharray="{dash}""#)),
            "{dash}: {svg}"
        );
    }
    for label in [">England 46.4%<", ">South East 41%<", ">Neighbours 57%<"] {
        assert!(svg.contains(label), "{label}: {svg}");
    }
    assert!(
        alt.contains("England: 49.2% in 2022, 50.3% in 2023, 46.4% in 2024"),
        "{alt}"
    );
    assert!(
        alt.contains("South East: 44% in 2023, 41% in 2024"),
        "{alt}"
    );
    assert!(alt.contains("57% in 2024 (9 of 10 neighbours)"), "{alt}");
    assert!(
        alt.contains("June 2023 is suppressed in the source"),
        "{alt}"
    );
    assert!(svg.contains(">suppressed</text>"), "{svg}");
    // A benchmark's value widens the range: 80 is on the value axis.
    m.benchmarks[0].points[0].value = 80.0;
    let (svg, _) = super::svg(&m, d("2025-06-01"));
    assert!(svg.contains(">80<"), "{svg}");
}

#[test]
fn extreme_values_never_draw_nan() {
    for (a, b) in [(1e308, -1e308), (1e15, -1e15), (0.0, 1e-300), (5.0, 5.0)] {
        let mut m = measure("", &[(d("2025-01-01"), a)]);
        m.floor = Some(b);
        let (svg, _) = svg(&m, d("2025-06-01"));
        assert!(
            !svg.contains("NaN") && !svg.contains("inf"),
            "{a} {b}: {svg}"
        );
    }
}
