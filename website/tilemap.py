"""The tile map of the 43 police force areas: one equal square per area, placed so that
England and Wales stay recognisable, shaded and labelled by a count.

The layout is data (tilemap.csv: each area's column, row and short label); the map is drawn by
templates/includes/tile_map.html as SVG, with the same figures in a table beside it.
"""

import csv
from pathlib import Path

TILE = 58  # each tile's side, in SVG units
GAP = 4
# Upper bounds of the shades after 0: 1, 2, 3 to 4, 5 or more.
SHADES = [(1, "1"), (2, "2"), (4, "3 to 4"), (None, "5 or more")]

with open(Path(__file__).with_name("tilemap.csv"), newline="") as layout_file:
    LAYOUT = {row["area"]: (int(row["column"]), int(row["row"]), row["label"])
              for row in csv.DictReader(layout_file)}


def shade(count):
    """0 for none, then 1 to len(SHADES) by SHADES' bounds."""
    if not count:
        return 0
    for index, (upper, _) in enumerate(SHADES, start=1):
        if upper is None or count <= upper:
            return index
    raise AssertionError("the last shade has no upper bound")


def tile_map(areas, counts, href):
    """The map of `areas` (each with slug and name): {"tiles", "unplaced", "rows", "legend",
    ...}. Each tile has its area, count, shade, position and link (`href(area)`); areas that
    the layout does not place are in "unplaced" with their count and link; "rows" holds both,
    by name, for the table."""
    tiles, unplaced = [], []
    for area in areas:
        count = counts.get(area.slug, 0)
        if area.slug not in LAYOUT:  # an area added since the layout was drawn
            unplaced.append({"area": area, "count": count, "href": href(area)})
            continue
        column, row, label = LAYOUT[area.slug]
        x, y = column * (TILE + GAP), row * (TILE + GAP)
        tiles.append({
            "area": area, "count": count, "shade": shade(count), "label": label,
            "href": href(area), "x": x, "y": y, "middle": x + TILE // 2,
            "label_y": y + 24, "count_y": y + 47,
        })
    # Reading order (row by row, west to east), which is also the keyboard's order.
    tiles.sort(key=lambda tile: (tile["y"], tile["x"]))
    columns = 1 + max(column for column, _, _ in LAYOUT.values())
    rows = 1 + max(row for _, row, _ in LAYOUT.values())
    legend = [{"shade": 0, "label": "None"}] + [
        {"shade": index, "label": label} for index, (_, label) in enumerate(SHADES, start=1)
    ]
    # The view box has a margin of GAP / 2 all round, so that the outer tiles' borders show.
    rows_by_name = sorted(tiles + unplaced, key=lambda spot: spot["area"].name)
    return {"tiles": tiles, "unplaced": unplaced, "rows": rows_by_name, "legend": legend,
            "tile": TILE, "margin": -GAP // 2,
            "width": columns * (TILE + GAP), "height": rows * (TILE + GAP)}
