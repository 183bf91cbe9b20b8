#!/usr/bin/env bash
# Corpus throughput: ocrtidy clean against cp -r of the same tree, in one run.
#
#   benches/corpus.sh [--files N] [--big-mb M] [--compare]
#
# Builds, on tmpfs when there is one (/dev/shm), a corpus of the five seeds copied to N files
# (default 15,000, about 50 MB) with varied names in nested directories, the same tree of
# one-line files, and a single file of about M MB (default 100). Then times, on a warm cache:
#   - cp -r of the many-file tree, and ocrtidy clean of it (MB/s, the ratio, and the CPU time
#     taken: on a shared machine, wall times move with the neighbours' load, CPU times less);
#   - cp -r and ocrtidy clean of the one-line files: the cost of the files themselves, with
#     next to nothing to clean (the tree's time above it is the cleaning);
#   - ocrtidy clean of the single big file (MB/s, peak memory and CPU time, from
#     /usr/bin/time).
# With --compare, also installs ftfy and unstructured from PyPI into a virtualenv and times
# their text cleaners over the same many-file tree.
#
# Prints one line per measure; record the figures in BENCHMARKS.md with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

files=15000
big_mb=100
compare=0
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files=$2; shift 2 ;;
    --big-mb) big_mb=$2; shift 2 ;;
    --compare) compare=1; shift ;;
    *) echo "usage: benches/corpus.sh [--files N] [--big-mb M] [--compare]" >&2; exit 2 ;;
  esac
done

cargo build --release --locked -q
bin=$PWD/target/release/ocrtidy

if [ -d /dev/shm ] && [ -w /dev/shm ]; then base=/dev/shm; else base=${TMPDIR:-/tmp}; fi
work=$(mktemp -d "$base/ocrtidy-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "corpus in $work ($(df -h --output=fstype "$work" | tail -1 | tr -d ' '))"

# The many-file tree: seeds copied under varied names and directories.
python3 - "$work/tree" "$files" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
seeds = sorted(f for f in os.listdir("raw") if f.endswith(".txt"))
texts = [open(os.path.join("raw", f), "rb").read() for f in seeds]
names = ["lettre", "telegram", "pamphlet", "journal", "livre", "report", "tract", "note"]
for i in range(n):
    d = os.path.join(root, f"{names[i % len(names)]}s", f"{(i // 100) % 50:02d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{names[(i * 7) % len(names)]}-{i:05d}-{seeds[i % len(seeds)][:3]}.txt"), "wb") as f:
        f.write(texts[i % len(texts)])
PY
# The same tree of one-line files: what opening, reading, writing and renaming 15,000 files
# costs, with next to nothing to clean (the floor under the tree's time).
python3 - "$work/lines" "$files" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
names = ["lettre", "telegram", "pamphlet", "journal", "livre", "report", "tract", "note"]
for i in range(n):
    d = os.path.join(root, f"{names[i % len(names)]}s", f"{(i // 100) % 50:02d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{names[(i * 7) % len(names)]}-{i:05d}.txt"), "w", encoding="utf-8") as f:
        f.write(f"Une lettre courte, numéro {i}, écrite à Paris.\n")
PY
# The single big file: the seeds again and again, as one document.
python3 - "$work/big.txt" "$big_mb" <<'PY'
import os, sys
path, mb = sys.argv[1], int(sys.argv[2])
seeds = sorted(f for f in os.listdir("raw") if f.endswith(".txt"))
text = b"\n\n".join(open(os.path.join("raw", f), "rb").read() for f in seeds)
with open(path, "wb") as f:
    n = 0
    while n < mb * 1_000_000:
        f.write(text + b"\n\n")
        n += len(text) + 2
PY
tree_bytes=$(du -sb --apparent-size "$work/tree" | cut -f1)
big_bytes=$(stat -c %s "$work/big.txt")
nfiles=$(find "$work/tree" -type f | wc -l)
echo "tree: $nfiles files, $(awk -v b="$tree_bytes" 'BEGIN{printf "%.1f", b/1e6}') MB; big file: $(awk -v b="$big_bytes" 'BEGIN{printf "%.1f", b/1e6}') MB"

# Warm the cache.
find "$work/tree" "$work/lines" -type f -exec cat {} + > /dev/null
cat "$work/big.txt" > /dev/null

seconds() { # command... -> wall seconds
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN{printf "%.3f", b-a}'
}
rate() { awk -v b="$1" -v s="$2" 'BEGIN{printf "%.1f", b/1e6/s}'; }

rm -rf "$work/cp"
t_cp=$(seconds cp -r "$work/tree" "$work/cp")
rm -rf "$work/out"
/usr/bin/time -f "%e %U %S" -o "$work/tree-time.txt" "$bin" clean "$work/tree" -o "$work/out" -q
read -r t_clean u_clean s_clean < "$work/tree-time.txt"
cpu_clean=$(awk -v u="$u_clean" -v s="$s_clean" 'BEGIN{printf "%.2f", u+s}')
echo "cp -r:          $t_cp s  $(rate "$tree_bytes" "$t_cp") MB/s"
echo "ocrtidy clean:  $t_clean s  $(rate "$tree_bytes" "$t_clean") MB/s  ($(awk -v a="$t_clean" -v b="$t_cp" 'BEGIN{printf "%.1f", a/b}')x cp -r)  CPU $cpu_clean s"

rm -rf "$work/lines-cp" "$work/lines-out"
t_lines_cp=$(seconds cp -r "$work/lines" "$work/lines-cp")
t_lines=$(seconds "$bin" clean "$work/lines" -o "$work/lines-out" -q)
echo "one-line files: cp -r $t_lines_cp s, ocrtidy clean $t_lines s ($(awk -v a="$t_lines" -v b="$t_lines_cp" 'BEGIN{printf "%.1f", a/b}')x cp -r): the per-file floor"

rm -rf "$work/big-out"
/usr/bin/time -v "$bin" clean "$work/big.txt" -o "$work/big-out" -q --max-file-size 2G 2> "$work/time.txt" || true
t_big=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$work/time.txt")
rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$work/time.txt")
cpu_big=$(awk -F': ' '/User time|System time/{s+=$2} END{printf "%.2f", s}' "$work/time.txt")
echo "big file:       $t_big s  $(rate "$big_bytes" "$t_big") MB/s  peak memory $((rss / 1024)) MB ($(awk -v r="$rss" -v b="$big_bytes" 'BEGIN{printf "%.1f", r*1024/b}')x the file)  CPU $cpu_big s"

if [ "$compare" = 1 ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q ftfy unstructured > /dev/null
  cat > "$work/other.py" <<'PY'
import os, sys, time
tool, root = sys.argv[1], sys.argv[2]
if tool == "ftfy":
    import ftfy
    fix = ftfy.fix_text
else:
    from unstructured.cleaners.core import clean, group_broken_paragraphs, replace_unicode_quotes
    def fix(t):
        return clean(replace_unicode_quotes(group_broken_paragraphs(t)), extra_whitespace=True, dashes=False, bullets=False, trailing_punctuation=False)
paths = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]
start = time.perf_counter()
n = 0
for p in paths:
    t = open(p, encoding="utf-8").read()
    n += len(t.encode())
    fix(t)
s = time.perf_counter() - start
print(f"{tool}: {s:.2f} s  {n / 1e6 / s:.1f} MB/s")
PY
  "$work/venv/bin/python" "$work/other.py" ftfy "$work/tree"
  "$work/venv/bin/python" "$work/other.py" unstructured "$work/tree"
fi
