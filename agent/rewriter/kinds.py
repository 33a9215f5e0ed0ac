"""The one registry of edit kinds: what a request asks to change in the drawing prompt.

The paper's seven edit types plus ``extras`` (anything else, kept as a further sentence).
Members are strings (``EditKind.CHANGE_STYLE == "change_style"``), so they serialise as
their value and compare with the names stored in data files.
"""

from __future__ import annotations

from enum import Enum


class EditKind(str, Enum):
    CHANGE_ENTITY = "change_entity"  # replace, recolour or re-material the subject or a thing in it
    ADD_OBJECT = "add_object"  # a further object (an extras sentence)
    REMOVE_OBJECT = "remove_object"  # drop a thing from subject, extras or background
    CHANGE_BACKGROUND = "change_background"  # place, time of day, weather
    CHANGE_STYLE = "change_style"  # visual style, medium, artist
    CHANGE_SHOT = "change_shot"  # camera shot and angle
    COMBINE_IMAGES = "combine_images"  # put the subject of another picture into this one
    EXTRAS = "extras"  # no edit of the seven types: kept as one extras sentence

    __str__ = str.__str__  # "change_style", not "EditKind.CHANGE_STYLE"


#: Every kind's name, in registry order.
EDIT_KINDS: tuple[str, ...] = tuple(k.value for k in EditKind)
#: The paper's seven edit types (every kind but ``extras``).
EDIT_TYPES: tuple[str, ...] = tuple(k.value for k in EditKind if k is not EditKind.EXTRAS)
