//! A first import that teaches (spec 6.2): a council's log with its own
//! headers stops at the header row with one error per missing field, the
//! closest header suggested for each and the whole next command; that
//! command imports every row and remembers the headers, and the bare
//! command next month changes nothing. Spreadsheet hints never speak YAML.

mod common;

use common::*;

/// A log as UK Excel exports it: Windows-1252 (0x96 is an en dash, 0xE9
/// an e acute), CRLF, a banner row above the headers, the council's names.
const COUNCIL_LOG: &[u8] = b"Kent SEND evidence log \x96 exported 3 March 2025\r\n\
Ref,Title,Date received,Lead agency,AoW,Type of evidence,Impact / Voice / Activity,RAG,Notes\r\n\
,Parent carer survey r\xe9sum\xe9,01/03/2025,kcc,A1,survey,voice,Green,Spring wave\r\n\
,EHC timeliness dashboard March,02/03/2025,kcc,A1,data,impact,Amber,\r\n\
,Panel minutes \x96 March,03/03/2025,nhs,A1,minutes,activity,Red,Joint panel\r\n";

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Splits a command line printed for a shell into its words (double
/// quotes, backslash escapes), as a shell would.
fn shell_words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quoted = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                in_word = true;
            }
            '\\' if quoted => word.extend(chars.next()),
            ' ' if !quoted => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                }
                in_word = false;
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

#[test]
fn a_council_log_first_run_teaches_and_its_printed_command_imports_every_row() {
    let f = Fixture::new();
    f.write_bytes("log.csv", COUNCIL_LOG);
    let out = f.pack(&["import", "log.csv"]).output().unwrap();
    let first = text(&out);
    assert_eq!(out.status.code(), Some(1), "{first}");
    let lines = first.lines().count();
    assert!(lines < 25, "{lines} lines:\n{first}");
    // One error per missing field, at the header row (row 2, under the banner).
    for (field, header) in [
        ("date", "Date received"),
        ("organisation", "Lead agency"),
        ("areas", "AoW"),
        ("kind", "Type of evidence"),
        ("shows", "Impact / Voice / Activity"),
    ] {
        let said = format!("log!A2: no column holds the required field `{field}`");
        assert_eq!(first.matches(&said).count(), 1, "{field}:\n{first}");
        assert!(
            first.contains(&format!(
                "the closest header is `{header}`: --map \"{header}={field}\""
            )),
            "{field}:\n{first}"
        );
    }
    assert!(!first.contains("missing the required field"), "{first}");
    assert!(
        first.contains(
            "headers not recognised: `Date received`, `Lead agency`, `AoW`, `Type of evidence`, `Impact / Voice / Activity`, `RAG`"
        ),
        "{first}"
    );
    let command = first
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("pack import "))
        .unwrap_or_else(|| panic!("no command:\n{first}"));
    assert!(command.ends_with(" --save-map"), "{command}");
    assert!(command.contains("--map \"RAG=\""), "{command}");

    // The printed command, run as a shell would split it.
    let words = shell_words(command);
    let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    let out = f.pack(&args).output().unwrap();
    let second = text(&out);
    assert_eq!(out.status.code(), Some(0), "{second}");
    assert_eq!(second.matches("created evidence/").count(), 3, "{second}");
    assert!(!second.contains("warning["), "{second}");
    let saved = std::fs::read_to_string(f.file("plan/import.yaml")).unwrap();
    for line in [
        "\"Date received\": date",
        "\"AoW\": areas",
        "\"Impact / Voice / Activity\": shows",
        "\"RAG\": ignore",
    ] {
        assert!(saved.contains(line), "{saved}");
    }
    let survey =
        std::fs::read_to_string(f.file("evidence/2025/parent-carer-survey-resume.yaml")).unwrap();
    assert!(
        survey.contains("title: \"Parent carer survey résumé\""),
        "{survey}"
    );

    // Next month: the bare command changes nothing.
    let out = f.pack(&["import", "log.csv"]).output().unwrap();
    let third = text(&out);
    assert_eq!(out.status.code(), Some(0), "{third}");
    assert!(
        third.contains("3 item rows; 0 new, 0 to update, 3 unchanged"),
        "{third}"
    );
    assert!(!third.contains("warning["), "{third}");
}

#[test]
fn initials_suggest_a_field_but_never_match_one() {
    let f = Fixture::new();
    // Title, date and organisation are found; AoW only by its initials.
    f.write(
        "log.csv",
        "Title,Date,Organisation,AoW,Kind,Shows\nSurvey,01/03/2025,kcc,A1,survey,voice\n",
    );
    let out = f.pack(&["import", "log.csv"]).output().unwrap();
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("no column holds the required field `areas`"),
        "{said}"
    );
    assert!(said.contains("--map \"AoW=areas\""), "{said}");
    assert!(!f.file("evidence/2025/survey.yaml").exists());
}

#[test]
fn no_spreadsheet_hint_speaks_yaml() {
    let f = Fixture::new();
    // Every kind of bad cell whose finding comes from `pack check`.
    f.write(
        "bad.csv",
        "Ref,Title,Date,Organisation,Areas,Kind,Shows,Actions,Measures,Valid until,Responds to,Supersedes,File,Classification,Personal data,Public,Link\n\
         ,A,01/03/2025,kcc,A9,survey,voice,A1.9,A1.M9,01/01/2020,X9,E-2020-999,nofile.pdf,SECRET,maybe,perhaps,notaurl\n\
         ,B,02/03/2025,zzz,,data,impact,,,,,,,,,,\n\
         ,C,,kcc,A1,foo,bar,,,,,,,,,,\n",
    );
    let out = f
        .pack(&["import", "bad.csv", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = report["findings"].as_array().unwrap();
    assert!(all.len() >= 10, "{report}");
    let keys = [
        "`id",
        "`title",
        "`date",
        "`organisation",
        "`kind",
        "`shows",
        "`areas",
        "`actions",
        "`measures",
        "`file",
        "`url",
        "`summary",
        "`classification",
        "`personal_data",
        "`valid_until",
        "`supersedes",
        "`responds_to",
        "`public",
        "`letter",
    ];
    for f in all {
        let hint = f["hint"].as_str().unwrap_or_default();
        let lower = hint.to_lowercase().replace("plan/plan.yaml", "");
        assert!(
            !lower.contains("yaml") && !lower.contains("this file") && !lower.contains(": ["),
            "{hint}"
        );
        assert!(!keys.iter().any(|k| hint.contains(k)), "{hint}");
    }
    let hints: Vec<&str> = all.iter().filter_map(|f| f["hint"].as_str()).collect();
    assert!(
        hints.contains(&"put the attachment in the repository (or import with --files FOLDER) and write its name in the File column"),
        "{hints:?}"
    );
}
