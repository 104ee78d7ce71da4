"""The words the parse reader knows: verbs and nouns that give a role, generic works, and the words
that hedge, negate or place a sentence in music or on screen."""

from __future__ import annotations

import re

from .candidates import Mention
from .spans import kind

# ---------------------------------------------------------------------------------
# The parse
# ---------------------------------------------------------------------------------

#: verb lemma -> role of its subject (active voice) or of its "by" agent (passive).
VERB_ROLES = {
    "star": "actor", "co-star": "actor", "topline": "actor", "score": "composer", "headline": "actor", "lead": "actor", "wrap": "actor", "play": "actor", "portray": "actor", "cast": "actor",
    "appear": "appearance", "guest": "guest", "cameo": "cameo",
    "direct": "director", "helm": "director", "co-direct": "director",
    "write": "songwriter", "pen": "songwriter", "co-write": "songwriter", "co-pen": "songwriter",
    "compose": "composer", "co-compose": "composer",
    "produce": "producer", "co-produce": "producer",
    "arrange": "arranger", "mix": "engineer", "engineer": "engineer", "master": "engineer", "remix": "remixer",
    "remixe": "remixer",  # (the small model's lemma of "remixed")
    "host": "host", "co-host": "host", "front": "host", "emcee": "host", "mc": "host",
    "sing": "performer", "perform": "performer", "record": "performer", "release": "performer",
    "drop": "performer", "unveil": "performer", "debut": "performer", "return": "performer",
    "contribute": "performer", "lend": "performer",
    "feature": "featuredArtist",
}
#: nouns that say the role ("made a cameo", "production by", "the director of").
NOUN_ROLES = {
    "cameo": "cameo", "appearance": "appearance", "production": "producer", "direction": "director",
    "director": "director", "producer": "producer", "composer": "composer", "lyricist": "lyricist",
    "songwriter": "songwriter", "writer": "songwriter", "host": "host", "co-host": "host", "mc": "host", "mcs": "host",
    "guest": "guest",
    "lead": "actor", "star": "actor", "arrangement": "arranger", "arranger": "arranger", "engineer": "engineer",
    "lyrics": "lyricist", "screenplay": "screenwriter", "screenwriter": "screenwriter", "vocals": "performer",
    "script": "screenwriter", "score": "composer",
}
#: nouns a work may be called by in the next sentences ("the track", "the film").
GENERIC_WORKS = {
    "song": ("Song", "Single"), "single": ("Single", "Song"), "track": ("Song", "Single"), "ballad": ("Song", "Single"),
    "album": ("Album",), "ep": ("Album",), "record": ("Album", "Song", "Single"),
    "film": ("Film",), "movie": ("Film",), "feature": ("Film",), "thriller": ("Film", "KDrama", "TVSeries"),
    "drama": ("KDrama", "TVSeries", "WebSeries", "Film"), "comedy": ("Film", "TVSeries", "KDrama"),
    "romance": ("Film", "KDrama", "TVSeries"), "series": ("TVSeries", "KDrama", "WebSeries"),
    "show": ("TVSeries", "TalkShow", "VarietyShow", "WebSeries"), "programme": ("TVSeries", "TalkShow", "VarietyShow"),
    "program": ("TVSeries", "TalkShow", "VarietyShow"), "episode": ("TVSeries", "TalkShow", "VarietyShow"),
    "video": ("MusicVideo", "Song", "Single"), "clip": ("MusicVideo", "Song", "Single"),
    "mv": ("MusicVideo", "Song", "Single"), "lyrics": ("Song", "Single"), "lyric": ("Song", "Single"),
    "melody": ("Song", "Single"), "music": ("Song", "Single", "Film"),
    "it": (), "ost": ("Song", "Single"), "soundtrack": ("Song", "Single", "Album"), "verse": ("Song", "Single"),
    "project": (), "cast": (), "part": ("Song", "Single"), "screenplay": ("Film", "KDrama", "TVSeries", "WebSeries"),
    "script": ("Film", "KDrama", "TVSeries", "WebSeries"), "score": ("Film", "KDrama", "TVSeries", "WebSeries"),
    "finale": ("TVSeries", "KDrama", "TalkShow", "WebSeries"),
}
SCREEN = {"TVSeries", "KDrama", "Film", "WebSeries", "TalkShow", "VarietyShow"}
MUSIC = {"Song", "Single", "Album", "MusicVideo", "EP"}
TALK = {"TalkShow", "VarietyShow", "Podcast", "RadioShow", "Channel"}
#: instruments: "played the bass line" is an instrumentalist's credit, not an actor's
INSTRUMENTS = {"guitar", "bass", "piano", "drum", "keyboard", "keys", "violin", "cello", "synth", "synthesizer",
                "saxophone", "sax", "trumpet", "flute", "harmonica", "organ", "percussion", "string", "ukulele",
                "harp", "viola", "clarinet", "accordion"}
#: nouns for a film or a show ("whose thriller X")
SCREEN_NOUNS = {"film", "movie", "feature", "thriller", "drama", "series", "comedy", "documentary", "sitcom", "show",
                 "romance", "horror"}
#: a contribution to a song ("features guest vocals from A", "a verse from B")
PART_NOUNS = {"vocal", "vocals", "verse", "rap", "harmony", "harmonies", "feature", "chorus", "hook"}
#: nouns for a video of a song ("the video for W featured A"): whom such a video features appears in it
VIDEO_NOUNS = ("video", "videos", "mv", "m/v", "clip", "teaser")
#: nouns for a piece of music whose "by" names its artist ("a new song by EDEN")
SONG_NOUNS = {"song", "single", "track", "ballad", "album", "ep", "duet", "anthem", "mixtape", "b-side"}
SHOWS = {"TalkShow", "WebSeries", "TVSeries", "VarietyShow", "Podcast", "RadioShow", "Channel"}
NEG_VERBS = {"deny", "decline", "refuse", "cancel", "dismiss", "reject", "turn", "scrap", "quit", "leave",
              "drop out", "withdraw", "pass"}
HEDGE_WORDS = {"rumour", "rumor", "rumoured", "rumored", "reportedly", "allegedly", "may", "might", "could",
                "would", "expect", "plan", "hope", "want", "consider", "speculate", "possibly",
                "tipped", "eye", "discuss", "negotiate", "talk", "offer", "wish", "if", "whether", "unconfirmed"}
HEDGE_SAID = re.compile(r"\b(?:is|are|was|were) (?:said|rumou?red|reported|believed|expected|tipped|set|in talks)\b",
                         re.I)
_NEG_WORDS = re.compile(r"\b(?:not|never|no longer|denied|denies|deny|declined|dismissed|refuted|cancel+ed|scrapped|"
                        r"turned down|instead of|rather than|without)\b|n['’]t\b", re.I)
PRONOUNS = {"he": "m", "she": "f", "him": "m", "her": "f"}
MUSIC_WORDS = re.compile(r"\b(?:(?-i:songs?|SONGS?|Songs?(?! [A-Z][a-z]))|singles?|tracks?|ballads?|albums?|hits?|duets?|compos\w+|sang|sung|sing\w*|"
                          r"record\w*|featuring|vocals|charts?|streams?|lyrics|melody|setlist)\b", re.I)
SCREEN_WORDS = re.compile(r"\b(?:films?|movies?|dramas?|series|direct\w*|episodes?|shows?|cinemas?|screen\w*|"
                           r"starr\w*|cast|role|actor|actress|video|MV)\b", re.I)
#: titles that make the name after them a member of the group in focus ("Leader Jae")
MEMBER_TITLES = ("member", "leader", "maknae", "vocalist", "rapper", "bandmate")


#: Nouns of a group, for :func:`brings_new` ("a new girl group").
_GROUP_NOUNS = {"group": ("Group",), "band": ("Group",), "duo": ("Group",), "trio": ("Group",), "unit": ("Group",),
                "crew": ("Group",), "squad": ("Group",)}
_NEW_NOUNS = {w: c for w, c in {**GENERIC_WORKS, **_GROUP_NOUNS}.items()
              if w not in ("it", "part", "cast", "music", "lyrics", "lyric", "melody", "verse", "score", "script",
                           "screenplay", "project", "feature", "record")}
#: A work or group brought in as a new one, without its name: "a new series", "an upcoming drama", "another
#: single", "there was a single he made" (not with its title after it, "a new single “X”"; not "a slapstick
#: comedy about ...", a kind of story, nor "a rare film role").
_BROUGHT_IN = re.compile(r"\b(?:(?:[Aa]n?)\s+(?:[\w-]+\s+)?(?:new|upcoming|forthcoming|next|untitled|second|third|"
                         r"fourth|debut|solo|original|rookie)|[Aa]nother|[Tt]here (?:is|was|are|were|will be) an?)\s+"
                         r"(?:[\w-]+\s+){0,2}?(?P<noun>" + "|".join(sorted(_NEW_NOUNS, key=len, reverse=True))
                         + r")s?\b(?![\s,]*[“\"‘'])")


def brings_new(between: str, classes: tuple[str, ...], head: str | None = None) -> bool:
    """Whether the words ``between`` an antecedent and a description bring in a new work or group
    of a fitting kind, unnamed: then the description may stand for it as well, and is not resolved.
    With ``head``, only that noun counts ("a new series ... the series").

    >>> brings_new(" ... has been cast as a lead in a new series.", ("TVSeries",))
    True
    >>> brings_new(" is a sports drama about a coach.", ("TVSeries",))
    False
    >>> brings_new(" dropped the video for her new single “Umbrella Theory”.", ("Song",))
    False
    """
    for m in _BROUGHT_IN.finditer(between):
        if re.search(r"(?:\b(?:is|are|was|were|be|been|being|as|becomes?|became)|[,(—–:])\s*$", between[:m.start()]):
            continue  # "“Blue” is a sports drama", "“Blue,” a sports drama": the named work, described
        if head is not None and m.group("noun").lower() != head.lower():
            continue
        other = _NEW_NOUNS[m.group("noun").lower()]
        if not classes or set(classes) & set(other):
            return True
    return False


#: Nouns after a title that make it an event's name, not a work's ("the ‘Be The Sun’ world tour", "the
#: Golden Wave Awards ceremony", "her “Palette” concert").
_EVENT_AFTER = re.compile(r"[”\"’']?\s*(?:(?:world|arena|stadium|national|asia|north american|european|encore|"
                          r"solo|first|second|concert)\s+)?(?:tours?|concerts?|fan ?meetings?|fanmeets?|festivals?|"
                          r"showcases?|ceremon(?:y|ies)|awards? (?:show|ceremony)|conventions?|exhibitions?)\b", re.I)


def names_event(text: str, m: Mention) -> bool:
    """Whether the mention ``m`` names an event by the noun after it (a tour, a concert, a festival):
    no credit is on it, and it is no work in focus.

    >>> t = "their upcoming ‘Be The Sun’ world tour"
    >>> names_event(t, Mention("Be The Sun", t.index("Be"), t.index("Be") + 10))
    True
    >>> t = "the single ‘Be The Sun’ is out"
    >>> names_event(t, Mention("Be The Sun", t.index("Be"), t.index("Be") + 10))
    False
    """
    return m.method != "description" and _EVENT_AFTER.match(text, m.end) is not None


def mention_kind(m: Mention) -> str:
    return kind(m)


#: Words before a title that name it as a point of reference, not as what the next sentences are about.
_IN_PASSING = re.compile(r"\b(?:since|like|unlike)\s+[\"“‘']?\Z")


def named_in_passing(text: str, start: int) -> bool:
    """Whether the title at ``start`` is named as a point of reference ("videos since “W”", "a ballad
    like “W”"): in an earlier sentence, such a title is no antecedent of "the video" or "the song".

    >>> named_in_passing("in Peakboy videos since “Gyopo Hairstyle.”", 25), named_in_passing("the video for “Decaf”", 15)
    (True, False)
    """
    return _IN_PASSING.search(text, max(0, start - 12), start) is not None
