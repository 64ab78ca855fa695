// The practice player: moves and counts in video time (see selectors.practice_timeline).
// Loops of a move or an 8-count drawn on the seek bar, 50-150 % speed with pitch kept,
// mirror that flips only the picture, full screen of the whole player (overlays stay),
// and keyboard shortcuts that work wherever the focus is (except while typing).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("practice-data").textContent);
  const $ = (id) => document.getElementById(id);
  const box = $("practice"), video = $("video"), seek = $("seek"), band = $("seek-loop");
  const overlay = $("count"), moveName = $("move-name"), time = $("time");
  const SPEEDS = [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.4, 1.5];
  const FRAME = 1 / 30;
  let speedIndex = SPEEDS.indexOf(1);
  let loop = null;  // {start, end, kind}
  let dragging = false;
  video.preservesPitch = true;
  const beats = data.counts.map((c) => c[0]);  // every count's time
  const ones = data.counts.filter((c) => c[1] === 1).map((c) => c[0]);
  const duration = () => (isFinite(video.duration) ? video.duration : data.duration);

  const clock = (t) => {
    const s = Math.max(0, Math.floor(t));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };
  const moveAt = (t) => {
    let i = 0;
    while (i + 1 < data.moves.length && data.moves[i + 1].start <= t + 0.001) i++;
    return i;
  };
  const lastAtOrBefore = (list, t) => {
    let lo = 0, hi = list.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] <= t + 0.01) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return best;
  };
  const countAt = (t) => {
    const i = lastAtOrBefore(beats, t);
    return i < 0 ? null : data.counts[i][1];
  };

  // --- loops -------------------------------------------------------------------
  const drawLoop = () => {
    const pressed = (id, on) => $(id).setAttribute("aria-pressed", String(on));
    pressed("loop-move", !!loop && loop.kind === "move");
    pressed("loop-eight", !!loop && loop.kind === "eight");
    $("loop-edit").hidden = !loop;
    band.hidden = !loop;
    box.dataset.loop = loop ? `${loop.start.toFixed(3)}-${loop.end.toFixed(3)}` : "";
    if (!loop) return;
    const d = duration();
    band.style.left = `${(100 * loop.start) / d}%`;
    band.style.width = `${(100 * (loop.end - loop.start)) / d}%`;
    $("loop-label").textContent = `Looping ${clock(loop.start)}-${clock(loop.end)}`;
  };
  const setLoop = (next) => {
    loop = next;
    box.dataset.loops = "0";
    drawLoop();
    if (loop && (video.currentTime < loop.start || video.currentTime >= loop.end)) {
      video.currentTime = loop.start;
    }
  };
  const moveLoop = (i) => ({start: data.moves[i].start, end: data.moves[i].end, kind: "move"});
  const loopMove = () => {  // loop the move playing, or stop looping it
    const next = moveLoop(moveAt(video.currentTime));
    setLoop(loop && loop.kind === "move" && loop.start === next.start ? null : next);
  };
  const loopEight = () => {
    const i = lastAtOrBefore(ones, video.currentTime);
    if (i < 0 && !ones.length) return;
    const start = ones[Math.max(0, i)];
    const end = i + 1 < ones.length ? ones[i + 1] : duration();
    setLoop(loop && loop.kind === "eight" && loop.start === start
      ? null : {start, end, kind: "eight"});
  };
  const nudge = (edge, counts) => {
    if (!loop) return;
    const i = lastAtOrBefore(beats, loop[edge] + 0.02);
    const j = Math.max(0, Math.min(beats.length - 1, i + counts));
    const t = edge === "end" && j === beats.length - 1 && counts > 0 ? duration() : beats[j];
    if (edge === "start" && t < loop.end - 0.2) loop.start = t;
    if (edge === "end" && t > loop.start + 0.2) loop.end = t;
    loop.kind = "custom";
    drawLoop();
  };

  // --- transport ---------------------------------------------------------------
  const toggle = () => (video.paused ? video.play() : video.pause());
  const jump = (step) => {
    const here = moveAt(video.currentTime);
    // "Previous" restarts the move playing unless it only just started.
    const back = step < 0 && video.currentTime - data.moves[here].start > 1.0 ? 0 : step;
    const i = Math.max(0, Math.min(data.moves.length - 1, here + back));
    if (loop && loop.kind === "move") setLoop(moveLoop(i));  // the loop follows
    video.currentTime = data.moves[i].start;
  };
  const setSpeed = (i) => {
    speedIndex = Math.max(0, Math.min(SPEEDS.length - 1, i));
    video.playbackRate = SPEEDS[speedIndex];
    $("speed").textContent = `${Math.round(SPEEDS[speedIndex] * 100)}%`;
  };
  const mirror = () => {
    const on = !box.classList.contains("mirrored");
    box.classList.toggle("mirrored", on);
    $("mirror").setAttribute("aria-pressed", String(on));
  };
  const fullscreen = () => {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (box.requestFullscreen) box.requestFullscreen().catch(() => {});
  };
  const help = () => {
    const panel = $("help");
    panel.hidden = !panel.hidden;
    $("help-toggle").setAttribute("aria-expanded", String(!panel.hidden));
  };

  $("play").addEventListener("click", toggle);
  video.addEventListener("click", toggle);
  $("prev").addEventListener("click", () => jump(-1));
  $("next").addEventListener("click", () => jump(1));
  $("loop-move").addEventListener("click", () => loopMove());
  $("loop-eight").addEventListener("click", loopEight);
  $("loop-off").addEventListener("click", () => setLoop(null));
  $("slower").addEventListener("click", () => setSpeed(speedIndex - 1));
  $("faster").addEventListener("click", () => setSpeed(speedIndex + 1));
  $("mirror").addEventListener("click", mirror);
  $("fullscreen").addEventListener("click", fullscreen);
  $("help-toggle").addEventListener("click", help);
  document.querySelectorAll("[data-nudge]").forEach((b) => b.addEventListener("click", () => {
    const [edge, n] = b.dataset.nudge.split(":");
    nudge(edge, +n);
  }));
  seek.addEventListener("input", () => { dragging = true; time.textContent = clock(+seek.value); });
  seek.addEventListener("change", () => { dragging = false; video.currentTime = +seek.value; });
  video.addEventListener("play", () => { $("play").textContent = "⏸"; $("play").setAttribute("aria-label", "Pause"); });
  video.addEventListener("pause", () => { $("play").textContent = "▶"; $("play").setAttribute("aria-label", "Play"); });
  video.addEventListener("loadedmetadata", () => { seek.max = String(duration()); drawLoop(); });

  // Shortcuts work wherever the focus is, except while typing in a text field.
  document.addEventListener("keydown", (e) => {
    const el = e.target;
    const typing = el.isContentEditable || el.tagName === "TEXTAREA" ||
      (el.tagName === "INPUT" && !["range", "checkbox", "button"].includes(el.type)) ||
      el.tagName === "SELECT";
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    const actions = {
      " ": toggle, k: toggle, K: toggle,
      ArrowLeft: () => jump(-1), ArrowRight: () => jump(1),
      l: () => loopMove(), L: () => loopMove(), e: loopEight, E: loopEight,
      "[": () => setSpeed(speedIndex - 1), "]": () => setSpeed(speedIndex + 1),
      m: mirror, M: mirror, f: fullscreen, F: fullscreen, "?": help,
    };
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();  // no page scroll, no second "click" on a focused button
    e.stopPropagation();
    action();
  }, true);

  const tick = () => {
    const t = video.currentTime;
    if (loop && (t >= loop.end - FRAME || t < loop.start - 0.25)) {
      video.currentTime = loop.start;
      box.dataset.loops = String(+box.dataset.loops + 1);
    }
    const c = countAt(t);
    overlay.textContent = c === null ? "" : String(c);
    const i = moveAt(t);
    const label = `${i + 1}. ${data.moves[i].name}`;
    if (moveName.textContent !== label) moveName.textContent = label;
    if (!dragging) {
      seek.value = String(t);
      time.textContent = `${clock(t)} / ${clock(duration())}`;
    }
    requestAnimationFrame(tick);
  };
  setSpeed(speedIndex);
  drawLoop();
  requestAnimationFrame(tick);

  // Coming from the stream watched while the video was made: go on from there.
  const resumeKey = "bachata-resume:" + location.pathname;
  const resume = parseFloat(sessionStorage.getItem(resumeKey));
  sessionStorage.removeItem(resumeKey);
  if (resume > 0) {
    const start = () => {
      video.currentTime = Math.min(resume, duration());
      video.play().catch(() => {});
    };
    if (video.readyState >= 1) start(); else video.addEventListener("loadedmetadata", start, {once: true});
  }
})();
