"""Forming sparring groups and interview pairs, and rotating the roles of a sparring round."""

from collections import Counter
from itertools import combinations

import pytest

from netapp.live.grouping import (
    GroupingError,
    Person,
    Roles,
    group_sizes,
    interview_pairs,
    pairs_of,
    repeated_pairs,
    rotate_roles,
    sparring_groups,
)

TYPES = ["tandlæge", "fysioterapeut", "psykolog", "dyrlæge", "kiropraktor"]


def people_of(types: list[str], first_id: int = 1) -> list[Person]:
    return [Person(first_id + k, practice_type) for k, practice_type in enumerate(types)]


def same_type_pairs(groups: list[list[int]], people: list[Person]) -> int:
    kind = {p.id: p.practice_type.strip().casefold() for p in people}
    return sum(
        1 for group in groups for a, b in combinations(group, 2) if kind[a] and kind[a] == kind[b]
    )


def code_of(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.code


# --- group sizes --------------------------------------------------------------------------


@pytest.mark.parametrize("n", range(3, 26))
def test_group_sizes_follow_the_rule(n):
    sizes = group_sizes(n)
    assert sum(sizes) == n
    if n <= 5:
        assert sizes == [n]
    else:
        assert set(sizes) <= {3, 4}
        assert sizes == sorted(sizes, reverse=True)
        assert sizes.count(3) <= 3  # more threes would make a four instead


@pytest.mark.parametrize(("n", "sizes"), [(6, [3, 3]), (7, [4, 3]), (9, [3, 3, 3]), (12, [4] * 3)])
def test_group_sizes_examples(n, sizes):
    assert group_sizes(n) == sizes


@pytest.mark.parametrize("n", [0, 1, 2])
def test_fewer_than_three_cannot_spar(n):
    with pytest.raises(GroupingError) as excinfo:
        sparring_groups(people_of(["tandlæge"] * n))
    assert code_of(excinfo) == "too_few"


# --- sparring groups ----------------------------------------------------------------------


@pytest.mark.parametrize("n", range(3, 26))
def test_groups_cover_everyone_once_in_sizes_by_the_rule(n):
    people = people_of([TYPES[k % 3] for k in range(n)], first_id=100)
    groups = sparring_groups(people, seed=n)
    members = [person for group in groups for person in group]
    assert sorted(members) == [p.id for p in people]
    assert [len(group) for group in groups] == group_sizes(n)


@pytest.mark.parametrize("seed", range(8))
def test_four_types_of_three_never_share_a_group(seed):
    people = people_of([practice for practice in TYPES[:4] for _ in range(3)])
    groups = sparring_groups(people, seed=seed)
    assert same_type_pairs(groups, people) == 0


def test_types_are_spread_as_far_as_they_go():
    # 4 dentists and 3 physiotherapists in a four and a three: 2+2 and 2+1 is the best
    # split, three same-type pairs; 3+1 and 1+2 would make four.
    people = people_of(["tandlæge"] * 4 + ["fysioterapeut"] * 3)
    for seed in range(5):
        assert same_type_pairs(sparring_groups(people, seed=seed), people) == 3


def test_practice_types_match_whatever_their_case_and_spacing():
    people = people_of(["Tandlæge", "tandlæge ", " TANDLÆGE", "psykolog", "Psykolog", "psykolog"])
    for group in sparring_groups(people, seed=1):
        kinds = Counter(p.practice_type.strip().casefold() for p in people if p.id in group)
        assert max(kinds.values()) == 2


def test_blank_practice_types_never_clash():
    people = people_of([""] * 6)
    last = [{1, 2, 3}, {4, 5, 6}]
    groups = sparring_groups(people, last, seed=3)
    # Only the repeats count: 3+3 from two old threes forces one repeat per group.
    assert len(repeated_pairs(groups, last)) == 2


def test_last_meetings_pairs_are_avoided_when_possible():
    people = people_of(["tandlæge"] * 16)
    last = [set(range(1 + 4 * g, 5 + 4 * g)) for g in range(4)]
    for seed in range(5):
        assert repeated_pairs(sparring_groups(people, last, seed=seed), last) == set()


def test_repeats_are_kept_to_the_fewest_when_some_are_unavoidable():
    # Three old fours cannot feed three new fours without one old pair in each new group.
    people = people_of([""] * 12)
    last = [set(range(1 + 4 * g, 5 + 4 * g)) for g in range(3)]
    for seed in range(5):
        assert len(repeated_pairs(sparring_groups(people, last, seed=seed), last)) == 3


@pytest.mark.parametrize("seed", range(5))
def test_new_partners_and_mixed_types_together(seed):
    # 4 types x 4 people, last time in perfectly mixed fours. A Latin square gives fours that
    # are mixed again and share no pair with last time, so both costs can reach zero.
    types = [practice for practice in TYPES[:4] for _ in range(4)]
    people = people_of(types)
    last = [{1 + j, 5 + j, 9 + j, 13 + j} for j in range(4)]  # one of each type
    groups = sparring_groups(people, last, seed=seed)
    assert same_type_pairs(groups, people) == 0
    assert repeated_pairs(groups, last) == set()


def test_the_same_seed_gives_the_same_groups():
    people = people_of([TYPES[k % 5] for k in range(17)])
    last = [{1, 2, 3}, {4, 5, 6, 7}]
    assert sparring_groups(people, last, seed=42) == sparring_groups(people, last, seed=42)
    arrangements = {str(sparring_groups(people, last, seed=s)) for s in range(6)}
    assert len(arrangements) > 1  # "shuffle again" really reshuffles


def test_members_are_listed_in_attendance_order():
    people = people_of([TYPES[k % 4] for k in range(11)])
    position = {p.id: k for k, p in enumerate(people)}
    for group in sparring_groups(people, seed=9):
        assert group == sorted(group, key=position.__getitem__)


def test_duplicate_attendees_are_refused():
    with pytest.raises(GroupingError) as excinfo:
        sparring_groups([Person(1, "a"), Person(2, "b"), Person(1, "a")])
    assert code_of(excinfo) == "duplicate"


def test_a_large_network_is_grouped():
    people = people_of([TYPES[k % 5] for k in range(40)])
    groups = sparring_groups(people, seed=0)
    assert sorted(m for g in groups for m in g) == [p.id for p in people]
    assert same_type_pairs(groups, people) == 0


# --- interview pairs ----------------------------------------------------------------------


@pytest.mark.parametrize("n", range(2, 26))
def test_interview_pairs_cover_everyone_with_one_three_when_odd(n):
    ids = list(range(50, 50 + n))
    pairs = interview_pairs(ids, set(), seed=n)
    assert sorted(m for pair in pairs for m in pair) == ids
    expected = [2] * (n // 2) if n % 2 == 0 else [2] * (n // 2 - 1) + [3]
    assert [len(pair) for pair in pairs] == expected


@pytest.mark.parametrize("seed", range(5))
def test_interview_pairs_avoid_who_interviewed_each_other_before(seed):
    ids = list(range(1, 11))
    past = pairs_of([(1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (1, 3), (2, 4)])
    pairs = interview_pairs(ids, past, seed=seed)
    assert not pairs_of(pairs) & past


def test_interview_pairs_find_the_only_new_partners_left():
    ids = [1, 2, 3, 4, 5, 6]
    fresh = pairs_of([(1, 4), (2, 5), (3, 6)])
    past = pairs_of([ids]) - fresh
    for seed in range(5):
        assert sorted(interview_pairs(ids, past, seed=seed)) == [(1, 4), (2, 5), (3, 6)]


def test_an_odd_count_finds_a_fresh_three():
    # 1 has only 4 left to meet, and then 2, 3 and 5 are all new to each other.
    past = pairs_of([(1, 2), (3, 4), (1, 5), (4, 5), (1, 3)])
    for seed in range(5):
        assert interview_pairs([1, 2, 3, 4, 5], past, seed=seed) == [(1, 4), (2, 3, 5)]


@pytest.mark.parametrize("ids", [[], [7]])
def test_one_person_cannot_be_interviewed(ids):
    with pytest.raises(GroupingError) as excinfo:
        interview_pairs(ids, set())
    assert code_of(excinfo) == "too_few"


def test_interview_pairs_refuse_duplicates():
    with pytest.raises(GroupingError) as excinfo:
        interview_pairs([1, 2, 2], set())
    assert code_of(excinfo) == "duplicate"


# --- roles --------------------------------------------------------------------------------


@pytest.mark.parametrize("group", [[1, 2], [4, 8, 15], [4, 8, 15, 16], [4, 8, 15, 16, 23]])
def test_each_member_gives_a_case_once_over_as_many_rounds(group):
    rounds = [rotate_roles(group, r) for r in range(len(group))]
    assert sorted(roles.case_giver for roles in rounds) == sorted(group)
    assert sorted(roles.questioner for roles in rounds) == sorted(group)
    for roles in rounds:
        assert roles.case_giver != roles.questioner
        everyone = [roles.case_giver, roles.questioner, *roles.note_takers]
        assert sorted(everyone) == sorted(group)


def test_roles_follow_the_group_order_and_wrap_around():
    assert rotate_roles([4, 8, 15, 16], 0) == Roles(4, 8, (15, 16))
    assert rotate_roles([4, 8, 15, 16], 3) == Roles(16, 4, (8, 15))
    assert rotate_roles([4, 8, 15, 16], 4) == rotate_roles([4, 8, 15, 16], 0)


@pytest.mark.parametrize(
    ("group", "round_index", "code"),
    [
        ([1], 0, "too_few"),
        ([], 0, "too_few"),
        ([1, 2, 3], -1, "bad_round"),
        ([1, 1], 0, "duplicate"),
    ],
)
def test_impossible_rotations_are_refused(group, round_index, code):
    with pytest.raises(GroupingError) as excinfo:
        rotate_roles(group, round_index)
    assert code_of(excinfo) == code


def test_pairs_of_and_repeated_pairs():
    assert pairs_of([[1, 2, 3]]) == {frozenset(p) for p in [(1, 2), (1, 3), (2, 3)]}
    assert repeated_pairs([[1, 2], [3, 4]], [[2, 1, 5]]) == {frozenset((1, 2))}
