from __future__ import annotations

import pytest

from corpus.releases import ReleaseError, Version


@pytest.mark.parametrize("text", ["1.0.0", "0.0.1", "10.20.30", "1.0.0-rc.1", "1.0.0-alpha.beta", "1.0.0+build.5", "1.0.0-0.3.7"])
def test_valid_versions_parse(text):
    assert str(Version.parse(text)) == text


@pytest.mark.parametrize("text", ["1.0", "v1.0.0", "01.0.0", "1.0.0-", "1.0.0-01", "../1.0.0", "1.0.0/x", "", "1.0.0 ", "1..0"])
def test_invalid_versions_are_refused(text):
    with pytest.raises(ReleaseError, match="not a semantic version"):
        Version.parse(text)


def test_precedence_follows_semver_org():
    ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
               "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0"]
    parsed = [Version.parse(v) for v in ordered]
    assert sorted(reversed(parsed)) == parsed
    assert Version.parse("1.0.0+a") == Version.parse("1.0.0+b")
