#!/usr/bin/env python3
"""Checks the embedded fonts of `pack` (every .ttf/.otf in the given folder,
Liberation included): each opens, is a single static face with a Unicode cmap,
and together they cover the required test characters and Unicode ranges.
Also predicts which face typst 0.15.1's automatic fallback would pick for each
test character (a port of FontInfo::from_ttf and FontBook::select_fallback),
and, if uharfbuzz is installed, shapes a few strings to show that the Arabic,
Devanagari and emoji shaping features survived subsetting.

usage: python3 coverage-check.py [FOLDER]   (writes the report to stdout)
Needs fontTools (pip install fonttools); uharfbuzz is optional.
"""
import hashlib
import os
import sys
import unicodedata

from fontTools.ttLib import TTFont

FOLDER = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

TEST_CHARS = "✓ ★ ⚠ ‣ → ⇒ ∑ ≤ ■ ◦ • – ① ☺ 😀 🎉 👍 ❤ 🙂 ✅ 🚀".split() + ["\ufffd"]
TEST_STRINGS = ["مرحبا", "नमस्ते", "你好世界", "学校", "教育", "健康", "こんにちは"]
SPECIAL = [0xFE0F, 0xFE0E, 0x200D, 0x200C, 0x20E3, 0x25CC]

# The ranges the fallback set must cover (from the brief, plus kana), then
# extra blocks that are reported for information only.
RANGES = [
    ("General Punctuation", 0x2000, 0x206F, True),
    ("Arrows", 0x2190, 0x21FF, True),
    ("Mathematical Operators", 0x2200, 0x22FF, True),
    ("Miscellaneous Technical", 0x2300, 0x23FF, True),
    ("Enclosed Alphanumerics", 0x2460, 0x24FF, True),
    ("Box Drawing", 0x2500, 0x257F, True),
    ("Geometric Shapes", 0x25A0, 0x25FF, True),
    ("Miscellaneous Symbols", 0x2600, 0x26FF, True),
    ("Dingbats", 0x2700, 0x27BF, True),
    ("Supplemental Arrows-A", 0x27F0, 0x27FF, True),
    ("Supplemental Arrows-B", 0x2900, 0x297F, True),
    ("Misc Symbols and Arrows", 0x2B00, 0x2BFF, True),
    ("Arabic", 0x0600, 0x06FF, True),
    ("Arabic Supplement", 0x0750, 0x077F, True),
    ("Arabic Presentation Forms-A", 0xFB50, 0xFDFF, True),
    ("Arabic Presentation Forms-B", 0xFE70, 0xFEFF, True),
    ("Devanagari", 0x0900, 0x097F, True),
    ("Devanagari Extended", 0xA8E0, 0xA8FF, True),
    ("CJK Symbols and Punctuation", 0x3000, 0x303F, True),
    ("Hiragana", 0x3040, 0x309F, True),
    ("Katakana", 0x30A0, 0x30FF, True),
    ("CJK Unified Ideographs", 0x4E00, 0x9FFF, True),
    ("Halfwidth and Fullwidth Forms", 0xFF00, 0xFFEF, True),
    ("Superscripts and Subscripts", 0x2070, 0x209F, False),
    ("Currency Symbols", 0x20A0, 0x20CF, False),
    ("Letterlike Symbols", 0x2100, 0x214F, False),
    ("Number Forms", 0x2150, 0x218F, False),
    ("Control Pictures", 0x2400, 0x243F, False),
    ("Block Elements", 0x2580, 0x259F, False),
    ("Misc Mathematical Symbols-A", 0x27C0, 0x27EF, False),
    ("Misc Mathematical Symbols-B", 0x2980, 0x29FF, False),
    ("Supplemental Math Operators", 0x2A00, 0x2AFF, False),
    ("Arabic Extended-A", 0x08A0, 0x08FF, False),
    ("Vedic Extensions", 0x1CD0, 0x1CFF, False),
    ("Enclosed Alphanumeric Supplement", 0x1F100, 0x1F1FF, False),
    ("Misc Symbols and Pictographs", 0x1F300, 0x1F5FF, False),
    ("Emoticons", 0x1F600, 0x1F64F, False),
    ("Ornamental Dingbats", 0x1F650, 0x1F67F, False),
    ("Transport and Map Symbols", 0x1F680, 0x1F6FF, False),
    ("Geometric Shapes Extended", 0x1F780, 0x1F7FF, False),
    ("Supplemental Arrows-C", 0x1F800, 0x1F8FF, False),
    ("Supplemental Symbols and Pictographs", 0x1F900, 0x1F9FF, False),
    ("Symbols and Pictographs Extended-A", 0x1FA70, 0x1FAFF, False),
]

# --- a port of typst 0.15.1's font metadata (typst-library text/font/info.rs) ---
SUFFIXES = ["normal", "italic", "oblique", "slanted", "thin", "th", "hairline",
            "light", "lt", "regular", "medium", "med", "md", "bold", "bd", "demi",
            "extb", "black", "blk", "bk", "heavy", "narrow", "condensed", "cond",
            "cn", "cd", "compressed", "expanded", "exp", "vf", "var", "variable"]
MODIFIERS = ["extra", "ext", "ex", "x", "semi", "sem", "sm", "demi", "dem", "ultra"]
SEPARATORS = (" ", "-", "_")


def typographic_family(family):
    family = family.strip().lstrip(".")
    trimmed = family.lower()
    length = None
    while length is None or len(trimmed) < length:
        length = len(trimmed)
        t, shortened = trimmed, False
        while True:
            s = next((t[: -len(x)] for x in SUFFIXES if t.endswith(x)), None)
            if s is None:
                break
            shortened, t = True, s
        if not shortened:
            break
        if t.endswith(SEPARATORS):
            trimmed = t = t[:-1]
        m = next((t[: -len(x)] for x in MODIFIERS if t.endswith(x)), None)
        if m is not None and m.endswith(SEPARATORS):
            trimmed = m[:-1]
    return family[:length]


def find_name(font, name_id):
    """First record with this ID, in stored order, that ttf-parser decodes."""
    for rec in font["name"].names:
        if rec.nameID != name_id:
            continue
        if rec.platformID == 0 or (rec.platformID == 3 and rec.platEncID in (0, 1)):
            try:
                return rec.string.decode("utf-16-be")
            except UnicodeDecodeError:
                pass
        if rec.platformID == 1 and rec.platEncID == 0:
            return rec.string.decode("mac_roman")
    return None


def coverage(font):
    cps = set()
    for t in font["cmap"].tables:
        if t.format != 14 and (t.platformID == 0 or (t.platformID == 3 and t.platEncID in (0, 1, 10))):
            cps.update(t.cmap.keys())
    return cps


class Face:
    def __init__(self, path):
        self.path = path
        self.file = os.path.basename(path)
        self.size = os.path.getsize(path)
        with open(path, "rb") as fh:
            self.sha256 = hashlib.sha256(fh.read()).hexdigest()
        f = TTFont(path)
        self.font = f
        self.tables = sorted(f.keys())
        self.outlines = "CFF" if "CFF " in f else ("CFF2" if "CFF2" in f else ("glyf" if "glyf" in f else "?"))
        self.name1 = find_name(f, 1)
        self.name16 = find_name(f, 16)
        self.ps = find_name(f, 6)
        self.family = typographic_family(self.name1)
        full = (find_name(f, 4) or "").lower()
        os2 = f["OS/2"]
        italic = bool(os2.fsSelection & 1) or "italic" in full
        oblique = bool(os2.fsSelection & (1 << 9)) or "oblique" in full or "slanted" in full
        self.style = 1 if italic else (2 if oblique else 0)  # 0 normal, 1 italic, 2 oblique
        self.weight = min(max(os2.usWeightClass, 100), 900)
        self.width = os2.usWidthClass
        self.mono = f["post"].isFixedPitch != 0
        p = os2.panose
        self.serif = p.bFamilyType == 2 and 2 <= p.bSerifStyle <= 10
        self.variable = "fvar" in f
        self.cmap = coverage(f)
        self.glyphs = len(f.getGlyphOrder())

    def features(self, tag):
        if tag not in self.font or not self.font[tag].table.FeatureList:
            return [], []
        t = self.font[tag].table
        scripts = sorted({s.ScriptTag for s in t.ScriptList.ScriptRecord})
        feats = sorted({fr.FeatureTag for fr in t.FeatureList.FeatureRecord})
        return scripts, feats


def style_distance(a, b):
    return 0 if a == b else (1 if a != 0 and b != 0 else 2)


WIDTH_RATIO = {1: 0.5, 2: 0.625, 3: 0.75, 4: 0.875, 5: 1.0, 6: 1.125, 7: 1.25, 8: 1.5, 9: 2.0}


def score(face, like):
    """typst FontBook::find_best_variant key for a regular, normal request."""
    sim = (face.mono == like.mono, face.serif == like.serif,
           shared_prefix_words(face.family, like.family), -len(face.family))
    dist = (style_distance(face.style, 0), abs(WIDTH_RATIO.get(face.width, 1.0) - 1.0),
            abs(face.weight - 400))
    return (sim, tuple(-d for d in dist), face.variable)


def shared_prefix_words(a, b):
    n = 0
    for x, y in zip(a.split(), b.split()):
        if x != y:
            break
        n += 1
    return n


def select_fallback(faces, like, ch):
    """Best face for `ch`; ties keep the earliest face (the FONTS order)."""
    cands = [f for f in faces if ord(ch) in f.cmap]
    if not cands:
        return None, []
    best = max(score(f, like) for f in cands)
    tied = [f for f in cands if score(f, like) == best]
    return tied[0], tied


def uname(cp):
    return unicodedata.name(chr(cp), "<unnamed>")


def main():
    files = sorted(p for p in os.listdir(FOLDER) if p.lower().endswith((".ttf", ".otf")))
    # Liberation first, as in src/render/pdf.rs; the fallbacks after it.
    files.sort(key=lambda p: (not p.startswith("Liberation"), p))
    faces = [Face(os.path.join(FOLDER, p)) for p in files]
    lib = [f for f in faces if f.file.startswith("Liberation")]
    added = [f for f in faces if not f.file.startswith("Liberation")]
    like_sans = next(f for f in faces if f.file == "LiberationSans-Regular.ttf")
    like_mono = next(f for f in faces if f.file == "LiberationMono-Regular.ttf")
    union = set().union(*(f.cmap for f in faces))
    out = []
    w = out.append

    w("Font coverage check for pack's embedded fonts")
    w(f"folder: {os.path.basename(os.path.dirname(os.path.abspath(FOLDER)))}/{os.path.basename(os.path.abspath(FOLDER))}")
    import fontTools
    w(f"fontTools {fontTools.version}; Unicode data of this Python: {unicodedata.unidata_version}")
    w("")
    w("== Files ==")
    total = 0
    for f in faces:
        total += f.size
        w(f"{f.file}")
        w(f"  size {f.size} bytes, sha256 {f.sha256}")
        w(f"  opens: yes; outlines {f.outlines}; {'VARIABLE' if f.variable else 'static'}; "
          f"glyphs {f.glyphs}; Unicode cmap entries {len(f.cmap)}")
        w(f"  name ID 1 {f.name1!r}; ID 16 {f.name16!r}; PostScript {f.ps!r}")
        w(f"  typst 0.15.1 family: {f.family!r}; weight {f.weight}, width class {f.width}, "
          f"style {['normal', 'italic', 'oblique'][f.style]}, monospace {f.mono}, serif {f.serif}")
        for tag in ("GSUB", "GPOS"):
            scripts, feats = f.features(tag)
            if feats:
                w(f"  {tag}: scripts {' '.join(scripts)}; features {' '.join(feats)}")
    w(f"TOTAL {total} bytes ({total / 1e6:.2f} MB, {total / 2**20:.2f} MiB) in {len(faces)} files")
    problems = []
    if total > 25_000_000:
        problems.append("total size over 25 MB")
    for f in faces:
        if f.variable:
            problems.append(f"{f.file} is a variable font")
        if not f.cmap:
            problems.append(f"{f.file} has no Unicode cmap")
    lib_fams = {f.family.lower() for f in lib}
    for f in added:
        if f.family.lower() in lib_fams:
            problems.append(f"{f.file}: family {f.family!r} collides with Liberation")
    fams = {}
    for f in added:
        fams.setdefault(f.family, []).append(f.file)
    w("")
    w("== Families (as typst sees them) ==")
    for f in faces:
        w(f"  {f.family:22s} {f.file}")
    w(f"family collisions with Liberation: {'none' if not any('collides' in p for p in problems) else 'YES'}")
    w(f"families shared by more than one added file: "
      f"{[k for k, v in fams.items() if len(v) > 1] or 'none'}")

    def describe(ch, short=False):
        cp = ord(ch)
        cov = [f.file for f in faces if cp in f.cmap]
        if not cov:
            return f"U+{cp:04X} {ch}  {uname(cp)}: NOT COVERED", False
        if cp in like_sans.cmap:
            pick = "Liberation Sans (primary font, no fallback)"
        else:
            best, tied = select_fallback(faces, like_sans, ch)
            pick = best.file
            if len(tied) > 1:
                pick += " (tie with " + ", ".join(t.file for t in tied[1:]) + "; earliest in FONTS wins)"
        if short:
            return f"U+{cp:04X} {ch} in {', '.join(cov)} -> typst fallback {pick}", True
        if cp in like_mono.cmap:
            pick_m = "Liberation Mono"
        else:
            pick_m = select_fallback(faces, like_mono, ch)[0].file
        return (f"U+{cp:04X} {ch}  {uname(cp)}\n      in: {', '.join(cov)}\n"
                f"      typst fallback from Liberation Sans -> {pick}; from Liberation Mono -> {pick_m}"), True

    w("")
    w("'typst fallback' = the face typst 0.15.1 picks by itself when the text font lacks the")
    w("character (FontBook::select_fallback from Liberation Sans / Liberation Mono, regular).")
    w("A face listed in `#set text(font: (...))` after Liberation is tried before that.")
    w("")
    w("== Test characters ==")
    missing = []
    for ch in TEST_CHARS:
        line, good = describe(ch)
        w("  " + line)
        if not good:
            missing.append(ch)
    w("")
    w("== Test strings ==")
    for s in TEST_STRINGS:
        w(f"  {s}")
        for ch in dict.fromkeys(s):
            line, good = describe(ch, short=True)
            w("    " + line)
            if not good:
                missing.append(ch)
    w("")
    w("UNCOVERED TEST CHARACTERS: " + (" ".join(f"U+{ord(c):04X}" for c in missing) if missing else "none"))
    if missing:
        problems.append("uncovered test characters")

    w("")
    w("== Special code points ==")
    for cp in SPECIAL:
        cov = [f.file for f in faces if cp in f.cmap]
        w(f"  U+{cp:04X} {uname(cp)}: {', '.join(cov) if cov else 'in no cmap'}")

    w("")
    w(f"== Ranges (assigned code points per Python's Unicode {unicodedata.unidata_version}) ==")
    for name, a, b, required in RANGES:
        assigned = [c for c in range(a, b + 1) if unicodedata.category(chr(c)) != "Cn"]
        miss = [c for c in assigned if c not in union]
        by = {}
        for c in assigned:
            for f in faces:
                if c in f.cmap:
                    by[f.file] = by.get(f.file, 0) + 1
        tag = "required" if required else "extra"
        w(f"  U+{a:04X}-{b:04X} {name} [{tag}]: {len(assigned) - len(miss)}/{len(assigned)} covered")
        w("      by " + ", ".join(f"{k.rsplit('.', 1)[0]} {v}" for k, v in by.items()))
        if miss:
            w("      missing: " + " ".join(f"U+{c:04X}" for c in miss[:40])
              + (f" ... (+{len(miss) - 40})" if len(miss) > 40 else ""))
            w("      (" + "; ".join(f"{uname(c).lower()}" for c in miss[:8]) + (" ..." if len(miss) > 8 else "") + ")")

    w("")
    w("== Shaping with HarfBuzz (typst shapes with rustybuzz, a port of it) ==")
    try:
        import uharfbuzz as hb
    except ImportError:
        hb = None
        w("  skipped: uharfbuzz not installed (pip install uharfbuzz)")
    if hb:
        def shape(path, text, features=None):
            with open(path, "rb") as fh:
                face = hb.Face(fh.read())
            font = hb.Font(face)
            buf = hb.Buffer()
            buf.add_str(text)
            buf.guess_segment_properties()
            # typst sets this flag (typst-layout inline/shaping.rs)
            buf.flags = hb.BufferFlags.REMOVE_DEFAULT_IGNORABLES
            hb.shape(font, buf, features or {})
            return [(i.codepoint, i.cluster) for i in buf.glyph_infos], [p.x_advance for p in buf.glyph_positions]

        checks = [
            ("NotoSansArabic-Regular-subset.ttf", "مرحبا", "joining forms (init/medi/fina) differ from isolated",
             {"init": False, "medi": False, "fina": False, "rlig": False, "liga": False}),
            ("NotoSansArabic-Regular-subset.ttf", "لا إله", "lam-alef ligature (rlig)",
             {"rlig": False, "liga": False}),
            ("NotoSansDevanagari-Regular-subset.ttf", "नमस्ते", "half form of स before त",
             {"half": False, "cjct": False, "pres": False, "abvs": False, "blws": False, "psts": False}),
            ("NotoSansDevanagari-Regular-subset.ttf", "क्षत्रिय", "conjuncts and i-matra reordering",
             {"akhn": False, "half": False, "cjct": False, "pres": False, "rphf": False, "blwf": False}),
            ("NotoEmoji-Regular.ttf", "👨\u200d👩\u200d👧", "ZWJ family sequence -> one glyph", {"ccmp": False}),
            ("NotoEmoji-Regular.ttf", "🇬🇧", "flag (regional indicators) -> one glyph", {"ccmp": False}),
            ("NotoEmoji-Regular.ttf", "1\ufe0f\u20e3", "keycap sequence -> one glyph", {"ccmp": False}),
            ("NotoEmoji-Regular.ttf", "❤\ufe0f", "heart + VS16 (no ligature expected)", None),
            ("NotoSansCJKsc-Regular-subset.otf", "你好世界", "all mapped", None),
        ]
        for file, text, what, off in checks:
            path = os.path.join(FOLDER, file)
            if not os.path.exists(path):
                continue
            glyphs, adv = shape(path, text)
            notdef = sum(1 for g, _ in glyphs if g == 0)
            line = f"  {file}: {text!r} ({what}): {len(text)} chars -> {len(glyphs)} glyphs, notdef {notdef}"
            if off is not None:
                plain, _ = shape(path, text, off)
                changed = [g for g, _ in glyphs] != [g for g, _ in plain]
                line += f"; differs from shaping with {'/'.join(off)} off: {'yes' if changed else 'NO'}"
                if not changed:
                    problems.append(f"{file}: shaping features had no effect on {text!r}")
            if notdef:
                problems.append(f"{file}: notdef when shaping {text!r}")
            w(line)

    w("")
    w("RESULT: " + ("OK" if not problems else "PROBLEMS: " + "; ".join(problems)))
    print("\n".join(out))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
