"""Writes winter-single.json from winter-single.txt (run once; the JSON is committed).

Offsets are found in the text, so every sentence and mention is the stored
text's own slice; the tests check that again."""

import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "src"))
from collabgraph.ingest.candidates import Article, ArticleFile, Candidate, Mention  # noqa: E402

HERE = Path(__file__).resolve().parent
ID = "https://w3id.org/collabgraph/id/"
text = (HERE / "winter-single.txt").read_text("utf-8")
article = Article("winter-single", hashlib.sha256(text.encode("utf-8")).hexdigest(),
                  url="https://news.example.org/winter-single", title="Winter single brings old friends together",
                  publisher="Invented Daily", published="2024-01-26", original="winter-single.txt")


def sentence(words):
    start = text.index(words)
    return words, start, start + len(words)


def mention(words, within, nth=0, **kw):
    at = text.index(within)
    start = at
    for _ in range(nth + 1):
        start = text.index(words, start if start == at else start + 1)
    return Mention(words, start, start + len(words), **kw)


s1 = sentence("On Friday, IU released a new single, Love Wins, featuring V of BTS.")
s2 = sentence("The music video was directed by Um Tae-hwa, who is known for the film Concrete Utopia.")
s3 = sentence("V starred in the drama Hwarang in 2016, where he played Han-sung.")
s4 = sentence("Park Seo-joon, a close friend of V, appeared in the variety show In the Soop.")
s5 = sentence("Jin joined BTS in 2013, the year the group debuted.")
love_wins = dict(method="fuzzy", score=90.0, type="Single", label="Love Wins",
                 suggestions=(("https://w3id.org/collabgraph/id/love-wins-all", "Love wins all", 90.0),))
cands = [
    Candidate.make(article, kind="credit", rule="featuring", sentence=s1[0], start=s1[1], end=s1[2],
                   slots={"agent": mention("V", s1[0], link=ID + "v", method="alias"),
                          "work": mention("Love Wins", s1[0], **love_wins)},
                   role="featuredArtist", date="2024-01-19", date_inferred=True, score=0.9),
    Candidate.make(article, kind="credit", rule="released", sentence=s1[0], start=s1[1], end=s1[2],
                   slots={"agent": mention("IU", s1[0], link=ID + "iu", method="alias"),
                          "work": mention("Love Wins", s1[0], **love_wins)},
                   role="performer", date="2024-01-19", date_inferred=True, score=0.85),
    Candidate.make(article, kind="membership", rule="x-of-group", sentence=s1[0], start=s1[1], end=s1[2],
                   slots={"member": mention("V", s1[0], link=ID + "v", method="alias"),
                          "group": mention("BTS", s1[0], link=ID + "bts", method="alias")}, score=0.7),
    Candidate.make(article, kind="credit", rule="directed-by", sentence=s2[0], start=s2[1], end=s2[2],
                   slots={"agent": mention("Um Tae-hwa", s2[0], method="new", type="Person", label="Um Tae-hwa"),
                          "work": mention("Concrete Utopia", s2[0], method="new", type="Film", label="Concrete Utopia")},
                   role="director", score=0.6),
    Candidate.make(article, kind="credit", rule="played-in", sentence=s3[0], start=s3[1], end=s3[2],
                   slots={"agent": mention("V", s3[0], link=ID + "v", method="alias"),
                          "work": mention("Hwarang", s3[0], link=ID + "hwarang", method="alias")},
                   role="actor", character="Han-sung", date="2016", score=0.95),
    Candidate.make(article, kind="credit", rule="appeared-in", sentence=s4[0], start=s4[1], end=s4[2],
                   slots={"agent": mention("Park Seo-joon", s4[0], link=ID + "park-seo-joon", method="alias"),
                          "work": mention("In the Soop", s4[0], method="new", type="TVSeries", label="In the Soop")},
                   role="appearance", score=0.8),
    Candidate.make(article, kind="membership", rule="joined", sentence=s5[0], start=s5[1], end=s5[2],
                   slots={"member": mention("Jin", s5[0], method="new", type="Person", label="Jin"),
                          "group": mention("BTS", s5[0], link=ID + "bts", method="alias")},
                   date="2013", score=0.9),
]
if __name__ == "__main__":  # never on import: pytest's --doctest-modules imports every module it collects
    ArticleFile(article, cands).save(HERE / "winter-single.json")
    print(len(cands), "candidates")
