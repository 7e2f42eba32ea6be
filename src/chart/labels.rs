//! The label layout: every label of a chart (point values, the target's and
//! floor's names, benchmark end labels, axis labels) is a box computed from
//! its text, with candidate places in order of preference. Labels are placed
//! one by one, most important first, each at its first candidate whose box
//! stays inside the picture and meets no placed box, no drawn segment (data,
//! target, floor, benchmark, axis, gridline) and no drawn point. A label with
//! no such place is left out of the picture; the caller says it in the alt
//! text. Greedy and in a fixed order, so the same chart always comes out the
//! same.

use super::metrics;

/// An axis-aligned box: x grows right, y grows down (SVG).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    /// Whether the two boxes share any area, or come within `gap` of each other.
    pub fn near(&self, o: &Rect, gap: f64) -> bool {
        self.x0 < o.x1 + gap && o.x0 < self.x1 + gap && self.y0 < o.y1 + gap && o.y0 < self.y1 + gap
    }

    pub fn within(&self, o: &Rect) -> bool {
        self.x0 >= o.x0 && self.y0 >= o.y0 && self.x1 <= o.x1 && self.y1 <= o.y1
    }

    /// Whether any part of the segment lies in the box (edges included):
    /// Liang-Barsky clipping of the segment to the box.
    pub fn crosses(&self, s: &Seg) -> bool {
        let (dx, dy) = (s.b.0 - s.a.0, s.b.1 - s.a.1);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        for (p, q) in [
            (-dx, s.a.0 - self.x0),
            (dx, self.x1 - s.a.0),
            (-dy, s.a.1 - self.y0),
            (dy, self.y1 - s.a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }

    pub fn grow(&self, by: f64) -> Rect {
        Rect {
            x0: self.x0 - by,
            y0: self.y0 - by,
            x1: self.x1 + by,
            y1: self.y1 + by,
        }
    }
}

/// A straight piece of a drawn line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seg {
    pub a: (f64, f64),
    pub b: (f64, f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub fn svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// Where a label's text may go: SVG's `x`, `y` (the baseline) and `text-anchor`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spot {
    pub x: f64,
    pub y: f64,
    pub anchor: Anchor,
}

impl Spot {
    pub const fn new(x: f64, y: f64, anchor: Anchor) -> Spot {
        Spot { x, y, anchor }
    }
}

/// A label to place.
#[derive(Debug, Clone)]
pub struct Label {
    pub text: String,
    pub size: f64,
    pub bold: bool,
    pub fill: &'static str,
    /// Candidate places, the preferred first.
    pub spots: Vec<Spot>,
    /// Where the label may go: a value's label stays in the plot, above
    /// the axis; an axis label below it.
    pub area: Rect,
    /// How the alt text names this label when it is left out; `None` for a
    /// label that only repeats what the alt text says anyway (a year on
    /// the axis, a gridline value).
    pub alt: Option<String>,
}

impl Label {
    /// A label in regular weight; `alt` as for the field.
    pub fn new(
        text: String,
        size: f64,
        fill: &'static str,
        spots: Vec<Spot>,
        area: Rect,
        alt: Option<String>,
    ) -> Label {
        Label {
            text,
            size,
            bold: false,
            fill,
            spots,
            area,
            alt,
        }
    }

    pub fn bold(self) -> Label {
        Label { bold: true, ..self }
    }
}

/// Clear space kept between two labels and between a label and a line, in px.
pub const GAP: f64 = 1.5;

/// The box the text takes at `spot`, rounded up (see `metrics`).
pub fn text_box(text: &str, size: f64, spot: Spot) -> Rect {
    let w = metrics::width(text, size) + 0.2 * size;
    let x0 = match spot.anchor {
        Anchor::Start => spot.x - 0.1 * size,
        Anchor::Middle => spot.x - w / 2.0,
        Anchor::End => spot.x - w + 0.1 * size,
    };
    Rect {
        x0,
        y0: spot.y - metrics::ASCENT_EM * size,
        x1: x0 + w,
        y1: spot.y + metrics::DESCENT_EM * size,
    }
}

/// What a label must keep clear of.
#[derive(Debug, Clone, Default)]
pub struct Obstacles {
    /// The picture: every box stays inside it.
    pub frame: Option<Rect>,
    pub segs: Vec<Seg>,
    /// Drawn points and marks.
    pub rects: Vec<Rect>,
    /// Labels already placed.
    pub placed: Vec<Rect>,
}

impl Obstacles {
    /// Whether a box fits here, inside `area`.
    pub fn free(&self, r: &Rect, area: &Rect) -> bool {
        r.within(area)
            && self.frame.is_none_or(|f| r.within(&f))
            && !self.placed.iter().any(|p| p.near(r, GAP))
            && !self.rects.iter().any(|p| p.near(r, GAP))
            && {
                let g = r.grow(GAP / 2.0);
                !self.segs.iter().any(|s| g.crosses(s))
            }
    }
}

/// Places `labels` in order: for each, the first free spot, or `None`
/// (left out). Every placed box joins `obs.placed`.
pub fn layout(labels: &[Label], obs: &mut Obstacles) -> Vec<Option<Spot>> {
    labels
        .iter()
        .map(|l| {
            let found = l
                .spots
                .iter()
                .map(|s| (*s, text_box(&l.text, l.size, *s)))
                .find(|(_, r)| obs.free(r, &l.area));
            found.map(|(s, r)| {
                obs.placed.push(r);
                s
            })
        })
        .collect()
}

/// Candidate places touching a drawn point at (x, y) of radius `r`: above,
/// below, right, left, then the four corners.
pub fn beside(x: f64, y: f64, r: f64, size: f64) -> Vec<Spot> {
    let up = y - r - 0.25 * size - 2.0;
    let down = y + r + 0.95 * size + 2.0;
    let mid = y + 0.35 * size;
    let side = r + 3.0;
    vec![
        Spot::new(x, up, Anchor::Middle),
        Spot::new(x, down, Anchor::Middle),
        Spot::new(x + side, mid, Anchor::Start),
        Spot::new(x - side, mid, Anchor::End),
        Spot::new(x + side, up, Anchor::Start),
        Spot::new(x - side, up, Anchor::End),
        Spot::new(x + side, down, Anchor::Start),
        Spot::new(x - side, down, Anchor::End),
    ]
}

/// `beside`, then further up and down.
pub fn around(x: f64, y: f64, r: f64, size: f64) -> Vec<Spot> {
    let up = y - r - 0.25 * size - 2.0;
    let down = y + r + 0.95 * size + 2.0;
    let mut spots = beside(x, y, r, size);
    for k in 1..=4 {
        let dy = f64::from(k) * 0.8 * size;
        for anchor in [Anchor::Middle, Anchor::End, Anchor::Start] {
            spots.push(Spot::new(x, up - dy, anchor));
            spots.push(Spot::new(x, down + dy, anchor));
        }
    }
    spots
}

/// Candidate places for the name of a line that ends at (x, y): just right
/// of its end, then nudged up and down in small steps (end labels of lines
/// that end close together stack).
pub fn line_end(x: f64, y: f64, size: f64) -> Vec<Spot> {
    let mid = y + 0.35 * size;
    let mut spots = vec![Spot {
        x: x + 4.0,
        y: mid,
        anchor: Anchor::Start,
    }];
    for k in 1..=12 {
        let dy = f64::from(k) * 0.4 * size;
        spots.push(Spot {
            x: x + 4.0,
            y: mid - dy,
            anchor: Anchor::Start,
        });
        spots.push(Spot {
            x: x + 4.0,
            y: mid + dy,
            anchor: Anchor::Start,
        });
    }
    spots
}

/// Candidate places for the name of a horizontal line from `x0` to `x1` at
/// height `y`: above and below it, at its left, its right and its middle.
pub fn along(x0: f64, x1: f64, y: f64, size: f64) -> Vec<Spot> {
    let above = y - 0.25 * size - 3.0;
    let below = y + 0.95 * size + 3.0;
    let mut spots = Vec::new();
    for yy in [above, below] {
        spots.push(Spot {
            x: x0 + 4.0,
            y: yy,
            anchor: Anchor::Start,
        });
        spots.push(Spot {
            x: x1 - 4.0,
            y: yy,
            anchor: Anchor::End,
        });
        spots.push(Spot {
            x: (x0 + x1) / 2.0,
            y: yy,
            anchor: Anchor::Middle,
        });
    }
    for k in 1..=3 {
        let dy = f64::from(k) * 0.6 * size;
        for yy in [above - dy, below + dy] {
            spots.push(Spot {
                x: x0 + 4.0,
                y: yy,
                anchor: Anchor::Start,
            });
            spots.push(Spot {
                x: x1 - 4.0,
                y: yy,
                anchor: Anchor::End,
            });
        }
    }
    spots
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: Rect = Rect {
        x0: 10.0,
        y0: 10.0,
        x1: 20.0,
        y1: 20.0,
    };

    fn seg(a: (f64, f64), b: (f64, f64)) -> Seg {
        Seg { a, b }
    }

    /// The checks every layout test relies on: if these were wrong, "no
    /// label crosses a line" would hold for nothing.
    #[test]
    fn segments_and_boxes_meet_when_they_do() {
        // Through, into, along an edge, a point inside.
        assert!(R.crosses(&seg((0.0, 15.0), (30.0, 15.0))));
        assert!(R.crosses(&seg((15.0, 15.0), (40.0, 40.0))));
        assert!(R.crosses(&seg((10.0, 0.0), (10.0, 30.0))));
        assert!(R.crosses(&seg((12.0, 12.0), (12.0, 12.0))));
        // A diagonal across a corner.
        assert!(R.crosses(&seg((5.0, 15.0), (15.0, 5.0))));
        // Beside, above, short of it, and a diagonal that passes the corner.
        assert!(!R.crosses(&seg((0.0, 5.0), (30.0, 5.0))));
        assert!(!R.crosses(&seg((21.0, 0.0), (21.0, 30.0))));
        assert!(!R.crosses(&seg((0.0, 15.0), (9.0, 15.0))));
        assert!(!R.crosses(&seg((0.0, 8.0), (8.0, 0.0))));
        // Boxes.
        let moved = |dx: f64, dy: f64| Rect {
            x0: R.x0 + dx,
            y0: R.y0 + dy,
            x1: R.x1 + dx,
            y1: R.y1 + dy,
        };
        assert!(R.near(&moved(5.0, 5.0), 0.0));
        assert!(!R.near(&moved(11.0, 0.0), 0.0));
        assert!(R.near(&moved(11.0, 0.0), GAP));
        assert!(!R.near(&moved(0.0, 12.0), GAP));
    }

    #[test]
    fn a_label_takes_the_first_free_place_or_none() {
        let label =
            |spots: Vec<Spot>| Label::new("80%".into(), 10.0, "#000", spots, R.grow(1000.0), None);
        let mut obs = Obstacles {
            segs: vec![seg((0.0, 50.0), (100.0, 50.0))],
            ..Obstacles::default()
        };
        // The first place sits on the line, the second is free.
        let on = Spot::new(50.0, 53.0, Anchor::Middle);
        let off = Spot::new(50.0, 40.0, Anchor::Middle);
        assert_eq!(layout(&[label(vec![on, off])], &mut obs), vec![Some(off)]);
        // The same free place again is taken now.
        assert_eq!(layout(&[label(vec![off])], &mut obs), vec![None]);
        assert_eq!(obs.placed.len(), 1);
    }
}
