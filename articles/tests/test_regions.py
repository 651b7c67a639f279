"""Regions outlined from rectangles and joined from polygons (articles/regions.py)."""

from shapely import Polygon

from articles.regions import outline_polygons, outline_rects
from articles.validators import MAX_REGION_POINTS, validate_region


def test_blocks_across_a_gutter_become_one_l_shaped_outline():
    # A two-column article whose second column is short: an L, in scan pixels at scale 2.
    points = outline_rects([(0, 0, 10, 20), (12, 0, 22, 10)], scale=2, gap=6)
    validate_region(points)
    assert Polygon(points).area == 20 * 40 + 24 * 20


def test_blocks_too_far_apart_give_their_hull_not_two_polygons():
    points = outline_rects([(0, 0, 10, 20), (50, 0, 60, 10)], gap=6)
    validate_region(points)
    assert Polygon(points).contains(Polygon([(1, 1), (59, 1), (59, 9), (1, 9)]))


def test_nothing_to_outline():
    assert outline_rects([]) is None
    assert outline_rects([(5, 5, 5, 9)]) is None
    assert outline_polygons([[], [[1, 1]]]) is None


def test_joined_regions_cover_both():
    first, second = [[0, 0], [10, 0], [10, 10], [0, 10]], [[10, 0], [20, 0], [20, 10], [10, 10]]
    points = outline_polygons([first, second])
    validate_region(points)
    assert Polygon(points).area == 200


def test_a_ragged_outline_is_simplified_to_the_point_limit():
    # A staircase of 100 steps has 200 corners; the stored region keeps at most the limit.
    rects = [(i * 10, 0, i * 10 + 10, 10 + i) for i in range(100)]
    points = outline_rects(rects)
    validate_region(points)
    assert len(points) <= MAX_REGION_POINTS
    assert Polygon(points).buffer(0).area > 0.95 * sum(10 * (10 + i) for i in range(100))
