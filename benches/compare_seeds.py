"""What other cleaners fix on the seeds: WER against the hand-made seed gold.

    python benches/compare_seeds.py            (with ftfy and unstructured installed)

Tokens are whitespace-separated words; WER is word-level Levenshtein distance over the gold's
token count, the same definition as `ocrtidy eval`. Prints one row per tool: raw, ftfy,
unstructured's cleaners, and ocrtidy (target/release/ocrtidy, built beforehand).
"""
import os
import subprocess
import sys


def wer(out, gold):
    a, b = out.split(), gold.split()
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y))
        prev = cur
    return prev[-1], len(b)


def tools():
    yield "raw", lambda t: t
    import ftfy
    yield f"ftfy {ftfy.__version__}", ftfy.fix_text
    yield "ftfy, quotes kept", lambda t: ftfy.fix_text(t, uncurl_quotes=False)
    from unstructured.cleaners.core import clean, group_broken_paragraphs, replace_unicode_quotes
    from unstructured.__version__ import __version__ as version
    yield (
        f"unstructured {version}",
        lambda t: clean(replace_unicode_quotes(group_broken_paragraphs(t)), extra_whitespace=True),
    )
    binary = os.path.join("target", "release", "ocrtidy")
    yield "ocrtidy", lambda t: subprocess.run(
        [binary, "clean", "-"], input=t.encode(), capture_output=True, check=True
    ).stdout.decode()


names = sorted(f for f in os.listdir("raw") if f.endswith(".txt"))
for label, fix in tools():
    errors = total = changed = 0
    for name in names:
        raw = open(os.path.join("raw", name), encoding="utf-8").read()
        gold = open(os.path.join("quality", "seeds", "gold", name), encoding="utf-8").read()
        out = fix(raw)
        e, n = wer(out, gold)
        errors += e
        total += n
        changed += out.split() != raw.split()
    print(f"{label:24} WER {100 * errors / total:5.2f}%  ({errors} word errors / {total}; words changed in {changed} of {len(names)} files)")
sys.exit(0)
