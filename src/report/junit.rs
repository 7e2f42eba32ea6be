//! `--format junit`: one test case per area (failed when not complete) and
//! one per file with findings (failed when it has errors).
//!
//! Written by hand rather than by a JUnit library, so that the file holds
//! only the elements and attributes the strictest widely used schema (the
//! `junit-10.xsd` of Jenkins' xunit plugin) allows: `testsuites` (name,
//! tests, failures, errors), `testsuite` (name, tests, failures, errors),
//! `testcase` (name, classname), `failure` (message, type) and
//! `system-out`. `tests/formats.rs` pins that set.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::finding::{Finding, Severity, is_unsafe_char};

use super::Outcome;

struct Case {
    name: String,
    classname: &'static str,
    failure: Option<(String, String, String)>,
    system_out: Option<String>,
}

struct Suite {
    name: &'static str,
    cases: Vec<Case>,
}

impl Suite {
    fn failures(&self) -> usize {
        self.cases.iter().filter(|c| c.failure.is_some()).count()
    }
}

pub fn render(out: &Outcome) -> String {
    let mut areas = Suite {
        name: "areas",
        cases: Vec::new(),
    };
    // An area file that could not be read is an area too, and the first to fix.
    for file in &out.sources.unreadable().areas {
        areas.cases.push(Case {
            name: file.clone(),
            classname: "areas",
            failure: Some((
                format!("area file {file} could not be read"),
                "yaml-syntax".to_owned(),
                "see the files suite for why".to_owned(),
            )),
            system_out: None,
        });
    }
    for a in out.areas {
        areas.cases.push(Case {
            name: format!("{} {}", a.id, a.title),
            classname: "areas",
            failure: (!a.complete).then(|| {
                (
                    format!("area {} is not complete on {}", a.id, out.as_of.date),
                    "area-gap".to_owned(),
                    a.missing.join("\n"),
                )
            }),
            system_out: None,
        });
    }

    // Files in the order of their first finding: files that could not be
    // read (root causes) first, as in every report.
    let mut by_file: Vec<(&str, Vec<&Finding>)> = Vec::new();
    let mut slot: HashMap<&str, usize> = HashMap::new();
    for f in out.findings {
        let i = *slot.entry(&f.file).or_insert_with(|| {
            by_file.push((&f.file, Vec::new()));
            by_file.len() - 1
        });
        by_file[i].1.push(f);
    }
    let mut files = Suite {
        name: "files",
        cases: Vec::new(),
    };
    for (file, fs) in by_file {
        let text: Vec<String> = fs
            .iter()
            .map(|f| {
                format!(
                    "{}:{}:{}: {}[{}]: {}{}",
                    f.file,
                    f.line,
                    f.column,
                    f.severity.name(),
                    f.rule,
                    f.message,
                    f.hint
                        .as_ref()
                        .map(|h| format!(" (hint: {h})"))
                        .unwrap_or_default()
                )
            })
            .collect();
        let errors: Vec<&&Finding> = fs
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        files.cases.push(Case {
            name: file.to_owned(),
            classname: "files",
            failure: errors.first().map(|first| {
                (
                    format!(
                        "{} error{} in {file}",
                        errors.len(),
                        crate::assess::plural(errors.len())
                    ),
                    first.rule.name().to_owned(),
                    text.join("\n"),
                )
            }),
            system_out: Some(text.join("\n")),
        });
    }

    let suites = [areas, files];
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"pack check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    for suite in &suites {
        let _ = writeln!(
            s,
            "    <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
            suite.name,
            suite.cases.len(),
            suite.failures()
        );
        for case in &suite.cases {
            let _ = writeln!(
                s,
                "        <testcase name=\"{}\" classname=\"{}\">",
                xml(&case.name),
                case.classname
            );
            if let Some((message, ty, body)) = &case.failure {
                let _ = writeln!(
                    s,
                    "            <failure message=\"{}\" type=\"{}\">{}</failure>",
                    xml(message),
                    xml(ty),
                    xml_text(body)
                );
            }
            if let Some(text) = &case.system_out {
                let _ = writeln!(s, "            <system-out>{}</system-out>", xml_text(text));
            }
            s.push_str("        </testcase>\n");
        }
        s.push_str("    </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}

/// Text for XML content or an attribute: characters XML 1.0 cannot hold
/// (controls, non-characters) written as `\u{..}`, markup escaped, and in
/// attributes line breaks kept as character references.
fn xml(text: &str) -> String {
    escape(text, true)
}

fn xml_text(text: &str) -> String {
    escape(text, false)
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' if !attribute => out.push(c),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c if is_unsafe_char(c) => {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
            _ => out.push(c),
        }
    }
    out
}
