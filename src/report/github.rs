//! `--format github`: one workflow command per finding, so each shows as an
//! annotation on the line that caused it.

use crate::finding::Severity;

use super::Outcome;

pub fn render(out: &Outcome) -> String {
    let mut s = String::new();
    if let Some(n) = &out.as_of.notice {
        s.push_str(&format!("::notice title=pack::{}\n", escape_data(n)));
    }
    for f in out.findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Acknowledged => "notice",
        };
        let mut message = f.message.clone();
        if let Some(h) = &f.hint {
            message.push_str("\nhint: ");
            message.push_str(h);
        }
        s.push_str(&format!(
            "::{command} file={},line={},col={},title={}::{}\n",
            escape_property(&f.file),
            f.line,
            f.column,
            escape_property(f.rule.name()),
            escape_data(&message)
        ));
    }
    s.push_str(&super::human::summary(out));
    s.push('\n');
    s
}

/// Message data: `%`, CR and LF must be escaped.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Property values: also `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_requires() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
