"""LZ77 + canonical Huffman compressor and decompressor over generated text.

Stresses: bytes indexing/slicing, bytearray append/extend, a hash-chain dict of
lists keyed by 3-byte slices, inner match loops on ints, heapq with tuples,
dict code tables, bit packing into a big-int accumulator, int.bit_length,
byte-by-byte overlapping copies when decompressing, round-trip verification.
"""
import heapq
import sys

WINDOW = 8192
MIN_MATCH = 3
MAX_MATCH = 130
MAX_CHAIN = 12
END = 256  # end-of-block symbol; match lengths use symbols 257 + (len - MIN_MATCH)

WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "lorem",
         "ipsum", "dolor", "sit", "amet", "data", "compress", "window", "huffman",
         "token", "stream", "buffer", "alpha", "beta", "gamma", "delta"]


def make_text(nbytes, seed):
    x = seed
    parts = []
    size = 0
    while size < nbytes:
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        r = (x >> 16) % 100
        if r < 70:
            w = WORDS[(x >> 4) % len(WORDS)]
        elif r < 85:
            w = "%d" % ((x >> 3) % 1000)
        elif r < 95:
            w = WORDS[(x >> 4) % 6].upper() + ","
        else:
            w = "\n" + "".join(chr(97 + (x >> k) % 26) for k in range(0, 24, 3))
        parts.append(w)
        size += len(w) + 1
    return " ".join(parts).encode("ascii")[:nbytes]


def lz77(data):
    """Returns a list of tokens: ints < 256 are literals, tuples are (length, distance)."""
    n = len(data)
    chains = {}
    out = []
    i = 0
    while i < n:
        best_len = 0
        best_dist = 0
        if i + MIN_MATCH <= n:
            key = data[i:i + MIN_MATCH]
            cands = chains.get(key)
            if cands is not None:
                limit = min(MAX_MATCH, n - i)
                for k in range(len(cands) - 1, max(-1, len(cands) - 1 - MAX_CHAIN), -1):
                    j = cands[k]
                    if i - j > WINDOW:
                        break
                    if best_len and data[j + best_len] != data[i + best_len]:
                        continue
                    m = MIN_MATCH
                    while m < limit and data[j + m] == data[i + m]:
                        m += 1
                    if m > best_len:
                        best_len = m
                        best_dist = i - j
                        if m == limit:
                            break
                cands.append(i)
                if len(cands) > 4 * MAX_CHAIN:
                    del cands[:2 * MAX_CHAIN]
            else:
                chains[key] = [i]
        if best_len >= MIN_MATCH:
            out.append((best_len, best_dist))
            # insert the skipped positions into the chains
            stop = min(i + best_len, n - MIN_MATCH + 1)
            for p in range(i + 1, stop):
                chains.setdefault(data[p:p + MIN_MATCH], []).append(p)
            i += best_len
        else:
            out.append(data[i])
            i += 1
    return out


def dist_code(d):
    b = d.bit_length()  # 1..14
    return b, d - (1 << (b - 1)), b - 1  # symbol, extra value, extra bit count


def code_lengths(freqs):
    heap = []
    order = 0
    for sym in sorted(freqs):
        heap.append((freqs[sym], order, sym, None))
        order += 1
    heapq.heapify(heap)
    if len(heap) == 1:
        return {heap[0][2]: 1}
    while len(heap) > 1:
        a = heapq.heappop(heap)
        b = heapq.heappop(heap)
        heapq.heappush(heap, (a[0] + b[0], order, None, (a, b)))
        order += 1
    lengths = {}
    stack = [(heap[0], 0)]
    while stack:
        node, depth = stack.pop()
        if node[3] is None:
            lengths[node[2]] = depth
        else:
            stack.append((node[3][0], depth + 1))
            stack.append((node[3][1], depth + 1))
    return lengths


def canonical(lengths):
    code = 0
    prev_len = 0
    table = {}
    for length, sym in sorted((l, s) for s, l in lengths.items()):
        code <<= length - prev_len
        table[sym] = (code, length)
        code += 1
        prev_len = length
    return table


class BitWriter(object):
    def __init__(self):
        self.buf = bytearray()
        self.acc = 0
        self.nbits = 0

    def write(self, value, nbits):
        self.acc = (self.acc << nbits) | value
        self.nbits += nbits
        while self.nbits >= 8:
            self.nbits -= 8
            self.buf.append((self.acc >> self.nbits) & 0xFF)
        self.acc &= (1 << self.nbits) - 1

    def flush(self):
        if self.nbits:
            self.buf.append((self.acc << (8 - self.nbits)) & 0xFF)
            self.nbits = 0
        return bytes(self.buf)


class BitReader(object):
    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.acc = 0
        self.nbits = 0

    def bit(self):
        if self.nbits == 0:
            self.acc = self.data[self.pos]
            self.pos += 1
            self.nbits = 8
        self.nbits -= 1
        return (self.acc >> self.nbits) & 1

    def bits(self, k):
        v = 0
        for _ in range(k):
            v = (v << 1) | self.bit()
        return v


def decode_symbol(reader, rev):
    code = 0
    length = 0
    while True:
        code = (code << 1) | reader.bit()
        length += 1
        sym = rev.get((length, code))
        if sym is not None:
            return sym


def compress(data):
    tokens = lz77(data)
    lit_freq = {END: 1}
    dist_freq = {}
    for t in tokens:
        if isinstance(t, tuple):
            s = 257 + t[0] - MIN_MATCH
            lit_freq[s] = lit_freq.get(s, 0) + 1
            ds = dist_code(t[1])[0]
            dist_freq[ds] = dist_freq.get(ds, 0) + 1
        else:
            lit_freq[t] = lit_freq.get(t, 0) + 1
    lit_codes = canonical(code_lengths(lit_freq))
    dist_codes = canonical(code_lengths(dist_freq)) if dist_freq else {}
    w = BitWriter()
    for t in tokens:
        if isinstance(t, tuple):
            c, l = lit_codes[257 + t[0] - MIN_MATCH]
            w.write(c, l)
            ds, extra, nextra = dist_code(t[1])
            c, l = dist_codes[ds]
            w.write(c, l)
            if nextra:
                w.write(extra, nextra)
        else:
            c, l = lit_codes[t]
            w.write(c, l)
    c, l = lit_codes[END]
    w.write(c, l)
    lit_lens = {s: v[1] for s, v in lit_codes.items()}
    dist_lens = {s: v[1] for s, v in dist_codes.items()}
    return w.flush(), lit_lens, dist_lens, len(tokens)


def decompress(blob, lit_lens, dist_lens):
    lit_rev = {(l, c): s for s, (c, l) in canonical(lit_lens).items()}
    dist_rev = {(l, c): s for s, (c, l) in canonical(dist_lens).items()}
    r = BitReader(blob)
    out = bytearray()
    while True:
        sym = decode_symbol(r, lit_rev)
        if sym < 256:
            out.append(sym)
        elif sym == END:
            return bytes(out)
        else:
            length = sym - 257 + MIN_MATCH
            ds = decode_symbol(r, dist_rev)
            dist = (1 << (ds - 1)) + (r.bits(ds - 1) if ds > 1 else 0)
            start = len(out) - dist
            if dist >= length:
                out += out[start:start + length]
            else:
                for k in range(length):
                    out.append(out[start + k])


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 80000
    total_in = 0
    total_out = 0
    ntok = 0
    ok = 0
    h = 0
    for seed, size in ((1, n), (7, n // 2), (42, n // 4)):
        data = make_text(size, seed)
        blob, lit_lens, dist_lens, count = compress(data)
        back = decompress(blob, lit_lens, dist_lens)
        if back == data:
            ok += 1
        total_in += len(data)
        total_out += len(blob)
        ntok += count
        for b in blob[::13]:
            h = (h * 257 + b) % 1000000007
        h = (h + sum(l * s for s, l in sorted(lit_lens.items()))) % 1000000007
    print("lz_compress n=%d in=%d out=%d ratio=%.6f tokens=%d ok=%d h=%d" % (
        n, total_in, total_out, total_out / float(total_in), ntok, ok, h))


if __name__ == "__main__":
    main()
