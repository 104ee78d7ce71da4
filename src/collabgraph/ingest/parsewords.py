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
    "arrange": "arranger", "mix": "engineer", "engineer": "engineer", "master": "engineer",
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
MUSIC_WORDS = re.compile(r"\b(?:songs?|singles?|tracks?|ballads?|albums?|hits?|duets?|compos\w+|sang|sung|sing\w*|"
                          r"record\w*|featuring|vocals|charts?|streams?|lyrics|melody|setlist)\b", re.I)
SCREEN_WORDS = re.compile(r"\b(?:films?|movies?|dramas?|series|direct\w*|episodes?|shows?|cinemas?|screen\w*|"
                           r"starr\w*|cast|role|actor|actress|video|MV)\b", re.I)
#: titles that make the name after them a member of the group in focus ("Leader Jae")
MEMBER_TITLES = ("member", "leader", "maknae", "vocalist", "rapper", "bandmate")


def mention_kind(m: Mention) -> str:
    return kind(m)
