"""One function per screen. Layout is in fractions of the screen (portrait and landscape), so any
resolution works; everything is bright on black because black is what the glass lets through.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from mirror.analysis.events import Phase, View
from mirror.config import display_name
from mirror.session.state import DARK_HINT, DARK_TEXT, AppState, Screen
from mirror.ui.draw import AMBER, BLACK, CYAN, DIM, GREEN, GREY, RED, WHITE, Canvas, digit_ink_ratio

COUNT_GLYPH = {True: 0.27, False: 0.31}  # digit ink height / screen height (portrait, landscape)
GAUGE_MAX = 1.25  # the gauge shows depth 0..1.25 of the exercise's target
PHASES = (("DOWN", (Phase.DESCENDING,)), ("BOTTOM", (Phase.BOTTOM,)), ("UP", (Phase.ASCENDING,)),
          ("TOP", (Phase.LOCKOUT, Phase.STANDING)))


@dataclass
class Anim:
    """Display-side values that ease toward the state (smooth count and gauge)."""

    now: float = 0.0
    depth: float = 0.0  # shown gauge depth
    pop: float = 0.0  # 1 right after a rep, easing to 0


def count_size(c: Canvas, box: pygame.Rect, text: str) -> int:
    """Font size giving the count its target glyph height, capped so it fits the box."""
    target = COUNT_GLYPH[c.portrait] * c.h / digit_ink_ratio()
    sample = text if len(text) > 2 else "88"
    return c.fit_size(sample, box, target)


def header(c: Canvas, st: AppState, right: str = "") -> None:
    box = c.R(0.04, 0.015, 0.92, 0.06) if c.portrait else c.R(0.03, 0.02, 0.94, 0.08)
    left = pygame.Rect(box.x, box.y, int(box.w * 0.66), box.h)
    c.fit_text(display_name(st.exercise), left, WHITE, 6 * c.u, align="left")
    if right:
        rbox = pygame.Rect(box.x + int(box.w * 0.68), box.y, int(box.w * 0.32), box.h)
        c.fit_text(right, rbox, GREY, 5 * c.u, align="right")


def big_count(c: Canvas, box: pygame.Rect, n: int, pop: float, dim: bool = False) -> None:
    text = str(n)
    base = count_size(c, box, text)
    step = round(pop * 4) / 4  # a few cached sizes and colours, not a new glyph every frame
    size = c.fit_size(text, box, base * (1 + 0.08 * step))
    color = DIM if dim else _mix(WHITE, GREEN, min(1.0, step * 1.5))
    c.text(text, size, color, center=box.center)


def _mix(a, b, k: float):
    return tuple(round(x + (y - x) * k) for x, y in zip(a, b, strict=True))


def phase_row(c: Canvas, box: pygame.Rect, phase: Phase) -> None:
    gap = int(c.u * 1.2)
    n = len(PHASES)
    w = (box.w - gap * (n - 1)) // n
    for i, (label, phases) in enumerate(PHASES):
        r = pygame.Rect(box.x + i * (w + gap), box.y, w, box.h)
        on = phase in phases
        c.rect(r, CYAN if on else DIM, 0 if on else max(2, int(c.u * 0.3)), int(box.h * 0.3))
        inner = r.inflate(-int(box.h * 0.4), -int(box.h * 0.3))
        c.fit_text(label, inner, BLACK if on else GREY, box.h * 0.7)


def depth_gauge(c: Canvas, box: pygame.Rect, depth: float, last: float | None) -> None:
    label = pygame.Rect(box.x - box.w, box.y - int(4.5 * c.u), box.w * 3, int(3.5 * c.u))
    c.fit_text("DEPTH", label, GREY, 4 * c.u)
    border = max(2, int(c.u * 0.4))
    c.rect(box, WHITE, border, int(box.w * 0.25))
    inner = box.inflate(-3 * border, -3 * border)
    frac = max(0.0, min(depth, GAUGE_MAX)) / GAUGE_MAX
    if frac > 0.005:
        fill = pygame.Rect(inner.x, inner.y, inner.w, max(1, round(inner.h * frac)))
        c.rect(fill, GREEN if depth >= 1.0 else CYAN, 0, int(inner.w * 0.2))
    ty = inner.y + inner.h / GAUGE_MAX
    c.rect(pygame.Rect(box.x - int(box.w * 0.35), round(ty - c.u * 0.5), int(box.w * 1.7),
                       max(3, int(c.u))), AMBER)
    if last is not None:
        ly = inner.y + inner.h * max(0.0, min(last, GAUGE_MAX)) / GAUGE_MAX
        s = box.w * 0.35
        x0 = box.x - int(box.w * 0.45)
        c.polygon([(x0, ly - s), (x0 + s, ly), (x0, ly + s)], WHITE)


def cue_banner(c: Canvas, box: pygame.Rect, text: str, color=AMBER) -> None:
    c.rect(box, color, max(3, int(c.u * 0.6)), int(box.h * 0.25))
    c.wrap_text(text, box.inflate(-int(4 * c.u), -int(2 * c.u)), color, 10 * c.u, max_lines=2)


def fmt_tempo(down: float, pause: float, up: float) -> str:
    return f"{down:.1f}s down  {pause:.1f}s hold  {up:.1f}s up"


# ---- screens -------------------------------------------------------------------------------


def draw_idle(c: Canvas, st: AppState, a: Anim, order: tuple[str, ...]) -> None:
    P = c.portrait  # noqa: N806
    c.fit_text("HINGE MIRROR", c.R(0.1, 0.03, 0.8, 0.05), GREY, 5.5 * c.u)
    c.fit_text(display_name(st.exercise), c.R(0.05, 0.25 if P else 0.22, 0.9, 0.12), WHITE,
               14 * c.u)
    n = len(order)
    r = c.u * 1.8
    y = c.h * (0.4 if P else 0.42)
    for i, ex in enumerate(order):
        x = c.w / 2 + (i - (n - 1) / 2) * r * 3.5
        on = ex == st.exercise
        c.circle((x, y), r, WHITE if on else GREY, 0 if on else max(2, int(c.u * 0.3)))
    if st.dark:  # nobody found, and the picture is too dark to find anyone in
        c.fit_text(DARK_TEXT, c.R(0.05, 0.5 if P else 0.55, 0.9, 0.09), AMBER, 11 * c.u)
        c.fit_text(DARK_HINT, c.R(0.04, 0.9, 0.92, 0.06), AMBER, 5.5 * c.u)
        return
    c.fit_text("Step into view", c.R(0.05, 0.5 if P else 0.55, 0.9, 0.09), GREEN, 11 * c.u)
    hint = "PREV / NEXT  change exercise      START  begin"
    c.fit_text(hint, c.R(0.04, 0.9, 0.92, 0.06), GREY, 5.5 * c.u)


def draw_get_ready(c: Canvas, st: AppState, a: Anim) -> None:
    P = c.portrait  # noqa: N806
    header(c, st, f"SET {st.set_number + 1}")
    c.fit_text("GET READY", c.R(0.05, 0.12 if P else 0.13, 0.9, 0.1), WHITE, 16 * c.u)
    cx, cy = c.w / 2, c.h * (0.38 if P else 0.5)
    base = c.u * 13
    for k in range(3):
        phase = (a.now * 0.8 + k / 3) % 1.0
        rad = base * (0.4 + phase)
        c.circle((cx, cy), rad, _mix(CYAN, BLACK, phase), max(2, int(c.u * 0.5)))
    msg = st.analysis.message or "Stand tall and still"
    c.wrap_text(msg, c.R(0.05, 0.55 if P else 0.7, 0.9, 0.12), GREEN, 8 * c.u, max_lines=2)
    view = {View.SIDE: "Side view", View.OBLIQUE: "45 degree view",
            View.FRONT: "Front view: turn sideways for full coaching"}.get(st.analysis.view, "")
    if view:
        c.fit_text(view, c.R(0.04, 0.9, 0.92, 0.06), GREY, 6 * c.u)


def active_layout(c: Canvas) -> tuple[pygame.Rect, ...]:
    """count, phase row, tempo line, depth gauge, cue banner."""
    if c.portrait:
        return (c.R(0.04, 0.08, 0.78, 0.38), c.R(0.05, 0.475, 0.76, 0.045),
                c.R(0.04, 0.535, 0.78, 0.05), c.R(0.875, 0.14, 0.07, 0.42),
                c.R(0.04, 0.83, 0.92, 0.14))
    return (c.R(0.03, 0.1, 0.38, 0.52), c.R(0.04, 0.64, 0.36, 0.065),
            c.R(0.03, 0.72, 0.38, 0.07), c.R(0.925, 0.18, 0.035, 0.56),
            c.R(0.03, 0.81, 0.86, 0.16))


def draw_active(c: Canvas, st: AppState, a: Anim) -> None:
    right = f"SET {st.set_number}"
    if st.partials:
        right += f"  +{st.partials} partial"
    header(c, st, right)
    count_box, phase_box, tempo_box, gauge, banner = active_layout(c)
    big_count(c, count_box, st.reps, a.pop, dim=st.paused)
    if st.paused:
        c.fit_text("PAUSED", count_box.inflate(0, -int(count_box.h * 0.8)), AMBER, 9 * c.u)
    phase_row(c, phase_box, st.analysis.phase)
    last = st.last_rep
    if last is not None:
        c.fit_text(fmt_tempo(last.down_s, last.pause_s, last.up_s), tempo_box, WHITE, 7 * c.u)
    depth_gauge(c, gauge, a.depth, last.depth if last else None)
    text = st.cue_text or st.analysis.message
    if st.dark and not st.analysis.person_visible:
        text = f"{DARK_TEXT}: {DARK_HINT.lower()}"
    if text:
        cue_banner(c, banner, text)


def draw_rest(c: Canvas, st: AppState, a: Anim) -> None:
    P = c.portrait  # noqa: N806
    header(c, st, f"SET {st.set_number} DONE")
    left = st.rest_target_s - st.rest_s
    if left >= 0:
        secs = int(left + 0.999)
        timer, color, title = f"{secs // 60}:{secs % 60:02d}", WHITE, "REST"
    else:
        secs = int(-left)
        timer, color, title = f"+{secs // 60}:{secs % 60:02d}", GREEN, "READY WHEN YOU ARE"
    c.fit_text(title, c.R(0.05, 0.1 if P else 0.12, 0.9, 0.07), GREY, 9 * c.u)
    box = c.R(0.05, 0.18, 0.9, 0.25) if P else c.R(0.1, 0.2, 0.8, 0.4)
    c.fit_text(timer, box, color, box.h * 1.2)
    bar = c.R(0.15, 0.46 if P else 0.63, 0.7, 0.015)
    c.rect(bar, DIM, 2, bar.h // 2)
    frac = max(0.0, min(1.0, st.rest_s / max(st.rest_target_s, 1e-6)))
    if frac > 0.01:
        c.rect(pygame.Rect(bar.x, bar.y, max(2, round(bar.w * frac)), bar.h), color, 0,
               bar.h // 2)
    reps = st.last_set_reps
    c.fit_text(f"Last set: {reps} rep{'s' if reps != 1 else ''}",
               c.R(0.05, 0.52 if P else 0.69, 0.9, 0.07), WHITE, 9 * c.u)
    c.wrap_text(f"Stand still in view to start set {st.set_number + 1}",
                c.R(0.05, 0.86 if P else 0.83, 0.9, 0.1), GREEN, 6.5 * c.u, max_lines=2)


def draw_summary(c: Canvas, st: AppState, a: Anim) -> None:
    P = c.portrait  # noqa: N806
    header(c, st, f"SET {st.set_number} DONE")
    if P:
        count_box, label_box = c.R(0.05, 0.08, 0.9, 0.34), c.R(0.05, 0.41, 0.9, 0.05)
        chart, cue_box = c.R(0.1, 0.5, 0.84, 0.27), c.R(0.04, 0.83, 0.92, 0.14)
    else:
        count_box, label_box = c.R(0.03, 0.12, 0.32, 0.5), c.R(0.03, 0.62, 0.32, 0.07)
        chart, cue_box = c.R(0.42, 0.16, 0.54, 0.52), c.R(0.03, 0.81, 0.94, 0.16)
    big_count(c, count_box, st.reps, 0.0)
    label = "reps" if st.reps != 1 else "rep"
    if st.partials:
        label += f"  +{st.partials} partial"
    c.fit_text(label, label_box, GREY, 6 * c.u)
    rep_chart(c, chart, st)
    if st.top_cue:
        praise = st.top_cue.lower().startswith("clean")
        text = st.top_cue if praise else f"Next set: {st.top_cue}"
        cue_banner(c, cue_box, text, GREEN if praise else AMBER)


def rep_chart(c: Canvas, box: pygame.Rect, st: AppState) -> None:
    """Per-rep depth bars against the target line, each rep's tempo (seconds) under its bar."""
    reps = st.set_reps[-20:]
    if not reps:
        return
    cap = pygame.Rect(box.x, box.y, box.w, int(box.h * 0.12))
    c.fit_text("depth per rep  /  seconds per rep", cap, GREY, cap.h)
    plot = pygame.Rect(box.x, box.y + int(box.h * 0.16), box.w, int(box.h * 0.64))
    nums = pygame.Rect(box.x, plot.bottom + int(box.h * 0.04), box.w, int(box.h * 0.14))
    n = len(reps)
    slot = plot.w / n
    bw = max(2, int(slot * 0.6))
    c.line((plot.x, plot.bottom), (plot.right, plot.bottom), GREY, max(2, int(c.u * 0.3)))
    for i, r in enumerate(reps):
        h = plot.h * max(0.02, min(r.depth, GAUGE_MAX)) / GAUGE_MAX
        x = round(plot.x + slot * i + (slot - bw) / 2)
        bar = pygame.Rect(x, round(plot.bottom - h), bw, round(h))
        c.rect(bar, (GREEN if r.depth >= 1.0 else CYAN) if r.counted else DIM, 0,
               max(1, bw // 5))
        cell = pygame.Rect(round(plot.x + slot * i), nums.y, max(1, int(slot)), nums.h)
        if cell.w > 2.5 * c.u:
            c.fit_text(f"{r.tempo_s:.1f}", cell.inflate(-max(2, int(slot * 0.08)), 0),
                       WHITE if r.counted else GREY, nums.h)
    ty = plot.bottom - plot.h / GAUGE_MAX
    c.line((plot.x, ty), (plot.right, ty), AMBER, max(2, int(c.u * 0.4)))


def draw_error(c: Canvas, st: AppState, a: Anim) -> None:
    P = c.portrait  # noqa: N806
    cx, cy = c.w / 2, c.h * (0.22 if P else 0.24)
    rad = c.u * (11 if P else 10)
    c.circle((cx, cy), rad, RED, max(4, int(c.u)))
    c.text("!", int(rad * 1.6), RED, center=(cx, cy + rad * 0.05))
    c.wrap_text(st.error or "Something went wrong", c.R(0.05, 0.4 if P else 0.42, 0.9, 0.14),
                WHITE, 11 * c.u, max_lines=2)
    if st.error_detail:
        c.wrap_text(st.error_detail, c.R(0.05, 0.57 if P else 0.6, 0.9, 0.2), WHITE,
                    7.5 * c.u, max_lines=3)
    c.wrap_text("The mirror keeps checking and carries on by itself",
                c.R(0.05, 0.88, 0.9, 0.09), GREY, 5 * c.u, max_lines=2)


SCREENS = {
    Screen.GET_READY: draw_get_ready,
    Screen.ACTIVE: draw_active,
    Screen.REST: draw_rest,
    Screen.SUMMARY: draw_summary,
    Screen.ERROR: draw_error,
}
