"""A local Store and a SPARQL endpoint's RemoteStore are both a StoreLike (issue 22):
the facade, the views and the server are typed against the protocol, and each
store offers every method of it with the same parameters (names and kinds), so a
caller that works with one works with the other. mypy checks the typed callers
(.ci/run); this checks the classes themselves at run time."""

from __future__ import annotations

import inspect

import pytest

from collabgraph import CollabGraph
from collabgraph.store.remote import RemoteStore
from collabgraph.store.local import Store, StoreLike

#: The protocol's methods (its attributes are allow_service and allow_load).
METHODS = sorted(name for name, value in vars(StoreLike).items()
                 if callable(value) and not name.startswith("_"))


def shape(function) -> list[tuple[str, object]]:
    return [(p.name, p.kind) for p in inspect.signature(function).parameters.values()]


def test_the_protocol_names_what_the_facade_and_views_call():
    assert METHODS == ["close", "count", "dump", "graphs", "query", "select", "update", "update_dataset"]


@pytest.mark.parametrize("cls", [Store, RemoteStore])
def test_each_store_has_every_method_of_the_protocol_with_its_parameters(cls):
    for name in METHODS:
        assert shape(getattr(cls, name)) == shape(getattr(StoreLike, name)), f"{cls.__name__}.{name}"
    for attribute in ("allow_service", "allow_load"):
        assert getattr(cls, attribute) == ()


def test_both_stores_are_instances_of_the_protocol_and_other_things_are_not():
    local = Store.memory()
    remote = RemoteStore("http://127.0.0.1:9/sparql")  # no request is made until a query
    assert isinstance(local, StoreLike)
    assert isinstance(remote, StoreLike)
    assert not isinstance(object(), StoreLike)
    assert not isinstance(CollabGraph(local), StoreLike)


def test_the_facade_answers_over_either_store(tmp_path):
    local = Store.memory()
    local.load_data('<https://e/a> <https://e/p> "x" .', "ntriples", graph="https://g/1")
    kg = CollabGraph(local)
    assert isinstance(kg.store, StoreLike)
    assert kg.store.graphs() == ["https://g/1"]
    kg = CollabGraph.connect("http://127.0.0.1:9/sparql")
    assert isinstance(kg.store, RemoteStore) and isinstance(kg.store, StoreLike)
