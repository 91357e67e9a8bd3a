"""The template-blind people.cn reader: every field from textual cues that all people.cn
generations share — never from container class names. See reader.py."""

from peoplecn.pages.cues.reader import CuesReader

__all__ = ["CuesReader"]
