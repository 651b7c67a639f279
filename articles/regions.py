"""Article regions on a page scan: one polygon of whole scan pixels, outlining rectangles.

Plain geometry (shapely), shared by the PDF import (an article's boxes become its region) and
the page workbench (joining two articles joins their regions).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from shapely import MultiPolygon, Polygon, box, unary_union
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from .validators import MAX_REGION_POINTS

Rect = Sequence[float]  # x0, y0, x1, y1
# Columns of one article stand a gutter apart (about 1.5% of a broadsheet's width): shapes
# closer than this share of the page's width are one region.
GUTTER_SHARE = 0.02
Points = list[list[int]]


def outline_rects(rects: Iterable[Rect], *, scale: float = 1.0, gap: float = 0.0) -> Points | None:
    """One polygon around `rects` (scaled by `scale`), or None when there are none.

    Rectangles closer than `gap` (in the scaled units) are joined, so an article's column
    blocks, separated by the column gutter, become one outline, L-shaped where the article is.
    """
    shapes = [
        box(min(x0, x1) * scale, min(y0, y1) * scale, max(x0, x1) * scale, max(y0, y1) * scale)
        for x0, y0, x1, y1 in rects
        if x1 != x0 and y1 != y0
    ]
    if not shapes:
        return None
    return _points(unary_union(shapes), gap)


def outline_polygons(
    polygons: Iterable[Sequence[Sequence[float]]], *, gap: float = 0.0
) -> Points | None:
    """One polygon around several regions (each a list of points), or None when none is valid."""
    shapes = [Polygon(points).buffer(0) for points in polygons if points and len(points) >= 3]
    shapes = [shape for shape in shapes if not shape.is_empty]
    if not shapes:
        return None
    return _points(unary_union(shapes), gap)


def _points(shape: BaseGeometry, gap: float) -> Points:
    """The outline of `shape` as at most MAX_REGION_POINTS whole, non-negative points.

    Parts further apart than `gap` cannot be one polygon: their convex hull is the honest
    single outline (a region is one polygon on the scan).
    """
    if gap > 0:
        # Close the gutters between blocks, then take back the margin added outside.
        shape = shape.buffer(gap / 2, join_style="mitre").buffer(-gap / 2, join_style="mitre")
    if isinstance(shape, MultiPolygon) or shape.geom_type != "Polygon":
        shape = shape.convex_hull
    tolerance = 0.5
    exterior = shape.exterior
    coords = list(exterior.coords)[:-1]
    while len(coords) > MAX_REGION_POINTS:
        exterior = shape.exterior.simplify(tolerance, preserve_topology=False)
        coords = list(exterior.coords)[:-1]
        tolerance *= 2
    points: Points = []
    for x, y in coords:
        point = [max(0, round(x)), max(0, round(y))]
        if not points or points[-1] != point:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        x0, y0, x1, y1 = shape.bounds
        points = [
            [max(0, round(x0)), max(0, round(y0))],
            [max(0, round(x1)), max(0, round(y0))],
            [max(0, round(x1)), max(0, round(y1))],
            [max(0, round(x0)), max(0, round(y1))],
        ]
    return points


def inside_point(points: Sequence[Sequence[float]]) -> tuple[int, int]:
    """Where a region's label reads best: its centre when that is well inside it, else the
    point furthest inside (in the thick of an L-shaped article, not in its empty corner)."""
    shape = Polygon(points).buffer(0)
    if shape.is_empty:
        x, y = points[0]
        return round(x), round(y)
    if not isinstance(shape, Polygon):
        point = shape.representative_point()
        return round(point.x), round(point.y)
    point = polylabel(shape, tolerance=max(1.0, shape.area**0.5 / 100))
    centre = shape.centroid
    inside = shape.boundary.distance(point)
    if shape.contains(centre) and shape.boundary.distance(centre) >= 0.8 * inside:
        point = centre
    return round(point.x), round(point.y)
