#!/usr/bin/env bash
# bench/run.sh — build speed of runbook against mdBook (issue 7).
#
#   bench/run.sh [RUNS]        (RUNS per tool and size, default 5, at least 3)
#
# Builds the synthetic corpus of ../shared/bench/make-corpus.sh (mdBook layout) and times
#   - runbook build --guide DIR/src --out OUT   and   mdbook build DIR
#     on 1,000 chapters, ALTERNATING runbook and mdbook, RUNS runs each; prints both medians
#     and the ratio mdbook/runbook (acceptance: runbook <= mdbook / 10);
#   - both again into a fresh output folder (runbook without its recycled output), 3 runs each,
#     for information;
#   - runbook alone on 100 and 10,000 chapters, RUNS runs each, and the ratio 10000/1000
#     (acceptance: <= 12);
#   - peak memory (Maximum resident set size, /usr/bin/time -v) of runbook on 1,000 chapters;
#   - the machine: nproc, CPU model, memory.
# Env: BENCH_DIR (scratch, default /tmp/runbook-bench), RUNBOOK (binary, default
#      target/release/runbook, built with `cargo build --release` if missing or BENCH_BUILD=1),
#      MDBOOK (default: mdbook on PATH or ~/.cargo/bin/mdbook; installed with
#      `cargo install mdbook --locked` if missing).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${1:-5}
if ! [[ $RUNS =~ ^[0-9]+$ ]] || (( RUNS < 3 )); then echo "usage: $0 [RUNS>=3]" >&2; exit 2; fi
MAKE_CORPUS=${MAKE_CORPUS:-$ROOT/../shared/bench/make-corpus.sh}
WORK=${BENCH_DIR:-/tmp/runbook-bench}
RUNBOOK=${RUNBOOK:-$ROOT/target/release/runbook}

die() { echo "bench: $*" >&2; exit 1; }
[[ -x $MAKE_CORPUS ]] || die "corpus generator not found: $MAKE_CORPUS"

# --- tools -------------------------------------------------------------------------------------
if [[ ! -x $RUNBOOK || ${BENCH_BUILD:-0} == 1 ]]; then
  echo "bench: building runbook (release)" >&2
  (cd "$ROOT" && cargo build --release --quiet)
fi
if [[ -z ${MDBOOK:-} ]]; then
  if command -v mdbook >/dev/null; then MDBOOK=$(command -v mdbook)
  elif [[ -x $HOME/.cargo/bin/mdbook ]]; then MDBOOK=$HOME/.cargo/bin/mdbook
  else
    echo "bench: installing mdbook (cargo install mdbook --locked; a few minutes)" >&2
    cargo install mdbook --locked --quiet
    MDBOOK=$HOME/.cargo/bin/mdbook
  fi
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "bench: installing GNU time (apt-get install time)" >&2
  if [[ $(id -u) == 0 ]]; then apt-get install -y -qq time >/dev/null
  else sudo apt-get install -y -qq time >/dev/null; fi
fi

# --- helpers -----------------------------------------------------------------------------------
now() { date +%s.%N; }
# time_cmd OUTVAR CMD...: run CMD (stdout+stderr discarded), store elapsed seconds; fail loudly.
time_cmd() {
  local __var=$1; shift
  local t0 t1
  # every timed run starts with nothing left to write back from the run before (as hyperfine's
  # `--prepare sync`): the other tool's output is not flushed on this one's time
  sync
  t0=$(now)
  if ! "$@" >"$WORK/last.log" 2>&1; then
    tail -20 "$WORK/last.log" >&2
    die "failed: $*"
  fi
  t1=$(now)
  printf -v "$__var" '%s' "$(echo "$t1 - $t0" | bc -l)"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
fmt() { printf '%.3f' "$1"; }
corpus() {  # corpus N -> prints dir, generating it once
  local d=$WORK/corpus-$1
  [[ -f $d/src/SUMMARY.md ]] || "$MAKE_CORPUS" "$1" "$d" >/dev/null
  echo "$d"
}
# one output folder per corpus, as a project has: a build of another size into the same folder
# would first have to delete (or create) thousands of files, and the file system's work on them
# spills into the next runs
rb() { "$RUNBOOK" build --guide "$1/src" --out "$WORK/out-runbook-$(basename "$1")"; }
mb() { "$MDBOOK" build "$1" --dest-dir "$WORK/out-mdbook"; }

mkdir -p "$WORK"
command -v bc >/dev/null || die "bc is required"

# --- machine -----------------------------------------------------------------------------------
echo "== machine"
echo "nproc:   $(nproc)"
echo "cpu:     $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
echo "memory:  $(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "kernel:  $(uname -sr)"
echo "runbook: $("$RUNBOOK" --version)   mdbook: $("$MDBOOK" --version)"
echo "runs:    $RUNS per tool and size"
echo

declare -A CORPUS
for n in 100 1000 10000; do CORPUS[$n]=$(corpus "$n"); done
C1000=${CORPUS[1000]}
echo "corpus:  $(du -sh "$C1000/src" | cut -f1) for 1000 chapters ($(find "$C1000/src" -type f | wc -l) files)"
echo

# warm-up (page cache, first-run effects), not counted
rb "$C1000" >/dev/null 2>&1 || die "runbook build of the 1000-chapter corpus fails"
mb "$C1000" >/dev/null 2>&1 || die "mdbook build of the 1000-chapter corpus fails"

# --- 1000 chapters, alternating ------------------------------------------------------------------
echo "== 1000 chapters: runbook vs mdbook (alternating)"
R1000=(); M1000=()
for ((i = 1; i <= RUNS; i++)); do
  time_cmd t rb "$C1000"; R1000+=("$t")
  time_cmd u mb "$C1000"; M1000+=("$u")
  printf 'run %d: runbook %ss  mdbook %ss\n' "$i" "$(fmt "$t")" "$(fmt "$u")"
done
RMED=$(median "${R1000[@]}"); MMED=$(median "${M1000[@]}")
RATIO=$(echo "$MMED / $RMED" | bc -l)
printf 'median: runbook %ss  mdbook %ss  ratio mdbook/runbook %.1fx (need >= 10)\n' \
  "$RMED" "$MMED" "$RATIO"
echo

# --- cold: into a fresh output folder --------------------------------------------------------------
# runbook recycles the previous output (kept as a hidden .NAME.prev) and leaves files that already
# hold the new bytes; this is the figure without that: every file created anew, as in a CI job.
echo "== 1000 chapters into a fresh output folder (no recycled output; alternating)"
rb_cold() { "$RUNBOOK" build --guide "$1/src" --out "$WORK/out-cold"; }
mb_cold() { "$MDBOOK" build "$1" --dest-dir "$WORK/out-mdbook-cold"; }
RC=(); MC=()
for ((i = 1; i <= 3; i++)); do
  rm -rf "$WORK/out-cold" "$WORK/.out-cold.prev" "$WORK/out-mdbook-cold"  # not timed
  time_cmd t rb_cold "$C1000"; RC+=("$t")
  time_cmd u mb_cold "$C1000"; MC+=("$u")
done
RCMED=$(median "${RC[@]}"); MCMED=$(median "${MC[@]}")
printf 'median: runbook %ss  mdbook %ss  ratio %.1fx (for information)\n' \
  "$RCMED" "$MCMED" "$(echo "$MCMED / $RCMED" | bc -l)"
rm -rf "$WORK/out-cold" "$WORK/out-mdbook-cold"
echo

# --- growth --------------------------------------------------------------------------------------
echo "== runbook growth"
declare -A MED
MED[1000]=$RMED
for n in 100 10000; do
  T=()
  rb "${CORPUS[$n]}" >/dev/null 2>&1 || die "runbook build of the $n-chapter corpus fails"   # warm-up
  for ((i = 1; i <= RUNS; i++)); do time_cmd t rb "${CORPUS[$n]}"; T+=("$t"); done
  MED[$n]=$(median "${T[@]}")
done
for n in 100 1000 10000; do printf '%6d chapters: median %ss\n' "$n" "${MED[$n]}"; done
GROWTH=$(echo "${MED[10000]} / ${MED[1000]}" | bc -l)
printf 'ratio 10000/1000: %.2f (need <= 12)\n' "$GROWTH"
echo

# --- memory --------------------------------------------------------------------------------------
echo "== peak memory, 1000 chapters"
/usr/bin/time -v "$RUNBOOK" build --guide "$C1000/src" --out "$WORK/out-runbook-$(basename "$C1000")" \
  >/dev/null 2>"$WORK/time-runbook.log" || die "runbook failed under /usr/bin/time"
/usr/bin/time -v "$MDBOOK" build "$C1000" --dest-dir "$WORK/out-mdbook" \
  >/dev/null 2>"$WORK/time-mdbook.log" || die "mdbook failed under /usr/bin/time"
rss() { awk -F': ' '/Maximum resident set size/ {printf "%.1f MiB", $2/1024}' "$1"; }
echo "runbook: $(rss "$WORK/time-runbook.log")   mdbook: $(rss "$WORK/time-mdbook.log")"
echo

# --- verdict -------------------------------------------------------------------------------------
ok=1
if (( $(echo "$RATIO >= 10" | bc -l) )); then echo "PASS speed: runbook is $(printf '%.1f' "$RATIO")x faster than mdbook"
else echo "FAIL speed: runbook is only $(printf '%.1f' "$RATIO")x faster than mdbook (need 10x)"; ok=0; fi
if (( $(echo "$GROWTH <= 12" | bc -l) )); then echo "PASS growth: 10000/1000 = $(printf '%.2f' "$GROWTH")"
else echo "FAIL growth: 10000/1000 = $(printf '%.2f' "$GROWTH") (need <= 12)"; ok=0; fi
(( ok )) || exit 1
