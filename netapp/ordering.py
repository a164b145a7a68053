"""Reordering lists on a tablet with up and down buttons (no drag-only interaction)."""

from typing import Protocol


class Positioned(Protocol):
    position: int


def move(items: list[Positioned], item: Positioned, direction: str) -> bool:
    """Swap `item` with its neighbour ("up" or "down") and renumber; False at either end."""
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items):
        each.position = position
    return True
