"""collabgraph's own ForceAtlas2 (it replaced the GPL ``fa2`` package)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from collabgraph.views.forceatlas import _repulsion, forceatlas2


def exact_repulsion(xy, mass, k):
    delta = xy[:, None, :] - xy[None, :, :]
    d2 = (delta ** 2).sum(axis=2)
    np.fill_diagonal(d2, np.inf)
    return k * mass[:, None] * np.einsum("ijk,ij->ik", delta, mass[None, :] / d2)


@pytest.mark.parametrize("clumped", [False, True])
def test_the_tree_repulsion_is_close_to_every_pair(clumped):
    rng = np.random.default_rng(3)
    xy = rng.normal(size=(3000, 2))
    if clumped:  # a dense community and far outliers, as layouts have them
        xy[:800] *= 0.02
        xy[-20:] *= 40
    mass = 1.0 + rng.integers(0, 6, len(xy)).astype(float)
    want = exact_repulsion(xy, mass, 2.0)
    got = _repulsion(xy, mass, 2.0)
    error = np.linalg.norm(got - want, axis=1) / np.linalg.norm(want, axis=1)
    assert np.percentile(error, 95) < 0.03 and np.median(error) < 0.01


def test_two_communities_end_up_apart_and_linked_nodes_close():
    g = nx.Graph()
    g.add_edges_from(nx.complete_graph(range(0, 40)).edges())
    g.add_edges_from(nx.complete_graph(range(40, 80)).edges())
    g.add_edge(0, 40)
    pos = forceatlas2(g, iterations=200, seed=2)
    xy = np.array([pos[n] for n in range(80)])
    a, b = xy[:40].mean(axis=0), xy[40:].mean(axis=0)
    spread = max(np.linalg.norm(xy[:40] - a, axis=1).mean(), np.linalg.norm(xy[40:] - b, axis=1).mean())
    assert np.linalg.norm(a - b) > 2 * spread


def test_same_seed_same_positions_and_start_positions_are_used():
    g = nx.gnm_random_graph(900, 2500, seed=1)
    assert forceatlas2(g, iterations=20, seed=5) == forceatlas2(g, iterations=20, seed=5)
    assert forceatlas2(g, iterations=20, seed=5) != forceatlas2(g, iterations=20, seed=6)
    start = {n: (float(n), 0.0) for n in g}
    assert forceatlas2(g, pos=start, iterations=0) == start


def test_empty_and_single_node_graphs():
    assert forceatlas2(nx.Graph()) == {}
    g = nx.Graph()
    g.add_node("a")
    assert list(forceatlas2(g)) == ["a"]
