#!/usr/bin/env bash
# The one place the tests get what they need from outside Rust:
#   poppler-utils (pdftotext, pdfinfo)  the PDF tests read the real PDF
#   chromium, nodejs, npm               the browser tests (axe-core)
#   libreoffice-calc-nogui (soffice)    the spreadsheet tests make their input
#                                       workbooks with it and read exports back
#   minisign                            the signing tests check pack's signatures
#                                       with it, and pack checks its signatures
#   curl, xz-utils                      the install tests run action/install.sh
#                                       and the release's installer on .tar.xz
#   tests/browser/node_modules          playwright-core and axe-core, pinned
#                                       in tests/browser/package-lock.json
#   python3-venv                        the schema tests' validator lives in a
#                                       virtual environment (Debian's Python
#                                       refuses system-wide pip installs)
#   tests/schema/venv                   check-jsonschema, pinned in
#                                       tests/schema/requirements.txt
#   tests/lsp/node_modules              yaml-language-server, pinned in
#                                       tests/lsp/package-lock.json
# Installs what is missing from Debian and the npm registry when it can
# (as root with apt-get); otherwise says what to install and fails. Never
# downloads a browser: playwright-core drives Debian's chromium.
# Used by .ci/run and by the tests themselves; quick when all is there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

missing=()
command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)
command -v "${CHROMIUM:-chromium}" >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
command -v minisign >/dev/null 2>&1 || missing+=(minisign)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v xz >/dev/null 2>&1 || missing+=(xz-utils)
# Debian's own Python, not a pyenv shim that may be first on PATH.
python=/usr/bin/python3
[ -x "$python" ] || missing+=(python3)
"$python" -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]} from Debian" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: the tests need these Debian packages: ${missing[*]}" >&2
    echo "setup: install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# npm packages, exactly as locked; reinstalled only when the lock changes.
stamp="$here/browser/node_modules/.lock-stamp"
if ! cmp -s "$here/browser/package-lock.json" "$stamp" 2>/dev/null; then
  echo "setup: installing the browser test packages (npm ci)" >&2
  (cd "$here/browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent >/dev/null)
  cp "$here/browser/package-lock.json" "$stamp"
fi

# npm packages of the language-server tests, the same way.
stamp="$here/lsp/node_modules/.lock-stamp"
if ! cmp -s "$here/lsp/package-lock.json" "$stamp" 2>/dev/null; then
  echo "setup: installing the language-server test packages (npm ci)" >&2
  (cd "$here/lsp" && npm ci --no-audit --no-fund --silent >/dev/null)
  cp "$here/lsp/package-lock.json" "$stamp"
fi

# The schema validator, exactly as pinned, in a virtual environment under
# tests/ (gitignored); remade only when the requirements change.
venv="$here/schema/venv"
stamp="$venv/.requirements-stamp"
if ! cmp -s "$here/schema/requirements.txt" "$stamp" 2>/dev/null; then
  echo "setup: installing check-jsonschema into tests/schema/venv (pip)" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/schema/requirements.txt"
  cp "$here/schema/requirements.txt" "$stamp"
fi
