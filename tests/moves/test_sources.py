"""Fetching a Bachata Buddy repository's library: only ``data/``, shallow, into the cache
(against a local bare repository built from the shared clips; no network)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from bachata.errors import BachataError
from bachata.moves.sources import fetch_repository, is_git_url, repository_name

#: Clips whose ids the demo library also has.
COLLIDING = ("cross_body_lead", "golpes")
#: The clips of the test repository: those, and beginner basics to plan with.
CLIPS = (*COLLIDING, "basic", "front_step")


def _git(*args, cwd):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def make_upstream_repo(upstream_clips, tmp_path, clip_ids=CLIPS) -> str:
    """A bare git repository laid out like the original project (``data/`` beside code),
    holding ``clip_ids`` of the shared clips; returns its file:// URL."""
    work = tmp_path / "upstream-work"
    annotations = json.loads((upstream_clips / "data" / "bachata_annotations.json").read_text())
    clips = [c for c in annotations["clips"] if c["clip_id"] in clip_ids]
    for clip in clips:
        target = work / "data" / "Bachata_steps" / clip["video_path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(upstream_clips / "data" / "Bachata_steps" / clip["video_path"], target)
    (work / "data" / "bachata_annotations.json").write_text(json.dumps({"clips": clips}))
    (work / "app").mkdir()
    (work / "app" / "server.py").write_text("print('the original app')\n")
    (work / "README.md").write_text("Bachata Buddy\n")
    _git("init", "-q", "-b", "main", cwd=work)
    _git("add", ".", cwd=work)
    _git("commit", "-q", "-m", "library", cwd=work)
    bare = tmp_path / "bachata_buddy.git"
    _git("clone", "-q", "--bare", str(work), str(bare), cwd=tmp_path)
    _git("config", "uploadpack.allowFilter", "true", cwd=bare)
    return f"file://{bare}"


def test_git_urls_are_told_from_paths():
    for url in (
        "https://github.com/erickrex/bachata_buddy",
        "git@github.com:erickrex/bachata_buddy.git",
        "file:///srv/git/bachata_buddy.git",
    ):
        assert is_git_url(url) and repository_name(url) == "bachata_buddy"
    for path in ("data/moves.json", "../clips/upstream", "/tmp/x"):
        assert not is_git_url(path)


def test_only_data_is_fetched_and_a_second_fetch_updates(upstream_clips, tmp_path):
    url = make_upstream_repo(upstream_clips, tmp_path)
    checkout = fetch_repository(url, tmp_path / "cache")
    assert checkout.parent == tmp_path / "cache" / "sources"
    assert checkout.name.startswith("bachata_buddy-")
    assert (checkout / "data" / "bachata_annotations.json").is_file()
    assert (checkout / "data" / "Bachata_steps" / "golpes" / "golpes.mp4").is_file()
    assert not (checkout / "app").exists()  # sparse: only data/ (and top-level files)
    depth = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"], cwd=checkout, capture_output=True, text=True
    )
    assert depth.stdout.strip() == "1"

    work = tmp_path / "upstream-work"
    (work / "data" / "NEW.txt").write_text("new\n")
    _git("add", ".", cwd=work)
    _git("commit", "-q", "-m", "more", cwd=work)
    _git("push", "-q", url.removeprefix("file://"), "main", cwd=work)
    assert fetch_repository(url, tmp_path / "cache") == checkout
    assert (checkout / "data" / "NEW.txt").read_text() == "new\n"
    assert [p.name for p in checkout.parent.iterdir()] == [checkout.name]


def test_a_bad_url_says_why_and_leaves_nothing(tmp_path):
    with pytest.raises(BachataError, match="git clone failed"):
        fetch_repository(f"file://{tmp_path}/missing.git", tmp_path / "cache")
    assert list((tmp_path / "cache" / "sources").iterdir()) == []
