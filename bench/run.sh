#!/usr/bin/env bash
# notis benchmark (issue 7), with the live preview's edit-to-rendered time (issue 5).
#
#   bench/run.sh                 # N = 1000 and 10000
#   bench/run.sh --large         # also N = 100000
#   bench/run.sh --sizes "500 2000" --runs 3 --keep
#   bench/run.sh --large --hugo-max 10000   # Hugo only up to N = 10000 (it needs ~8 min a run at 100000)
#
# Builds notis in release, generates the same corpus for notis and Hugo with bench/generate.py,
# runs `notis build` and `hugo` (when installed) once each untimed, then --runs times each, alternating,
# into new output directories, and prints Markdown tables: median wall time, ratio to Hugo, peak memory
# (/usr/bin/time %M, the largest of the runs) and files written; then notis's rebuild into an
# existing output with no change and with one item changed, and `notis serve`'s first build and
# edit-to-reload time for one news item (bench/edit_latency.py; median of --runs edits).
#
# Nothing is deleted until the script ends, and every run starts after `sync`: on ext4 without a
# journal, inodes freed in the last 60 s (360 s once their inode table block is dirty again, which
# the next build's first file in it makes it) are skipped one by one when new files are created, so
# a build in the minutes after `rm -rf` of a large output measures the deletion, not the build (when
# each size's outputs were removed before the next size, that size's first two runs were 30-65 %
# slower); and writeback of the previous run's files would compete for the CPU. With --large the
# outputs need about 10 GB of disk. Before each size's runs the caches are dropped and the inputs read
# back in (or, without the right to drop caches, the script waits 65 s).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
today=2026-11-23
seed=1
runs=5
sizes=(1000 10000)
keep=false
hugo_max=

while (($#)); do
    case $1 in
        --large) sizes+=(100000) ;;
        --runs) runs=$2; shift ;;
        --sizes) read -r -a sizes <<<"$2"; shift ;;
        --keep) keep=true ;;
        --hugo-max) hugo_max=$2; shift ;;
        -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
((runs >= 1)) || { echo "run.sh: --runs must be at least 1" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/notis-bench.XXXXXX")
serve_pid=
cleanup() {
    if [[ -n $serve_pid ]]; then
        kill "$serve_pid" 2>/dev/null || true
        wait "$serve_pid" 2>/dev/null || true
    fi
    if $keep; then
        echo "kept $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "# $*" >&2; }

if [[ ! -x /usr/bin/time ]]; then
    log "installing GNU time for peak memory"
    if ! { apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y time >/dev/null 2>&1; }; }; then
        echo "run.sh: /usr/bin/time is missing and could not be installed (apt-get install time)" >&2
        exit 1
    fi
fi

log "building notis (release)"
(cd "$repo" && cargo build --release --quiet)
notis=$repo/target/release/notis

hugo=$(command -v hugo || true)
if [[ -z $hugo ]]; then
    log "hugo is not installed (apt-get install -y hugo); Hugo rows are left out"
fi

# now: wall-clock seconds with microseconds.
now() { echo "$EPOCHREALTIME"; }
seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# median VALUES…: the median, three decimals.
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
maximum() { printf '%s\n' "$@" | sort -g | tail -1; }

# measure LOG COMMAND…: runs COMMAND; sets $wall (s) and $peak_kb. Fails loudly with the log.
measure() {
    local logfile=$1 start end
    shift
    start=$(now)
    if ! /usr/bin/time -f '%M' -o "$work/time.out" "$@" >"$logfile" 2>&1; then
        echo "run.sh: failed: $*" >&2
        tail -30 "$logfile" >&2
        exit 1
    fi
    end=$(now)
    wall=$(seconds_between "$start" "$end")
    peak_kb=$(tail -1 "$work/time.out")
}

count_files() { find "$1" -type f | wc -l | tr -d ' '; }

# settle PATHS…: flushes written files and makes sure freed inodes no longer slow down file
# creation: where the kernel allows it, drops the caches (then the kernel knows the freed inodes are
# on disk) and reads PATHS back in, so that no tool pays for a cold cache; elsewhere it waits.
settle() {
    sync
    if [[ -w /proc/sys/vm/drop_caches ]]; then
        echo 3 >/proc/sys/vm/drop_caches
        find "$@" -type f -exec cat {} + >/dev/null
    else
        sleep 65
    fi
}

build_rows=()
notis_rows=()

for n in "${sizes[@]}"; do
    site=$work/notis-$n
    hugo_site=$work/hugo-$n
    hugo_here=$hugo
    if [[ -n $hugo_max ]] && ((n > hugo_max)); then
        hugo_here=
    fi
    log "N=$n: generating the corpus"
    if [[ -n $hugo_here ]]; then
        python3 "$here/generate.py" --items "$n" --out "$site" --hugo "$hugo_site" --seed "$seed" >&2
    else
        python3 "$here/generate.py" --items "$n" --out "$site" --seed "$seed" >&2
    fi

    notis_times=() notis_mem=() hugo_times=() hugo_mem=()
    mkdir -p "$work/out-notis-$n" "$work/out-hugo-$n"
    inputs=("$notis" "$site")
    [[ -n $hugo_here ]] && inputs+=("$hugo" "$hugo_site")
    settle "${inputs[@]}"
    # One untimed run of each tool first: right after the caches are dropped, a run pays for memory the
    # system has just taken back (on a VM, the host), which says more about the drop than about the tool.
    log "N=$n: warm-up run"
    measure "$work/notis.log" "$notis" build --root "$site" --output "$work/out-notis-$n/warmup" --today "$today"
    sync
    if [[ -n $hugo_here ]]; then
        rm -rf "$hugo_site/resources"
        measure "$work/hugo.log" "$hugo" --source "$hugo_site" --destination "$work/out-hugo-$n/warmup" --quiet
        sync
    fi
    for ((run = 1; run <= runs; run++)); do
        log "N=$n: run $run/$runs"
        notis_out=$work/out-notis-$n/run$run
        measure "$work/notis.log" "$notis" build --root "$site" --output "$notis_out" --today "$today"
        notis_times+=("$wall") notis_mem+=("$peak_kb")
        log "N=$n: run $run/$runs: notis $wall s"
        sync
        if [[ -n $hugo_here ]]; then
            hugo_out=$work/out-hugo-$n/run$run
            rm -rf "$hugo_site/resources"
            measure "$work/hugo.log" "$hugo" --source "$hugo_site" --destination "$hugo_out" --quiet
            hugo_times+=("$wall") hugo_mem+=("$peak_kb")
            log "N=$n: run $run/$runs: hugo $wall s"
            sync
        fi
    done
    notis_median=$(median "${notis_times[@]}")
    notis_files=$(count_files "$notis_out")
    notis_peak=$(awk -v k="$(maximum "${notis_mem[@]}")" 'BEGIN { printf "%.0f", k / 1024 }')
    if [[ -n $hugo_here ]]; then
        hugo_median=$(median "${hugo_times[@]}")
        hugo_files=$(count_files "$hugo_out")
        hugo_peak=$(awk -v k="$(maximum "${hugo_mem[@]}")" 'BEGIN { printf "%.0f", k / 1024 }')
        ratio=$(awk -v a="$notis_median" -v b="$hugo_median" 'BEGIN { printf "%.2f", a / b }')
        build_rows+=("| $n | notis | $notis_median | $ratio | $notis_peak | $notis_files |")
        build_rows+=("| $n | hugo | $hugo_median | 1.00 | $hugo_peak | $hugo_files |")
    else
        build_rows+=("| $n | notis | $notis_median | – | $notis_peak | $notis_files |")
    fi
    settle "$notis" "$site" "$notis_out"

    # (a) Rebuilds into the existing output: nothing changed, then one news item changed.
    unchanged_times=() changed_times=()
    item=$(find "$site/content/nyheter" -name '2*.md' | sort | sed -n "$((n / 2 + 1))p")
    original=$(cat "$item")
    for ((run = 1; run <= runs; run++)); do
        measure "$work/notis.log" "$notis" build --root "$site" --output "$notis_out" --today "$today"
        unchanged_times+=("$wall")
    done
    for ((run = 1; run <= runs; run++)); do
        sed -i "s/^title: \"\\(.*\\)\"\$/title: \"\\1 (omskriven $run)\"/" "$item"
        measure "$work/notis.log" "$notis" build --root "$site" --output "$notis_out" --today "$today"
        changed_times+=("$wall")
        printf '%s\n' "$original" >"$item"
    done

    # (b) notis serve: first build, then edit → `data: reload` for one news item.
    log "N=$n: notis serve"
    serve_log=$work/serve-$n.log
    : >"$serve_log"
    start=$(now)
    "$notis" serve --root "$site" --port 0 --today "$today" >"$serve_log" 2>&1 &
    serve_pid=$!
    url=
    for ((i = 0; i < 6000; i++)); do
        url=$(sed -n 's/^Förhandsvisning på \(http[^ ]*\).*/\1/p' "$serve_log")
        [[ -n $url ]] && break
        kill -0 "$serve_pid" 2>/dev/null || { cat "$serve_log" >&2; exit 1; }
        sleep 0.1
    done
    [[ -n $url ]] || { echo "run.sh: notis serve printed no URL in 600 s" >&2; exit 1; }
    first_build=$(seconds_between "$start" "$(now)")
    if ! python3 "$here/edit_latency.py" --url "$url" --file "$item" --repeat "$runs" >"$work/edit.log" 2>&1; then
        cat "$work/edit.log" "$serve_log" >&2
        exit 1
    fi
    cat "$work/edit.log" >&2
    edit_ms=$(sed -n 's/^median_ms=//p' "$work/edit.log")
    serve_peak=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$serve_pid/status" 2>/dev/null || echo "?")
    kill "$serve_pid"
    wait "$serve_pid" 2>/dev/null || true
    serve_pid=
    printf '%s\n' "$original" >"$item"

    notis_rows+=("| $n | $(median "${unchanged_times[@]}") | $(median "${changed_times[@]}") | $first_build | $edit_ms | $serve_peak |")
done

echo
echo "notis $("$notis" --version 2>/dev/null | awk '{ print $2 }'), ${hugo:+$("$hugo" version | awk '{ print $1, $2 }'), }$(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), median of $runs runs"
echo
echo "| N | tool | median wall (s) | ratio to Hugo | peak memory (MB) | files written |"
echo "|---:|---|---:|---:|---:|---:|"
printf '%s\n' "${build_rows[@]}"
echo
echo "| N | notis rebuild, no change (s) | notis rebuild, one item changed (s) | serve: first build (s) | serve: edit → reload, median (ms) | serve peak memory (MB) |"
echo "|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${notis_rows[@]}"
