//! `portfolio.html`: one self-contained page in the packs' style. The table
//! is complete as HTML; the small script only adds sorting (a button in
//! each column's header, the order said by `aria-sort`).

use std::fmt::Write;

use super::{Bundle, Portfolio, Signature, table};
use crate::markdown::html_escape as esc;

const STYLE: &str = r#"
:root { --ink: #0b0c0c; --muted: #505a5f; --line: #b1b4b6; --link: #1d70b8; --red: #d4351c; --bg: #f3f2f1; }
* { box-sizing: border-box; }
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: var(--ink); line-height: 1.45; margin: 0; }
main { max-width: 90rem; margin: 0 auto; padding: 0 1rem; }
a { color: var(--link); overflow-wrap: anywhere; }
a:focus, button:focus { outline: 3px solid #fd0; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fd0; padding: .5rem; z-index: 2; }
.marking { text-align: center; font-weight: bold; letter-spacing: .05em; padding: .3rem; border-bottom: 1px solid var(--line); margin: 0; }
.marking.bottom { border-top: 1px solid var(--line); border-bottom: 0; margin-top: 2rem; }
h1 { font-size: 1.8rem; } h2 { font-size: 1.45rem; border-top: 2px solid var(--ink); padding-top: .6rem; margin-top: 2.5rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .35rem .45rem; text-align: left; vertical-align: top; }
thead th { background: var(--bg); }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
th button { font: inherit; font-weight: bold; color: inherit; background: none; border: 0; padding: 0; text-align: left; cursor: pointer; min-height: 24px; }
th button::after { content: " \2195"; color: var(--muted); }
th[aria-sort="ascending"] button::after { content: " \2191"; }
th[aria-sort="descending"] button::after { content: " \2193"; }
.meta { color: var(--muted); font-size: .9rem; }
.unchecked { font-weight: bold; }
.banner { border-left: 5px solid var(--red); background: #fbe9e7; padding: .7rem; margin: 1rem 0; }
.note { border-left: 5px solid var(--link); background: var(--bg); padding: .7rem; margin: 1rem 0; }
"#;

/// Sorting, added to a table already complete without it. Numbers sort as
/// numbers (`data-sort` holds the value to sort by), text as text.
const SCRIPT: &str = r#"
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    var label = th.innerHTML;
    th.innerHTML = "";
    var b = document.createElement("button");
    b.type = "button";
    b.innerHTML = label;
    th.appendChild(b);
    b.addEventListener("click", function () {
      var down = th.getAttribute("aria-sort") === "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", down ? "descending" : "ascending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var key = function (r) {
        var c = r.cells[col];
        var s = c.getAttribute("data-sort");
        return s === null ? c.textContent.trim().toLowerCase() : s;
      };
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var nx = parseFloat(x), ny = parseFloat(y);
        var r = (!isNaN(nx) && !isNaN(ny) && String(nx) === x && String(ny) === y)
          ? nx - ny : (x < y ? -1 : x > y ? 1 : 0);
        return down ? -r : r;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"#;

pub fn page(p: &Portfolio) -> String {
    let mut h = String::new();
    let marking = esc(&p.marking);
    let n = p.rows.len();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Portfolio of {n} local area{s}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <a class=\"skip\" href=\"#main\">Skip to the table</a>\n\
         <header><p class=\"marking\">{marking}</p></header>\n<main>\n<h1>Portfolio of {n} local area{s}</h1>\n\
         <p class=\"meta\">Made by pack {v} on {date} from the bundles the local areas sent; each was verified first.</p>\n",
        s = crate::assess::plural(n),
        v = esc(crate::VERSION),
        date = p.today.long(),
    );
    if !p.failed.is_empty() {
        let _ = write!(
            h,
            "<div class=\"banner\"><p><strong>{} bundle{} left out: {} failed verification.</strong></p><ul>",
            p.failed.len(),
            crate::assess::plural(p.failed.len()),
            if p.failed.len() == 1 { "it" } else { "they" }
        );
        for f in &p.failed {
            let _ = write!(
                h,
                "<li>{}: {}</li>",
                esc(&f.path.display().to_string()),
                esc(&f.reason)
            );
        }
        h.push_str("</ul></div>\n");
    }
    let unchecked = p
        .rows
        .iter()
        .filter(|r| matches!(r.signature, Signature::NotChecked))
        .count();
    if unchecked > 0 {
        let _ = writeln!(
            h,
            "<div class=\"note\"><p>{unchecked} of the {n} bundles: signature not checked (the keys file has no key for the area, or no keys file was given). Their files match their manifests, but nothing shows who made them.</p></div>"
        );
    }
    h.push_str(
        "<section id=\"main\" aria-labelledby=\"areas\">\n<h2 id=\"areas\">Local areas</h2>\n",
    );
    areas_table(&mut h, p);
    h.push_str("</section>\n");
    if !p.superseded.is_empty() {
        h.push_str("<section aria-labelledby=\"superseded\">\n<h2 id=\"superseded\">Superseded bundles</h2>\n<p>A later bundle of the same local area replaces each of these (the later as-of date, then the later build date).</p>\n<ul>\n");
        for s in &p.superseded {
            let _ = writeln!(
                h,
                "<li>{} ({}, as of {}): superseded by {}</li>",
                esc(&s.path.display().to_string()),
                esc(&s.name),
                s.as_of,
                esc(&s.by.display().to_string())
            );
        }
        h.push_str("</ul>\n</section>\n");
    }
    h.push_str("<section aria-labelledby=\"reading\">\n<h2 id=\"reading\">Reading the table</h2>\n<ul>\n\
        <li>Areas by board rating: how many of the plan's areas of weakness were last rated red, amber, green or complete.</li>\n\
        <li>With the evidence they need: areas with enough current evidence on the as-of date.</li>\n\
        <li>Open letter points: points of the letter after the last visit that no current evidence answers yet.</li>\n\
        <li>Overdue actions: actions due before the as-of date that are not complete.</li>\n\
        <li>An official indicator's cell: the area's latest figure and its period, with England's for the same period.</li>\n\
        </ul>\n</section>\n");
    let _ = write!(
        h,
        "</main>\n<footer><p class=\"marking bottom\">{marking}</p></footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    );
    h
}

fn areas_table(h: &mut String, p: &Portfolio) {
    h.push_str("<div class=\"table-wrap\" role=\"region\" aria-label=\"The table of local areas (scrolls sideways)\" tabindex=\"0\">\n<table class=\"sortable\">\n<thead><tr>");
    for head in [
        "Local area",
        "Plan",
        "Visit",
        "As of",
        "Red",
        "Amber",
        "Green",
        "Complete",
        "With the evidence they need",
        "Open letter points",
        "Overdue actions",
        "Signature",
    ] {
        let _ = write!(h, "<th scope=\"col\">{head}</th>");
    }
    for i in &p.indicators {
        let _ = write!(
            h,
            "<th scope=\"col\">{}<br><span class=\"meta\">{}</span></th>",
            esc(&i.title),
            esc(&i.source())
        );
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (n, r) in p.rows.iter().enumerate() {
        row(h, r, n, &p.indicators);
    }
    h.push_str("</tbody>\n</table>\n</div>\n");
}

fn row(h: &mut String, r: &Bundle, n: usize, indicators: &[table::Indicator]) {
    let name = esc(&r.name);
    let name = match &r.link {
        Some(l) => format!("<a href=\"{}\">{name}</a>", esc(&url_path(l))),
        None => name,
    };
    let _ = write!(
        h,
        "<tr><th scope=\"row\" data-sort=\"{}\">{name}</th><td>{}</td><td data-sort=\"{}\">{}</td><td data-sort=\"{}\">{}</td>",
        esc(&r.name.to_lowercase()),
        esc(&r.plan_title),
        r.visit.as_ref().map(|v| esc(&v.date)).unwrap_or_default(),
        r.visit
            .as_ref()
            .map(|v| format!("{} ({})", esc(&v.title), esc(&v.date)))
            .unwrap_or_else(|| "none".into()),
        r.as_of,
        r.as_of.long()
    );
    let c = &r.ratings;
    for v in [c.red, c.amber, c.green, c.complete] {
        let _ = write!(h, "<td class=\"n\">{v}</td>");
    }
    let _ = write!(
        h,
        "<td class=\"n\" data-sort=\"{}\">{} of {}</td>",
        r.areas_with_evidence, r.areas_with_evidence, r.areas_total
    );
    match r.open_points {
        Some(o) => {
            let _ = write!(h, "<td class=\"n\">{o}</td>");
        }
        None => h.push_str("<td data-sort=\"-1\">no letter</td>"),
    }
    let _ = write!(h, "<td class=\"n\">{}</td>", r.overdue_actions);
    match &r.signature {
        Signature::Checked { key, .. } => {
            let _ = write!(h, "<td>checked (key {})</td>", esc(key));
        }
        Signature::NotChecked => h.push_str("<td class=\"unchecked\">signature not checked</td>"),
    }
    for i in indicators {
        match &i.cells[n] {
            Some(cell) => {
                let england = cell
                    .england
                    .map(|e| format!("; England {}", table::figure(e)))
                    .unwrap_or_else(|| "; England: none for this period".into());
                let _ = write!(
                    h,
                    "<td data-sort=\"{}\">{} <span class=\"meta\">({}{england})</span></td>",
                    cell.number.map(|v| v.to_string()).unwrap_or_default(),
                    esc(&cell.value),
                    cell.date
                );
            }
            None => h.push_str("<td data-sort=\"\">not used</td>"),
        }
    }
    h.push_str("</tr>\n");
}

/// A relative path as a link: each segment percent-encoded where a URL
/// needs it.
fn url_path(p: &str) -> String {
    let mut out = String::new();
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-_./~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}
