"""A generator of hostile SPARQL texts around SERVICE and LOAD (issue 18),
shared by tests/test_ssrf.py (a few hundred cases) and bench/ssrf_fuzz.py
(100,000 and more).

Each case is a query (or an update) built from random pieces: comments ended
by every line ending (and by ones the engine does not count: U+2028, NEL,
form feed), ``\\u``/``\\U`` escapes in and out of strings and IRIs, strings in
all four quote forms (closed, escaped, unterminated), prefixes declared once
or twice, BASE, relative IRIs, keywords glued to names, less-than signs
that look like IRIs, and the groups a SERVICE can sit in. The endpoint is
always the recorder's (``base``), spelled in many ways, so a request that
escapes the checks reaches it.
"""

from __future__ import annotations

import random

LINE_ENDS = ["\n", "\r", "\r\n", "\n\r", "\u2028", "\u2029", "\u0085", "\f", "\v", "\\u000a", "\\u000d",
             "\\U0000000A", ""]
SPACES = [" ", "\t", "\n", "\r", "\r\n", "", "  ", "\u00a0", "\u2028"]
KEYWORDS = ["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "service\tsilent", "SERVICE\rSILENT",
            "\\u0053ERVICE", "SERV\\u0049CE", "SERVICE#c\rSILENT", "SERVİCE", "ſervice"]
STRINGS = ['"{x}"', "'{x}'", '"""{x}"""', "'''{x}'''", '"\\"{x}"', '"\\u0022{x}\\u0022"', "'\\''{x}",
           '"""a""{x}"""', '"{x}', "'{x}", '"\\\\"{x}"', "'''{x}''''"]
WRAPPERS = ["{x}", "{{ {x} }}", "OPTIONAL {{ {x} }}", "{{ SELECT * WHERE {{ {x} }} }}", "FILTER EXISTS {{ {x} }}",
            "FILTER NOT EXISTS {{ {x} }}", "MINUS {{ {x} }}", "GRAPH ?g {{ {x} }}", "{{ {x} }} UNION {{ ?a ?b ?c }}",
            "{{ ?a ?b ?c }} UNION {{ {x} }}", "BIND(1 AS ?z) {x}", "?a ?b ?c . {x}", "VALUES ?v {{ 1 }} {x}"]
NOISE = ["?s ?p ?o .", 'BIND("service" AS ?n)', "FILTER(?o < 1)", "?s <http://x/service> ?o .",
         "# service <x> {\n", "?service ?load ?o .", "FILTER(?a < <http://x/>)", "_:b ?p ?o .",
         "?s ?p 'x'@en-service .", "?s ?p '''service''' .", "FILTER(?a <?b)"]
CHAOS = ["<", ">", "{", "}", "(", ")", "#", '"', "'", "\\", ".", "e:a.b.", "_:b.x", "?a <?b)", '"x"@en-service']
VALID_ENDS = ["\n", "\r", "\r\n", "\n\r"]


def endpoints(base: str, rng: random.Random) -> tuple[list[str], str]:
    """(prologue lines, endpoint spelling) of one way to name the recorder's /sparql."""
    host_port = base.split("//", 1)[1]
    options = [
        ([], f"<{base}/sparql>"),
        ([f"PREFIX e: <{base}/>"], "e:sparql"),
        (["PREFIX e: <http://unused.example/>", f"PREFIX e: <{base}/>"], "e:sparql"),
        ([f"PREFIX e: <{base}/>", "PREFIX e: <http://unused.example/>"], "e:sparql"),
        ([f"BASE <{base}/>"], "<sparql>"),
        ([f"BASE <{base}/a/b/>"], "<../../sparql>"),
        ([], f"<{base}\\u002fsparql>"),
        ([], f"<HTTP://{host_port.upper()}/sparql>"),
        ([], f"<{base}/allowed/../sparql>"),
        ([f"PREFIX : <{base}/>"], ":sparql"),
        ([], "?ep"),
        ([f"PREFIX e: <{base}/>"], "e:\\u0073parql"),
        ([f"PREFIXe: <{base}/>"], "e:sparql"),
    ]
    return rng.choice(options)


def case(base: str, rng: random.Random, *, update: bool = False) -> str:
    """One random query text (an update when ``update``) that names the recorder.

    Seven cases in ten are mostly valid text (which the engine would run);
    the rest are chaos: stray quotes, brackets, odd line endings and escapes.
    """
    prologue, endpoint = endpoints(base, rng)
    chaos = rng.random() < 0.3
    sp = (lambda: rng.choice(SPACES)) if chaos else (lambda: rng.choice([" ", "\t", "\n", "\r", "\r\n"]))
    parts: list[str] = []
    for _ in range(rng.randrange(0, 3)):
        parts.append(rng.choice(CHAOS if chaos and rng.random() < 0.5 else NOISE))
    keywords = KEYWORDS if chaos else [k for k in KEYWORDS if "\\" not in k and k.isascii()]
    keyword = rng.choice(keywords)
    if rng.random() < 0.15:  # glued: SERVICEe:sparql
        clause = f"{keyword.split()[0]}{endpoint}{sp()}{{ ?s ?p ?o }}"
    else:
        clause = f"{keyword}{sp() or ' '}{endpoint}{sp()}{{ ?s ?p ?o }}"
    if endpoint == "?ep":
        clause = f"VALUES ?ep {{ <{base}/sparql> }} " + clause
    clause = rng.choice(WRAPPERS).format(x=clause)
    if rng.random() < 0.5:  # hide it, or seem to: a comment or a string before it
        end = rng.choice(LINE_ENDS if chaos else VALID_ENDS)
        hiders = ["# c" + end, "#" + end, "# \\u000a " + end, "# \\u000d" + end]
        if chaos:
            hiders += [rng.choice(STRINGS).format(x=end), "<" + end, "(" + end]
        clause = rng.choice(hiders) + sp() + clause
    parts.insert(rng.randrange(len(parts) + 1), clause)
    if chaos:
        for _ in range(rng.randrange(0, 2)):
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(STRINGS).format(x=rng.choice(LINE_ENDS)))
    body = " ".join(parts)
    head = "\n".join(prologue)
    if update:
        end = rng.choice(LINE_ENDS if chaos else VALID_ENDS)
        load = f"LOAD{rng.choice([' ', ' SILENT ', '#c' + end])}{endpoint.replace('sparql', 'data.ttl')}"
        if endpoint == "?ep":
            load = f"LOAD <{base}/data.ttl>"
        ops = [f"INSERT {{ ?s ?p ?o }} WHERE {{ {body} }}", load, "INSERT DATA { <https://e/x> <https://e/p> 1 }"]
        rng.shuffle(ops)
        sep = rng.choice([" ; ", " # c" + end + " ; ", ";"])
        return f"{head}\n{sep.join(ops)}"
    tail = rng.choice(["}", "}\n", "} # }", "}" + rng.choice(LINE_ENDS) + "}"]) if chaos else "}"
    return f"{head}\nSELECT * WHERE {{ {body} {tail}"
