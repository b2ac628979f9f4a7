import json, re
data = {"name": "rpy", "nums": [1, 2.5, -3, 10**20], "nested": {"t": True, "f": False, "n": None}, "s": "quo\"te\n\u00e9"}
s = json.dumps(data, sort_keys=True)
print(s)
back = json.loads(s)
print(back == data, type(back["nums"][3]).__name__)
print(json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False))
print(json.dumps([1, "a", None], separators=(",", ":")), json.dumps((1, 2)))
for bad in ["{", "[1,]", "nul"]:
    try:
        json.loads(bad)
    except ValueError as e:
        print("bad json", repr(bad), type(e).__name__)
tot = 0
for i in range(3000):
    tot += json.loads(json.dumps({"i": i, "l": [i, i]}))["l"][1]
print("roundtrip total", tot)

text = "Alice: 42, Bob: 7, Carol: 1999; dave: 0"
print(re.findall(r"([A-Z]\w+): (\d+)", text))
m = re.search(r"(?P<who>\w+): (?P<n>\d{3,})", text)
print(m.group("who"), m.group("n"), m.span(), m.groupdict())
print(re.sub(r"\d+", lambda m: str(int(m.group()) * 2), text))
print(re.split(r"[,;]\s*", text))
print(re.match(r"\w+", text).group(), re.match(r"\d", text))
pat = re.compile(r"^(\w+)@(\w+)\.com$", re.I)
emails = ["a@b.com", "X@Y.COM", "bad@x.org", "@b.com"]
print([bool(pat.match(e)) for e in emails], pat.match("Q@W.com").groups())
print(re.sub(r"(\w+) (\w+)", r"\2 \1", "hello world foo bar"))
print([m.start() for m in re.finditer(r"a", "banana")], re.fullmatch(r"a+b?", "aaab") is not None)
print(re.escape("a.b*c"), re.subn("o", "0", "foo boo"))
cnt = 0
num = re.compile(r"-?\d+")
for i in range(3000):
    if num.fullmatch(str(i - 1500)):
        cnt += 1
print("matched", cnt)
print(re.findall(r"\b\w", "the cat sat"), re.sub(r"\s+", " ", "a  b\t\nc"))
