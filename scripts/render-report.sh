#!/usr/bin/env bash
# render-report.sh — render a b2h HTML report to PNG with headless Chromium,
# to check that the page opens offline and its charts draw.
#
#   scripts/render-report.sh REPORT.html OUT.png [WIDTH] [HEIGHT]
#
# Without REPORT.html, it makes one: a demo sync against the built-in
# simulators, then `b2h report --format html` (needs the report command
# wired into b2h). CHROMIUM overrides the browser binary. Network access is
# disabled for the browser: the report must be self-contained.
set -euo pipefail

html="${1:-}"
out="${2:-report.png}"
width="${3:-1200}"
height="${4:-3600}"

browser="${CHROMIUM:-}"
if [[ -z "$browser" ]]; then
	for b in chromium chromium-browser google-chrome google-chrome-stable; do
		if command -v "$b" >/dev/null 2>&1; then browser="$(command -v "$b")"; break; fi
	done
fi
if [[ -z "$browser" ]]; then
	echo "render-report: no Chromium found (install it, e.g. apt-get install chromium, or set CHROMIUM)" >&2
	exit 3
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [[ -z "$html" ]]; then
	root="$(cd "$(dirname "$0")/.." && pwd)"
	(cd "$root" && go build -o "$tmp/b2h" .)
	"$tmp/b2h" sync --demo --demo-tier enterprise --demo-scale 300 --yes --state "$tmp/state.db" >/dev/null || true
	"$tmp/b2h" report --state "$tmp/state.db" --format html -o "$tmp/report.html"
	html="$tmp/report.html"
fi
[[ -f "$html" ]] || { echo "render-report: $html: no such file" >&2; exit 2; }
abs="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"

# --no-sandbox: root in containers; the proxy settings make any fetch fail.
"$browser" --headless --disable-gpu --no-sandbox --hide-scrollbars --no-first-run \
	--user-data-dir="$tmp/profile" --proxy-server="127.0.0.1:9" --proxy-bypass-list="<-loopback>" \
	--window-size="${width},${height}" --screenshot="$out" "file://$abs" >"$tmp/chromium.log" 2>&1 || {
	cat "$tmp/chromium.log" >&2
	exit 1
}
[[ -s "$out" ]] || { echo "render-report: Chromium wrote no screenshot" >&2; cat "$tmp/chromium.log" >&2; exit 1; }
echo "$out"
