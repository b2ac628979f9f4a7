"""Dict-heavy word counting on deterministically generated text.

Stresses: dict get/set with string keys, str.split, str.lower, dict iteration,
sorted() with a key, bigram tuples as dict keys, dict.setdefault.
"""
import sys

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "po", "qu", "dr",
             "an", "el", "is", "or", "um", "th", "sh", "ch"]


def make_vocab(size, seed):
    vocab = []
    x = seed
    for i in range(size):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        nsyl = 1 + (x >> 8) % 4
        w = ""
        y = x
        for _ in range(nsyl):
            w += SYLLABLES[y % len(SYLLABLES)]
            y //= len(SYLLABLES)
        if i % 5 == 0:
            w = w.capitalize()
        vocab.append(w)
    return vocab


def make_text(nwords, vocab):
    words = []
    x = 42
    nv = len(vocab)
    for i in range(nwords):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        # skewed (Zipf-like) choice: small indices much more frequent
        r = (x >> 4) % nv
        r = (r * r) // nv
        w = vocab[r]
        if i % 13 == 12:
            w += "."
        elif i % 7 == 6:
            w += ","
        words.append(w)
    lines = []
    for k in range(0, len(words), 12):
        lines.append(" ".join(words[k:k + 12]))
    return "\n".join(lines)


def count(text):
    counts = {}
    bigrams = {}
    first_seen = {}
    prev = None
    pos = 0
    for line in text.split("\n"):
        for raw in line.split():
            w = raw.strip(".,").lower()
            counts[w] = counts.get(w, 0) + 1
            if w not in first_seen:
                first_seen[w] = pos
            if prev is not None:
                key = (prev, w)
                bigrams[key] = bigrams.get(key, 0) + 1
            prev = w
            pos += 1
    by_letter = {}
    for w, c in counts.items():
        by_letter.setdefault(w[0], []).append(c)
    return counts, bigrams, first_seen, by_letter


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 80000
    vocab = make_vocab(3000, 7)
    text = make_text(n, vocab)
    counts, bigrams, first_seen, by_letter = count(text)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    top_bi = sorted(bigrams.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    letters = "".join("%s%d" % (k, sum(v)) for k, v in sorted(by_letter.items()))
    h = 0
    for w in sorted(first_seen):
        h = (h * 31 + first_seen[w]) % 1000000007
    print("word_count n=%d distinct=%d bigrams=%d top=%s topbi=%s-%s:%d letters=%s h=%d" % (
        n, len(counts), len(bigrams), ",".join("%s:%d" % kv for kv in top),
        top_bi[0][0], top_bi[0][1], top_bi[1], letters, h))


if __name__ == "__main__":
    main()
