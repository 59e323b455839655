#!/usr/bin/env bash
# benches/compare.sh: times `chainrule render` against Graphviz's `dot -Tsvg` on the same
# generated MLPs and counts both layouts' crossings (benches/crossings.py), then times
# `chainrule eval` against micrograd doing forward and backward on the same network
# (benches/micrograd_mlp.py, which first checks that both compute the same numbers), and
# last times the gallery (every shipped scenario's figures and frames). Prints medians, peak
# memory and ratios side by side; the README's tables come from its output.
#
# Its sibling benches/layout_report.py looks at the figures people draw instead: for every
# figure of the gallery and of tests/corpus/, crossings and area per node of ours and of dot's
# layout of the same DOT, and the labels that overlap in a browser.
#
# Usage: benches/compare.sh               (everything below at its default)
#        SIZES="3,8,8,1 4,16,16,1" EVAL_SIZES="" GALLERY=0 benches/compare.sh
# Environment:
#   SIZES      MLPs for the render comparison, as for `chainrule gen mlp --sizes` (default
#              "3,8,8,1 4,16,16,1 6,32,24,1 16,48,48,4": 327, 1,080, 3,074 and 10,019 nodes;
#              "" skips it)
#   EVAL_SIZES MLPs for the eval comparison (default "4,16,16,1 16,48,48,4 128,512,512,1",
#              the last 986,756 nodes; "" skips it)
#   GALLERY    1 (default) to time the gallery, 0 to skip it
#   RUNS       timed runs of each command, the median reported (default 5)
#   LONG       a command whose first run takes more seconds than this is not run again (30)
#   TIMEOUT    seconds after which a run is abandoned and reported as "> TIMEOUT" (600)
#   WORK       where the generated files go (default target/compare)
#   CHAINRULE  the binary to measure (default target/release/chainrule, built first)
#
# Needs cargo, python3 and Graphviz's dot (Debian: apt-get install graphviz); uses hyperfine
# when it is installed (apt-get install hyperfine, its warnings go to WORK/hyperfine.log),
# otherwise times a loop itself, which counts a few ms of shell start-up per run. micrograd
# is installed from PyPI into WORK/venv on first use. Times are wall-clock seconds of whole
# processes (start-up, reading the file and writing the output included); peak memory is the
# largest resident set (GNU time's %M). Run it on an idle machine: a build running beside it
# skews everything.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES-"3,8,8,1 4,16,16,1 6,32,24,1 16,48,48,4"}
EVAL_SIZES=${EVAL_SIZES-"4,16,16,1 16,48,48,4 128,512,512,1"}
GALLERY=${GALLERY:-1}
RUNS=${RUNS:-5}
LONG=${LONG:-30}
TIMEOUT=${TIMEOUT:-600}
WORK=${WORK:-target/compare}
if [ -z "${CHAINRULE:-}" ]; then
  cargo build --release --quiet
  CHAINRULE=target/release/chainrule
fi
mkdir -p "$WORK"

# Runs the shell command $1 once under a timeout; sets SECONDS_TAKEN and PEAK_MB, or returns
# 124 when it ran out of time.
once() {
  local start end rc=0
  start=$(date +%s%N)
  /usr/bin/time -f %M -o "$WORK/peak" timeout "$TIMEOUT" bash -c "$1" || rc=$?
  end=$(date +%s%N)
  if [ "$rc" = 124 ]; then return 124; fi
  if [ "$rc" != 0 ]; then echo "compare.sh: failed ($rc): $1" >&2; exit 1; fi
  SECONDS_TAKEN=$(python3 -c "print(($end - $start) / 1e9)")
  PEAK_MB=$(python3 -c "print(round($(tail -1 "$WORK/peak") / 1024))")
}

# Times the shell command $1: sets MEDIAN (seconds, or "> TIMEOUT") and PEAK_MB (or "-").
timed() {
  if ! once "$1"; then
    MEDIAN="> $TIMEOUT"
    PEAK_MB=-
    return
  fi
  MEDIAN=$SECONDS_TAKEN
  if [ "$RUNS" -le 1 ] || python3 -c "import sys; sys.exit(not $SECONDS_TAKEN > $LONG)"; then
    return
  fi
  if command -v hyperfine >/dev/null; then
    hyperfine --warmup 1 --runs "$RUNS" --style none --export-json "$WORK/hyperfine.json" \
      "$1" >/dev/null 2>>"$WORK/hyperfine.log"
    MEDIAN=$(python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['results'][0]['median'])" \
      "$WORK/hyperfine.json")
  else
    local times=() start end
    for _ in $(seq "$RUNS"); do
      start=$(date +%s%N)
      bash -c "$1"
      end=$(date +%s%N)
      times+=("$((end - start))")
    done
    MEDIAN=$(python3 -c "import statistics, sys; print(statistics.median(map(int, sys.argv[1:])) / 1e9)" \
      "${times[@]}")
  fi
}

# Seconds for a person: 3 significant digits, or the "> TIMEOUT" mark as it is.
show() { case "$1" in ">"*) echo "$1 s" ;; *) python3 -c "print(f'{$1:.3g} s')" ;; esac; }

# $1 / $2 with 3 significant digits, or "-" when either is not a number.
ratio() {
  python3 - "$1" "$2" <<'PY'
import sys
try:
    print(f"{float(sys.argv[1]) / float(sys.argv[2]):.3g}")
except (ValueError, ZeroDivisionError):
    print("-")
PY
}

nodes() { python3 -c "import json, sys; print(len(json.load(open(sys.argv[1]))['nodes']))" "$1"; }

echo "machine: $(nproc) cores, $(uname -sr); $($CHAINRULE --version)"

if [ -n "$SIZES" ] && ! command -v dot >/dev/null; then
  echo "dot not found: skipping the render comparison (install Graphviz: apt-get install graphviz)"
  SIZES=
fi

if [ -n "$SIZES" ]; then
  echo "render: chainrule render --format svg vs dot -Tsvg ($(dot -V 2>&1)), every edge labelled; $RUNS runs, medians"
  echo
  printf '%-12s %7s | %12s %12s %8s | %9s %9s %7s | %8s %8s\n' \
    mlp nodes chainrule dot 'dot/ours' 'cross us' 'cross dot' 'us/dot' 'MB us' 'MB dot'
  for sizes in $SIZES; do
    name=mlp-${sizes//,/-}
    file=$WORK/$name.json
    $CHAINRULE gen mlp --sizes "$sizes" >"$file"
    # Every value and gradient on its edge in both, as dot's labels are.
    $CHAINRULE render "$file" --format dot --edge-labels 1000000 -o "$WORK/dot"
    timed "$CHAINRULE render $file --format svg --edge-labels 1000000 -o $WORK/ours 2>/dev/null"
    ours=$MEDIAN ours_mb=$PEAK_MB ours_cross=-
    [ "$PEAK_MB" = - ] || ours_cross=$(python3 benches/crossings.py "$WORK/ours/$name.svg")
    timed "dot -Tsvg $WORK/dot/$name.dot -o $WORK/dot/$name.svg"
    theirs=$MEDIAN theirs_mb=$PEAK_MB theirs_cross=-
    if [ "$PEAK_MB" != - ] &&
      timeout "$TIMEOUT" dot -Tplain "$WORK/dot/$name.dot" -o "$WORK/dot/$name.plain"; then
      theirs_cross=$(python3 benches/crossings.py "$WORK/dot/$name.plain")
    fi
    printf '%-12s %7s | %12s %12s %8s | %9s %9s %7s | %8s %8s\n' "$sizes" "$(nodes "$file")" \
      "$(show "$ours")" "$(show "$theirs")" "$(ratio "$theirs" "$ours")" \
      "$ours_cross" "$theirs_cross" "$(ratio "$ours_cross" "$theirs_cross")" "$ours_mb" "$theirs_mb"
  done
  echo
fi

if [ -n "$EVAL_SIZES" ]; then
  if [ ! -x "$WORK/venv/bin/python" ]; then
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install --quiet micrograd
  fi
  PYTHON=$WORK/venv/bin/python
  echo "eval: chainrule eval vs micrograd forward + backward ($($PYTHON -V 2>&1))"
  echo
  printf '%-16s %9s | %12s %12s %8s | %8s %8s\n' mlp nodes chainrule micrograd 'mg/ours' 'MB us' 'MB mg'
  phases=()
  for sizes in $EVAL_SIZES; do
    name=mlp-${sizes//,/-}
    file=$WORK/$name.json
    $CHAINRULE gen mlp --sizes "$sizes" >"$file"
    $CHAINRULE eval "$file" --json >"$WORK/$name.eval.json"
    $PYTHON benches/micrograd_mlp.py "$file" --check "$WORK/$name.eval.json" >/dev/null
    timed "$CHAINRULE eval $file >/dev/null"
    ours=$MEDIAN ours_mb=$PEAK_MB
    timed "$PYTHON benches/micrograd_mlp.py $file >/dev/null"
    printf '%-16s %9s | %12s %12s %8s | %8s %8s\n' "$sizes" "$(nodes "$file")" \
      "$(show "$ours")" "$(show "$MEDIAN")" "$(ratio "$MEDIAN" "$ours")" "$ours_mb" "$PEAK_MB"
    phases+=("$sizes $($PYTHON benches/micrograd_mlp.py "$file" --phases 2>&1 >/dev/null)")
  done
  echo
  printf '%s\n' "${phases[@]}"
  echo "(chainrule's own stages: cargo bench --features bench --bench stages -- 'parse|numbers|table')"
fi

if [ "$GALLERY" = 1 ]; then
  echo
  echo "gallery: every scenario in scenarios/, all figures and frames; $RUNS runs, medians"
  echo
  printf '%-44s | %8s | %6s\n' what time 'peak MB'
  # The main command: figures as SVG and PNG, frames as SVG, PNG, GIF, APNG, PDF and HTML.
  timed "$CHAINRULE render scenarios -o $WORK/gallery --frames 2>/dev/null"
  printf '%-44s | %8s | %6s\n' "render --frames (every format)" "$(show "$MEDIAN")" "$PEAK_MB"
  # Every figure and frame as SVG and PNG only.
  timed "$CHAINRULE render scenarios -o $WORK/gallery 2>/dev/null &&
    $CHAINRULE frames scenarios -o $WORK/gallery --format svg,png 2>/dev/null"
  printf '%-44s | %8s | %6s\n' "render, then frames --format svg,png" "$(show "$MEDIAN")" "$PEAK_MB"
fi
