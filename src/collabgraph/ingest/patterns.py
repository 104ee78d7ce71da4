"""The named pattern rules: relations between the mentions of one sentence (a template of the
sentence with mentions as ``⟦i⟧``), epithets ("the BTS idol"), who "he" and "she" are, and
what the shapes ask of a candidate's slots."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..core.names import search_key
from ..core.namespaces import curie
from .candidates import HEDGE_FACTOR, Article, Candidate, Mention
from .known import KnownNames
from .mentions import a_name
from .parsewords import VIDEO_NOUNS
from .spans import DATE_RE as _DATE_RE, FUTURE as _FUTURE, fits as _fits, identity as _identity, kind as _kind
from .spans import listed_titles, normalise_date, standing_for, vocab as _FINDER_VOCAB

# ---------------------------------------------------------------------------------
# Relations
# ---------------------------------------------------------------------------------

_F = r"(?:[^⟦;]|⟦\d+⟧['’]s?\s){0,90}?"           # filler: words, or a possessive mention
_FS = r"(?:[^⟦;.]){0,40}?"                           # short filler
_A, _B, _W, _M, _G = (rf"⟦(?P<{n}>[\d,]+)⟧" for n in ("a", "b", "w", "m", "g"))
#: words for a member of a band or group ("EDEN drummer Gu", "ORBIT5 bandmate Niko")
_MEMBER_WORDS = (r"(?:members?|leader|vocalist|rapper|maknae|singer|dancer|drummer|guitarist|bassist|keyboardist|"
                 r"frontman|frontwoman|bandmate|visual)")
#: memberships a noun phrase states ("BTS's V", "V of BTS", "EDEN drummer Gu"): true whatever the clause
#: around them says ("A rumoured stage by BTS's V did not take place")
_NOMINAL_MEMBERSHIPS = ("possessive-member", "of-group", "group-member")
_W = r"⟦(?P<w>[\d,]+)⟧(?!['’]s?\s)"                 # a work is not an owner ("Peakboy's" is not the work)
_ADV = r"(?:, who | |, which )(?:(?:\w+ly|also|then|has|have|had|will|was|is|were|are|first|finally|later|once|again|just|already|together|soon|to|would|be|been|set|have|rumoured|rumored|said|believed|thought|alleged) ){0,5}"
_SHOW = r"(?:(?:her|his|their|the|a) )?(?:own )?(?:[\w-]+ ){0,2}?(?:talk show|show|program|programme|podcast|radio show|web series|variety show|channel)s?"
_SHOWS = {"TalkShow", "WebSeries", "TVSeries", "Podcast", "RadioShow", "VarietyShow", "Channel"}
_BACKING = r"(?:backing|background|backup|back-up) (?:vocals?|harmon(?:y|ies)|singers?)"
_CH = r"(?P<character>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2})"

#: (name, pattern, kind, role, score). Slots: a/b agents, w work, m member, g group.
RULES: list[tuple[str, str, str, str | None, float]] = [
    ("starred-in", rf"{_A}{_ADV}(?:co-)?(?:starred|stars|star|starring|headlined|headlines|leads|led) in {_F}{_W}", "credit", "actor", 0.8),
    ("starring", rf"{_W}{_FS}(?:,|\()? ?(?:starring|co-starring|which stars|that stars|stars) {_A}", "credit", "actor", 0.75),
    ("work-starred", rf"{_W} (?:starred|co-starred|stars|co-stars|will star) {_A}", "credit", "actor", 0.75),
    ("played", rf"{_A}{_ADV}(?:played|plays|play|portrays|portrayed|portray|will play) (?:the (?:role|part) of |the character |a character named |the lead role of )?{_CH}{_FS} in {_F}{_W}", "credit", "actor", 0.8),
    ("as-character", rf"{_A} (?:stars |starred |appears |appeared )?as {_CH} in {_F}{_W}", "credit", "actor", 0.7),
    ("cameo", rf"{_A}{_ADV}(?:made|makes|did|had|has|will make|make) (?:a |an )?(?:[\w-]+ ){{0,2}}?cameo(?: role| appearance)? in {_F}{_W}", "credit", "cameo", 0.8),
    ("cameo-by", rf"{_W}{_F}(?:a |an )?(?:[\w-]+ )?cameo (?:appearance |role )?(?:by|from) {_A}", "credit", "cameo", 0.75),
    ("appeared-in", rf"{_A}{_ADV}(?:appeared|appears|appear|made an appearance|makes an appearance|guest-starred|guest starred|was seen|showed up) (?:[\w-]+ ){{0,3}}?in {_F}{_W}", "credit", "appearance", 0.7),
    ("debuted-in", rf"{_A}{_ADV}(?:debuted|made (?:his|her|their) (?:acting |screen )?debut) (?:as an? (?P<as>[\w-]+) )?in {_F}{_W}", "credit", "actor", 0.75),
    ("featured-on", rf"{_A} (?:is |was |will be |has been |had been )?(?:featured|appears as a featured artist) on {_F}{_W}", "credit", "featuredArtist", 0.8),
    ("guest-on", rf"{_A}{_ADV}(?:the only |the first |the last |one of the |an? |the )?(?:[\w-]+ ){{0,3}}?(?:who |that )?(?:has been |have been |had been |was |is |were |will be )?(?:featured|invited|a guest|appeared|guested) on {_SHOW},? {_W}", "credit", "guest", 0.7),
    ("featuring", rf"{_W}{_FS}(?:\(feat\.|\(ft\.|,? featuring|,? feat\.) {_A}", "credit", "featuredArtist", 0.8),
    ("also-featured", rf"{_W}{_FS} (?:that|which) also (?:featured|features) {_A}", "credit", "appearance", 0.7),
    ("which-features", rf"{_W},? (?:that|which) (?:features|featured) {_A}", "credit", "featuredArtist", 0.7),
    ("work-features", rf"{_W} (?:also )?(?:features|featured|feature|will feature) {_A}", "credit", "featuredArtist", 0.7),
    ("debut-with", rf"{_A}{_ADV}(?:debut|debuts|debuted|will debut|returns?|returned|came back|comes back)(?: on [\w ,]{{3,20}}?)? with (?:the |their |her |his |a |an )?(?:[\w-]+ ){{0,2}}?{_W}", "credit", "performer", 0.7),
    ("collaboration-between", rf"{_W}{_F}collaboration (?:between|with|of) {_A}", "credit", "collaborator", 0.7),
    ("collaborated-on", rf"{_A}{_ADV}(?:collaborated|teamed up|joined forces|worked|partnered) with {_B} (?:on|for) {_F}{_W}", "credit", "collaborator", 0.75),
    ("directed", rf"{_A}{_ADV}(?:directed|directs|helmed|co-directed) {_F}{_W}", "credit", "director", 0.8),
    ("directed-by", rf"{_W}{_F}(?:directed|helmed|co-directed) by {_A}", "credit", "director", 0.8),
    # (not "wrote the screenplay of W", "penned a novel about W": a script or a book is no song)
    ("wrote", rf"{_A}{_ADV}(?:wrote|writes|penned|pens|co-wrote|co-writes) (?!(?:the |a |an |its |his |her |their )?"
              rf"(?:[\w-]+ )?(?:screenplays?|scripts?|teleplays?|novels?|books?|stor(?:y|ies)|columns?|essays?|letters?|"
              rf"reviews?|forewords?|articles?|posts?|episodes?)\b){_F}{_W}", "credit", "songwriter", 0.75),
    ("written-by", rf"{_W}{_F}(?:written|penned|co-written)(?: and (?:directed|produced))? by {_A}", "credit", "songwriter", 0.75),
    ("composed", rf"{_A}{_ADV}(?:composed|composes|co-composed) {_F}{_W}", "credit", "composer", 0.8),
    ("composed-by", rf"{_W}{_F}composed by {_A}", "credit", "composer", 0.8),
    ("produced", rf"{_A}{_ADV}(?:produced|co-produced) {_F}{_W}", "credit", "producer", 0.7),
    ("produced-by", rf"{_W}{_F}produced by {_A}", "credit", "producer", 0.7),
    # "W features a hook by A and production from B, C and D", "W, with production by B"
    ("production-from", rf"{_W}[^;.]{{0,120}}?\bproduction (?:from|by|courtesy of) {_A}", "credit", "producer", 0.7),
    # "A sang backing vocals on W", "W features backing vocals by A": a vocalist, no performer or featured artist
    ("backing-vocals", rf"{_A}{_ADV}(?:sang|sings|sing|provided|provides|provide|contributed|contributes|added|adds|"
                       rf"recorded|records|did|does) (?:the |some )?{_BACKING} (?:on|for|in) {_F}{_W}", "credit",
     "vocalist", 0.7),
    ("backing-vocals-by", rf"{_W}[^;.]{{0,120}}?\b{_BACKING} (?:by|from|courtesy of) {_A}(?!['’]s?\s)", "credit", "vocalist",
     0.7),
    ("released", rf"{_A}{_ADV}(?:released|releases|release|dropped|drops|unveiled|unveils|put out|puts out) {_F}{_W}", "credit", "performer", 0.7),
    ("sang", rf"{_A}{_ADV}(?:sang|sings|performed|performs|recorded|records) {_F}{_W}", "credit", "performer", 0.7),
    ("possessive-work", rf"{_A}['’]s? (?:(?:new|latest|debut|hit|upcoming|first|second|third|lead|title|comeback|solo|[a-z][a-z-]+|\d{{4}}) ){{0,3}}(?:song|single|album|EP|track|ballad|mini-album|studio album|duet|hit|release|record),? [\"“‘]?{_W}", "credit", "performer", 0.65),
    ("possessive-title", rf"{_A}['’]s? {_W}", "credit", "performer", 0.55),
    ("member-of", rf"{_M},? (?:\w+ ){{0,3}}?(?:member|leader|vocalist|rapper|maknae|dancer|frontman|frontwoman|drummer|guitarist|bassist|visual)s? of (?:the )?(?:[\w-]+ ){{0,2}}?{_G}", "membership", None, 0.8),
    # ("bassist A and drummer B": no modifier "and")
    ("group-member", rf"{_G}(?:['’]s?)? (?:(?!and |or )[\w-]+ )?{_MEMBER_WORDS} {_M}", "membership", None, 0.8),
    # ("joined the cast as Detective Oh" joins no group)
    ("joined", rf"{_M}{_ADV}(?:joined|joins) (?:the )?(?:(?!as |cast )[\w-]+ ){{0,2}}?{_G}", "membership", None, 0.75),
    ("formed", rf"{_M}{_ADV}(?:formed|form|founded|co-founded) (?:the )?(?:[\w-]+ ){{0,2}}?{_G}", "membership", None, 0.75),
    ("formed-by", rf"{_G}{_F}\b(?:formed|founded) (?:\w+ ){{0,4}}?by (?:(?:its |their |the )?(?:leader|member|singer|rapper|vocalist) )?{_M}", "membership", None, 0.75),
    ("members-are", rf"{_G} (?:are|were|include|included|:) {_M}", "membership", None, 0.7),
    ("debuted-as-group", rf"{_M}{_ADV}debuted (?:together )?(?:in \d{{4}} )?as (?:members of |a member of )?(?:the )?(?:[\w-]+ ){{0,2}}?{_G}", "membership", None, 0.75),
    ("known-as-group", rf"{_M}{_ADV}(?:are|were|became) (?:\w+ ){{0,2}}?(?:known as |called )?(?:a|the) (?:[\w-]+ ){{0,3}}?"
                       rf"(?:group|crew|squad|circle)(?: of friends)? (?:called|named|dubbed|known as) (?:the )?{_G}",
     "membership", None, 0.7),
    # (the member in a lookahead: "A, G's B, and H's C" reads "G's B" and "H's C" both)
    ("possessive-member", rf"{_G}['’]s? (?={_M})", "membership", None, 0.6),
    # "V of K-pop boy group BTS", "V of K-pop sensation BTS": the words describing the group between
    # (the group in a lookahead: "A of G and B of H" reads both, G and B being one list of the template)
    ("of-group", rf"{_M} of (?:(?:the )?(?:(?:[a-z][\w-]*|[A-Z][\w]*-[\w-]+) ){{0,3}}?)?(?={_G})", "membership", None,
     0.6),
    # last: takes the role the agent has from the rules above in the same sentence
    ("whose-work", rf"{_A}, whose (?:new |latest |debut |last |previous )?(?:film|movie|drama|K-drama|series|song|single|album|music video) {_W}", "credit", None, 0.7),
]
_COMPILED = [(n, re.compile(p), k, r, s) for n, p, k, r, s in RULES]
_NEGATED = re.compile(r"\b(?:not(?! to be confused)|never|no longer|denied|denies|deny|denying|refuted|dismissed|"
                      r"rejected)\b|n['’]t\b", re.I)
_HEDGED = re.compile(r"\b(?:rumou?r(?:s|ed)?|reportedly|allegedly|speculat\w*|unconfirmed|in talks|(?-i:may)(?! \d)|might|"
                     r"could|would|is said to|are said to|hop(?:e|es|ing) to|wants? to|plans? to|expected to|"
                     r"is set to|are set to|reports? (?:say|claim)|according to)\b", re.I)
#: The words that deny or hedge a clause, as the pattern rules read them (other readers are held to them:
#: :mod:`.vetoes`).
NEGATED, HEDGED = _NEGATED, _HEDGED
_ROLE_WORDS = {"actor": "actor", "actress": "actor", "singer": "performer", "rapper": "performer",
               "idol": "performer", "host": "host", "mc": "host", "director": "director"}
_SCREEN = {"TVSeries", "KDrama", "Film", "WebSeries", "TalkShow", "MusicVideo"}


def _template(sent: str, ss: int, ms: list[Mention]) -> tuple[str, list[list[Mention]]]:
    """The sentence with each mention replaced by ``⟦i⟧`` (lists of mentions,
    "A, B and C", become one ``⟦i⟧`` of several; an alias in brackets or after
    "aka" with the same link is dropped)."""
    groups: list[list[Mention]] = []
    out: list[str] = []
    pos = 0
    i = 0
    while i < len(ms):
        m = ms[i]
        group = [m]
        j = i + 1
        end = m.end
        while j < len(ms):
            between = sent[end - ss:ms[j].start - ss]
            nxt = ms[j]
            same = (nxt.link and nxt.link == m.link) or (nxt.link is None and m.link is None and nxt.text == m.text)
            if re.fullmatch(r" ?\(", between) and sent[nxt.end - ss:nxt.end - ss + 1] == ")":
                if same or not nxt.text.isascii():
                    end = nxt.end + 1
                    j += 1
                    continue
            aside = _aside(sent, ss, end, ms, j)
            if aside and _kind(m) in ("agent", "unknown") and _kind(group[-1]) in ("agent", "unknown"):
                # "stars A (the Master Chief), B (Dr. Halsey) and C", "A (W1) and B (W2) will lead": a name's
                # bracket is an aside (a part, a past work); the list goes on after it
                end, j = aside
                continue
            if re.fullmatch(r",? (?:aka|a\.k\.a\.|also known as|or) ", between) and same:
                end = nxt.end
                j += 1
                continue
            if re.fullmatch(r"(?:, | and |, and | & )", between) and {_kind(nxt), _kind(m)} <= {"agent", "unknown"}:
                group.append(nxt)
                end = nxt.end
                j += 1
                continue
            break
        left, right = m.start - ss, end - ss
        stop = ""
        if left > pos and sent[left - 1] in "\"“‘'" and right < len(sent) and sent[right] in "\"”’'":
            left, right = left - 1, right + 1
        elif left > pos and sent[left - 1] in "“‘\"" and sent[right:right + 1] in (",", ".") \
                and sent[right + 1:right + 2] in ("”", "’", '"'):
            # "“Deja Vu,” “Miracle,”": the list's comma inside the closing quote is the sentence's
            stop, left, right = sent[right], left - 1, right + 2
        out.append(sent[pos:left])
        out.append(f"⟦{len(groups)}⟧" + stop)
        groups.append(group)
        pos = right
        i = j
    out.append(sent[pos:])
    return "".join(out), groups


def _aside(sent: str, ss: int, end: int, ms: list[Mention], j: int) -> tuple[int, int] | None:
    """The bracket right after a name that ends at ``end`` when names stand in it ("A (W1, W2)"): the end
    of the bracket and the index of the first mention after it; None when there is no such bracket or the
    list does not go on after it with another name ("A (B)." alone: as it was). Not the parse reader's
    bracket tests (whether one mention stands in a bracket): this is where the template reads on past one."""
    opened = sent[end - ss:end - ss + 2]
    if opened != " (" or j >= len(ms) or ms[j].start - ss < end - ss + 2:
        return None
    close = sent.find(")", end - ss + 2)
    if close < 0 or "(" in sent[end - ss + 2:close] or close - (end - ss) > 80:
        return None
    k = j
    while k < len(ms) and ms[k].start - ss < close:
        k += 1
    if k == j or k >= len(ms) or not re.fullmatch(r"(?:, | and |, and | & )", sent[close + 1:ms[k].start - ss]):
        return None
    return ss + close + 1, k


#: Words between "released" and a title that make the thing released another work than the title:
#: a cover of it, or a soundtrack part for it.
_RELEASED_OTHER = re.compile(r"\bcover (?:version )?of\b|\b(?:OST|soundtrack)\b[^⟦]{0,30}\bfor\b", re.I)


#: A video of a song, said between the song and "featuring" ("“W” music video featuring A") or just
#: before the song ("the video for “W” featured A"): whom it features appears in the video.
_VIDEO_WORD = "|".join(re.escape(w) for w in VIDEO_NOUNS)
_VIDEO = re.compile(rf"\b(?:{_VIDEO_WORD})\b", re.I)
_VIDEO_FOR = re.compile(rf"\b(?:{_VIDEO_WORD}) (?:for|of) [“\"‘']?$", re.I)
#: "A and B from G", "A from the girl group G": the members a group is said to be where they come from.
#: (Not after a word that makes "from G" say who sent something: "a cake for A from G", "a letter to A".)
_FROM_GROUP = re.compile(r"(?<!\bfor )(?<!\bto )(?<!\bby )(?<!\bat )(?<!\bon )(?<!\bof )(?<!\babout )(?<!\bthank )"
                         r"(?<!\bthanks )(?<!\btowards )(?<!\btoward )"
                         r"⟦(?P<m>[\d,]+)⟧ from (?:the )?(?P<noun>(?:[\w-]+ ){0,2}?"
                         r"(?:band|group|boy group|girl group|duo|trio|unit) )?(?=⟦(?P<g>[\d,]+)⟧)")


def _from_group(article: Article, text: str, sent: str, ss: int, se: int, tmpl: str,
                groups: list[list[Mention]]) -> list[Candidate]:
    """Memberships "A from G" states ("Baekhyun and Kai from EXO", "Hyun Young from the girl group
    Rainbow", "Taemin from SHINee, Baekhyun and Kai from EXO"): the names before "from" up to the
    last group of their list (the one the list before came from), of a group the graph types so or
    one the words before it call a band or a group; no quoted title ("“Butter” from G" is a song).
    Nothing when the group's name goes on after the mention ("NCT 127": a unit's name the name
    finder cut), nor after "for"/"to" ("a gift for A from G" says who sent it)."""
    out: list[Candidate] = []
    for m in _FROM_GROUP.finditer(tmpl):
        listed = [x for i in m.group("m").split(",") for x in groups[int(i)]]
        g = groups[int(m.group("g").split(",")[0])][0]
        if tmpl[max(0, m.start() - 5):m.start()] == "from " and (not listed or listed[0].type != "Group"):
            continue  # "from A from G" chains only a list of "G1, A and B from G2"
        run: list[Mention] = []
        for x in listed:
            run = [] if x.type == "Group" else run + [x]
        # "IU and Jimin from G": the name right before "from" is G's; the ones before it too only while they
        # are new names ("Baekhyun and Kai from G"), as with a possessive's list (a known name may be a soloist)
        keep = run[-1:]
        for x in reversed(run[:-1]):
            if x.link or x.suggestions:
                break
            keep.insert(0, x)
        run = keep
        if g.type != "Group" and not (m.group("noun") and g.type is None and g.link is None):
            continue
        if re.match(r"\s+(?:\d|[A-Z])", text[g.end:g.end + 3]) or not run \
                or any(x.type not in ("Person", None) or x.link and x.link == g.link or text[x.start - 1:x.start]
                       in ("“", '"', "‘", "'") for x in run):
            continue
        g = g if g.type else replace(g, type="Group")
        for member in run:
            out.append(Candidate.make(article, kind="membership", rule="from-group", sentence=sent, start=ss, end=se,
                                      slots={"member": member, "group": g}, score=0.6))
    return out


#: Between two names of a line-up in brackets: "(A, B, C and D)", "(A,B,C)", "(A, B, and C)", "(A & B)".
_LINEUP_JOINT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")


def _lineup(article: Article, text: str, sent: str, ss: int, se: int, ms: list[Mention]) -> list[Candidate]:
    """Memberships a group's line-up in brackets states: "G (A, B, C and D) will be back", "G(A,B,C)":
    a group the graph types so or the words call a group, then a bracket holding nothing but two names
    or more, of people or of no stated kind, none of them quoted, none written with a small word ("Queen
    (Somebody to Love, The Prophet)" lists songs). A bracket after a person or a work lists past works
    or a cast, never members."""
    out: list[Candidate] = []
    for i, g in enumerate(ms):
        if g.type != "Group":
            continue
        opened = re.match(r" ?\(", text[g.end:g.end + 2])
        close = text.find(")", g.end)
        if not opened or close < 0 or close > se:
            continue
        inside = [m for m in ms[i + 1:] if m.end <= close]
        pos = g.end + opened.end()
        for m in inside:
            between = text[pos:m.start]
            if not (_LINEUP_JOINT.fullmatch(between) if m is not inside[0] else between == ""):
                break
            pos = m.end
        else:
            if len(inside) < 2 or pos != close or any(
                    m.type not in ("Person", None) or (m.link and m.link == g.link) or text[m.start - 1] in "“\"‘'"
                    or re.search(r"(?:^|\s)(?:[a-z]|The\b)", m.text) for m in inside):
                continue
            for member in inside:
                out.append(Candidate.make(article, kind="membership", rule="group-lineup", sentence=sent, start=ss,
                                          end=se, slots={"member": member, "group": g}, score=0.6))
    return out


def _listed_titles(text: str, work: Mention, ms: list[Mention]) -> list[Mention]:
    """The quoted titles listed right after the quoted title ``work`` (:func:`~.spans.listed_titles`),
    an untyped one of the recording's type when ``work`` is a recording."""
    return [nxt if nxt.type or nxt.link else replace(nxt, type=work.type if work.type in (
        "Song", "Single", "Album", "EP") else None) for nxt in listed_titles(text, work, ms)]


def _owned_members(text: str, listed: list[Mention]) -> list[Mention]:
    """The members a possessive group names: "G's A, B and C" names each of a list of new
    names; the list stops at a name the graph knows or suggests (a known person may be of
    another group: "G's A and IU"), at a name of another kind, and at one that owns the next
    words ("G's A and H's B": B is H's). After a known first name ("G's V and B") only that
    one: the article pairs someone the reader knows with someone else."""
    out = listed[:1]
    if out and (out[0].link or out[0].suggestions):
        return out
    for m in listed[1:]:
        if m.link or m.suggestions or m.type not in ("Person", None) or re.match(r"['’]", text[m.end:m.end + 1]):
            break
        out.append(m)
    return out


def _relations(article: Article, text: str, sent: str, ss: int, se: int, ms: list[Mention]) -> list[Candidate]:
    tmpl0, groups = _template(sent, ss, ms)
    out: list[Candidate] = []
    # "the studio said on Monday": when it was said, not when it happened
    dates = [(m.start(), m.group()) for m in _DATE_RE.finditer(sent)
             if not _SAID.search(sent[max(0, m.start() - 30):m.start()])]
    reduced = _reduce(tmpl0, groups)
    variants = [reduced] + _carried(reduced)
    kept = _reduce(tmpl0, groups, appositions=False)
    if kept != reduced:  # "W, a romance film directed by A, ...": the apposition's own fact
        variants.append(kept)
    for name, rx, kind, role, score in _COMPILED:
        for tmpl, m in ((t, m) for t in ([tmpl0] if kind == "membership" else variants) for m in rx.finditer(t)):
            clause = _clause(tmpl, m.start(), m.end())
            nominal = name in _NOMINAL_MEMBERSHIPS
            if _NEGATED.search(clause) and not nominal:
                continue
            hedged = bool(_HEDGED.search(clause)) and not nominal
            future = bool(_FUTURE.search(clause))
            slots = {k: [groups[int(i)] for i in v.split(",")][0] for k, v in m.groupdict().items()
                     if k in ("a", "b", "w", "m", "g") and v}
            if name == "production-from":
                # "B, C and G's D": the last name owns the next one, who is the producer
                last = slots["a"][-1]
                owned = re.match(r"['’]s?\s+", text[last.end:last.end + 3])
                nxt = next((x for x in ms if owned and x.start == last.end + owned.end()), None)
                slots["a"] = slots["a"][:-1] + ([nxt] if nxt is not None else []) if owned else slots["a"]
            if name == "possessive-member":
                slots["m"] = _owned_members(text, slots["m"])
                if len(slots["g"]) > 1:
                    # "stars A, B, G's C, D and E": the owner ends a list of names, so the possessive
                    # qualifies the one name after it; the names after that go on with the list
                    slots["m"] = slots["m"][:1]
                slots["g"] = slots["g"][-1:]
            elif name == "of-group":
                # "A, B and C of G": "of G" qualifies the name it follows, the last of the list
                slots["m"] = slots["m"][-1:]
            if name in ("possessive-member", "of-group"):
                g = slots["g"][0]
                if g.type != "Group" or any(x.type not in ("Person", None) for x in slots["m"]):
                    continue
            if name == "group-member" and slots["g"][0].type is None and slots["g"][0].link is None and re.search(
                    r"\b(?:rapper|singer|dancer|vocalist)s? ⟦[\d,]+⟧$", m.group()):
                continue  # "Compton rapper A", "the Puerto Rican rapper A": a name of no known kind before an
                # occupation may be a place, a people or a scene; before "member" or "drummer" it is a group
            if name == "group-member" and not re.search(r"\bmembers\b", m.group()) and len(slots["m"]) > 1 \
                    and "," in text[slots["m"][0].end:slots["m"][1].start]:
                slots["m"] = slots["m"][:1]  # "ORBIT member A, B, C and D": one member, then a list of others
            if name == "members-are" and not (slots["g"][0].method == "description"
                                               and slots["g"][0].text.lower().endswith("members")):
                continue  # "The members are A, B and C": the members of the group just named
            if "g" in slots:
                slots["g"] = slots["g"][:1]
            if "w" in slots:
                slots["w"] = slots["w"][:1]
            if not all(_fits(x, k) for k, xs in slots.items() for x in xs):
                continue
            w0 = slots.get("w", [None])[0]
            if w0 is not None and w0.type is None and not (w0.start > 0 and text[w0.start - 1] in "\"“‘"):
                continue  # an unknown name is a work only when quoted as a title
            if name == "possessive-title" and (slots["a"][0].type is None or w0.type is None or w0.type in _SCREEN
                                               and slots["a"][0].type != "Group"):
                continue
            if name in ("sang", "work-features", "which-features", "featuring") and re.search(
                    _BACKING, tmpl[m.start():m.end()]):
                continue  # "A sang backing vocals on W", "W features backing vocals by A": a vocalist (below)
            if name == "released" and _RELEASED_OTHER.search(tmpl[m.start():m.start("w")]):
                continue  # "released a cover of W", "released OST Part 3 for the drama W": not W itself
            r = role
            if name == "whose-work":  # "directed by A, whose film W": A's role in this sentence
                roles = {c.role for c in out if c.kind == "credit" and c.slots["agent"].link
                         and c.slots["agent"].link == slots["a"][0].link}
                if len(roles) != 1:
                    continue
                r = roles.pop()
            if name == "debuted-in":
                word = (m.groupdict().get("as") or "").lower()
                wtype = slots["w"][0].type
                r = _ROLE_WORDS.get(word) or ("actor" if wtype in _SCREEN or wtype is None else "performer")
            if r == "songwriter" and slots["w"][0].type in _SCREEN - {"MusicVideo"}:
                r = "screenwriter"
            if r == "featuredArtist" and name in ("featuring", "work-features", "which-features") and (
                    _VIDEO.search(tmpl[m.end("w"):m.start("a")]) or _VIDEO_FOR.search(tmpl[:m.start("w") - 1])):
                r = "appearance"  # "the video for W featured A", "the W music video featuring A": in the video
            character = m.groupdict().get("character")
            date = None
            if kind == "credit" and name in ("released", "debuted-in", "starred-in", "featured-on", "featuring",
                                             "possessive-work", "sang", "appeared-in", "cameo"):
                after = [d for pos, d in dates if pos >= m.start() - 20] or [d for _, d in dates]
                date = after[0] if after else None
            if kind == "membership" and name in ("joined", "formed", "debuted-as-group", "formed-by"):
                date = dates[0][1] if dates else None
            norm = normalise_date(date, article.published, future=future) if date else None
            sc = round(score * (HEDGE_FACTOR if hedged else 1.0), 2)
            rule = name + ("+hedged" if hedged else "")
            if kind == "credit":
                agents = slots.get("a", []) + slots.get("b", [])
                works = [slots["w"][0]]
                if m.start("w") > m.start("a"):  # "A wrote “X,” “Y” and “Z”": each title of the list
                    works += _listed_titles(text, works[0], ms)
                if name in ("guest-on", "featured-on"):  # "featured on her show, ⟦2⟧, and on ⟦3⟧"
                    pos = m.end()
                    while more := re.match(r",? (?:and |as well as )?on (?:(?:her|his|their|the) )?(?:[\w-]+ ){0,2}?"
                                           r"⟦(\d+)⟧(?!['’])", tmpl[pos:]):
                        nxt = groups[int(more.group(1))][0]
                        if nxt.type is None and nxt.link is None and not nxt.suggestions:
                            nxt = replace(nxt, type=works[0].type)  # "on her show, W1, and on W2": a show too
                        works.append(nxt)
                        pos += more.end()
                for agent, w in ((a_, w_) for a_ in agents for w_ in works):
                    if r == "performer" and agent.type == "RecordLabel":
                        continue  # "Arista Records has released the song": the label puts it out, no one sings
                    if agent.start == w.start or not _fits(w, "w") or (
                            w.type is None and not (w.start > 0 and text[w.start - 1] in "\"“‘")):
                        continue
                    if name == "featured-on" and w.type in _SHOWS:
                        r = "guest"
                    s2 = sc if agent.link and w.link else round(sc * 0.9, 2)
                    out.append(Candidate.make(article, kind="credit", rule=rule, sentence=sent, start=ss, end=se,
                                              slots={"agent": agent, "work": w}, role=r, character=character,
                                              date=norm[0] if norm else None, date_inferred=bool(norm and norm[1]),
                                              score=s2))
                if name == "released" and norm:
                    w = slots["w"][0]
                    out.append(Candidate.make(article, kind="claim", rule=rule, sentence=sent, start=ss, end=se,
                                              slots={"about": w}, property="releaseDate", value=norm[0],
                                              date=norm[0], date_inferred=norm[1], score=sc))
            else:
                g = slots["g"][0]
                if name == "joined" and _QUALIFIES_NEXT.match(text, g.end):
                    continue  # "A has joined Hollywood actor B on the cast": B is who was joined; the name qualifies B
                for member in slots["m"]:
                    if member.start == g.start or (member.link and member.link == g.link):
                        continue
                    out.append(Candidate.make(article, kind="membership", rule=rule, sentence=sent, start=ss, end=se,
                                              slots={"member": member, "group": g},
                                              date=norm[0] if norm else None, date_inferred=bool(norm and norm[1]),
                                              score=sc))
    out += _hosts(article, sent, ss, se, reduced, groups, out)
    out += _from_group(article, text, sent, ss, se, tmpl0, groups)
    out += _lineup(article, text, sent, ss, se, ms)
    # released on DATE: "W was released on March 3"
    hedged = bool(_HEDGED.search(sent))
    if _NEGATED.search(sent):
        return best_candidates(out)
    tmpl = reduced
    for m in re.finditer(rf"{_W}{_FS}(?:(?:was |were |is |will be )?(?:released|out|dropped|premiered|premieres|aired)|(?:official |digital )?(?:release|premiere)(?: date)?) (?:on |in |was |is )?", tmpl):
        w = groups[int(m.group("w").split(",")[0])][0]
        rest = tmpl[m.end():]
        dm = _DATE_RE.match(rest) or _DATE_RE.match("on " + rest)
        # a talk show that "aired on Thursday" aired an episode: no release date of the show
        episode = bool(re.search(r"\baired\b", m.group())) and w.type in ("TalkShow", "VarietyShow", "Podcast",
                                                                           "RadioShow")
        if dm and _fits(w, "w") and not episode:
            norm = normalise_date(dm.group(), article.published, future=bool(_FUTURE.search(sent)))
            if norm:
                out.append(Candidate.make(article, kind="claim", rule="released-on" + ("+hedged" if hedged else ""),
                                          sentence=sent, start=ss, end=se, slots={"about": w},
                                          property="releaseDate", value=norm[0], date=norm[0],
                                          date_inferred=norm[1], score=round(0.75 * (HEDGE_FACTOR if hedged else 1), 2)))
    return best_candidates(out)


_SAID = re.compile(r"(?:\b(?:said|says|announced|announces|told|confirmed|reported|revealed|added|stated)(?: \w+)?|"
                   r"\baccording to (?:[\w’'-]+ ){0,3}?[\w’'-]+)(?: on| in)?\s*$", re.I)
_GROUPISH = _MEMBER_WORDS


class PatternExtractor:
    """The named pattern rules of ``patterns.py`` (kept: they hold the project's own articles)."""

    name = "patterns"

    def candidates(self, article: Article, text: str, sents: list[tuple[str, int, int]],
                   mentions: list[Mention], context: Any) -> list[Candidate]:
        out = []
        for sent, ss, se in sents:
            ms = [m for m in mentions if ss <= m.start and m.end <= se]
            out += _relations(article, text, sent, ss, se, ms)
        return out


def _hosts(article: Article, sent: str, ss: int, se: int, tmpl: str, groups: list[list[Mention]],
           found: list[Candidate]) -> list[Candidate]:
    """The host of a show: "⟦A⟧'s talk show ⟦W⟧", or "her talk show, ⟦W⟧" when
    exactly one agent of the sentence is left once the show's guests are set aside."""
    out = []
    for m in re.finditer(r"(?:⟦(?P<a>\d+)⟧['’]s?|\b(?:her|his|their)) (?:own )?(?:[\w-]+ )?(?:talk show|show|"
                         r"podcast|radio show|web series|variety show)s?,? ⟦(?P<w>\d+)⟧", tmpl):
        w = groups[int(m.group("w"))][0]
        if not _fits(w, "w") or _NEGATED.search(_clause(tmpl, m.start(), m.end())):
            continue
        if m.group("a"):
            hosts = groups[int(m.group("a"))][:1]
        else:
            guests = {id(c.slots["agent"]) for c in found if c.kind == "credit" and c.role == "guest"
                      and c.slots["work"] is w}
            hosts = [g[0] for g in groups if len(g) == 1 and _kind(g[0]) == "agent" and g[0].type in ("Person", None)
                     and id(g[0]) not in guests and g[0] is not w]
            if len({x.link or x.text for x in hosts}) != 1 or (hosts[0].type is None and not hosts[0].suggestions):
                continue
            hosts = hosts[:1]
        for h in hosts:
            if not _fits(h, "a"):
                continue
            sc = 0.7 if m.group("a") else 0.6
            out.append(Candidate.make(article, kind="credit", rule="host", sentence=sent, start=ss, end=se,
                                      slots={"agent": h, "work": w}, role="host",
                                      score=sc if h.link and w.link else round(sc * 0.9, 2)))
    return out


def _reduce(tmpl: str, groups: list[list[Mention]], *, appositions: bool = True) -> str:
    """The template for credit rules: "BTS' V", "V of BTS", "BTS member V" become
    the person, and appositions ("X, a five-member group formed by Y, will...")
    are dropped unless ``appositions`` is false (what an apposition says itself,
    "W, a film directed by A", is read in the template that keeps it)."""
    def typ(i: str) -> str | None:
        return groups[int(i.split(",")[0])][0].type

    def person_of_group(m: re.Match) -> str:
        g, p = m.group("g"), m.group("m")
        return f"⟦{p}⟧" if typ(g) in ("Group", None) and typ(p) in ("Person", None) else m.group()

    t = re.sub(r"⟦(?P<g>[\d,]+)⟧(?:['’]s?| " + _GROUPISH + r") ⟦(?P<m>[\d,]+)⟧", person_of_group, tmpl)
    t = re.sub(r"⟦(?P<m>[\d,]+)⟧ of ⟦(?P<g>[\d,]+)⟧", person_of_group, t)
    if appositions:
        t = re.sub(r"(⟦[\d,]+⟧), (?:a|an|the) [^,;]{0,80}?, ", r"\1 ", t)
    return t


#: "A debuted in X and then did a cameo in Y": the subject of the first predicate is the second's.
_CARRY = re.compile(r"(?P<s>⟦[\d,]+⟧)(?P<vp> (?!and |or |but )[a-z][\w-]*[^;⟦]*?(?:⟦[\d,]+⟧[^;⟦]*?)*?),? and "
                    r"(?:(?:then|later|also|subsequently|afterwards) (?=[a-z])|(?=(?:did|made|had|wrote|sang|became|"
                    r"took|won|went|\w+ed) ))")
#: "... explaining to B that he is ...": the pronoun right after a name is that name.
_THAT_PRONOUN = re.compile(r"(?P<s>⟦[\d,]+⟧) (?:that|who said|as) (?:he|she|they) ")


def _carried(tmpl: str) -> list[str]:
    """Variants of a sentence template in which a subject carried over is
    written out: "⟦1⟧ debuted in ⟦2⟧ and then did a cameo in ⟦3⟧" also reads
    "⟦1⟧ did a cameo in ⟦3⟧"; "told ⟦1⟧ that he was ..." also reads "⟦1⟧ was ..."."""
    out = [tmpl[:m.start()] + m.group("s") + " " + tmpl[m.end():] for m in _CARRY.finditer(tmpl)]
    out += [tmpl[:m.start()] + m.group("s") + " " + tmpl[m.end():] for m in _THAT_PRONOUN.finditer(tmpl)]
    return out


def _clause(tmpl: str, start: int, end: int) -> str:
    """The match and the rest of its clause on both sides (up to a comma or semicolon)."""
    left = max(tmpl.rfind(", ", 0, start), tmpl.rfind("; ", 0, start))
    right = [i for i in (tmpl.find(", ", end), tmpl.find("; ", end)) if i >= 0]
    return tmpl[left + 1 if left >= 0 else 0:min(right) if right else len(tmpl)]


#: After a name, an occupation and a capitalised name ("Hollywood actor Richard Gere", "BTS singer V"): the
#: name says where the person after it is from or with whom, and is not what a verb's subject joined.
_QUALIFIES_NEXT = re.compile(r"(?:['’]s?)?\s+(?:actor|actress|singer|rapper|star|director|producer|comedian|"
                             r"musician|model|idol|artist|singer-songwriter|composer|writer|dancer|host|presenter|"
                             r"member|leader|vocalist|guitarist|drummer)\s+[A-Z]")


def best_candidates(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per fact and sentence: the highest-scored rule wins; a
    fact a pattern rule and the parse both find keeps the pattern's name (the
    parse's rules start ``parse-``) with the higher score."""
    best: dict[tuple, Candidate] = {}
    for c in cands:
        # the same fact twice in a sentence ("stars in W, her first feature"): once, by its name
        key = (c.kind, c.start, tuple(sorted((k, _identity(m)) for k, m in c.slots.items())), c.role, c.property)
        old = best.get(key)
        described = [sum(m.method == "description" for m in x.slots.values()) for x in (old, c)] if old else None
        if old is None:
            best[key] = c
        elif old.rule.startswith("parse-") == c.rule.startswith("parse-") and described[0] != described[1]:
            keep = old if described[0] < described[1] else c
            best[key] = replace(keep, score=max(old.score, c.score))
        elif old.rule.startswith("parse-") != c.rule.startswith("parse-") and not old.rule.endswith("+hedged") \
                and not c.rule.endswith("+hedged"):
            keep, other = (c, old) if old.rule.startswith("parse-") else (old, c)
            best[key] = replace(keep, score=max(old.score, c.score), date=keep.date or other.date,
                                date_inferred=keep.date_inferred if keep.date else other.date_inferred,
                                character=keep.character or old.character)
        elif c.score > old.score:
            best[key] = c
    return list(best.values())


#: "the Blue singer-songwriter": an epithet naming a person by a work of theirs.
_EPITHET = re.compile(r"[Tt]he (?P<name>\S.*?) (?P<head>singer-songwriter|singer|rapper|vocalist|hitmaker|songstress|"
                      r"crooner|actor|actress|star|director)")


def epithet_candidates(article: Article, text: str, sent: str, ss: int, se: int, ms: list[Mention],
              known: KnownNames, inner: dict[Mention, Mention] | None = None) -> list[Candidate]:
    """A description that names a person by one known work ("the Blue
    singer-songwriter", "the Glass Garden actress") says they made it: a
    credit of the description (performer; actor, director for those heads)
    with the work's name inside it as the work. Only when the words name
    exactly one entity, and that entity is a work; or, for an epithet
    resolved in the article itself (``inner``: epithet -> the name inside it),
    when that name is new and no agent ("the Blue singer-songwriter" in a
    graph that knows no Blue: a new work)."""
    out = []
    inner = inner or {}
    for m in ms:
        if m.link is not None and m.method != "description":
            continue
        e = _EPITHET.fullmatch(m.text)
        if not e:
            continue
        head = e.group("head")
        role = {"actor": "actor", "actress": "actor", "director": "director"}.get(head, "performer")
        ns, ne = m.start + e.start("name"), m.start + e.end("name")
        iris = known.lookup(search_key(e.group("name")))
        name = inner.get(m)
        if not iris and name is not None and name.link is None and not name.suggestions \
                and (name.start, name.end) == (ns, ne) and _kind(name) in ("work", "unknown") \
                and not re.fullmatch(r"[A-Z][a-z]+(?:an|ese|ish)", name.text):  # "the Korean singer"
            work = replace(name, type=name.type or "Work", method="new")
            out.append(Candidate.make(article, kind="credit", rule="epithet", sentence=sent, start=ss, end=se,
                                      slots={"agent": m, "work": work}, role=role, score=0.55))
            continue
        if len(set(iris)) != 1:
            continue
        iri = iris[0]
        types = known.types(iri)
        if not any(_kind(Mention("", 0, 0, type=t)) == "work" for t in types):
            continue
        work = Mention(text[ns:ne], ns, ne, link=iri, method="alias", score=100.0, type=types[0] if types else None,
                       label=known.label(iri))
        out.append(Candidate.make(article, kind="credit", rule="epithet", sentence=sent, start=ss, end=se,
                                  slots={"agent": m, "work": work}, role=role,
                                  score=0.6 if m.link else 0.55))
    return out


# ---------------------------------------------------------------------------------
# Who "he" and "she" are, and epithets ("the BTS idol", "the Blue singer-songwriter")
# ---------------------------------------------------------------------------------

_HE = re.compile(r"\b(?:(?P<m>he|him|his|himself)|(?P<f>she|her|hers|herself))\b", re.I)
#: Words that bring another person into a clause: a pronoun after them may be theirs.
_ANOTHER_PERSON = re.compile(r"\b(?:the|a|an|another|other) (?:[\w-]+ ){0,2}?(?:singer|actress|actor|rapper|idol|star|"
                             r"member|leader|host|director|producer|artist|woman|man|girl|boy|fans?|friend)s?\b", re.I)
#: An introductory phrase before a sentence's subject ("In response, ", "In one scene from the video, ").
_INTRO = re.compile(r"(?:[A-Z][^,;:\"“”]{0,60}, )?")
_EPITHET_HEADS = ("singer-songwriter|singer|songstress|rapper|vocalist|idol|star|member|leader|maknae|actress|actor|"
                  "hitmaker|artist")
EPITHET_AFTER = re.compile(rf" (?P<mods>(?:[a-z][\w-]* ){{0,2}}?)(?P<head>{_EPITHET_HEADS})(?![\w-])")
#: Heads that say the name before them is a group ("the BTS idol"): its member.
_MEMBER_HEADS = {"idol", "member", "leader", "maknae"}
_GENDERED_HEADS = {"actress": "f", "songstress": "f", "actor": "m"}
#: How many sentences before an epithet its person may be named in.
EPITHET_WINDOW = 3


def _quoted_speech(sent: str) -> bool:
    return sent[:1] in "\"“‘'"


def _subject_pronoun(sent: str, ss: int, m: Mention, ms: list[Mention]) -> str | None:
    """"m" or "f" when ``m`` is its sentence's subject and a he/she/his/her
    follows it in the sentence before anyone else is named."""
    if not _INTRO.fullmatch(sent[:m.start - ss]) or _quoted_speech(sent):
        return None
    nxt = min([x.start for x in ms if x.start >= m.end] + [ss + len(sent)])
    rest = sent[m.end - ss:nxt - ss]
    other = _ANOTHER_PERSON.search(rest)
    if other:
        rest = rest[:other.start()]
    p = _HE.search(rest)
    return None if p is None else ("m" if p.group("m") else "f")


def genders_in(sents: list[tuple[str, int, int]], mentions: list[Mention]) -> dict[str, str]:
    """Entity identity -> "m" or "f", from the pronouns that follow it as a
    sentence's subject ("IU released a video on her channel"); a name with
    both is neither."""
    votes: dict[str, set[str]] = {}
    for sent, ss, se in sents:
        ms = [m for m in mentions if ss <= m.start and m.end <= se]
        subject = next((m for m in ms if _kind(m) != "work"), None)
        if subject is None or not a_name(subject):
            continue
        g = _subject_pronoun(sent, ss, subject, [m for m in ms if m is not subject])
        if g:
            votes.setdefault(_identity(subject), set()).add(g)
    return {k: next(iter(v)) for k, v in votes.items() if len(v) == 1}


def epithet_mentions(text: str, sents: list[tuple[str, int, int]], mentions: list[Mention],
                      members: dict[str, list[Mention]], genders: dict[str, str]) -> dict[Mention, Mention]:
    """Epithets that name a person by a name of theirs ("the BTS idol", "the
    Blue singer-songwriter", "the BTS global star") resolved to the person
    they stand for, as ``{epithet mention: the name mention inside it}``.

    A group's epithet ("the BTS idol": idol, member, leader; or any head when
    the name is a group) stands for the group's one member named in the
    article. Any other stands for the one person of its gender ("that he",
    "He wrote", "the actress") named in its sentence before it or in the
    three sentences before (quoted speech aside), when exactly one person of
    the window could be it: a person of unknown gender there, or two of the
    gender, and it stands for no one."""
    out: dict[Mention, Mention] = {}
    resolved: list[tuple[Mention, str]] = []  # (epithet mention, its gender)
    for i, (sent, ss, se) in enumerate(sents):
        for inner in [m for m in mentions if ss <= m.start and m.end <= se and a_name(m)]:
            if not re.search(r"\b[Tt]he $", text[max(ss, inner.start - 4):inner.start]):
                continue
            after = EPITHET_AFTER.match(text, inner.end)
            if after is None or after.end() > se:
                continue
            start, end = inner.start - 4, after.end()
            head = after.group("head")
            ante: Mention | None = None
            gender = _GENDERED_HEADS.get(head)
            group = inner.type == "Group" or head in _MEMBER_HEADS
            if group:
                if inner.type not in ("Group", None, "Agent"):
                    continue
                found = {_identity(x): x for x in members.get(_identity(inner), [])}
                if len(found) == 1:
                    ante = next(iter(found.values()))
            else:
                if inner.type not in (None, "Work") and _kind(inner) != "work":
                    continue  # "the IU singer"? a person's name before "singer" is no work of theirs
                here = [m for m in mentions if ss <= m.start and m.end <= se]
                gender = gender or _subject_pronoun(sent, ss, replace(inner, start=start, end=end),
                                                    [m for m in here if m is not inner])
                pronoun = re.match(r",? (?:that|who|as|because|since|when|and) (?P<p>he|she)\b", text[end:se])
                if pronoun:
                    gender = gender or ("m" if pronoun.group("p") == "he" else "f")
                if gender is None and _INTRO.fullmatch(sent[:start - ss]) and i + 1 < len(sents):
                    nxt = re.match(r"(?P<p>He|She)\b", sents[i + 1][0])
                    gender = nxt and ("m" if nxt.group("p") == "He" else "f")
                if gender is None:
                    continue
                lo = sents[max(0, i - EPITHET_WINDOW)][1]
                window = [(m, genders.get(_identity(m))) for m in mentions
                          if lo <= m.start and m.end <= start and a_name(m)
                          and not _quoted_speech(next(t for t, a, b in sents if a <= m.start < b))
                          and (m.type == "Person" or _identity(m) in genders)]
                window += [(m, g) for m, g in resolved if lo <= m.start and m.end <= start]
                could = {_identity(m): m for m, g in window if g in (gender, None)}
                if len(could) == 1:
                    only = next(iter(could.values()))
                    if genders.get(_identity(only)) == gender or any(g == gender and _identity(m) == _identity(only)
                                                                      for m, g in window):
                        ante = only
            if ante is None:
                continue
            m = standing_for(text, start, end, ante, "Person")
            out[m] = inner
            resolved.append((m, gender or genders.get(_identity(ante))))
    return out


#: What the shapes ask of a linked entity in each slot (shapes.ttl: a credit's agent is a
#: cg:Agent, its work a cg:Work; a membership's member a cg:Agent, its group a cg:Group).
SLOT_CLASSES = {"agent": "Agent", "work": "Work", "member": "Agent", "group": "Group"}


def shape_problem(c: Candidate, types_of: Any) -> str | None:
    """Why the shapes would refuse ``c`` as it stands, or ``None``: a slot
    linked to an entity that is not of the class the slot needs (Peakboy, an
    agent of no stated kind, as the group of a membership).

    :param types_of: entity IRI -> its class names (local names)."""
    vocab = _FINDER_VOCAB()
    for slot, m in c.slots.items():
        need = SLOT_CLASSES.get(slot)
        if need is None or m.link is None:
            continue
        types = types_of(m.link)
        if not any(need in vocab.superclasses.get(t, {t}) for t in types):
            kinds = ", ".join(types) or "no stated type"
            return (f"candidate {c.id}: its {slot} {m.text!r} is {curie(m.link)} ({kinds}), "
                    f"not a {need} as a {c.kind}'s {slot} must be")
    return None


def member_mentions(article: Article, text: str, sents: list[tuple[str, int, int]],
                     mentions: list[Mention]) -> dict[str, list[Mention]]:
    """Group identity -> the members the membership rules find in the article."""
    out: dict[str, list[Mention]] = {}
    for sent, ss, se in sents:
        ms = [m for m in mentions if ss <= m.start and m.end <= se]
        for c in _relations(article, text, sent, ss, se, ms):
            if c.kind == "membership" and not _HEDGED.search(c.rule):
                out.setdefault(_identity(c.slots["group"]), []).append(c.slots["member"])
    return out
