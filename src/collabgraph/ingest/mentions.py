"""Finding mentions in an article's text: the graph's names on folded text, unknown names (quoted
and sentence-case titles, capitalised spans) with type guesses and fuzzy suggestions, and
descriptions ("the group", "the song") that name an entity mentioned before."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Any, Iterable

from ..core.names import search_key
from ..importers.vocabulary import vocabulary
from .candidates import Mention
from .known import ARTICLE, DESCRIPTION_WORDS, KnownNames
from .parsewords import brings_new, named_in_passing
from .spans import MONTHS as _MONTHS, kind as _kind, qualifies_person

#: Fuzzy suggestions at or above this rapidfuzz WRatio score are listed.
SUGGEST_SCORE = 85.0


# ---------------------------------------------------------------------------------
# Mentions
# ---------------------------------------------------------------------------------

def _fold_map(text: str) -> tuple[str, list[int]]:
    """The folded text (as :func:`search_key`) and, for each folded character,
    the index of the original character it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for f in unicodedata.normalize("NFKC", ch).casefold():
            if unicodedata.category(f)[0] in "LN":
                out.append(f)
                where.append(i)
    return "".join(out), where


def _is_word(ch: str) -> bool:
    return ch.isalnum()


_STOP_CAPS = {"the", "a", "an", "in", "on", "at", "and", "but", "or", "for", "of", "to", "with", "after", "before",
              "since", "while", "when", "then", "however", "meanwhile", "also", "fans", "fan", "he", "she", "they",
              "it", "his", "her", "their", "its", "this", "that", "these", "those", "there", "here", "we", "i",
              "you", "as", "prior", "furthermore", "hence", "in addition", "according", "both", "last", "next",
              "earlier", "later", "today", "yesterday", "k-pop", "k-drama", "k-dramas", "korean", "english",
              "netizens", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
              "mr", "mrs", "ms", "dr", "everyone", "some", "many", "one", "two", "three", "if", "so", "now",
              "what", "who", "where", "why", "how", "not", "no", "yes", "be", "is", "are", "was", "were",
              "during", "from", "by", "all", "each", "our", "my", "your", "instead", "still", "even", "despite",
              "although", "though", "because", "until", "recently", "sources", "reports", "insiders", "viewers",
              "critics", "agency", "producers", "billboard", "season", "episode", "part", "chapter", "vol",
              "people", "everybody", "nobody", "someone", "warning", "spoilers", "update", "updated", "photo",
              "former", "fellow", "ost", "osts", "mv", "mvs"}
_STOP_CAPS.update(_MONTHS)
#: Nationality adjectives ("South Korean rapper A", "Kenyan-American artist B"): words before a name
#: that say where someone is from, never a name of their own.
_DEMONYMS = {"korean", "american", "british", "english", "japanese", "chinese", "canadian", "australian", "french",
             "german", "italian", "spanish", "mexican", "brazilian", "indian", "irish", "scottish", "welsh",
             "swedish", "norwegian", "danish", "dutch", "russian", "nigerian", "kenyan", "ghanaian", "african",
             "filipino", "filipina", "thai", "vietnamese", "indonesian", "taiwanese", "colombian", "argentine",
             "argentinian", "european", "asian", "jamaican",
             "cuban", "polish", "ukrainian", "turkish", "israeli", "egyptian", "malaysian", "singaporean"}


def without_demonyms(words: str) -> str:
    """``words`` with the nationality adjectives in them left out ("Japanese dancer" -> " dancer").

    >>> without_demonyms(", South Korean rapper "), without_demonyms(", Brian ")
    (',  rapper ', ', Brian ')
    """
    return re.sub(r"\b(?:(?:South|North|East|West|Southeast|Northern|Southern) )?[A-Z][a-z]+(?:-[A-Z][a-z]+)*\b",
                  lambda m: "" if _demonym(*m.group().split(" ", 1)) else m.group(), words)


def _demonym(word: str, following: str = "") -> bool:
    """Whether ``word`` (with ``following`` after it, for "South Korean") is a nationality
    adjective.

    >>> _demonym("Kenyan-American"), _demonym("South", "Korean"), _demonym("Brian")
    (True, True, False)
    """
    if word in ("South", "North", "East", "West", "Southeast", "Northern", "Southern") and following:
        word = following
    return all(w.lower() in _DEMONYMS for w in word.split("-"))


#: After a word that opens a sentence: a list of two or more names more ("Jihyo, Momo, Sana and Mina are ..."):
#: the word is the list's first name, not a capital a sentence gives any word.
_LIST_AFTER = re.compile(r"(?:, [A-Z][\w'’-]+){2,}(?:,? and [A-Z][\w'’-]+)?\b")


#: Countries and cities a name is said to be "of" ("Zara Larsson of Sweden"): a place, never part of the name.
_PLACES = ("Britain|Great Britain|England|Scotland|Ireland|Wales|Sweden|Norway|Denmark|Finland|Iceland|France|Germany|"
           "Spain|Italy|Portugal|Netherlands|Belgium|Poland|Russia|Ukraine|Canada|Mexico|Brazil|Argentina|Colombia|"
           "Australia|New Zealand|Japan|China|Taiwan|Hong Kong|Korea|South Korea|Thailand|Vietnam|Indonesia|"
           "the Philippines|Philippines|India|Nigeria|Ghana|South Africa|Egypt|Israel|Turkey|America|the US|the U\\.S\\.|"
           "the UK|the U\\.K\\.|Seoul|Busan|Tokyo|London|Paris|Berlin|Los Angeles|New York|Atlanta|Chicago|Toronto")
#: "A of B" where B is a country or city ("MNEK of Britain") or a company ("BLACKPINK of YG Entertainment").
_OF_PLACE = re.compile(rf"(?P<name>.+?) of (?:(?:{_PLACES})|(?P<company>(?:[A-Z][\w&.-]* ){{0,3}}(?:Entertainment|"
                       r"Records|Recordings|Music|Pictures|Studios|Media|Films|Label))|"
                       # a group's name in capitals or with digits ("Hwasa of MAMAMOO", "CL of 2NE1", "NCT 127")
                       r"(?P<group>(?=[A-Z0-9&.-]*[A-Z])[A-Z0-9][A-Z0-9&.-]*[A-Z0-9](?: [0-9]{1,3})?))")


#: After a word that opens its line: a bracket that ends the line ("Taeyeon (Girls’ Generation)", a row of a list).
_ROW_AFTER = re.compile(r"[^\S\n]*\([^()\n]{1,40}\)[^\S\n]*(?:\n|$)")


def _leading_stop(parts: list[str], text: str, s: int) -> bool:
    """Whether the first word of a capitalised span at ``s`` is no part of the name. A month is a date
    only where the text reads as one ("In May BTS released", "since June", "May" alone, "Jun."); before
    another capitalised word with nothing of a date before it, it is a first name ("May Calamawy",
    "Jun Ji-hyun", "June Carter"), which the span had lost."""
    w = parts[0].lower()
    if w not in _STOP_CAPS:
        return False
    if w.rstrip(".") not in _MONTHS or len(parts) == 1 or parts[0].endswith("."):
        return True
    return re.search(r"(?:\b(?:in|on|since|until|till|by|from|through|last|next|this|early|late|mid|of|during|"
                     r"before|after|every|each|published|updated|posted)[ -]|\d[ ,]*)$",
                     text[max(0, s - 14):s].lower()) is not None


#: Capitalised determiners that open a title in mid-sentence ("the drama Our Blues", "her film My Name"):
#: kept as part of the name there, dropped at a sentence's start ("Our new single ...").
_TITLE_DETERMINERS = {"Our", "My", "Your", "His", "Her", "Their", "We"}

#: An honorific abbreviation that opens a name of one word ("Mr. Queen", "Dr. Romantic", "Ms. Hammurabi",
#: "Mr. Cha"): part of the name, never a sentence's end or a word to drop (the name cut after it was "Queen",
#: a band's name). Before a full name ("Dr. Lee Sang-woo") it is a title, left out as before.
HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Dr)\.? (?=[A-Z])")
_AFTER_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr)\.? $")


#: Titles written before a name ("Leader Seoha", "PD Song Eun-bi"): not part of it.
_TITLES = {"leader", "writer", "director", "producer", "pd", "singer", "rapper", "actor", "actress", "composer",
           "lyricist", "host", "comedian", "member", "members", "novelist", "newcomer", "veteran", "chef", "mc",
           "dancer", "choreographer", "vocalist", "maknae", "screenwriter", "filmmaker",
           "songwriter", "singer-songwriter", "co-host", "presenter", "engineer", "arranger", "guitarist", "drummer",
           "trainee", "rookie", "newcomers", "actors", "singers", "rappers", "producers", "directors",
           # players and band roles (issue 20, eighth round: "Cellist Noh Ga-young" was one new name)
           "frontman", "frontwoman", "cellist", "pianist", "violinist", "bassist", "keyboardist", "saxophonist",
           "trumpeter", "percussionist", "conductor", "soloist", "showrunner", "cinematographer"}
_CONNECT = {"of", "the", "and", "&", "de", "in", "for", "on", "a", "to"}
#: The labels of an information box written on one line ("Director: A Writer: A Cast: B, C Cert: 15
#: Year: 2016 Original title: D"): a name ends before the next label.
_INLINE_LABELS = {"director", "directors", "writer", "writers", "cast", "starring", "stars", "producer", "producers",
                  "music", "screenplay", "script", "cert", "certificate", "rating", "year", "title", "original title",
                  "english title", "running time", "runtime", "country", "language", "genre", "duration", "network",
                  "episodes", "release date", "released", "premiered", "hosts", "guests", "featuring", "lyrics",
                  "composer", "composition", "arrangement"}


def _unlabelled(sent: str, at: int, span: str) -> list[tuple[int, str]]:
    """A capitalised span of ``sent`` at ``at`` without the labels of a one-line information box
    in it: "Jung Writer: July Jung Cast: Doona Bae" is "Jung", "July Jung" and "Doona Bae";
    "Kim Eui-sung Cert" before ": 15" is "Kim Eui-sung". A colon after no label stays a title's
    ("Hotel King: After Lee")."""
    cuts = [c for c in re.finditer(r": ", span)]
    after = sent[at + len(span):at + len(span) + 30]
    ends_labelled = after[:2] == ": "
    two = re.match(r" ([a-z]+): ", after)  # "Running time: 118mins", "Original title: X"
    if two and f"{span.split()[-1]} {two.group(1)}".lower() in _INLINE_LABELS:
        words = span.split()[:-1]
        return [(at, " ".join(words))] if words and " ".join(words) == span[:len(" ".join(words))] else []
    pieces, pos = [], 0
    for c in cuts:
        pieces.append((pos, span[pos:c.start()], True))
        pos = c.end()
    pieces.append((pos, span[pos:], ends_labelled))
    out: list[tuple[int, str]] = []
    labelled = False
    for start, piece, before_colon in pieces:
        words = piece.split()
        if before_colon:
            for n in (2, 1):
                if len(words) >= n and " ".join(words[-n:]).lower() in _INLINE_LABELS:
                    words, labelled = words[:-n], True
                    break
        if words:
            out.append((at + start, " ".join(words)))
    if not labelled or any(" ".join(p.split()) != p for _, p in out):
        return [(at, span)]
    return out


#: Two names of a list glued where a page lost the break between them: "Sang MinKim", "Hye-BinGo".
_GLUE = re.compile(r"(?<=[A-Za-z][a-z]{2})(?=[A-Z][a-z])")


def _unglued(at: int, span: str) -> list[tuple[int, str]]:
    """A capitalised span cut where a list's names were glued together when a page lost its
    line breaks or commas ("Lee Sang MinKim Shin Young": "Lee Sang Min" and "Kim Shin Young"):
    only inside a word that has a name's words before and after it, so "Grace VanderWaal" and
    "Ronald MacDonald" stay whole.

    >>> _unglued(0, "Hong Eun-HeeJeon Hye-BinGo Won-Hee")
    [(0, 'Hong Eun-Hee'), (12, 'Jeon Hye-Bin'), (24, 'Go Won-Hee')]
    """
    words = list(re.finditer(r"\S+", span))
    for w in words[1:-1]:
        glue = _GLUE.search(w.group())
        if glue:
            cut = w.start() + glue.start()
            return [(at, span[:cut])] + _unglued(at + cut, span[cut:])
    return [(at, span)]


#: An information box's labels ("Director: Kwak Ye-jin"): never part of the name after them.
_LABELS = _TITLES | {"screenplay", "starring", "cast", "music", "lyrics", "network", "episodes", "writer", "guests",
                     "hosts", "featuring", "producers", "runtime"}
_FAMILY = {"kim", "lee", "park", "choi", "jung", "jeong", "kang", "cho", "jo", "yoon", "yun", "jang", "lim", "im",
           "han", "oh", "seo", "shin", "kwon", "hwang", "ahn", "song", "yoo", "yu", "hong", "jeon", "jun", "go", "ko",
           "moon", "yang", "son", "bae", "baek", "heo", "nam", "min", "ryu", "noh", "ha", "kwak", "cha", "joo"}
_WORK_CUES = [(r"\b(?:music video|MV|video|remix|cover) (?:for|of)", "Song"), (r"music video|\bMV\b", "MusicVideo"), (r"\bb-side|\btitle track|\blead single|\bsummer hit", "Song"),
              # a web drama is a web series (published online), not a K-drama of television
              (r"\bweb[- ]?(?:drama|series|show)s?\b|\bwebseries\b", "WebSeries"),
              (r"\bK-?drama|\bdrama\b", "KDrama"),
              (r"\bfilm\b|\bmovie\b", "Film"), (r"\bseries\b|\bshow\b|\bsitcom\b", "TVSeries"),
              # "the second season of Tale of the Nine-Tailed", "twelve episodes of Strongest Deliveryman"
              (r"\b(?:season|episodes?) of(?: the)?", "TVSeries"),
              (r"\balbum\b|\bEP\b|mini-album", "Album"), (r"\bsingle\b", "Single"),
              # "joined the cast of Rudderless", "the sequel to Dune": only a work has a cast or a sequel
              (r"\b(?:the )?(?:cast|sequel|prequel|remake|spin-?off) (?:of|to)(?: the)?", "Work"),
              (r"\bsong\b|\btrack\b|\bballad\b|\banthem\b|\bOST\b", "Song"),
              # "penned the lyrics of Make Me Go": only a song has lyrics or a chorus
              (r"\b(?:lyrics|chorus|hook|verse|rap segment|melody) (?:of|for|to|on)", "Song")]
_AGENT_CUES = [(r"\b(?:boy|girl|co-ed)?\s*(?:group|band|duo|trio|quartet|unit)\b", "Group"),
               (r"\b(?:singer|actor|actress|rapper|idol|songwriter|producer|director|star|dancer|member|"
                r"leader|vocalist|comedian|host|composer|soloist|Mr|Ms|Mrs|Dr)\b\.?", "Person")]


#: The last word of a company's name ("Blue Pine Entertainment", "Sable Records"): an agency or a
#: label, never a group that people are members of.
_LABEL_NAME = re.compile(r"\s(?:Entertainment|Records|Recordings|Label|Labels|Agency|Media)$")


def _names_the_title_after(cue: str, near_after: str, quoted: bool) -> bool:
    """Whether the noun after an unquoted name is followed by the title it names ("the Netflix drama “The
    Trunk”", "the MBN drama The Crown Prince", "tvN's Monday-Tuesday drama, Carry On"): the title is the
    work, the name before the noun a broadcaster, a studio or a time slot that qualifies it."""
    # (the cue's words in any case, the title's first letter a capital)
    return not quoted and re.match(r"[\s\"”’']*(?i:" + cue + r")s?,?\s+[\"“‘']?[A-Z0-9]", near_after) is not None


def guess_type(text: str, before: str, after: str, quoted: bool) -> str | None:
    """A class guess for an unknown name from its shape and the words around it."""
    if not quoted and _LABEL_NAME.search(text):
        return "RecordLabel"
    # the words of its own paragraph ("Composed by Jaehan" is no song for the "Track 4" under it)
    near_before = before[-40:].rsplit("\n\n", 1)[-1]
    near_after = after[:30].split("\n\n", 1)[0]
    owner = bool(re.match(r"['’]s?\s", after)) and not quoted  # "the video for Nari's “X”": Nari owns the work
    company = re.search(r"\s(?:Pictures|Studios|Media|Films|Productions|Entertainment|Records|Music|Group)$", text)
    for cue, cls in ([] if owner else _WORK_CUES):
        if company and cls == "Work":
            continue  # "the cast of Walt Disney Pictures' ...": a company owns the work named after it
        if re.search("(?:" + cue + r")[\s,:]*(?:titled|called|named)?[\s\"“‘']*$", near_before, re.I) or \
                re.match(r"[\s\"”’']*(?:" + cue + r")(?![\w-]| (?:festival|awards?|industry|critics?|company|studios?|"
                         r"school|fans?|market|ceremony|circles?|scene|business|crew|set)\b)", near_after, re.I) \
                and not _names_the_title_after(cue, near_after, quoted):
            return cls  # "the film Luna", "Luna (film)"; not "the Busan film festival"
    if quoted:
        return "Work"
    if re.match(r",? (?:a|an|the) (?:[\w-]+ ){0,3}?(?:group|band|duo|trio)\b", near_after, re.I):
        return "Group"  # "Star Tide, a new girl group formed by ..."
    if re.match(r",? (?:a|an|the) (?:[\w-]+ ){0,3}?(?:singer|soloist|solo artist|actor|actress|rapper|producer|"
                r"director|songwriter|composer|comedian|dancer)\b", near_after, re.I):
        return "Person"  # "Eden, a solo artist who debuted in 2023"
    if re.search(r"\b[Tt]he $", near_before) and re.match(r" (?:[a-z][\w-]* )?(?:idol|member|leader|maknae)s?\b",
                                                          near_after):
        return "Group"  # "the BTS idol", "the NOVA9 member"
    for cue, cls in _AGENT_CUES:
        if re.search(cue + r"\s*$", near_before, re.I):
            return cls
    words = text.split()
    if len(words) in (2, 3) and (words[0].lower() in _FAMILY or re.search(r"\b[A-Z][a-z]+-[a-z]+\b", text)):
        return "Person"
    return None


def _title_case(words: str) -> bool:
    """Every word capitalised but the small ones a title keeps in lower case: a title written in
    Title Case ("That Song That We Used To Make Love To"), not a quoted sentence."""
    ws = re.findall(r"[^\W\d_][\w'’.-]*", words)
    small = {"a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "with", "by", "be", "from", "is"}
    return len(ws) >= 2 and ws[0][0].isupper() and all(w[0].isupper() or w.lower() in small for w in ws)


def _quoted_titles(text: str) -> list[tuple[int, int]]:
    """Offsets of quoted titles: “Title”, "Title" or ‘Title’, short, capitalised
    (or not Latin), and not a quoted sentence."""
    out = []
    # an apostrophe inside is no closing quote: “It’s Okay to be Erased”, ‘A Midsummer Night’s Sweetness’
    curly = re.finditer(r"[\"“‘]((?:[^\"“”‘’\n]|’(?=\w)){1,70}?)[\"”’](?!\w)", text)
    # straight single quotes, as headlines and Korean outlets write titles ("Cast Of 'Paper Verdict'"): the
    # opening one after no letter (not the apostrophe of "members' new song"), the closing one before none,
    # neither next to a space inside ("rock 'n' roll" starts in lower case and is refused below)
    straight = re.finditer(r"(?<![\w'’])'([A-Z0-9가-힣](?:[^'\n]{0,68}?[^\s'])?)'(?![\w'])", text)
    for m in sorted([*curly, *straight], key=lambda m: m.start()):
        inner = m.group(1)
        end = m.end(1)
        stop = re.search(r"[,.]$", inner)
        if stop and len(inner) > 2 and not (stop.group() == "." and re.search(r"\.\w+\.$", inner)):
            # American style: “Paper Lanterns,” said ...; a sentence's stop inside its closing quote:
            # ... called “Kiss and Make Up.” (an abbreviation keeps its stop: “No More Parties in L.A.”)
            inner, end = inner[:-1], end - 1
            if not _title_case(inner) and (len(inner.split()) > 5 or re.search(
                    r"\b(?:I|my|me|we|our|you|your|it|is|are|was|were)\b", inner) or stop.group() == "." and " " in inner):
                # “People keep tagging Taehyung in my comments,” she said; “Nothing has been decided yet.”:
                # speech, no title (a title before a stop is in Title Case: “Kiss and Make Up.”)
                continue
        if not inner.strip() or inner != inner.strip() or re.search(r"[!?,:;]$|(?<!\.\w)\.$", inner) \
                or len(inner.split()) > (12 if _title_case(inner) else 8) \
                or not (inner[0].isupper() or inner[0].isdigit() or not inner[0].isascii()):
            continue
        out.append((m.start(1), end))
    return out


#: A work noun after which a sentence-case title may follow ("their music video Love wins all").
_TITLE_CUE = re.compile(r"\b(?:music video|MV|song|single|track|ballad|anthem|album|EP|mini-album|film|movie|"
                        r"K-?drama|drama|series|show|OST)\s+(?P<t>[A-Z][\w'’-]*(?: [a-z][\w'’-]*){1,4})"
                        r"(?=[.,;:!?)]|\s*$)")
#: Words a sentence-case title never continues with: the sentence's own verbs and joints.
_NOT_IN_TITLE = {"is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would", "can",
                 "could", "should", "and", "or", "but", "which", "that", "who", "whom", "whose", "when", "while",
                 "where", "as", "than", "then", "also", "too", "again", "together", "ago", "last", "next", "this",
                 "year", "years", "week", "month", "today", "yesterday", "said", "says"}


def _sentence_case_titles(text: str) -> list[tuple[int, int]]:
    """Offsets of every occurrence of a title written in sentence case, which
    no capitalised span can find whole ("Love wins all"): the words after a
    work noun up to a clause's end, when they are no verb or joint of the
    sentence and the same words come back at least once more in the article
    (one occurrence is too little to tell "the song Blue last night." from a title)."""
    titles = set()
    for m in _TITLE_CUE.finditer(text):
        title = m.group("t")
        if any(w in _NOT_IN_TITLE for w in title.split()[1:]):
            continue
        if len(re.findall(rf"(?<![\w'’-]){re.escape(title)}(?![\w'’-])", text)) >= 2:
            titles.add(title)
    out = []
    for title in sorted(titles, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w'’-]){re.escape(title)}(?![\w'’-])", text):
            if not any(m.start() < e and s < m.end() for s, e in out):
                out.append((m.start(), m.end()))
    return sorted(out)


#: Capital letters a name may start with: ASCII and the Latin capitals with accents ("Úrsula Corberó",
#: "Ñengo Flow", "Émile", "Łukasz"), which ``[A-Z]`` misses, so those names lost their first word.
_UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper() and c != "×")
_CAP_WORD = rf"[{_UPPER}0-9][\w’']*(?:-[\w’']+)*"


#: A capitalised word made an adjective by a hyphen ("Emmy-nominated", "Oscar-winning", "Seoul-based",
#: "Egyptian-themed"): it qualifies the noun or the name after it and is no name itself.
_QUALIFIER_WORD = re.compile(r"[A-Z][\w’'.]*-(?:[a-z]{2,}(?:ed|ing)|born|based|led|made)")


#: After a one-word name that opens a sentence: a verb of making or releasing music or film ("Zico dropped
#: “Any Song”", "Crush released ...", "J-Hope wrote ..."): the word is its subject, a name, not a word that
#: merely starts the sentence ("Meanwhile", "Sometimes" are never followed by one).
_CREDIT_VERB_AFTER = re.compile(r" (?:(?:has|have|had|will|also|then|later|once|recently|just|first) )?(?:dropped|"
                                r"releases|released|sang|sings|wrote|writes|composed|composes|co-wrote|penned|produced|"
                                r"produces|directed|directs|stars|starred|featured|features|performed|performs|"
                                r"covered|covers|remixed|recorded|records|unveiled|unveils|debuted|collaborated|"
                                r"teamed|appeared|appears|cameoed|guested|hosted|hosts)\b")


def _not_title_word(word: str) -> bool:
    """A capitalised word that merely starts a sentence, precedes a name or is a number."""
    return word.lower() in _STOP_CAPS or word.lower() in _TITLES or word.isdigit()


def _longer_title(text: str, s: int, e: int, found: list[tuple[int, int, str]]) -> bool:
    """Whether ``text[s:e]`` is part of a longer capitalised title: capitalised words
    right before or after it, joined by a space or a hyphen ("Bus Stop Blue",
    "Blue-Eyed Girl"), that are no other known name, no possessive ("IU's Blue")
    and no word that merely starts a sentence or precedes a name ("The", "Singer")."""
    before = re.search(rf"(?:{_CAP_WORD}[ -])+$", text[max(0, s - 80):s])
    words = []
    for w in reversed(before.group().split()) if before else []:
        # the run of title words next to the name: "2016 K-drama" or "IU's" before it end the run
        if _not_title_word(w) or re.search(r"['’]s?$", w):
            break
        words.insert(0, w)
    left_start = s - len(" ".join(words)) - 1 if words else s
    left = bool(words) and not any(fs < s and left_start < fe for fs, fe, _ in found)
    after = re.match(rf"(?:[ -]{_CAP_WORD})+", text[e:e + 80])
    words = []
    for w in re.findall(_CAP_WORD, after.group()) if after else []:
        if _not_title_word(w):
            break
        words.append(w)
    right_end = e + 1 + len(" ".join(words)) if words else e
    right = bool(words) and not any(e < fe and fs < right_end for fs, fe, _ in found)
    return left or right


class Finder:
    def __init__(self, text: str, known: KnownNames, published: str | None):
        self.text = text
        self.known = known
        self.vocab = vocabulary()

    # -- the graph's names ---------------------------------------------------------
    def known_mentions(self) -> list[Mention]:
        text = self.text
        folded, where = _fold_map(text)
        longest = self.known.longest()
        if not longest:
            return []
        # word starts and ends, as folded indexes
        starts, ends = [], set()
        for fi, oi in enumerate(where):
            if (fi == 0 or where[fi - 1] != oi) and (oi == 0 or not _is_word(text[oi - 1])):
                starts.append(fi)
            if (fi + 1 == len(where) or where[fi + 1] != oi) and (oi + 1 >= len(text) or not _is_word(text[oi + 1])):
                ends.add(fi + 1)
        # every word span short enough to be a name, looked up at once (not the graph's every name)
        names = self.known.present({folded[fs:fe] for fs in starts
                                    for fe in range(fs + 1, min(len(folded), fs + longest) + 1) if fe in ends})
        found: list[tuple[int, int, str]] = []
        for fs in starts:
            for fe in range(min(len(folded), fs + longest), fs, -1):
                if fe in ends and folded[fs:fe] in names:
                    found.append((where[fs], where[fe - 1] + 1, folded[fs:fe]))
                    break
        found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
        # A name inside a longer quoted title is part of that title ("Blue" in
        # "Blue Hour"), never a mention of its own: linking it would be a guess.
        titles = _quoted_titles(text)
        found = [f for f in found if not any(qs <= f[0] and f[1] <= qe and (qs, qe) != (f[0], f[1])
                                             for qs, qe in titles)]
        # Likewise a work's name inside a longer capitalised title ("Blue" in "Bus Stop Blue"):
        # the whole title is the mention (a new work), never the inner one.
        found = [f for f in found if not (self._names_a_work(f[2]) and _longer_title(text, f[0], f[1], found))]
        # A name of a work or a group right after an honorific is the cut end of a longer name ("Mr. Queen",
        # a drama, is not the band Queen); a person's name may follow one ("Mr. Park Seo-joon").
        found = [f for f in found if not (_AFTER_HONORIFIC.search(text, max(0, f[0] - 5), f[0])
                                          and not self._names_a_person(f[2]))]
        # A one-word name after a family name is a given name of someone else ("Han Ji-min" is not the
        # "Jimin" the graph knows, whose full names would be its aliases): the whole is a new name.
        found = [f for f in found if " " in text[f[0]:f[1]] or not (
            (fam := re.search(r"\b([A-Z][a-z]{1,5}) $", text[max(0, f[0] - 8):f[0]])) and fam.group(1).lower() in _FAMILY
            and text[f[0]:f[0] + 1].isupper())]
        taken: list[tuple[int, int]] = []
        out = []
        for s, e, key in found:
            if any(s < te and ts < e for ts, te in taken):
                continue
            span = text[s:e]
            owners = [(iri, name) for iri, name in self.known.named(key) if not DESCRIPTION_WORDS.fullmatch(name)
                      or name[:1].isupper() and any(w[:1].isupper() for w in name.split()[1:])]
            if not owners:
                continue  # "the music video" stored as a name by mistake: words, not a name
            exact = [iri for iri, name in owners if name == span]
            if span.islower() and not any(n.islower() for _, n in owners):
                continue  # a common word ("blue") is not the name "Blue"
            iris = sorted({iri for iri, _ in owners})
            taken.append((s, e))
            if key in self.known.described:  # a description one source gave: a person decides
                sugg = tuple((iri, self.known.label(iri), 100.0) for iri in iris)
                out.append(Mention(span, s, e, method="fuzzy", score=100.0, label=span, suggestions=sugg))
            elif len(iris) == 1 and not self._other_kind(iris[0], span, s, e):
                iri = iris[0]
                out.append(Mention(span, s, e, link=iri, method="alias" if exact else "normalised",
                                   score=100.0, type=self._type_of(iri), label=self.known.label(iri)))
            elif len(iris) == 1:
                # the words around it call it another kind of thing ("the 2016 series Hwarang" where the
                # graph's Hwarang is a dance crew): a person decides, and the words' kind is kept
                iri = iris[0]
                out.append(Mention(span, s, e, method="fuzzy", score=100.0, label=span,
                                   suggestions=((iri, self.known.label(iri), 100.0),),
                                   type=self._context_type(span, s, e)))
            else:
                # a name several entities share: the words around it may say which kind it is ("singer Luna")
                quoted = s > 0 and text[s - 1] in "\"“‘" and text[e:e + 1] in ("\"", "”", "’")
                guess = guess_type(span, text[max(0, s - 60):s - (1 if quoted else 0)], text[e + (1 if quoted else 0):e + 40],
                                    quoted)
                sugg = tuple((iri, self.known.label(iri), 100.0) for iri in iris)
                out.append(Mention(span, s, e, method="fuzzy", score=100.0, label=span, suggestions=sugg,
                                   type=None if guess == "Work" else guess))
        return sorted(out, key=lambda m: m.start)

    def _context_type(self, span: str, s: int, e: int) -> str | None:
        """The kind the words right around a name give it ("the series X", "singer X")."""
        text = self.text
        quoted = s > 0 and text[s - 1] in "\"“‘" and text[e:e + 1] in ("\"", "”", "’")
        # the words of its own sentence only (a headline's "summer film" says nothing of the next line)
        before = re.split(r"(?<=[.!?\n])\s", text[max(0, s - 60):s - (1 if quoted else 0)])[-1]
        after = re.split(r"(?<=[.!?])\s|\n", text[e + (1 if quoted else 0):e + 40])[0]
        guess = guess_type(span, before, after, quoted)
        return None if guess == "Work" and quoted else guess

    def _other_kind(self, iri: str, span: str, s: int, e: int) -> bool:
        """Whether the words around a name say it is a work where the graph's entity of that
        name is an agent, or the reverse."""
        guess = self._context_type(span, s, e)
        types = self.known.types(iri)
        if not guess or guess == "Work" or not types or guess_type(span, "", "", False) == guess:
            return False  # no words around it, or only the name's shape ("Moon Lovers" looks like a person)
        is_work = self.vocab.is_work_class(guess)
        return all(bool(self.vocab.is_work_class(t) or t == "Work") != is_work for t in types)

    def _names_a_person(self, key: str) -> bool:
        return any(t == "Person" for iri, _ in self.known.named(key) for t in self.known.types(iri))

    def _names_a_work(self, key: str) -> bool:
        return any(self.vocab.is_work_class(t) or t == "Work"
                   for iri, _ in self.known.named(key) for t in self.known.types(iri))

    def _type_of(self, iri: str) -> str | None:
        types = self.known.types(iri)
        # the most specific class first (the one with most ancestors)
        ranked = sorted(types, key=lambda t: -len(self.vocab.superclasses.get(t, ())))
        return ranked[0] if ranked else None

    # -- names the graph does not know ---------------------------------------------
    def unknown_spans(self, sents: list[tuple[str, int, int]], taken: list[Mention]) -> list[tuple[int, int, bool]]:
        text = self.text
        spans: list[tuple[int, int, bool]] = []

        def free(s: int, e: int) -> bool:
            return not any(s < m.end and m.start < e for m in taken) and \
                not any(s < se and ss < e for ss, se, _ in spans)

        for s, e in _quoted_titles(text):
            if free(s, e):
                spans.append((s, e, True))
        for s, e in _sentence_case_titles(text):
            if free(s, e):
                spans.append((s, e, False))
        # capitalised spans
        mid_caps = set()
        # a middle initial or initials with their stops ("William H. Macy", "J.J. Abrams") before a capitalised
        # word that is no sentence's opening ("... from Plan B. The ..." stays two)
        initials = rf"(?:[{_UPPER}]\.){{1,3}}(?= (?!(?:The|A|An|In|On|At|But|And|It|He|She|They|We|I|This|That|His|Her|" \
            rf"Their|Its)\b)[{_UPPER}])"
        # a name that opens with a digit ("2NE1", "4Minute"), not a time ("2PM") or a dimension ("3D")
        digits = r"(?<![\w.,:])[0-9]{1,2}[A-Z][A-Za-z0-9]+(?<!AM)(?<!PM)\b"
        word = rf"(?:{initials}|{digits}|[{_UPPER}][\w'’.-]*[\w]|[{_UPPER}]|[가-힣]+)"
        # "Music of the Spheres", "Permission to Dance": small words between capitalised ones
        cap_re = re.compile(rf"(?:(?:Mr|Mrs|Ms|Dr)\. )?{word}(?:(?: (?:of|the|&|de|of the|to|in the|on the) | |: ){word})*")
        for sent, _ss, _se in sents:
            for m in cap_re.finditer(sent):
                if m.start() > 0:
                    mid_caps.add(m.group().split()[0].lower())
                parts = m.group().split()
                if len(parts) > 1:  # "Seojoon laughed.", "Park plays ...": a short form of a full name
                    mid_caps.update(p.lower() for p in (parts[0], parts[-1], " ".join(parts[1:]),
                                                        "".join(parts[1:]).replace("-", "")))
        for m in taken:
            parts = m.text.split()
            if len(parts) > 1:
                mid_caps.update(p.lower() for p in (parts[0], parts[-1], "".join(parts[1:]).replace("-", "")))
        for sent, ss, _se in sents:
            for at, span in (q for m in cap_re.finditer(sent) for p in _unlabelled(sent, m.start(), m.group())
                             for q in _unglued(*p)):
                s, e = ss + at, ss + at + len(span)
                # trim possessives and trailing connector words
                span_c = re.sub(r"['’]s?$", "", span)
                e -= len(span) - len(span_c)
                span = span_c
                owner = re.match(r"(\S+)['’]s (?=[A-Z])", span) or re.match(
                    r"((?:\S+ ){1,3}\S+)['’]s? (?=[A-Z][\w-]+ [A-Z][\w-]+$)", span)
                # ("Night Garden's Jo Park": a title of several words before a full name; not "The
                # Queen's Gambit", one word after it)
                if owner and not guess_type(span, text[max(0, s - 60):s], text[e:e + 40], False):
                    # "BLACKPINK's Jisoo": the group and the person, two names (unless a cue makes the
                    # whole a title: "her talk show, IU's Palette")
                    for ps, pe in ((s, s + len(owner.group(1))), (s + owner.end(), e)):
                        word = text[ps:pe]
                        if free(ps, pe) and word.lower() not in _STOP_CAPS and len(word) > 1:
                            spans.append((ps, pe, False))
                    continue
                parts = span.split()
                mid = s > ss and re.search(r"[a-z,]\s[“\"‘]?$", text[max(ss, s - 3):s]) is not None
                # a quoted title in mid-sentence keeps its first word ("called “No More Tears”")
                quoted_mid = mid and text[s - 1] in "“\"‘" and len(parts) > 1
                while parts and not (mid and parts[0] in _TITLE_DETERMINERS and len(parts) > 1) and not (
                        len(parts) == 2 and HONORIFIC.match(" ".join(parts))) and not (
                        quoted_mid and parts[0][:1].isupper() and parts[0].lower() not in ("the", "a", "an")) and (
                        _leading_stop(parts, text, s) or parts[0].lower() in _TITLES and len(parts) > 1
                                 or _demonym(parts[0], parts[1] if len(parts) > 1 else "")
                                 or _QUALIFIER_WORD.fullmatch(parts[0]) is not None
                                 # "Dr. Lee Sang-woo", "Mr. Kim Min-jae": a title before a full name, no part of it
                                 or len(parts) > 2 and HONORIFIC.match(f"{parts[0]} {parts[1]}") is not None
                                 or parts[0].lower().rstrip(":") in _LABELS and parts[0].endswith(":")):
                    s += len(parts[0]) + 1
                    parts = parts[1:]
                if not parts:
                    continue
                while len(parts) > 1 and parts[-1] in ("The", "A", "An") and re.match(r" [a-z]", text[e:e + 2]):
                    e -= len(parts[-1]) + 1  # "Doheeya The lowdown:": a title ends in no article
                    parts = parts[:-1]
                while len(parts) > 1 and parts[0] in ("EP", "MV", "OST", "LP") and not (s > 0 and text[s - 1] in "“\"‘'"):
                    s += len(parts[0]) + 1  # "the 2019 EP Feel Special": the kind of work, then its title
                    parts = parts[1:]
                while len(parts) > 1 and parts[-1] in ("OST", "OSTs", "MV", "MVs"):
                    e -= len(parts[-1]) + 1  # "Drama OSTs", "Night Bus MV": a common noun after the name
                    parts = parts[:-1]
                made = re.search(r"-(?:written|directed|produced|penned|helmed|led|fronted|starring|composed|"
                                 r"created|backed|owned|signed)$", parts[-1])
                if made and len(parts[-1]) > made.end() - made.start() + 1:
                    e -= len(made.group())  # "the Noah Buschel-written Glass Chin": the name, not its compound
                    parts[-1] = parts[-1][:made.start()]
                if len(parts) > 2 and parts[-1] in ("PD", "CEO", "MC"):
                    e -= len(parts[-1]) + 1  # "Kwak Min-ho PD": a title written after the name
                    parts = parts[:-1]
                span = " ".join(parts)
                if span.lower() in _STOP_CAPS or parts[-1] in _CONNECT:  # "Life Goes On" ends in a capital
                    continue
                sentence_start = s == ss or sent[:s - ss].strip() in ("“", "\"", "‘")
                if len(parts) == 1:
                    w = parts[0]
                    if len(w) < 2 or (sentence_start and w.lower() not in mid_caps and not w.isupper()
                                      and not _LIST_AFTER.match(text, e) and not _ROW_AFTER.match(text, e)
                                      and not _CREDIT_VERB_AFTER.match(text, e)):
                        continue
                    if w.lower() in _STOP_CAPS or re.fullmatch(r"[A-Z][a-z]+s", w) and w.lower() not in mid_caps:
                        continue
                if re.fullmatch(r"[A-Z][a-z]?['’](?:m|s|re|ve|ll|d|t)", span):
                    continue  # "I’m", "It’s": a contraction, no name
                pair = re.fullmatch(r"(?P<a>\S+(?: \S+){1,2}) & (?P<b>\S+(?: \S+){1,2})", span)
                if pair and text[s:e] == span and (all(guess_type(pair.group(k), "", "", False) == "Person"
                                                       for k in ("a", "b")) or all(
                        re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}", pair.group(k)) for k in ("a", "b"))
                        and not (s > 0 and text[s - 1] in "\"“‘")):
                    # "Shin Min-ah & Lee Eli", "Gustaf Holter & Christian Persson": two full names joined
                    # by "&" (a duo or a title has one word on a side: "Maddie & Tae", "Locke & Key")
                    for k in ("a", "b"):
                        if free(s + pair.start(k), s + pair.end(k)):
                            spans.append((s + pair.start(k), s + pair.end(k), False))
                    continue
                where = _OF_PLACE.fullmatch(span)
                if where and text[s:e] == span and (len(where.group("name").split()) > 1 or where.group("name").isupper()
                                                     or where.group("group")):
                    # "Zara Larsson of Sweden", "BLACKPINK of YG Entertainment": a name and where it is from
                    # or signed to, two names (a place no name at all); "the Bank of Korea" stays one name
                    for k in ("name", "company", "group"):
                        if where.group(k) and free(s + where.start(k), s + where.end(k)):
                            spans.append((s + where.start(k), s + where.end(k), False))
                    continue
                if free(s, e) and text[s:e] == span:
                    spans.append((s, e, False))
                elif text[s:e] == span and re.search(r" (?:of|of the|the|to|in the|on the|&|de) ", span):
                    # "Ha Jun-seo of AURORA7": a new name joined to a known one by a small word
                    for part in re.finditer(r"(?:^| (?P<j>of|the|to|in|on|&|de) )(?P<p>(?:(?! (?:of|the|to|in|on|&|de) ).)+)",
                                            span):
                        ps, pe = s + part.start("p"), s + part.end("p")
                        words = part.group("p").split()
                        # "Peakboy & Nari": one word after "&" is a name too
                        if (len(words) >= 2 or part.group("j") == "&" and len(words[0]) > 2) and free(ps, pe) \
                                and words[0].lower() not in _STOP_CAPS:
                            spans.append((ps, pe, False))
        return spans

    def new_mention(self, s: int, e: int, quoted: bool) -> Mention:
        span = self.text[s:e]
        before, after = self.text[max(0, s - 60):s], self.text[e:e + 40]
        if quoted:
            before, after = before[:-1], after[1:]
        guess = guess_type(span, before, after, quoted)
        suggestions = self._fuzzy(span)
        if suggestions:
            return Mention(span, s, e, method="fuzzy", score=suggestions[0][2], type=guess, label=span,
                           suggestions=tuple(suggestions))
        return Mention(span, s, e, method="new", type=guess, label=span)

    def _fuzzy(self, span: str, limit: int = 3) -> list[tuple[str, str, float]]:
        from rapidfuzz import fuzz, process

        if not self.known.longest():
            return []
        from rapidfuzz.utils import default_process

        # A leading article says nothing about a name: "The Moonlight Parade" is not close to
        # V's epithet "the BTS global star" because both start with "the" (WRatio 85.5).
        span = ARTICLE.sub("", span)
        key = search_key(span)
        honoured = search_key(span[HONORIFIC.match(span).end():]) if HONORIFIC.match(span) else ""
        if len(key) < 2:
            return []
        choices = [c for c in self.known.fuzzy_choices(key[:1]) if c[3] != key]
        best: dict[str, tuple[str, str, float]] = {}
        closeness: dict[str, float] = {}
        words = [search_key(w) for w in span.split()]
        # the names come processed already (default_process, once): the same scores as processing both here
        for _, score, i in process.extract(default_process(span), [c[0] for c in choices], scorer=fuzz.WRatio,
                                           processor=None, limit=10, score_cutoff=SUGGEST_SCORE):
            match, iri = choices[i][1], choices[i][2]
            if len(search_key(match)) < 3 and len(key) > 3:
                continue
            if len(words) in (2, 3) and span.split()[0].lower() in _FAMILY and search_key(match) == "".join(words[1:]):
                continue  # "Han Ji-min" is not the "Jimin" the graph knows (its full names are its aliases)
            inner = [search_key(w) for w in match.split()]
            if len(inner) < len(words) and any(words[k:k + len(inner)] == inner for k in range(len(words))) \
                    and self._names_a_work(search_key(match)):
                continue  # a known title inside a longer one ("Blue" in "Bus Stop Blue") is another work
            if honoured and search_key(match) == honoured and "Person" not in self.known.types(iri):
                continue  # "Mr. Queen" (a drama) is not close to the band Queen: the honorific is its first word
            close = fuzz.ratio(key, search_key(match))
            if iri not in best or (score, close) > (best[iri][2], closeness[iri]):
                best[iri] = (iri, self.known.label(iri), round(float(score), 1))
                closeness[iri] = close
        # equal scores: the name closest in length and spelling first ("Love Wins": "Love wins all")
        return sorted(best.values(), key=lambda s: (-s[2], -closeness[s[0]], s[1]))[:limit]


#: "Daft Punk's Guy-Manuel de Homem-Christo": an owner, "'s", then a name of two words or more.
_POSSESSOR = re.compile(r"[’']s (?=[A-Z][\w.-]*(?: (?:de |da |van |von |del |di )?[A-Z][\w.-]*)+$)")


def possessors(text: str, spans: Iterable[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Unquoted spans that run an owner into a name ("Daft Punk's Guy-Manuel de
    Homem-Christo", "Locke & Key's Laysla De Oliveira") as two spans, the owner
    and the name. Only when the words after "'s" are two capitalised words or
    more: "Grey's Anatomy" and "Schindler's List" are one title (issue 20,
    eighth round)."""
    out = []
    for s, e, quoted in spans:
        m = None if quoted else _POSSESSOR.search(text, s, e)
        if m is not None and m.start() > s and text[s:s + 1].isupper():
            out += [(s, m.start(), False), (m.end(), e, False)]
        else:
            out.append((s, e, quoted))
    return out


#: A capitalised "The" after a lowercase word (or a comma) in running text: "thriller The Undoing"; or right
#: after a comma or an opening bracket, whatever the word before: "Thirst, The Thieves", "Samuels (The Missing)".
_THE_BEFORE = re.compile(r"(?:(?:^|[\s(])[a-z][\w’'-]*,? |, |\()The $")


def with_leading_the(text: str, mentions: list[Mention]) -> list[Mention]:
    """New names preceded by a capitalised "The" in the middle of a sentence take it
    ("HBO's crime thriller The Undoing", "the star of The Penthouse"): a writer
    capitalises "The" there only as part of a name, and without it the name is
    another one ("Undoing"). Not after a capitalised word (a Title Case headline:
    "Joins The Cast") nor at a sentence's start (issue 20, eighth round), unless a comma or an opening bracket
    stands just before it: a list of titles, a person's past credits (issue 20, eleventh round)."""
    out = []
    for m in mentions:
        if m.link is None and m.method in ("new", "fuzzy") and m.start >= 4 \
                and _THE_BEFORE.search(text, max(0, m.start - 40), m.start):
            m = replace(m, text="The " + m.text, start=m.start - 4,
                        label="The " + m.label if m.label else m.label)
        out.append(m)
    return out


# ---------------------------------------------------------------------------------
# Descriptions: "the group", "the song"
# ---------------------------------------------------------------------------------

#: A description's head word -> the classes an entity it stands for may have.
_DESCRIBED = {
    "group": ("Group",), "band": ("Group",), "boy group": ("Group",), "girl group": ("Group",),
    "members": ("Group",),
    "song": ("Song", "Single"), "single": ("Single", "Song"), "track": ("Song", "Single"),
    "ballad": ("Song", "Single"), "melody": ("Song", "Single"), "lyrics": ("Song", "Single"),
    "album": ("Album",), "web drama": ("WebSeries",), "web series": ("WebSeries",),
    "k-drama": ("KDrama", "TVSeries", "WebSeries"), "drama": ("KDrama", "TVSeries", "WebSeries", "Film"),
    "series": ("TVSeries", "KDrama", "WebSeries"), "film": ("Film",), "movie": ("Film",),
    "music video": ("MusicVideo",), "video": ("MusicVideo",), "mv": ("MusicVideo",),
    "singer": ("Person",), "actress": ("Person",), "actor": ("Person",), "rapper": ("Person",),
    "idol": ("Person",), "star": ("Person",), "crew": ("Group",), "squad": ("Group",), "duo": ("Group",),
    "trio": ("Group",), "show": ("TVSeries", "TalkShow", "VarietyShow", "WebSeries"),
    "programme": ("TVSeries", "TalkShow", "VarietyShow"), "program": ("TVSeries", "TalkShow", "VarietyShow"),
}
_DESCRIPTION_RE = re.compile(
    r"\b[Tt]he (?:(?:new|latest|same|debut|hit|lead|title|upcoming|original|indie|romance|rookie|five-member|"
    r"four-member|seven-member|[a-z][a-z]+(?:-[a-z]+)?) ){0,2}?(?P<head>boy group|girl group|group|band|members|song|"
    r"single|track|ballad|melody|lyrics|album|web drama|web series|K-drama|drama|series|film|movie|music video|video|"
    r"MV|singer|actress|actor|rapper|idol|star|crew|squad|duo|trio|show|programme|program)"
    r"(?![\w-])")
#: Descriptions of a screen work or a group that may stand for the one such entity the whole article
#: named before them, however far back ("The series stars A, B and C", paragraphs after its title). Not
#: "the song": a story of music moves from song to song, and names the next one after "the song" (tried
#: on the pool: no fact gained, two wrong).
_TOPIC_HEADS = {"series", "drama", "k-drama", "web drama", "web series", "film", "movie", "group", "band",
                "boy group", "girl group"}
#: Modifiers that make a description a work or group the article has not named (yet): "the new drama".
_NEWLY = re.compile(r"\b(?:new|upcoming|forthcoming|next|untitled|unnamed|another|latest|rookie|debut)\b", re.I)
#: Words that bring in a group not named (yet): "their new girl group", "a duo sub-unit", "the unnamed band".
_UNNAMED_GROUP = re.compile(r"\b(?:new|upcoming|rookie|unnamed|untitled|debut|project|sub-?unit|another)\s+"
                            r"(?:[\w-]+\s+){0,2}?(?:group|band|unit|duo|trio)s?\b", re.I)
#: How many sentences before a description its entity may be named in.
DESCRIPTION_WINDOW = 2


def _fits_class(type_: str | None, classes: tuple[str, ...], vocab: Any) -> bool:
    return bool(type_) and any(c in vocab.superclasses.get(type_, {type_}) for c in classes)


def descriptions(text: str, sents: list[tuple[str, int, int]], mentions: list[Mention],
                  known: KnownNames, vocab: Any) -> list[Mention]:
    """Mentions for descriptions ("the group", "the song", "the film") that
    stand for the one entity of a fitting class named in the same sentence
    before them or in the two sentences before: the most recent such mention,
    ONLY when exactly one entity fits (two fitting entities: nothing). The
    description takes that mention's link (or, when it was not linked, its
    suggestions), method ``description``. "The video" of a song stands for the
    song's music video when the graph knows exactly one, else for the song
    itself. A description followed by a name ("the film "Glass Garden"") is an
    apposition, not a description."""
    out: list[Mention] = []
    taken = [(m.start, m.end) for m in mentions]

    def entity_type(m: Mention, classes: tuple[str, ...] = ()) -> str | None:
        if m.link is None and m.suggestions and m.method == "fuzzy":
            # a name two entities share ("Luna": a singer and a film): the suggestion of the fitting kind
            for iri, _, _ in m.suggestions:
                t = known.types(iri)
                ranked = sorted(t, key=lambda c: -len(vocab.superclasses.get(c, ())))
                if ranked and (not classes or _fits_class(ranked[0], classes, vocab)):
                    return ranked[0]
            return m.type
        return m.type

    def for_class(m: Mention, classes: tuple[str, ...]) -> Mention:
        """A fuzzy mention with the suggestions of the fitting kind first."""
        if m.link is None and len(m.suggestions) > 1:
            fit = [x for x in m.suggestions if any(_fits_class(t, classes, vocab) for t in known.types(x[0]))]
            return replace(m, suggestions=tuple(fit + [x for x in m.suggestions if x not in fit]))
        return m

    def identity(m: Mention) -> str:
        return m.link or ("?" + m.suggestions[0][0] if m.suggestions else "new:" + search_key(m.text))

    for i, (sent, ss, se) in enumerate(sents):
        window_start = sents[max(0, i - DESCRIPTION_WINDOW)][1]
        for d in _DESCRIPTION_RE.finditer(sent):
            s, e = ss + d.start(), ss + d.end()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if any(e <= m.start < se and re.fullmatch(r"[\s,]*[\"“‘(]?", text[e:m.start]) for m in mentions):
                continue  # "the film "Glass Garden"": an apposition
            if any(e <= m.start < se and _kind(m) in ("work", "unknown") and re.fullmatch(
                    r"\s+(?:of|for|from|on)\s+(?:(?:the|a|an|her|his|their|its)\s+)?(?:[\w-]+\s+){0,2}[\"“‘]?",
                    text[e:m.start]) for m in mentions):
                continue  # "the lyrics of the B-side “Afterglow Club”": the phrase names its own work
            head = d.group("head").lower()
            classes = _DESCRIBED[head]
            video = head in ("music video", "video", "mv")
            pool = [m for m in mentions if window_start <= m.start and m.end <= s and a_name(m)
                    and not ("Group" in classes and qualifies_person(text, m, mentions))
                    and not (m.start < ss and named_in_passing(text, m.start))]
            fitting = [for_class(m, classes) for m in pool if _fits_class(entity_type(m, classes), classes, vocab)]
            if not fitting and video:  # the video of a song
                fitting = [m for m in pool if _fits_class(entity_type(m), ("Song", "Single"), vocab)]
            if not fitting and head in _TOPIC_HEADS and not any(entity_type(m) == "Work" for m in pool) \
                    and not _NEWLY.search(d.group(0)):  # "the new drama penned by A": a work not named yet
                # "The series stars A, B and C" paragraphs after its title: the one entity of the kind
                # the whole article has named so far, when it has named exactly one (and no untyped title)
                wide = [m for m in mentions if m.end <= s and a_name(m)
                        and not ("Group" in classes and qualifies_person(text, m, mentions))
                        and not named_in_passing(text, m.start)]
                if not any(entity_type(m) == "Work" for m in wide):
                    fitting = [for_class(m, classes) for m in wide
                               if _fits_class(entity_type(m, classes), classes, vocab)]
                    if "Group" in classes and fitting and _UNNAMED_GROUP.search(text[fitting[0].start:e]):
                        fitting = []  # "... home to INFINITE ... their new girl group. The group will debut"
            here = [m for m in fitting if ss <= m.start]
            if len({identity(m) for m in here}) == 1:
                fitting = here  # the one fitting entity of the sentence itself
            elif any(entity_type(m) == "Work" and identity(m) not in {identity(f) for f in fitting} for m in pool):
                continue  # a title of unknown kind just before: it may be the one meant
            if len({identity(m) for m in fitting}) != 1:
                continue
            ante = fitting[-1]
            if brings_new(text[ante.end:s], classes, head):
                continue  # "... cast as a lead in a new series. The series is written by A": two antecedents
            link, suggestions, type_, label = (ante.link, ante.suggestions, entity_type(ante, classes),
                                               ante.label or ante.text)
            if type_ in (None, "Work") and not video:
                type_ = classes[0]  # "the series" after an untyped title: a series
            if video and not _fits_class(type_, classes, vocab):
                song = link or (suggestions[0][0] if suggestions else None)
                mvs = known.videos_of(song) if song else []
                if len(mvs) == 1:
                    type_, label = "MusicVideo", known.label(mvs[0])
                    if link:
                        link = mvs[0]
                    else:
                        suggestions = ((mvs[0], label, suggestions[0][2]),)
            out.append(Mention(text[s:e], s, e, link=link, method="description", score=ante.score, type=type_,
                               label=label, suggestions=suggestions if not link else ()))
            taken.append((s, e))
    return out


def a_name(m: Mention) -> bool:
    """A mention that names (a name, or a short form of a name: "Min", "Da-el"),
    not a description ("the group") or a pronoun standing for one."""
    return m.method != "description" or (m.text[:1].isupper() and not DESCRIPTION_WORDS.match(m.text)
                                         and m.text.lower() not in ("he", "she", "they", "it"))
