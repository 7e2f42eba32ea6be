//! What a chart draws, kept as shapes and texts before it is written as
//! SVG: the label layout reads the drawn lines and points from here, and the
//! tests check the very picture that is written.

use std::fmt::Write as _;

use super::format::xml;
use super::labels::{self, Anchor, Label, Obstacles, Rect, Seg, Spot};

#[derive(Debug, Clone)]
pub enum Shape {
    /// A polyline (two points: a line).
    Line {
        points: Vec<(f64, f64)>,
        stroke: &'static str,
        width: f64,
        dash: Option<&'static str>,
    },
    Circle {
        cx: f64,
        cy: f64,
        r: f64,
        fill: &'static str,
    },
}

#[derive(Debug, Clone)]
pub struct Text {
    pub spot: Spot,
    pub size: f64,
    pub bold: bool,
    pub fill: &'static str,
    pub text: String,
}

impl Text {
    pub fn rect(&self) -> Rect {
        labels::text_box(&self.text, self.size, self.spot)
    }
}

#[derive(Debug, Clone)]
pub struct Scene {
    pub w: f64,
    pub h: f64,
    pub font_size: f64,
    pub shapes: Vec<Shape>,
    pub texts: Vec<Text>,
}

impl Scene {
    pub fn new(w: f64, h: f64, font_size: f64) -> Scene {
        Scene {
            w,
            h,
            font_size,
            shapes: Vec::new(),
            texts: Vec::new(),
        }
    }

    pub fn line(
        &mut self,
        points: Vec<(f64, f64)>,
        stroke: &'static str,
        width: f64,
        dash: Option<&'static str>,
    ) {
        self.shapes.push(Shape::Line {
            points,
            stroke,
            width,
            dash,
        });
    }

    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: &'static str) {
        self.shapes.push(Shape::Circle { cx, cy, r, fill });
    }

    /// Every straight piece drawn.
    pub fn segments(&self) -> Vec<Seg> {
        let mut segs = Vec::new();
        for s in &self.shapes {
            if let Shape::Line { points, .. } = s {
                if let [p] = points.as_slice() {
                    segs.push(Seg { a: *p, b: *p });
                }
                segs.extend(points.windows(2).map(|w| Seg { a: w[0], b: w[1] }));
            }
        }
        segs
    }

    /// The box of every drawn point.
    pub fn marks(&self) -> Vec<Rect> {
        self.shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Circle { cx, cy, r, .. } => Some(Rect {
                    x0: cx - r,
                    y0: cy - r,
                    x1: cx + r,
                    y1: cy + r,
                }),
                Shape::Line { .. } => None,
            })
            .collect()
    }

    pub fn frame(&self) -> Rect {
        Rect {
            x0: 0.0,
            y0: 0.0,
            x1: self.w,
            y1: self.h,
        }
    }

    /// Places `labels` (most important first) clear of everything drawn so
    /// far and of each other: call it once every shape is drawn. Returns
    /// how the alt text names each label left out.
    pub fn place(&mut self, labels: &[Label]) -> Vec<String> {
        let mut obs = Obstacles {
            frame: Some(self.frame()),
            segs: self.segments(),
            rects: self.marks(),
            placed: self.texts.iter().map(Text::rect).collect(),
        };
        let spots = labels::layout(labels, &mut obs);
        let mut dropped = Vec::new();
        for (l, spot) in labels.iter().zip(spots) {
            match spot {
                Some(spot) => self.texts.push(Text {
                    spot,
                    size: l.size,
                    bold: l.bold,
                    fill: l.fill,
                    text: l.text.clone(),
                }),
                None => dropped.extend(l.alt.clone()),
            }
        }
        dropped
    }

    /// The SVG, its alt text as its accessible name and title.
    pub fn to_svg(&self, alt: &str) -> String {
        let (w, h) = (self.w, self.h);
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{0}" font-family="Liberation Sans, Arial, sans-serif" font-size="{1}"><title>{0}</title>"#,
            xml(alt),
            self.font_size
        );
        for shape in &self.shapes {
            match shape {
                Shape::Line {
                    points,
                    stroke,
                    width,
                    dash,
                } => {
                    let pts: Vec<String> = points
                        .iter()
                        .map(|(x, y)| format!("{x:.1},{y:.1}"))
                        .collect();
                    let dash =
                        dash.map_or(String::new(), |d| format!(r#" stroke-dasharray="{d}""#));
                    let _ = write!(
                        s,
                        r#"<polyline points="{}" fill="none" stroke="{stroke}" stroke-width="{width}"{dash}/>"#,
                        pts.join(" ")
                    );
                }
                Shape::Circle { cx, cy, r, fill } => {
                    let _ = write!(
                        s,
                        r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="{r}" fill="{fill}"/>"#
                    );
                }
            }
        }
        for t in &self.texts {
            let anchor = match t.spot.anchor {
                Anchor::Start => String::new(),
                a => format!(r#" text-anchor="{}""#, a.svg()),
            };
            let size = if (t.size - self.font_size).abs() < 1e-9 {
                String::new()
            } else {
                format!(r#" font-size="{}""#, t.size)
            };
            let bold = if t.bold { r#" font-weight="bold""# } else { "" };
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}"{anchor}{size}{bold} fill="{}">{}</text>"#,
                t.spot.x,
                t.spot.y,
                t.fill,
                xml(&t.text)
            );
        }
        s.push_str("</svg>");
        s
    }
}

/// For tests: what is wrong with a drawn scene's labels, if anything: two
/// boxes that meet, a box across a drawn segment or point, a box outside
/// the picture.
#[cfg(test)]
pub fn faults(scene: &Scene) -> Vec<String> {
    let boxes: Vec<(Rect, &str)> = scene
        .texts
        .iter()
        .map(|t| (t.rect(), t.text.as_str()))
        .collect();
    let frame = scene.frame();
    let mut out = Vec::new();
    for (i, (a, ta)) in boxes.iter().enumerate() {
        if !a.within(&frame) {
            out.push(format!("{ta:?} outside the picture: {a:?}"));
        }
        for (b, tb) in &boxes[i + 1..] {
            if a.near(b, 0.0) {
                out.push(format!("{ta:?} meets {tb:?}"));
            }
        }
        for s in scene.segments() {
            if a.crosses(&s) {
                out.push(format!("{ta:?} crosses {s:?}"));
            }
        }
        for m in scene.marks() {
            if a.near(&m, 0.0) {
                out.push(format!("{ta:?} covers a point {m:?}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_sees_labels_that_meet_cross_or_leave_the_picture() {
        let text = |x: f64, y: f64| Text {
            spot: Spot::new(x, y, Anchor::Start),
            size: 10.0,
            bold: false,
            fill: "#000",
            text: "80%".into(),
        };
        let mut scene = Scene::new(100.0, 100.0, 10.0);
        scene.texts.push(text(10.0, 20.0));
        assert!(faults(&scene).is_empty());
        scene.texts.push(text(12.0, 22.0));
        assert_eq!(faults(&scene).len(), 1, "{:?}", faults(&scene));
        scene.texts.pop();
        scene.line(vec![(0.0, 17.0), (100.0, 17.0)], "#000", 1.0, None);
        assert_eq!(faults(&scene).len(), 1);
        scene.shapes.clear();
        scene.circle(15.0, 26.0, 5.0, "#000");
        assert_eq!(faults(&scene).len(), 1);
        scene.shapes.clear();
        scene.texts.push(text(95.0, 50.0));
        assert_eq!(faults(&scene).len(), 1);
    }
}
