"""Articles in, reviewed facts out: reading a news article's text
(:mod:`.article` with :mod:`.text`, :mod:`.known`, :mod:`.mentions`,
:mod:`.linkpolicy` and :mod:`.patterns`; :mod:`.clean`, :mod:`.spans`, :mod:`.parse` with
:mod:`.extractor`, :mod:`.spacyparse`, :mod:`.parsewords`, :mod:`.nametypes` and the reader's
:mod:`.readerbase`, :mod:`.readerlines`, :mod:`.readerverbs`, :mod:`.readernouns`), the candidate
facts it proposes (:mod:`.candidates`) and a person's review of them
(:mod:`.review` and the modules it uses). Accepted facts are written as
source files through the importers' linker and writer; the build does the rest.
"""
