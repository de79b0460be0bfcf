"""Draw docs/img/world-2005.png: the 2005 embassy network, from a GraphML export.

Run from the repository root after `backchannel import cow ... --out world.yaml` and
`backchannel export graphml --scenario world.yaml --at 2005 --out world-2005.graphml`:

    .venv/bin/python docs/img/world_2005.py world-2005.graphml docs/img/world-2005.png
"""

from __future__ import annotations

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx

G20 = ["ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN", "KOR",
       "MEX", "RUS", "SAU", "ZAF", "TUR", "GBR", "USA"]


def main(src: str, out: str) -> None:
    """Lay out the network (missions as undirected ties) and draw it."""
    g = nx.read_graphml(src)
    ties = nx.Graph()
    ties.add_nodes_from(g.nodes)
    for u, v, d in g.edges(data=True):
        w = 1.0 if d["status"] == "active" else 0.5
        ties.add_edge(u, v, weight=ties[u][v]["weight"] + w if ties.has_edge(u, v) else w)
    pos = nx.spring_layout(ties, seed=3, k=0.35, iterations=60)
    received = dict(g.in_degree())
    fig, ax = plt.subplots(figsize=(8, 6.4), dpi=100)
    nx.draw_networkx_edges(ties, pos, ax=ax, width=0.15, alpha=0.12, edge_color="#4a6a8a")
    nx.draw_networkx_nodes(
        ties, pos, ax=ax, node_size=[6 + received[n] * 0.9 for n in ties],
        node_color=["#c0392b" if n in G20 else "#2c3e50" for n in ties], alpha=0.85,
        linewidths=0,
    )
    nx.draw_networkx_labels(ties, pos, {n: n for n in ties if n in G20 or n == "PRK"},
                            font_size=7, ax=ax)
    ax.set_title(f"Embassies of the world, 2005 (COW Diplomatic Exchange): "
                 f"{g.number_of_nodes()} states, {g.number_of_edges():,} missions\n"
                 "node size: missions received; red: G20 states", fontsize=9)
    ax.set_axis_off()
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
