"""Topic profiles (runtime/profiles.py): a topic is a TOML file, not code."""

from __future__ import annotations

import pytest

from runtime.profiles import ProfileError, load_profile, profile_names


def test_the_default_profile_is_jingjinji_and_runs_every_source():
    p = load_profile()
    assert p.name == "jingjinji" and "京津冀" in p.keywords
    assert p.spiders() == ["series", "channel", "search", "related"]
    assert p.search_keys == ["京津冀"] and p.search_since == "2021-01-01"


def test_another_topic_is_another_file():
    assert {"jingjinji", "changsanjiao"} <= set(profile_names())
    p = load_profile("changsanjiao")
    assert "长三角" in p.keywords and p.channels and p.spiders() == ["channel", "search"]


def test_a_profile_by_path(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('title = "mine"\nkeywords = ["雄安"]\n[search]\nkeys = ["雄安"]\n',
                    encoding="utf-8")
    p = load_profile(str(path))
    assert (p.name, p.keywords, p.spiders()) == ("mine", ["雄安"], ["search"])


@pytest.mark.parametrize("text, message", [
    ("title = [", "not valid TOML"),
    ('[[channels]]\nname = "no url"\n', "KeyError"),
    ('[search]\nsince = "last week"\n', "ValueError"),
])
def test_a_bad_profile_is_a_clear_error(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=message):
        load_profile(str(path))
