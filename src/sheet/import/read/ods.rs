//! An OpenDocument spreadsheet, read as a stream from content.xml: only
//! non-empty cells are kept, and repeated rows and columns
//! (`number-rows-repeated`, `number-columns-repeated`) are counted, never
//! laid out, so a few bytes that declare a million empty rows cost nothing.

use std::io::{BufRead, BufReader};
use std::path::Path;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::grid::{Builder, Grid, Value};
use super::limits::MAX_TEXT_BYTES;
use super::{Unreadable, choose, dates, zipped};

type Xml<R> = quick_xml::Reader<R>;

pub fn read(path: &Path, name: &str, sheet: Option<&str>) -> Result<Grid, Unreadable> {
    let mut archive = zipped::open(path, name)?;
    zipped::check(&mut archive, name, |_| false, |_, _| Ok(()))?;
    let names = {
        let mut xml = content(&mut archive, name)?;
        sheet_names(&mut xml, name)?
    };
    let chosen = choose(&names, sheet, name)?;
    let index = names.iter().position(|n| *n == chosen).unwrap_or(0);
    let mut xml = content(&mut archive, name)?;
    let mut cells = Builder::new(name);
    read_table(&mut xml, name, index, &mut cells)?;
    Ok(cells.finish(chosen))
}

fn content<'a>(
    archive: &'a mut zipped::Archive,
    name: &str,
) -> Result<Xml<impl BufRead + 'a>, Unreadable> {
    let part = zipped::part(archive, "content.xml", name)?.ok_or_else(|| {
        Unreadable(format!(
            "{name} is not an OpenDocument spreadsheet (it has no content.xml)"
        ))
    })?;
    let mut xml = Xml::from_reader(BufReader::new(part));
    xml.config_mut().check_end_names = false;
    xml.config_mut().trim_text(false);
    Ok(xml)
}

fn damaged(name: &str, e: impl std::fmt::Display) -> Unreadable {
    Unreadable(format!(
        "{name} is damaged ({e}); open it in a spreadsheet, save it again and import the copy"
    ))
}

fn attr(e: &BytesStart, key: &str, name: &str) -> Result<Option<String>, Unreadable> {
    match e.try_get_attribute(key) {
        Ok(Some(a)) => a
            .normalized_value(XmlVersion::Implicit1_0)
            .map(|v| Some(v.into_owned()))
            .map_err(|e| damaged(name, e)),
        Ok(None) => Ok(None),
        Err(e) => Err(damaged(name, e)),
    }
}

/// A repeat count; absent is 1, and a count that is not a number is taken
/// as 1 (as LibreOffice does).
fn repeat(e: &BytesStart, key: &str, name: &str) -> Result<u64, Unreadable> {
    Ok(attr(e, key, name)?
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1))
}

fn sheet_names<R: BufRead>(xml: &mut Xml<R>, name: &str) -> Result<Vec<String>, Unreadable> {
    let mut names = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml
            .read_event_into(&mut buf)
            .map_err(|e| damaged(name, e))?
        {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table" => {
                names.push(attr(&e, "table:name", name)?.unwrap_or_default());
                if names.len() > 100_000 {
                    return Err(Unreadable(format!(
                        "{name} has more than 100,000 sheets; pack refuses it"
                    )));
                }
            }
            Event::Eof => return Ok(names),
            _ => {}
        }
    }
}

/// Reads the `index`th table's cells into `cells`.
fn read_table<R: BufRead>(
    xml: &mut Xml<R>,
    name: &str,
    index: usize,
    cells: &mut Builder,
) -> Result<(), Unreadable> {
    let mut buf = Vec::new();
    let mut seen = 0;
    // Find the table.
    loop {
        buf.clear();
        match xml
            .read_event_into(&mut buf)
            .map_err(|e| damaged(name, e))?
        {
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                if seen == index {
                    break;
                }
                seen += 1;
            }
            Event::Empty(e) if e.name().as_ref() == "table:table" => {
                if seen == index {
                    return Ok(());
                }
                seen += 1;
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
    let mut row: u64 = 0;
    // Tables inside a cell (rare) are skipped with the cell; a table ends
    // at its own end tag.
    loop {
        buf.clear();
        match xml
            .read_event_into(&mut buf)
            .map_err(|e| damaged(name, e))?
        {
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                let times = repeat(&e, "table:number-rows-repeated", name)?;
                let found = read_row(xml, name, row, cells)?;
                row = repeat_row(cells, row, times, found)?;
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(repeat(&e, "table:number-rows-repeated", name)?);
            }
            Event::End(e) if e.name().as_ref() == "table:table" => return Ok(()),
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// After the first of `times` copies of a row (whose cells were `found`)
/// is in, adds the other copies; returns the next row.
fn repeat_row(
    cells: &mut Builder,
    row: u64,
    times: u64,
    found: Vec<(u64, Value)>,
) -> Result<u64, Unreadable> {
    if !found.is_empty() {
        // Each copy is real cells: the limits stop a huge repeat.
        for r in 1..times {
            for (col, v) in &found {
                cells.push(row + r, *col, v.clone())?;
            }
        }
    }
    Ok(row.saturating_add(times))
}

/// Reads one row's cells into `cells` (at `row`) and returns them.
fn read_row<R: BufRead>(
    xml: &mut Xml<R>,
    name: &str,
    row: u64,
    cells: &mut Builder,
) -> Result<Vec<(u64, Value)>, Unreadable> {
    let mut found = Vec::new();
    let mut col: u64 = 0;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml
            .read_event_into(&mut buf)
            .map_err(|e| damaged(name, e))?
        {
            Event::Start(e) if is_cell(&e) => {
                let times = repeat(&e, "table:number-columns-repeated", name)?;
                let e = e.into_owned();
                let value = read_cell(xml, name, &e, false)?;
                col = place(cells, &mut found, row, col, times, value)?;
            }
            Event::Empty(e) if is_cell(&e) => {
                let times = repeat(&e, "table:number-columns-repeated", name)?;
                let e = e.into_owned();
                let value = read_cell(xml, name, &e, true)?;
                col = place(cells, &mut found, row, col, times, value)?;
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => return Ok(found),
            Event::Eof => return Ok(found),
            _ => {}
        }
    }
}

fn is_cell(e: &BytesStart) -> bool {
    matches!(
        e.name().as_ref(),
        "table:table-cell" | "table:covered-table-cell"
    )
}

/// Puts `times` copies of a cell from `col` on; returns the next column.
fn place(
    cells: &mut Builder,
    found: &mut Vec<(u64, Value)>,
    row: u64,
    col: u64,
    times: u64,
    value: Value,
) -> Result<u64, Unreadable> {
    if value != Value::Empty {
        for c in col..col.saturating_add(times) {
            let before = cells.cells();
            cells.push(row, c, value.clone())?;
            if cells.cells() > before {
                found.push((c, value.clone()));
            }
        }
    }
    Ok(col.saturating_add(times))
}

/// A cell's value from its attributes and, for text, its paragraphs.
fn read_cell<R: BufRead>(
    xml: &mut Xml<R>,
    name: &str,
    e: &BytesStart,
    empty: bool,
) -> Result<Value, Unreadable> {
    let kind = attr(e, "office:value-type", name)?.unwrap_or_default();
    let calc_kind = attr(e, "calcext:value-type", name)?.unwrap_or_default();
    let text = if empty {
        String::new()
    } else {
        cell_text(xml, name, e.name().as_ref())?
    };
    if calc_kind == "error" {
        return Ok(Value::Error(text));
    }
    let value = |key: &str| attr(e, key, name);
    Ok(match kind.as_str() {
        "float" | "percentage" | "currency" => match value("office:value")? {
            Some(v) => match v.trim().parse::<f64>() {
                Ok(n) => Value::Number(n),
                Err(_) => Value::Text(text),
            },
            None => Value::Text(text),
        },
        "date" => match value("office:date-value")? {
            Some(v) => dates::from_iso(v.trim()),
            None => Value::Text(text),
        },
        "time" => Value::Text(value("office:time-value")?.unwrap_or(text)),
        "boolean" => match value("office:boolean-value")?.as_deref().map(str::trim) {
            Some("true" | "TRUE") => Value::Bool(true),
            Some(_) => Value::Bool(false),
            None => Value::Text(text),
        },
        "string" => match value("office:string-value")? {
            Some(v) => Value::Text(v),
            None => Value::Text(text),
        },
        // A cell without a value type holds no value.
        _ => Value::Empty,
    })
}

/// The text of a cell's paragraphs (one line each), up to its end tag;
/// annotations (comments) are left out.
fn cell_text<R: BufRead>(xml: &mut Xml<R>, name: &str, end: &str) -> Result<String, Unreadable> {
    let end = end.to_owned();
    let mut s = String::new();
    let mut paragraphs = 0;
    let mut skip = 0usize;
    let mut buf = Vec::new();
    let too_long = || {
        Unreadable(format!(
            "{name} has a cell holding more than {} MiB of text; pack refuses it",
            MAX_TEXT_BYTES >> 20
        ))
    };
    loop {
        buf.clear();
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| damaged(name, e))?;
        if skip > 0 {
            match event {
                Event::Start(e) if e.name().as_ref() == "office:annotation" => skip += 1,
                Event::End(e) if e.name().as_ref() == "office:annotation" => skip -= 1,
                Event::Eof => return Ok(s),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) if e.name().as_ref() == "office:annotation" => skip = 1,
            Event::Start(e) if e.name().as_ref() == "text:p" => {
                if paragraphs > 0 {
                    s.push('\n');
                }
                paragraphs += 1;
            }
            Event::Empty(e) if e.name().as_ref() == "text:p" => {
                if paragraphs > 0 {
                    s.push('\n');
                }
                paragraphs += 1;
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "text:s" => {
                let n = repeat(&e, "text:c", name)?;
                if s.len() as u64 + n > MAX_TEXT_BYTES as u64 {
                    return Err(too_long());
                }
                s.extend(std::iter::repeat_n(' ', n as usize));
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "text:tab" => s.push('\t'),
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "text:line-break" => {
                s.push('\n')
            }
            Event::Text(t) => s.push_str(&t.xml10_content()),
            Event::CData(t) => s.push_str(&t),
            Event::GeneralRef(r) => {
                if let Some(v) = quick_xml::escape::resolve_xml_entity(&r) {
                    s.push_str(v);
                } else if let Ok(Some(c)) = r.resolve_char_ref() {
                    s.push(c);
                } else {
                    return Err(damaged(name, format!("unknown entity &{};", &*r)));
                }
            }
            Event::End(e) if e.name().as_ref() == end.as_str() => return Ok(s),
            Event::Eof => return Ok(s),
            _ => {}
        }
        if s.len() > MAX_TEXT_BYTES {
            return Err(too_long());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(body: &str) -> Result<Grid, Unreadable> {
        let xml = format!(
            r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="S">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        let mut r = Xml::from_reader(xml.as_bytes());
        let mut cells = Builder::new("t.ods");
        read_table(&mut r, "t.ods", 0, &mut cells)?;
        Ok(cells.finish("S".into()))
    }

    #[test]
    fn repeats_are_counted_not_laid_out() {
        let g = table(
            r#"<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
            <table:table-row><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="string"><text:p>far</text:p></table:table-cell></table:table-row>"#,
        )
        .unwrap();
        assert_eq!(g.rows.len(), 1_048_001);
        assert_eq!(
            g.rows.get(1_048_000).get(16_000),
            Some(&Value::Text("far".into()))
        );
    }

    #[test]
    fn values() {
        let g = table(
            r#"<table:table-row>
            <table:table-cell office:value-type="float" office:value="2.5"><text:p>2.5</text:p></table:table-cell>
            <table:table-cell office:value-type="date" office:date-value="2025-04-30"><text:p>30/04/25</text:p></table:table-cell>
            <table:table-cell office:value-type="date" office:date-value="1899-12-30"/>
            <table:table-cell office:value-type="boolean" office:boolean-value="true"/>
            <table:table-cell office:value-type="string"><text:p>a<text:s text:c="2"/>b &amp; <text:span>c</text:span></text:p><text:p>d<text:line-break/>e</text:p><office:annotation><text:p>note</text:p></office:annotation></table:table-cell>
            <table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0" calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>
            </table:table-row>"#,
        )
        .unwrap();
        let r = g.rows.get(0);
        assert_eq!(r.get(0), Some(&Value::Number(2.5)));
        assert_eq!(
            r.get(1),
            Some(&Value::Date(
                crate::model::Date::parse("2025-04-30").unwrap()
            ))
        );
        assert!(matches!(r.get(2), Some(Value::Error(_))));
        assert_eq!(r.get(3), Some(&Value::Bool(true)));
        assert_eq!(r.get(4), Some(&Value::Text("a  b & c\nd\ne".into())));
        assert_eq!(r.get(5), Some(&Value::Error("#DIV/0!".into())));
    }

    #[test]
    fn repeated_cells_past_the_limits_are_refused() {
        let e = table(
            r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#,
        )
        .unwrap_err();
        assert!(e.0.contains("2,000,000 non-empty cells"), "{}", e.0);
        let e = table(
            r#"<table:table-row><table:table-cell table:number-columns-repeated="16385" office:value-type="float" office:value="1"/></table:table-row>"#,
        )
        .unwrap_err();
        assert!(e.0.contains("16,384 columns"), "{}", e.0);
    }
}
