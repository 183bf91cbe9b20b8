import sys, wordfreq
from wordfreq import top_n_list, zipf_frequency
N = 200000
for lang in ("fr", "en"):
    words = top_n_list(lang, N, wordlist="best")
    seen = set(); rows = []
    for w in words:
        if w in seen or "\t" in w or "\n" in w:
            continue
        seen.add(w)
        rows.append((w, zipf_frequency(w, lang, wordlist="best")))
    # top_n_list is already in descending frequency order; stable sort keeps it for ties
    rows.sort(key=lambda r: -r[1])
    with open(f"rules/freq/{lang}.tsv", "w", encoding="utf-8", newline="\n") as f:
        for w, z in rows:
            f.write(f"{w}\t{z:.2f}\n")
    print(lang, len(words), "unique", len(rows), file=sys.stderr)
print(wordfreq.__version__ if hasattr(wordfreq, "__version__") else "")
