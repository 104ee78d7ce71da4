"""One "did you mean": collabgraph.core.names.close_matches, used by the CLI, the API,
the importers and the store, and reproduced exactly by the explorer page's
closeNames (run here in Chromium on the same typos)."""

from __future__ import annotations

import difflib
import unicodedata

import pytest

from collabgraph.core.errors import EntityNotFound
from collabgraph.core.names import close_matches, search_key

#: Typos of the bundled graph's names and of vocabulary, in several scripts.
TYPOS = ["Tehyung", "Park Seojon", "Peekboy", "Chio Wooshik", "zzzz", "IU's Palete", "Love win all",
         "교포머리x", "교포", "bts", "Hwarang: The Poet", "perfomer", "camoe", "memberof", "SELEC", "Ji hye",
         "Straße", "ΟΔΟΣ", "ab", "a", ""]
#: Choices built to tie (same ratio, different spellings and folded forms), to fold
#: together ("Tae-joon" and "taejoon"), and one longer than 200 characters (difflib's autojunk).
EXTRA = ["abc", "abd", "abe", "Tae-joon", "taejoon", "TAEJOON", "Strasse", "strasse", "οδος", "𝐀𝐁𝐂",
         "ab" * 120, "performer", "cameo", "memberOf", "member", "SELECT", "ASK", "Ji-hye"]


def test_close_matches_ranks_by_difflib_ratio_ties_by_folded_form_then_choice():
    got = close_matches("abx", ["abe", "abd", "ABC", "abc", "xyz"], limit=None)
    # every one of the four scores 2/3; ties go a-z by folded form, then by choice (code point)
    assert got == [("ABC", pytest.approx(2 / 3)), ("abc", pytest.approx(2 / 3)), ("abd", pytest.approx(2 / 3)),
                   ("abe", pytest.approx(2 / 3))]
    assert close_matches("abx", ["abe", "abd", "abc"], limit=1) == [("abc", pytest.approx(2 / 3))]
    assert close_matches("abx", ["abe"], cutoff=0.7) == []
    assert close_matches("", ["a"]) == [] and close_matches("!!", ["a"]) == []


def test_close_matches_scores_are_difflibs_on_the_folded_forms():
    choices = ["Park Seo-joon", "Park Hyung-sik", "Peakboy", "Choi Woo-shik", "Kim Taehyung"] + EXTRA
    for typo in TYPOS:
        for choice, ratio in close_matches(typo, choices, limit=None):
            assert ratio == difflib.SequenceMatcher(None, search_key(choice), search_key(typo)).ratio()
        expected = sorted({search_key(c) for c in choices if search_key(c)} & set(
            difflib.get_close_matches(search_key(typo), [search_key(c) for c in choices], n=100, cutoff=0.6)))
        assert sorted({search_key(c) for c, _ in close_matches(typo, choices, limit=None)}) == expected


def test_close_matches_on_folded_keys_is_the_same_ranking():
    """``fold=None`` (a name index's keys, folded once) ranks as folding each time does."""
    choices = ["Park Seo-joon", "Park Hyung-sik", "Peakboy", "Choi Woo-shik", "Kim Taehyung"] + EXTRA
    keys = sorted({search_key(c) for c in choices} - {""})
    for typo in TYPOS:
        folded = close_matches(search_key(typo), keys, limit=None, fold=None)
        assert folded == list(dict.fromkeys((search_key(c), r) for c, r in close_matches(typo, choices, limit=None)))


def test_every_did_you_mean_is_the_same_function(kg):
    """The API (EntityNotFound), vocabulary hints and the store's query-form hint rank as close_matches does."""
    with pytest.raises(EntityNotFound) as found:
        kg.entity("Tehyung")
    assert found.value.suggestions[0].startswith("Taehyung ")
    [term] = kg.unknown_terms("SELECT * WHERE { ?a cg:member_of ?g }")
    assert term.suggestions[0] == "cg:memberOf"  # folded as names are: the underscore is no letter
    from collabgraph.core.errors import QuerySyntaxError

    with pytest.raises(QuerySyntaxError, match="did you mean SELECT"):
        kg.sparql("selec ?s WHERE { ?s ?p ?o }")


@pytest.fixture(scope="module")
def page(browser, kg, tmp_path_factory):
    path = kg.explore().write(tmp_path_factory.mktemp("page") / "explorer.html")
    p = browser.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.goto(path.resolve().as_uri())
    p.wait_for_selector("body[data-idle=\"1\"]", state="attached", timeout=30_000)
    yield p
    assert errors == []
    p.close()


def test_the_page_suggests_what_python_suggests_for_the_same_typos(page, kg):
    names = page.evaluate("""() => [...new Set(Object.values(collabgraph.info).flatMap(
        d => [d.label, ...Object.values(d.labels || {}), ...(d.aliases || [])]).filter(Boolean))]""")
    assert "Taehyung" in names and "교포머리" in names
    choices = names + EXTRA
    for limit in (3, None):
        in_page = page.evaluate("""([typos, choices, limit]) => typos.map(
            t => collabgraph.closeNames(t, choices, limit))""", [TYPOS, choices, limit])
        in_python = [[[c, r] for c, r in close_matches(t, choices, limit=limit)] for t in TYPOS]
        assert in_page == in_python
    assert any(len(s) > 1 for s in in_python) and any(not s for s in in_python)
    assert in_python[TYPOS.index("Tehyung")][0][0] == "Taehyung"


def test_the_page_folds_names_as_search_key_does(page):
    """Every character Python's Unicode database assigns (its ``unidata_version``; newer
    characters are unknown to it), and words where case folding needs context."""
    chars = "".join(chr(c) for c in range(0x110000)
                    if not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) != "Cn")
    words = ["ΟΔΟΣ", "Straße", "STRASSE", "ıİi", "Ꭰꭰ", "Park Seo-joon", "ǰ", "ﬃ", "Ǆ"]
    got = page.evaluate("""([chars, words]) => [[...chars].map(collabgraph.key).join('\\u0000'),
                                                words.map(collabgraph.key)]""", [chars, words])
    folded = got[0].split("\0")
    wrong = [(hex(ord(c)), search_key(c), js) for c, js in zip(chars, folded) if search_key(c) != js]
    assert len(folded) == len(chars) and wrong == []
    assert got[1] == [search_key(w) for w in words]
