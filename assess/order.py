"""The order in which a questionnaire's items are shown (issue 12, point 4).

Pure: questionnaire in, item ids out. Items shown in trait blocks (nine need-for-approval
statements in a row) make each block's purpose obvious, so by default the items are
**interleaved**: the questionnaire's own order within each trait, the traits taken in turn
so that no three consecutive items share a trait (no two, whenever the counts allow). A
section the questionnaire names in ``presentation.keep_together`` (the bundled one keeps
its situations together) is shown as one block, after the interleaved items. With a shuffle
seed, the whole questionnaire is shuffled: the order within each trait and the tie-breaks
between traits are drawn from a numpy Generator seeded from it, keeping the same property;
kept-together sections are shuffled within themselves.
"""

from __future__ import annotations

import numpy as np

from assess.model import LikertItem, Questionnaire, SituationalItem

Item = LikertItem | SituationalItem


def section_of(item: Item) -> str:
    """The section an item belongs to (its own, else its trait's, else its validity kind)."""
    if item.section:
        return item.section
    if isinstance(item, LikertItem):
        return item.trait or item.validity or "general"
    return "situations"


def group_of(item: Item) -> str:
    """What must not repeat three times in a row: the trait, else the validity kind, else
    ``situations``."""
    if isinstance(item, LikertItem):
        return item.trait or item.validity or "general"
    return "situations"


def presentation_order(q: Questionnaire, shuffle_seed: int | None = None) -> list[str]:
    """Item ids in the order shown (see the module docstring)."""
    rng = np.random.default_rng(shuffle_seed) if shuffle_seed is not None else None
    kept = set(q.presentation.keep_together) if q.presentation is not None else set()
    groups: dict[str, list[str]] = {}
    blocks: dict[str, list[str]] = {}
    for item in q.items:
        section = section_of(item)
        if section in kept:
            blocks.setdefault(section, []).append(item.id)
        else:
            groups.setdefault(group_of(item), []).append(item.id)
    if rng is not None:
        for ids in (*groups.values(), *blocks.values()):
            ids[:] = [ids[i] for i in rng.permutation(len(ids))]
    order = _interleave(list(groups.values()), rng)
    for ids in blocks.values():
        order.extend(ids)
    return order


def _interleave(queues: list[list[str]], rng: np.random.Generator | None) -> list[str]:
    """Take one item at a time from the group with the most items left, never the group
    of the item just taken when another is left (so no two in a row while possible, and
    never three). Ties go to the earlier group, or a random one when shuffling."""
    remaining = [list(ids) for ids in queues if ids]
    last = -1
    order: list[str] = []
    while remaining:
        sizes = np.array([len(ids) for ids in remaining], dtype=np.float64)
        if last >= 0 and len(remaining) > 1:
            sizes[last] = -1.0
        if rng is not None:
            sizes = sizes + rng.random(len(sizes)) * 0.5  # random among equal sizes only
        pick = int(np.argmax(sizes))
        order.append(remaining[pick].pop(0))
        if remaining[pick]:
            last = pick
        else:
            del remaining[pick]
            last = -1
    return order


def longest_same_group_run(q: Questionnaire, order: list[str]) -> int:
    """Longest run of consecutive items of one trait (or validity kind) in ``order``."""
    longest = run = 0
    previous = None
    for item_id in order:
        group = group_of(q.item(item_id))
        run = run + 1 if group == previous else 1
        previous = group
        longest = max(longest, run)
    return longest
