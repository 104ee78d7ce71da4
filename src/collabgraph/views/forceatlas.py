"""ForceAtlas2 (Jacomy et al., 2014) in NumPy and SciPy, for big views.

The explorer lays out views of thousands of nodes before the page opens. It
used the ``fa2`` package, whose licence (GPL-3.0) does not allow shipping it
with an MIT package, and NetworkX's ``forceatlas2_layout`` computes every
pair's repulsion at each step (over 900 s for 100 steps at 10,000 nodes). This
module is a clean implementation from the paper's equations:

- **attraction** along each link, linear in the distance, times the link's
  weight, divided by the source's mass when ``distributed`` ("dissuade
  hubs", the paper's outbound attraction distribution);
- **repulsion** ``k_r (deg(n)+1)(deg(m)+1) / d`` between every pair of nodes.
  Pairs in the same or adjacent cells of the finest grid are computed
  exactly; every other node acts through the centre of mass of a cell of a
  quadtree, Barnes-Hut style (a cell so used is never nearer than its own
  width: the error of Barnes-Hut with theta about 1, as Gephi uses);
- **gravity** ``k_g (deg(n)+1)`` towards the origin;
- the paper's **adaptive speed**: global speed from swinging against
  traction, and each node slowed by its own swinging.

>>> import networkx as nx
>>> g = nx.path_graph(4)
>>> pos = forceatlas2(g, seed=1, iterations=50)
>>> sorted(pos) == [0, 1, 2, 3] and pos == forceatlas2(g, seed=1, iterations=50)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Hashable, Mapping

import numpy as np

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["forceatlas2"]

#: Nodes per cell of the finest grid, on average: the exact near field
#: grows with it, the number of levels shrinks with it.
CELL_FILL = 6
#: Up to this many nodes every pair is computed (dense arrays beat the tree there).
EXACT_UP_TO = 600


def forceatlas2(g: "nx.Graph", *, pos: Mapping[Hashable, tuple[float, float]] | None = None,
                iterations: int = 100, weight: str | None = "weight", scaling: float = 2.0,
                gravity: float = 1.0, distributed: bool = True, seed: int = 1,
                ) -> dict[Hashable, tuple[float, float]]:
    """ForceAtlas2 positions of ``g``'s nodes after ``iterations`` steps.

    :param g: an undirected NetworkX graph (edge directions are ignored).
    :param pos: starting positions (missing nodes start at random).
    :param iterations: number of steps.
    :param weight: the edge attribute that scales attraction (missing: 1).
    :param scaling: the repulsion constant ``k_r``.
    :param gravity: the gravity constant ``k_g``.
    :param distributed: divide attraction by the source node's mass.
    :param seed: seeds the random starting positions: the same graph, start
        and seed give the same positions.
    :returns: node -> ``(x, y)``.
    """
    nodes = list(g)
    n = len(nodes)
    if n == 0:
        return {}
    rng = np.random.default_rng(seed)
    index = {node: i for i, node in enumerate(nodes)}
    xy = rng.uniform(-1.0, 1.0, size=(n, 2))
    if pos:
        for node, p in pos.items():
            if node in index:
                xy[index[node]] = p
    src, dst, w = [], [], []
    for u, v, data in g.edges(data=True):
        if u == v:
            continue
        src.append(index[u])
        dst.append(index[v])
        w.append(float(data.get(weight, 1.0)) if weight else 1.0)
    src_a, dst_a, w_a = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), np.array(w)
    mass = 1.0 + np.bincount(np.concatenate([src_a, dst_a]), minlength=n).astype(float)
    # the paper's compensation keeps attraction's scale when it is distributed
    attraction = float(mass.mean()) if distributed else 1.0
    speed, efficiency = 1.0, 1.0
    old = np.zeros_like(xy)
    for _ in range(iterations):
        force = _repulsion(xy, mass, scaling)
        # gravity towards the origin
        dist = np.sqrt((xy ** 2).sum(axis=1))
        safe = np.where(dist > 0, dist, 1.0)
        force -= xy * (gravity * mass / safe)[:, None] * (dist > 0)[:, None]
        # attraction along the links (both ends)
        if len(src_a):
            delta = xy[src_a] - xy[dst_a]
            factor = -attraction * w_a / (mass[src_a] if distributed else 1.0)
            _spread(force, src_a, dst_a, delta * factor[:, None])
        speed, efficiency = _step(xy, force, old, mass, speed, efficiency)
        old = force
    return {node: (float(xy[i, 0]), float(xy[i, 1])) for i, node in enumerate(nodes)}


def _repulsion(xy: np.ndarray, mass: np.ndarray, k: float) -> np.ndarray:
    """Each node's repulsion, Barnes-Hut style on a quadtree of regular grids.

    At the finest level, the nodes in a node's own cell and the 8 adjacent
    ones push it exactly. Every other node is counted once through the centre
    of mass of a cell: at each level, the children of the cells adjacent to
    the node's parent cell that are not adjacent to the node's own cell (at
    most 27 per level), the standard interaction list of a quadtree. A cell
    so used is never nearer than its own width.
    """
    n = len(xy)
    force = np.zeros_like(xy)
    if n < 2:
        return force
    if n <= EXACT_UP_TO:
        delta = xy[:, None, :] - xy[None, :, :]
        d2 = (delta ** 2).sum(axis=2)
        d2[d2 == 0] = np.inf
        return k * mass[:, None] * np.einsum("ijk,ij->ik", delta, mass[None, :] / d2)
    levels = max(2, int(round(0.5 * np.log2(max(n / CELL_FILL, 1.0)))))
    side = 1 << levels
    # the box spans the bulk of the nodes; far outliers fall in the edge cells
    # (their centres of mass stay exact)
    lo = np.percentile(xy, 0.5, axis=0)
    hi = np.percentile(xy, 99.5, axis=0)
    width = max(float((hi - lo).max()), 1e-9) / side
    finest = np.clip(((xy - lo) / width).astype(np.int64), 0, side - 1)
    i, j = _near_pairs(finest, finest[:, 0] * side + finest[:, 1], side)
    if len(i):
        delta = xy[i] - xy[j]
        d2 = (delta ** 2).sum(axis=1)
        ok = d2 > 0
        factor = np.where(ok, k * mass[i] * mass[j] / np.where(ok, d2, 1.0), 0.0)
        _spread(force, i, j, delta * factor[:, None])
    far = np.zeros_like(xy)
    for level in range(2, levels + 1):
        s = 1 << level
        cell = finest >> (levels - level)
        child = cell & 1
        # grids padded by two empty cells on each side, so that neighbours of
        # edge cells need no bounds test (empty cells sit far away, massless)
        wide = s + 4
        flat = (cell[:, 0] + 2) * wide + cell[:, 1] + 2
        m = np.bincount(flat, weights=mass, minlength=wide * wide)
        filled = m > 0
        cx = np.full(wide * wide, 1e150)
        cy = np.full(wide * wide, 1e150)
        cx[filled] = np.bincount(flat, weights=mass * xy[:, 0], minlength=wide * wide)[filled] / m[filled]
        cy[filled] = np.bincount(flat, weights=mass * xy[:, 1], minlength=wide * wide)[filled] / m[filled]
        first = flat - child[:, 0] * wide - child[:, 1]  # the first child of the node's parent cell
        _OFFSETS = {a: {b: np.array([ox * wide + oy for ox in range(-2, 4) for oy in range(-2, 4)
                                     if abs(ox - a) > 1 or abs(oy - b) > 1]) for b in (0, 1)} for a in (0, 1)}
        for a in (0, 1):
            for b in (0, 1):
                idx = np.flatnonzero((child[:, 0] == a) & (child[:, 1] == b))
                if not len(idx):
                    continue
                target = first[idx][:, None] + _OFFSETS[a][b][None, :]
                dx = xy[idx, 0][:, None] - cx[target]
                dy = xy[idx, 1][:, None] - cy[target]
                scale = m[target] / np.maximum(dx * dx + dy * dy, 1e-300)
                fx = np.einsum("ij,ij->i", dx, scale)
                fy = np.einsum("ij,ij->i", dy, scale)
                far[idx, 0] += fx
                far[idx, 1] += fy
    force += far * (k * mass)[:, None]
    return force


def _spread(force: np.ndarray, i: np.ndarray, j: np.ndarray, push: np.ndarray) -> None:
    """Add ``push`` to the nodes ``i`` and take it from the nodes ``j``
    (``bincount`` sums repeated indices many times faster than ``np.add.at``)."""
    n = len(force)
    for axis in (0, 1):
        force[:, axis] += np.bincount(i, weights=push[:, axis], minlength=n)
        force[:, axis] -= np.bincount(j, weights=push[:, axis], minlength=n)


def _near_pairs(cell: np.ndarray, flat: np.ndarray, side: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of nodes in the same or adjacent cells, each pair once.

    >>> cell = np.array([[0, 0], [0, 0], [1, 1], [3, 3]])
    >>> i, j = _near_pairs(cell, cell[:, 0] * 4 + cell[:, 1], 4)
    >>> sorted(zip(i.tolist(), j.tolist()))
    [(0, 1), (0, 2), (1, 2)]
    """
    order = np.argsort(flat, kind="stable")
    counts = np.bincount(flat, minlength=side * side)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    nodes = np.arange(len(flat))
    out_i, out_j = [], []
    # half of the neighbourhood, so that each pair of cells is visited once
    for dx, dy in ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1)):
        tx, ty = cell[:, 0] + dx, cell[:, 1] + dy
        inside = (tx >= 0) & (tx < side) & (ty >= 0) & (ty < side)
        target = np.where(inside, tx * side + ty, 0)
        reps = np.where(inside, counts[target], 0)
        total = int(reps.sum())
        if not total:
            continue
        left = np.repeat(nodes, reps)
        within = np.arange(total) - np.repeat(np.cumsum(reps) - reps, reps)
        right = order[np.repeat(starts[target], reps) + within]
        if (dx, dy) == (0, 0):
            keep = left < right
            left, right = left[keep], right[keep]
        out_i.append(left)
        out_j.append(right)
    if not out_i:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_i), np.concatenate(out_j)


def _step(xy: np.ndarray, force: np.ndarray, old: np.ndarray, mass: np.ndarray,
          speed: float, efficiency: float) -> tuple[float, float]:
    """Move the nodes by the paper's adaptive speed; return the new global
    speed and speed efficiency."""
    n = len(xy)
    swinging = mass * np.sqrt(((old - force) ** 2).sum(axis=1))
    traction = 0.5 * mass * np.sqrt(((old + force) ** 2).sum(axis=1))
    total_swing, total_traction = float(swinging.sum()), float(traction.sum())
    estimate = 0.05 * np.sqrt(n)
    jitter = max(np.sqrt(estimate), min(10.0, estimate * total_traction / (n * n)))
    if total_traction and total_swing / total_traction > 2.0:
        if efficiency > 0.05:
            efficiency *= 0.5
        jitter = max(jitter, 1.0)
    target = float("inf") if total_swing == 0 else jitter * efficiency * total_traction / total_swing
    if total_swing > jitter * total_traction:
        if efficiency > 0.05:
            efficiency *= 0.7
    elif speed < 1000:
        efficiency *= 1.3
    speed = speed + min(target - speed, 0.5 * speed)
    factor = speed / (1.0 + np.sqrt(speed * swinging))
    xy += force * factor[:, None]
    return speed, efficiency
