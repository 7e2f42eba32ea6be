//! `--format junit`: one test case per area (failed when not complete) and
//! one per file with findings (failed when it has errors).

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::finding::{Finding, Severity, escape_controls as x};

use super::Outcome;

pub fn render(out: &Outcome) -> String {
    let mut report = Report::new("pack check");
    let mut areas = TestSuite::new("areas");
    for a in out.areas {
        let status = if a.complete {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(format!(
                "area {} is not complete on {}",
                a.id, out.as_of.date
            ));
            s.set_type("area-gap");
            s.set_description(x(&a.missing.join("\n")));
            s
        };
        let mut case = TestCase::new(x(&format!("{} {}", a.id, a.title)), status);
        case.set_classname("areas");
        areas.add_test_case(case);
    }
    report.add_test_suite(areas);

    let mut by_file: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in out.findings {
        by_file.entry(&f.file).or_default().push(f);
    }
    let mut files = TestSuite::new("files");
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
        let errors = fs.iter().filter(|f| f.severity == Severity::Error).count();
        let status = if errors == 0 {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(x(&format!(
                "{errors} error{} in {file}",
                crate::assess::plural(errors)
            )));
            s.set_type(
                fs.iter()
                    .find(|f| f.severity == Severity::Error)
                    .map_or("error", |f| f.rule.name()),
            );
            s.set_description(text.join("\n"));
            s
        };
        let mut case = TestCase::new(x(file), status);
        case.set_classname("files");
        case.set_system_out(text.join("\n"));
        files.add_test_case(case);
    }
    report.add_test_suite(files);
    // Every text above went through `escape_controls`, so serialization has
    // nothing it can refuse; say so in the file rather than panic if it does.
    let mut s = report.to_string().unwrap_or_else(|e| {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- pack could not write JUnit: {} -->\n<testsuites/>", x(&e.to_string()).replace("--", "- -"))
    });
    s.push('\n');
    s
}
