"""The library API on the bundled graph: collaborators, works, paths, SPARQL,
projections and exports."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest
import rdflib
from rdflib import Literal, URIRef

from collabgraph import CollabGraph, NoPath, QuerySyntaxError
from collabgraph.core.namespaces import ID

from .conftest import DATA, ONTOLOGY

IU, V, PSJ = str(ID.iu), str(ID.v), str(ID["park-seo-joon"])


def test_collaborators_of_v_with_works_and_quotes(kg):
    found = {c.agent.label: c for c in kg.collaborators("V")}
    assert set(found) == {"IU", "Peakboy", "Park Seo-joon", "Choi Woo-shik", "Park Hyung-sik"}
    iu = found["IU"]
    assert [w.work.label for w in iu.works][:2] == ["Love wins all", "Love wins all music video"]
    # not IU's Palette: that V was on it is IU's claim, not a credit (issue 21, item 8)
    assert {w.work.label for w in iu.works} == {
        "Love wins all", "Love wins all music video", "Love wins all behind-the-scenes video",
        "IU's video of 24 January"}
    single = iu.works[0]
    assert single.roles_of(kg.entity("IU")) == ["performer"]
    assert [c.agent.label for c in single.inferred] == ["IU"]  # her performer credit is the editors' reading
    assert single.roles_of(kg.entity("V")) == ["collaborator"]
    assert "Love wins all is an outstanding song that features a collaboration between IU and Taehyung" in single.quotes
    assert [w.work.label for w in found["Park Seo-joon"].works] == ["GYOPO HAIRSTYLE"]


def test_collaborators_of_someone_without_any(kg):
    assert kg.collaborators("id:youtube") == []


def test_works_of_v_with_roles_dates_and_debut(kg):
    works = kg.works("Taehyung")
    assert {(c.work.label, c.role) for c in works} >= {
        ("Blue", "performer"), ("GYOPO HAIRSTYLE", "cameo"),
        ("Hwarang: The Poet Warrior Youth", "actor")}
    assert not [c for c in works if c.role == "guest"]  # IU's words, kept as her claim (issue 21, item 8)
    assert not [c for c in works if c.role == "songwriter"]  # "the Blue singer-songwriter" says he sings it
    assert all(c.agent.label == "V" and c.quotes for c in works)
    assert works[0].work.label == "Hwarang: The Poet Warrior Youth"  # sorted by date: 2016 first


def test_credits_of_a_work_list_its_people(kg):
    people = {(c.agent.label, c.role) for c in kg.credits("GYOPO HAIRSTYLE")}
    assert people == {("Peakboy", "performer"), ("V", "cameo"), ("Park Seo-joon", "appearance"),
                      ("Choi Woo-shik", "appearance"), ("Park Hyung-sik", "appearance")}


def test_path_iu_to_park_seo_joon_goes_through_v(kg):
    hops = kg.path("IU", "Park Seo-joon")
    assert [(h.source.iri, h.target.iri) for h in hops] == [(IU, V), (V, PSJ)]
    assert hops[0].work.label == "Love wins all"
    assert hops[0].roles() == (["performer"], ["collaborator"])
    assert hops[1].work.label == "GYOPO HAIRSTYLE"
    assert hops[1].roles() == (["cameo"], ["appearance"])
    assert "Park Seo-joon" in hops[1].quote
    assert hops[1].to_dict()["work"]["id"] == "id:gyopo-hairstyle"


def test_path_through_a_group_membership(kg):
    hops = kg.path("IU", "BTS")
    assert [h.kind for h in hops] == ["collaboration", "membership"]
    assert hops[1].quote in {"BTS' Taehyung, aka V", "The BTS singer and IU's friendship is well-known"}


def test_no_path(kg):
    with pytest.raises(NoPath):
        kg.path("IU", "id:youtube")
    mins = CollabGraph.load(DATA / "ambiguous", ONTOLOGY)
    with pytest.raises(NoPath):
        mins.path("id:min-a", "Lonely")


def test_sparql_returns_rdflib_results_with_bound_values(kg):
    r = kg.sparql("SELECT ?name ?e WHERE { ?e rdfs:label ?name }", bindings={"name": Literal("교포머리", lang="ko")})
    assert [str(row.e) for row in r] == [str(ID["gyopo-hairstyle"])]
    assert kg.sparql("ASK { id:v cg:memberOf id:bts }").askAnswer is True
    g = kg.sparql("CONSTRUCT { ?a cg:collaboratedWith ?b } WHERE { ?a cg:collaboratedWith ?b }").graph
    assert (URIRef(IU), URIRef("https://w3id.org/collabgraph/ns#collaboratedWith"), URIRef(V)) in g


def test_bound_strings_are_values_not_query_text(kg):
    hostile = '"} } SELECT * WHERE { ?s ?p ?o } #'
    r = kg.sparql("SELECT ?name ?e WHERE { ?e cg:name ?name }", bindings={"name": hostile})
    assert list(r) == []


def test_sparql_syntax_error_has_line_and_column(kg):
    with pytest.raises(QuerySyntaxError) as info:
        kg.sparql("SELECT ?x\nWHERE { ?x ?y }")
    assert (info.value.line, info.value.column) == (2, 16)


def test_sparql_serialisations(kg):
    data = json.loads(kg.sparql_serialize("SELECT ?l WHERE { id:v rdfs:label ?l }", "json"))
    assert data["head"]["vars"] == ["l"]
    assert data["results"]["bindings"][0]["l"] == {"type": "literal", "value": "V", "xml:lang": "en"}
    csv = kg.sparql_serialize("SELECT ?l WHERE { id:v rdfs:label ?l }", "csv").decode()
    assert csv.splitlines() == ["l", "V"]


def test_collaboration_projection(kg):
    g = kg.to_networkx("collaboration")
    assert isinstance(g, nx.Graph) and not g.is_directed()
    assert g.nodes[IU] == {"label": "IU", "type": "Person"}
    edge = g.edges[IU, V]
    assert edge["weight"] == len(edge["works"]) == 4
    assert "Love wins all" in edge["work_labels"]
    # the single rests on IU's inferred performer credit; Peakboy's pairs all rest on his (issue 21, item 7)
    assert edge["marked_works"] == [str(ID["love-wins-all"])]
    assert [g.edges[PSJ, p]["marked_works"] for p in g[PSJ] if g.nodes[p]["label"] == "Peakboy"] == [
        [str(ID["gyopo-hairstyle"])]]
    assert g.edges[PSJ, V]["marked_works"] == []
    # IU, V, Peakboy and the three actors: the agents with a shared work, nobody else
    assert g.number_of_nodes() == 6
    assert set(nx.shortest_path(g, IU, PSJ)) == {IU, V, PSJ}


def test_entity_projection(kg):
    g = kg.to_networkx("entity")
    assert isinstance(g, nx.MultiDiGraph)
    assert g.nodes[str(ID["love-wins-all-mv"])]["type"] == "MusicVideo"
    assert g.has_edge(V, str(ID.hwarang), key="role:actor")
    assert g.edges[V, str(ID.bts), "cg:memberOf"]["relation"] == "cg:memberOf"
    assert g.has_edge(str(ID["tae-joon"]), str(ID["love-wins-all-mv"]), key="cg:characterIn")


def test_projections_are_copies(kg):
    g = kg.to_networkx("collaboration")
    g.remove_node(IU)
    assert IU in kg.to_networkx("collaboration")


@pytest.mark.parametrize("fmt,parser", [
    ("turtle", "turtle"), ("ntriples", "nt"), ("rdfxml", "xml"),
])
def test_rdf_exports_parse_back(kg, tmp_path, fmt, parser):
    out = tmp_path / f"graph.{fmt}"
    kg.export(out, fmt)
    g = rdflib.Graph().parse(out, format=parser)
    assert (URIRef(V), URIRef("https://w3id.org/collabgraph/ns#memberOf"), URIRef(str(ID.bts))) in g
    assert len(g) > 1000


def test_dataset_exports_keep_named_graphs(kg, tmp_path):
    for fmt, parser in (("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")):
        out = tmp_path / f"graph.{fmt}"
        kg.export(out, fmt)
        ds = rdflib.Dataset().parse(out, format=parser)
        names = {str(g.identifier) for g in ds.graphs()}
        assert "https://w3id.org/collabgraph/graph/inferred" in names
        assert "https://w3id.org/collabgraph/graph/file/love-wins-all-article.ttl" in names


def test_export_without_inferred_triples(kg):
    buf = io.BytesIO()
    kg.export(buf, "ntriples", include_inferred=False)
    assert b"/id/iu> <https://w3id.org/collabgraph/ns#collaboratedWith>" not in buf.getvalue()
    assert b"lwa-credit-iu-single" in buf.getvalue()


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_property_graph_exports(kg, tmp_path, fmt, reader):
    out = tmp_path / f"collab.{fmt}"
    kg.export(out, fmt, projection="collaboration")
    g = reader(out)
    assert g.nodes[IU]["label"] == "IU"
    assert int(g.edges[IU, V]["weight"]) == 4


def test_entity_to_dict_is_json_ready(kg):
    d = kg.entity("GYOPO HAIRSTYLE").to_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False))["labels"]["ko"] == "교포머리"
