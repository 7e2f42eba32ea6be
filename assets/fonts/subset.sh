#!/usr/bin/env bash
# Rebuilds the embedded fallback fonts of `pack` (everything in this folder
# except the Liberation files) from pinned Debian and npm packages, then
# rewrites coverage-check.txt.  Maintainer tool: CI does not run it.
#
#   usage: assets/fonts/subset.sh          # download sources, subset, check
#          assets/fonts/subset.sh check    # only rerun coverage-check.py
#
# Needs: apt-get with Debian 12 "bookworm" package lists (run `apt-get update`
# once; no root needed for `apt-get download`), dpkg-deb, npm, and python3 with
#   pip install 'fonttools==4.68.0' brotli
# Env: WORK=<dir> keeps the downloads there (default: a fresh mktemp -d);
#      ALLOW_CHANGED_SOURCES=1 goes on when a source font's sha256 differs.
set -euo pipefail

OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${PYTHON:-python3}"

if [[ "${1:-}" == "check" ]]; then
    exec "$PY" "$OUT/coverage-check.py" "$OUT" >"$OUT/coverage-check.txt"
fi

WORK="${WORK:-$(mktemp -d)}"
mkdir -p "$WORK/deb" "$WORK/root" "$WORK/npm"
echo "work dir: $WORK" >&2

# --- 1. sources --------------------------------------------------------------
# Debian 12 (bookworm) packages, pinned.
(cd "$WORK/deb" && apt-get download \
    fonts-noto-core=20201225-1 \
    fonts-noto-mono=20201225-1 \
    'fonts-noto-cjk=1:20220127+repack1-1')
for deb in "$WORK"/deb/*.deb; do dpkg-deb -x "$deb" "$WORK/root"; done
# Noto Emoji, the monochrome outline font (Debian only packages the colour
# one).  @expo-google-fonts/noto-emoji ships the Google Fonts static TTFs;
# @fontsource/noto-emoji only has woff/woff2 cut into ~12 unicode-range
# pieces, which would break the ZWJ/flag ligatures that span pieces.
(cd "$WORK/npm" && npm pack --silent @expo-google-fonts/noto-emoji@0.4.7 >/dev/null \
    && tar xzf expo-google-fonts-noto-emoji-0.4.7.tgz)

T="$WORK/root/usr/share/fonts/truetype/noto"
SANS="$T/NotoSans-Regular.ttf"                       # fonts-noto-core
MONO="$T/NotoSansMono-Regular.ttf"                   # fonts-noto-mono
SYM="$T/NotoSansSymbols-Regular.ttf"                 # fonts-noto-core
SYM2="$T/NotoSansSymbols2-Regular.ttf"               # fonts-noto-core
MATH="$T/NotoSansMath-Regular.ttf"                   # fonts-noto-core
ARAB="$T/NotoSansArabic-Regular.ttf"                 # fonts-noto-core
DEVA="$T/NotoSansDevanagari-Regular.ttf"             # fonts-noto-core
CJK="$WORK/root/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"   # fonts-noto-cjk
EMOJI="$WORK/npm/package/400Regular/NotoEmoji_400Regular.ttf"            # npm

sha256sum -c --quiet - <<EOF || [[ "${ALLOW_CHANGED_SOURCES:-0}" == 1 ]]
89c3c497f618fdaa0b2d1e98fef93582f28c71debd2c4a8cdf41f190ced2909d  $SANS
6b692c4b6d15ccf59f1c1fe8d11cb8a92f51960f3e9f1f523781755a3af7e29f  $MONO
24b615ceb7d50a2c09060664ca9e24a160c9beb6bfca0563e8359369a4bc0993  $SYM
876598db5f1e3bef2bc77c4d94c5b0d5d2c1620be4878a06f18fb5434e331688  $SYM2
8242bd1e55368b27e32455260754cf9aa58f3ad7ea80664b66c21f1b09910d6c  $MATH
504d7407d86875acf7d04dfaa0fd7524d0b8797723bc4aa18022f29db25b0b6e  $ARAB
79a470365ccb210fa3c7d8d8ff2e005ef9d983cfd067f735a0caf7e15070ca9f  $DEVA
b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a  $CJK
24aaa2a20c9c06ffe9bf04284bfd1f14376a329d10122f902abe2770817eb504  $EMOJI
EOF

# --- 2. ranges ---------------------------------------------------------------
# Space and no-break space go into every cut (harmless; gives the shaper a
# space glyph inside a fallback run).
SP='U+0020,U+00A0'
# Symbols: general punctuation, super/subscripts, currency, letterlike, number
# forms, arrows, math operators, misc technical, control pictures, enclosed
# alphanumerics, geometric shapes, misc symbols, dingbats, misc math A,
# supplemental arrows A/B, misc math B, supplemental math operators, misc
# symbols and arrows, U+FFFD.  The four symbol fonts get the same list; each
# keeps only what it has.
SYMBOLS="$SP,U+2000-206F,U+2070-209F,U+20A0-20CF,U+2100-214F,U+2150-218F"
SYMBOLS+=",U+2190-21FF,U+2200-22FF,U+2300-23FF,U+2400-243F,U+2460-24FF"
SYMBOLS+=",U+25A0-25FF,U+2600-26FF,U+2700-27BF,U+27C0-27EF,U+27F0-27FF"
SYMBOLS+=",U+2900-297F,U+2980-29FF,U+2A00-2AFF,U+2B00-2BFF,U+FFFD"
# ... and the pictograph blocks, for the non-emoji symbols in them that Noto
# Emoji lacks (e.g. U+1F5F8 light check mark): enclosed alphanumeric
# supplement, misc symbols and pictographs, ornamental dingbats, transport,
# geometric shapes extended, supplemental arrows-C, supplemental symbols and
# pictographs.  Mahjong, domino, playing cards and chess are left out.
SYMBOLS+=",U+1F100-1F1FF,U+1F300-1F5FF,U+1F650-1F67F,U+1F680-1F6FF"
SYMBOLS+=",U+1F780-1F7FF,U+1F800-1F8FF,U+1F900-1F9FF"
# Box drawing + block elements (and the terminal scan lines U+23B7-23BD, which
# no symbol font has), from a monospaced font whose advance (600/1000 em)
# equals Liberation Mono's (1229/2048 em).
BOX="$SP,U+2500-257F,U+2580-259F,U+23B7-23BD"
# Arabic, Arabic Supplement, Arabic Extended-A, presentation forms A and B,
# plus ZWNJ/ZWJ/LRM/RLM and the dotted circle the shaper uses for lone marks.
ARABIC="$SP,U+0600-06FF,U+0750-077F,U+08A0-08FF,U+FB50-FDFF,U+FE70-FEFF,U+200C-200F,U+25CC"
# Devanagari, Devanagari Extended, Vedic Extensions, rupee sign, ZWNJ/ZWJ,
# dotted circle.
DEVANAGARI="$SP,U+0900-097F,U+A8E0-A8FF,U+1CD0-1CFF,U+20B9,U+200C-200D,U+25CC"
# CJK symbols and punctuation, hiragana, katakana, katakana phonetic
# extensions, CJK Unified Ideographs, halfwidth and fullwidth forms.
CJKR="$SP,U+3000-303F,U+3040-309F,U+30A0-30FF,U+31F0-31FF,U+4E00-9FFF,U+FF00-FFEF"

COMMON=(--layout-features='*' --no-hinting --notdef-outline
        --name-IDs='*' --name-languages='*')

# --- 3. subset ---------------------------------------------------------------
pyftsubset "$SANS" "${COMMON[@]}" --unicodes="$SYMBOLS" --output-file="$OUT/NotoSans-Regular-subset.ttf"
pyftsubset "$SYM"  "${COMMON[@]}" --unicodes="$SYMBOLS" --output-file="$OUT/NotoSansSymbols-Regular-subset.ttf"
pyftsubset "$SYM2" "${COMMON[@]}" --unicodes="$SYMBOLS" --output-file="$OUT/NotoSansSymbols2-Regular-subset.ttf"
pyftsubset "$MATH" "${COMMON[@]}" --unicodes="$SYMBOLS" --output-file="$OUT/NotoSansMath-Regular-subset.ttf"
pyftsubset "$MONO" "${COMMON[@]}" --unicodes="$BOX"     --output-file="$OUT/NotoSansMono-Regular-subset.ttf"
pyftsubset "$ARAB" "${COMMON[@]}" --unicodes="$ARABIC"  --output-file="$OUT/NotoSansArabic-Regular-subset.ttf"
pyftsubset "$DEVA" "${COMMON[@]}" --unicodes="$DEVANAGARI" --output-file="$OUT/NotoSansDevanagari-Regular-subset.ttf"
# Whole emoji font (every code point, all ZWJ/flag/keycap ligatures); the
# source has no hinting, so this only drops the glyph names.
pyftsubset "$EMOJI" "${COMMON[@]}" --unicodes='*' --output-file="$OUT/NotoEmoji-Regular.ttf"

# CJK: face 2 of the collection is "Noto Sans CJK SC".  Its 'locl' feature
# maps the code points to Japanese, Korean, Traditional (TW) and HK glyph forms
# (lookups of the JAN/KOR/ZHT/ZHH language systems); kept, those pull ~17,700
# extra glyphs (+4 MB).  So the face is first extracted with only the locl
# lookups of ZHS (Simplified Chinese) kept; every other feature stays.
"$PY" - "$CJK" 2 "$WORK/NotoSansCJKsc-Regular-zhs.otf" <<'EOF'
import sys
from fontTools.ttLib import TTFont
src, num, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
f = TTFont(src, fontNumber=num, recalcTimestamp=False)  # keep head.modified: reproducible output
assert f["name"].getDebugName(1) == "Noto Sans CJK SC", f["name"].getDebugName(1)
gsub = f["GSUB"].table
feats = gsub.FeatureList.FeatureRecord
keep = set()
for script in gsub.ScriptList.ScriptRecord:
    for rec in script.Script.LangSysRecord:
        if rec.LangSysTag == "ZHS ":
            for i in rec.LangSys.FeatureIndex:
                if feats[i].FeatureTag == "locl":
                    keep.update(feats[i].Feature.LookupListIndex)
dropped = set()
for fr in feats:
    if fr.FeatureTag == "locl":
        dropped |= set(fr.Feature.LookupListIndex) - keep
        fr.Feature.LookupListIndex = [i for i in fr.Feature.LookupListIndex if i in keep]
        fr.Feature.LookupCount = len(fr.Feature.LookupListIndex)
print(f"locl: kept ZHS lookups {sorted(keep)}, dropped {sorted(dropped)}", file=sys.stderr)
f.save(out)
EOF
pyftsubset "$WORK/NotoSansCJKsc-Regular-zhs.otf" "${COMMON[@]}" --unicodes="$CJKR" \
    --output-file="$OUT/NotoSansCJKsc-Regular-subset.otf"

# --- 4. check ----------------------------------------------------------------
"$PY" "$OUT/coverage-check.py" "$OUT" >"$OUT/coverage-check.txt"
ls -l "$OUT"
