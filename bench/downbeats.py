"""Beat, downbeat and tempo accuracy on the generated corpus and on the real clips.

For each arrangement family of :data:`bachata.demo.corpus.ALL_FAMILIES` (songs the
template was *not* learned from: corpus seeds 0 and 2, training uses seed 1; the
``sampled_`` families are played by a General MIDI soundfont, timbres it never heard at
all): beat F-measure and
downbeat F-measure (mir_eval, 70 ms) and BPM error (against the tempo the true beats
keep: ``SyntheticSong.mean_bpm``). Then agreement with the independent tracker's
``reference-beats.json`` on the real clips in ``../shared/data/upstream-clips``: tempo
within 2 % and count 1 within 70 ms of a reference downbeat, as the importer measures
them.
"""

from __future__ import annotations

import os
import time
from itertools import product
from pathlib import Path

import mir_eval
import numpy as np

from bachata.demo.corpus import ALL_FAMILIES, corpus_song
from bachata.moves.manifest import read_library
from bachata.moves.probe import ClipError, probe_clip
from bachata.moves.timing import clip_timing
from bachata.music import analyse
from bachata.music.reference import load_reference

SONGS_PER_FAMILY = 6
#: Held-out corpus seeds (the template is learned from seed 1).
SEEDS = (0, 2)
CLIPS = Path(
    os.environ.get("BACHATA_UPSTREAM_CLIPS")
    or Path(__file__).resolve().parents[2] / "shared" / "data" / "upstream-clips"
)


def corpus() -> None:
    print(
        f"== downbeats: generated corpus, {SONGS_PER_FAMILY} songs per family and seed "
        f"(seeds {', '.join(map(str, SEEDS))})"
    )
    print(f"  {'family':<20} {'beat F':>7} {'downbeat F':>11} {'BPM err %':>10} {'s/min':>6}")
    for family in ALL_FAMILIES:
        beat_f, down_f, bpm_err, per_min = [], [], [], []
        for seed, index in product(SEEDS, range(SONGS_PER_FAMILY)):
            song = corpus_song(family, index, seed=seed)
            started = time.perf_counter()
            result = analyse(song.audio, song.sr)
            per_min.append((time.perf_counter() - started) / (song.duration / 60))
            beat_f.append(mir_eval.beat.f_measure(song.beats, np.array(result.beats), 0.07))
            down_f.append(mir_eval.beat.f_measure(song.downbeats, np.array(result.downbeats), 0.07))
            # Against the tempo the beats keep, not the one the song starts at: songs
            # of the corpus drift, and the starting tempo is then nobody's measurement.
            bpm_err.append(abs(result.bpm - song.mean_bpm) / song.mean_bpm * 100)
        print(
            f"  {family:<20} {min(beat_f):7.3f} {min(down_f):11.3f} {max(bpm_err):10.2f}"
            f" {max(per_min):6.2f}   (worst song of the family)"
        )


def _timed(specs: list) -> list:
    """(spec, timing) of every clip the importer can time."""
    timed = []
    for spec in specs:
        try:
            timed.append((spec, clip_timing(spec, probe_clip(spec.source), spec.source)))
        except ClipError:
            continue
    return timed


def clips() -> None:
    if not (CLIPS / "reference-beats.json").is_file():
        print(
            f"== clips: no real clips at {CLIPS}. The whole set (148 clips with reference "
            "beats) is shared/data/upstream-clips beside the checkout; point "
            "BACHATA_UPSTREAM_CLIPS at it. The curated 34 the tests carry are in "
            "tests/data/upstream-clips."
        )
        return
    reference = load_reference(CLIPS / "reference-beats.json")
    specs, _ = read_library(CLIPS)
    started = time.perf_counter()
    results = _timed(specs)
    seconds = time.perf_counter() - started
    timed = len(results)
    tempo_ok = sum(reference[spec.name].tempo_agrees(t.tempo) for spec, t in results)
    count1_ok = sum(reference[spec.name].count1_agrees(t.count1_offset) for spec, t in results)
    print(f"== clips: {timed} real clips timed in {seconds:.1f} s, against the reference tracker")
    print(f"  tempo within 2 %:                     {tempo_ok:4d} / {timed}  (target >= 135)")
    print(f"  count 1 within 70 ms of a downbeat:   {count1_ok:4d} / {timed}  (target >= 130)")


def clips_held_out() -> None:
    """Count 1 on each half of the clips, with the template adapted to the other half
    only: the shipped template saw every clip's audio (no labels), this one did not."""
    from bachata.music import downbeats, training

    if not (CLIPS / "reference-beats.json").is_file():
        return
    reference = load_reference(CLIPS / "reference-beats.json")
    specs, _ = read_library(CLIPS)
    profiles = training.corpus_profiles()
    names = sorted({spec.name for spec in specs if spec.source.is_file()})
    halves = [set(names[0::2]), set(names[1::2])]
    agree = timed = 0
    shipped = downbeats._template()
    try:
        for held_out, other in (halves, halves[::-1]):
            paths = [spec.source for spec in specs if spec.name in other]
            downbeats._TEMPLATE = training.adapt(profiles, training.recordings_evidence(paths))
            results = _timed([spec for spec in specs if spec.name in held_out])
            timed += len(results)
            agree += sum(reference[s.name].count1_agrees(t.count1_offset) for s, t in results)
    finally:
        downbeats._TEMPLATE = shipped
    print(f"  count 1, template adapted to the other half only: {agree:4d} / {timed}")


def template_reproduced() -> None:
    """The shipped template is what ``python -m bachata.music.training`` makes from the
    whole set of clips (the tests carry too few clips to check that)."""
    from bachata.music.downbeats import load_template
    from bachata.music.training import train

    if not (CLIPS / "reference-beats.json").is_file():
        return
    same = np.allclose(train(CLIPS), load_template(), atol=1e-3)
    print(f"  shipped template is what training on these clips makes: {'yes' if same else 'NO'}")


def main() -> None:
    corpus()
    clips()
    clips_held_out()
    template_reproduced()


if __name__ == "__main__":
    main()
