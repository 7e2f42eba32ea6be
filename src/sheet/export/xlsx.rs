//! Tables to an .xlsx workbook: a banner with the marking and the as-of
//! date, then a bold header row, frozen and filtered; columns sized to
//! their content, long ones capped and wrapped, rows as tall as their
//! wrapped text (`layout`); set up to print (`print_setup`); dates as
//! real dates; links as hyperlinks; drop-down lists over the data rows and
//! spare rows below them. The same tables give the same bytes: the
//! workbook's creation date is the run's "today" (SOURCE_DATE_EPOCH when
//! set), not the clock's time.

use anyhow::{Context, Result};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign,
    Formula, Url, Workbook, Worksheet, XlsxError,
};

use crate::model::Date;

use super::layout;
use super::table::{Choices, Table, Value};

/// Rows below the data that still offer the drop-down lists, for rows a
/// partner adds.
const SPARE_ROWS: u32 = 1000;
/// Excel's limits: characters in a cell, hyperlinks in a sheet, characters
/// in a list validation written inline.
const MAX_CELL: usize = 32_767;
const MAX_LINKS: usize = 65_530;
const MAX_INLINE_LIST: usize = 255;
/// Excel's last row (0-based).
const LAST_ROW: u32 = 1_048_575;
/// The hidden sheet holding a drop-down list too long to write inline.
const LISTS_SHEET: &str = "Lists";

/// The workbook's bytes, and what could not be written as it is.
pub struct Written {
    pub bytes: Vec<u8>,
    pub warnings: Vec<String>,
}

/// The formats every sheet shares.
struct Formats {
    banner: Format,
    header: Format,
    wrap: Format,
    date: Format,
    link: Format,
}

impl Formats {
    fn new() -> Formats {
        let top = Format::new().set_align(FormatAlign::Top);
        Formats {
            banner: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            wrap: top.clone().set_text_wrap(),
            // ISO dates: unambiguous to a UK or US reader, and what import
            // reads back if the sheet is saved again as CSV.
            // Left, like the text beside them: a date set right against
            // the next column's text would run into it.
            date: top
                .clone()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Left),
            link: top.set_text_wrap().set_hyperlink(),
        }
    }
}

/// Writes `tables` as a workbook titled `title`, created on `created`.
pub fn workbook(tables: &[Table], title: &str, created: Date) -> Result<Written> {
    let mut book = Workbook::new();
    let mut props = DocProperties::new().set_title(title);
    if let Some(d) = excel_date(created) {
        props = props.set_creation_datetime(&d);
    }
    book.set_properties(&props);
    let formats = Formats::new();
    let mut warnings = Vec::new();
    let mut lists: Vec<Vec<String>> = Vec::new();
    for table in tables {
        let sheet = book.add_worksheet();
        write_table(sheet, table, &formats, &mut lists, &mut warnings)
            .with_context(|| format!("cannot write the {} sheet", table.name))?;
    }
    if !lists.is_empty() {
        let sheet = book.add_worksheet();
        sheet.set_name(LISTS_SHEET)?.set_hidden(true);
        for (col, values) in lists.iter().enumerate() {
            for (row, v) in values.iter().enumerate() {
                sheet.write_string(row as u32, col as u16, v)?;
            }
        }
    }
    let bytes = book
        .save_to_buffer()
        .context("cannot lay out the workbook")?;
    Ok(Written { bytes, warnings })
}

fn write_table(
    sheet: &mut Worksheet,
    table: &Table,
    f: &Formats,
    lists: &mut Vec<Vec<String>>,
    warnings: &mut Vec<String>,
) -> Result<(), XlsxError> {
    sheet.set_name(&table.name)?;
    let ncols = table.headers.len();
    let last_col = ncols.saturating_sub(1) as u16;
    let widths = layout::widths(table);
    // Widths first: a column's format must be set before its cells are
    // written for them to take it. Every column wraps, so that text wider
    // than its column takes more lines of a row sized for them.
    for (col, width) in widths.iter().enumerate() {
        let c = col as u16;
        sheet.set_column_width(c, *width as f64)?;
        sheet.set_column_format(c, &f.wrap)?;
    }
    // The banner above the header: what a reader of a printout or a copy
    // passed on sees first (import skips it, as any banner).
    let banner = table.page.banner();
    let head: u32 = u32::from(banner.is_some());
    if let Some(b) = &banner {
        // Across the print area, wrapping there: a long plan title is not
        // cut off at the edge of the printed page.
        let across = table.print.clamp(1, ncols.max(1));
        if across > 1 {
            sheet.merge_range(0, 0, 0, across as u16 - 1, b, &f.banner)?;
        } else {
            sheet.write_string_with_format(0, 0, b, &f.banner)?;
        }
        let width: usize = widths[..across].iter().sum();
        sheet.set_row_height(0, layout::height([(b.as_str(), width)]))?;
    }
    for (col, h) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(head, col as u16, h, &f.header)?;
    }
    // The header wraps beside its filter button.
    let header_height = layout::height(
        table
            .headers
            .iter()
            .zip(&widths)
            .map(|(h, w)| (h.as_str(), w.saturating_sub(3))),
    );
    sheet.set_row_height(head, header_height)?;
    let mut links = 0;
    for (i, row) in table.rows.iter().enumerate() {
        let r = head + 1 + i as u32;
        let texts: Vec<String> = row.iter().map(Value::as_text).collect();
        sheet.set_row_height(
            r,
            layout::height(texts.iter().map(String::as_str).zip(widths.iter().copied())),
        )?;
        for (col, value) in row.iter().enumerate() {
            let at = Place {
                sheet: &table.name,
                header: &table.headers[col],
                row: r,
                col: col as u16,
            };
            write_value(sheet, &at, value, f, &mut links, warnings)?;
        }
    }
    let last_data = head + table.rows.len() as u32;
    sheet.set_freeze_panes(head + 1, 0)?;
    sheet.autofilter(head, 0, last_data, last_col)?;
    for choices in &table.choices {
        let last = (last_data + SPARE_ROWS).min(LAST_ROW);
        let c = choices.column as u16;
        sheet.add_data_validation(head + 1, c, last, c, &validation(table, choices, lists)?)?;
    }
    if banner.is_some() {
        print_setup(sheet, table, head, last_data)?;
    }
    Ok(())
}

/// Printed as a council sends it: A4 landscape, one page wide (the print
/// area is the reader's columns, narrow enough that type stays readable),
/// the header row on every page, the marking at the top and bottom of
/// each page and the as-of date and page number at the foot.
fn print_setup(
    sheet: &mut Worksheet,
    table: &Table,
    head: u32,
    last_data: u32,
) -> Result<(), XlsxError> {
    const A4: u8 = 9;
    let page = &table.page;
    let print_cols = table.print.clamp(1, table.headers.len().max(1)) as u16;
    sheet.set_paper_size(A4);
    sheet.set_landscape();
    // Narrower side margins than the default 0.7": more width, larger type.
    sheet.set_margins(0.4, 0.4, 0.75, 0.75, 0.3, 0.3);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_area(0, 0, last_data, print_cols - 1)?;
    sheet.set_repeat_rows(head, head)?;
    // `&` starts a code in a header or footer: a literal one is `&&`.
    let marking = page.marking.replace('&', "&&");
    let as_of = page.as_of.map(|d| d.long()).unwrap_or_default();
    sheet.set_header(format!("&C&\"-,Bold\"{marking}"));
    sheet.set_footer(format!(
        "&L&A&C&\"-,Bold\"{marking}&R&\"-,Regular\"as of {as_of}, page &P of &N"
    ));
    Ok(())
}

/// A cell, for writing and for naming in a warning.
struct Place<'a> {
    sheet: &'a str,
    header: &'a str,
    row: u32,
    col: u16,
}

impl Place<'_> {
    fn name(&self) -> String {
        crate::finding::Cell {
            sheet: self.sheet.to_owned(),
            row: self.row + 1,
            column: u32::from(self.col) + 1,
        }
        .name()
    }
}

fn write_value(
    sheet: &mut Worksheet,
    at: &Place,
    value: &Value,
    f: &Formats,
    links: &mut usize,
    warnings: &mut Vec<String>,
) -> Result<(), XlsxError> {
    let (row, col) = (at.row, at.col);
    match value {
        Value::Blank => {}
        Value::Text(s) => {
            let s = crate::sheet::cell_text::workbook_escape(s);
            sheet.write_string(row, col, fit(&s, at, warnings))?;
        }
        Value::Number(n) => {
            sheet.write_number(row, col, *n)?;
        }
        Value::Date(d) => match excel_date(*d) {
            Some(x) => {
                sheet.write_datetime_with_format(row, col, &x, &f.date)?;
            }
            // Before 1900: no spreadsheet date can hold it.
            None => {
                sheet.write_string(row, col, d.to_string())?;
            }
        },
        Value::Url(u) => {
            let url = Url::new(u.as_str()).set_text(u.as_str());
            link_or_text(sheet, at, url, u, f, links, warnings)?;
        }
        Value::File { text, link } => match link {
            Some(l) => {
                // file:/// marks a file link; rust_xlsxwriter stores a
                // relative one as the relative path itself.
                let url = Url::new(format!("file:///{l}")).set_text(text.as_str());
                link_or_text(sheet, at, url, text, f, links, warnings)?;
            }
            None => {
                let text = crate::sheet::cell_text::workbook_escape(text);
                sheet.write_string(row, col, fit(&text, at, warnings))?;
            }
        },
    }
    Ok(())
}

/// A hyperlink, or the text alone once the sheet has as many links as
/// Excel allows or when the address is one Excel cannot store.
fn link_or_text(
    sheet: &mut Worksheet,
    at: &Place,
    url: Url,
    text: &str,
    f: &Formats,
    links: &mut usize,
    warnings: &mut Vec<String>,
) -> Result<(), XlsxError> {
    if *links < MAX_LINKS && text.chars().count() <= MAX_CELL {
        match sheet.write_url_with_format(at.row, at.col, url, &f.link) {
            Ok(_) => {
                *links += 1;
                return Ok(());
            }
            Err(XlsxError::MaxUrlLengthExceeded | XlsxError::UnknownUrlType(_)) => {}
            Err(e) => return Err(e),
        }
    } else if *links == MAX_LINKS {
        warnings.push(format!(
            "the {} sheet has more than {MAX_LINKS} links, as many as a spreadsheet holds: from {} on, the {} column is text",
            at.sheet,
            at.name(),
            at.header
        ));
        *links += 1;
    }
    sheet.write_string(at.row, at.col, fit(text, at, warnings))?;
    Ok(())
}

/// `s`, cut to what a cell holds, with a warning naming the cell.
fn fit<'s>(s: &'s str, at: &Place, warnings: &mut Vec<String>) -> &'s str {
    match s.char_indices().nth(MAX_CELL) {
        None => s,
        Some((end, _)) => {
            warnings.push(format!(
                "{} ({}) holds {} characters, more than the {MAX_CELL} a spreadsheet cell holds: the workbook has the first {MAX_CELL} (a .csv export keeps it whole)",
                at.name(),
                at.header,
                s.chars().count()
            ));
            &s[..end]
        }
    }
}

/// The drop-down list; one too long to write inline goes on the hidden
/// Lists sheet, and the validation refers to it there.
fn validation(
    table: &Table,
    choices: &Choices,
    lists: &mut Vec<Vec<String>>,
) -> Result<DataValidation, XlsxError> {
    let inline: usize = choices.values.iter().map(|v| v.chars().count() + 1).sum();
    let header = &table.headers[choices.column];
    let v = if choices.values.is_empty() {
        return Ok(DataValidation::new().allow_any_value());
    } else if inline <= MAX_INLINE_LIST && !choices.values.iter().any(|v| v.contains(',')) {
        DataValidation::new().allow_list_strings(&choices.values)?
    } else {
        lists.push(choices.values.clone());
        let col = column_letters(lists.len());
        DataValidation::new().allow_list_formula(Formula::new(format!(
            "={LISTS_SHEET}!${col}$1:${col}${}",
            choices.values.len()
        )))
    };
    let v = v.set_error_title(header.as_str())?;
    Ok(if choices.strict {
        v.set_error_message(format!("{header} is one of the values in the list."))?
    } else {
        v.set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message(format!(
                "{header} is usually one of the ids in the list; pack import also accepts a name from plan/plan.yaml."
            ))?
    })
}

/// 1 -> A, 27 -> AA.
fn column_letters(mut n: usize) -> String {
    let mut s = String::new();
    while n > 0 {
        s.insert(0, char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    s
}

/// The spreadsheet date, when it can hold `d` (1900 to 9999).
fn excel_date(d: Date) -> Option<ExcelDateTime> {
    let (y, m, day) = d.parts();
    let y = u16::try_from(y).ok().filter(|y| *y >= 1900)?;
    ExcelDateTime::from_ymd(y, m as u8, day as u8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_sheet_columns_and_dates() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(27), "AA");
        assert!(excel_date(Date::parse("2025-04-30").unwrap()).is_some());
        assert!(excel_date(Date::parse("1899-12-31").unwrap()).is_none());
    }

    #[test]
    fn an_overlong_cell_is_cut_with_a_warning() {
        let long = "é".repeat(MAX_CELL + 5);
        let mut w = Vec::new();
        let at = Place {
            sheet: "Evidence",
            header: "Summary",
            row: 3,
            col: 11,
        };
        assert_eq!(fit(&long, &at, &mut w).chars().count(), MAX_CELL);
        assert!(
            w[0].starts_with("Evidence!L4 (Summary) holds 32772"),
            "{w:?}"
        );
        assert_eq!(fit("short", &at, &mut w), "short");
        assert_eq!(w.len(), 1);
    }
}
