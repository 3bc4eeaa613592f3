"""Drawing primitives for a two-way mirror: fitted text, cached glyphs, and a record of what was
drawn (so tests can check that every pixel outside drawn elements stays black = transparent).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import pygame

BLACK = (0, 0, 0)
WHITE = (255, 255, 255)
GREEN = (90, 255, 130)
CYAN = (70, 220, 255)
AMBER = (255, 200, 40)
RED = (255, 90, 80)
GREY = (175, 175, 175)
DIM = (95, 95, 95)

Color = tuple[int, int, int]

_fonts: dict[int, pygame.font.Font] = {}
_glyphs: OrderedDict[tuple[str, int, Color, object], pygame.Surface] = OrderedDict()
_GLYPH_CACHE = 256
_GLYPH_CACHE_BYTES = 48 << 20  # a 20 %-of-screen count glyph is several MB on a 4K screen
_glyph_bytes = 0
_digit_ratio: float | None = None
_fits: dict[tuple[str, int, int, int], int] = {}
_wraps: dict[tuple[str, int, int, int], tuple[int, list[str]]] = {}


def _forget() -> None:
    """pygame.quit() frees every font: using a cached one afterwards would crash."""
    global _glyph_bytes
    _glyph_bytes = 0
    _fonts.clear()
    _glyphs.clear()
    _fits.clear()
    _wraps.clear()


def font(size: int) -> pygame.font.Font:
    size = max(6, int(size))
    if not pygame.font.get_init():
        _forget()
        pygame.font.init()
    f = _fonts.get(size)
    if f is None:
        if not _fonts:
            # pygame.quit() forgets its quit hooks once it has run them, so the hook is
            # registered again with the first font of each pygame session.
            pygame.register_quit(_forget)
        f = _fonts[size] = pygame.font.Font(None, size)
    return f


def rendered(text: str, size: int, color: Color, on: pygame.Surface | None = None
             ) -> pygame.Surface:
    """A cached text surface: big glyphs are costly to rasterise every frame at 60 fps.

    on: a surface the text lands on where it is black (nothing drawn under it yet). The glyphs
    are then rasterised onto black and converted to that surface's pixel format, so drawing
    them is a plain copy instead of a per-pixel alpha blend (2-3x faster for the big count,
    and pygame holds the GIL for the whole blit, which the model's thread waits on); the
    pixels are the same as blending onto black."""
    fmt = None if on is None else (on.get_bitsize(), on.get_masks())
    key = (text, int(size), tuple(color), fmt)
    f = font(size)
    global _glyph_bytes
    surf = _glyphs.get(key)
    if surf is None:
        if on is None:
            surf = f.render(text, True, color)
        else:
            shaded = f.render(text, True, color, BLACK)  # 8-bit: slow to blit; copy once
            surf = pygame.Surface(shaded.get_size(), 0, on)
            surf.blit(shaded, (0, 0))
        _glyphs[key] = surf
        _glyph_bytes += _bytes(surf)
        while len(_glyphs) > 1 and (len(_glyphs) > _GLYPH_CACHE
                                    or _glyph_bytes > _GLYPH_CACHE_BYTES):
            _glyph_bytes -= _bytes(_glyphs.popitem(last=False)[1])
    else:
        _glyphs.move_to_end(key)
    return surf


def _bytes(surface: pygame.Surface) -> int:
    return surface.get_width() * surface.get_height() * surface.get_bytesize()


def digit_ink_ratio() -> float:
    """Height of a digit's ink as a fraction of the font size (measured, not assumed)."""
    global _digit_ratio
    if _digit_ratio is None:
        surf = font(200).render("0123456789", True, WHITE)
        _digit_ratio = surf.get_bounding_rect().height / 200
    return _digit_ratio


@dataclass(frozen=True)
class Drawn:
    kind: str  # "text", "shape"
    rect: pygame.Rect
    text: str = ""
    size: int = 0


# More dirty rects than this: one full fill is cheaper than many small ones.
MAX_DIRTY = 96


class Canvas:
    """A surface plus layout units: u is 1% of the short side, so layouts scale to any screen."""

    def __init__(self, surface: pygame.Surface) -> None:
        self.surface = surface
        self.w, self.h = surface.get_size()
        self.u = min(self.w, self.h) / 100.0
        self.portrait = self.h > self.w
        self.drawn: list[Drawn] = []

    def clear(self, dirty: list[pygame.Rect] | None = None) -> None:
        """Black everywhere, or only over `dirty` (what the previous frame drew on this same
        surface: the rest is black already). A 1080x1920 fill is 8 MB of memory traffic per
        frame, the largest single cost of a frame that mostly shows the same few elements."""
        if dirty is None or len(dirty) > MAX_DIRTY:
            self.surface.fill(BLACK)
        else:
            for r in dirty:
                self.surface.fill(BLACK, r)
        self.drawn.clear()

    def R(self, x: float, y: float, w: float, h: float) -> pygame.Rect:  # noqa: N802
        """A rect in fractions of the screen width and height."""
        return pygame.Rect(round(x * self.w), round(y * self.h), round(w * self.w),
                           round(h * self.h))

    # ---- text -----------------------------------------------------------------------------

    def text(self, text: str, size: float, color: Color, *, center: tuple[float, float] | None
             = None, topleft: tuple[float, float] | None = None,
             midleft: tuple[float, float] | None = None,
             midright: tuple[float, float] | None = None) -> pygame.Rect:
        surf = rendered(text, int(size), color, self.surface)
        rect = surf.get_rect()
        if center is not None:
            rect.center = (round(center[0]), round(center[1]))
        elif midleft is not None:
            rect.midleft = (round(midleft[0]), round(midleft[1]))
        elif midright is not None:
            rect.midright = (round(midright[0]), round(midright[1]))
        elif topleft is not None:
            rect.topleft = (round(topleft[0]), round(topleft[1]))
        if rect.collidelist([d.rect for d in self.drawn]) >= 0:
            surf = rendered(text, int(size), color)  # over something drawn: blend
        self.surface.blit(surf, rect)
        self.drawn.append(Drawn("text", rect.copy(), text, int(size)))
        return rect

    def fit_size(self, text: str, box: pygame.Rect, max_size: float) -> int:
        """Largest font size <= max_size whose rendering of text fits inside box (cached: a
        search creates fonts, too slow to repeat every frame)."""
        key = (text, box.width, box.height, int(max_size))
        size = _fits.get(key)
        if size is None:
            lo, hi = 6, max(6, int(max_size))
            while lo < hi:  # binary search: a handful of fonts, not one per size step
                mid = (lo + hi + 1) // 2
                w, h = font(mid).size(text)
                if w <= box.width and h <= box.height:
                    lo = mid
                else:
                    hi = mid - 1
            size = _fits[key] = lo
            if len(_fits) > 4096:
                _fits.clear()
        return size

    def fit_text(self, text: str, box: pygame.Rect, color: Color, max_size: float,
                 align: str = "center") -> pygame.Rect:
        size = self.fit_size(text, box, max_size)
        if align == "left":
            return self.text(text, size, color, midleft=box.midleft)
        if align == "right":
            return self.text(text, size, color, midright=box.midright)
        return self.text(text, size, color, center=box.center)

    def wrap(self, text: str, size: int, width: int) -> list[str]:
        f = font(size)
        lines: list[str] = []
        for para in text.split("\n"):
            line = ""
            for word in para.split():
                trial = f"{line} {word}".strip()
                if f.size(trial)[0] <= width or not line:
                    line = trial
                else:
                    lines.append(line)
                    line = word
            lines.append(line)
        return lines

    def wrap_text(self, text: str, box: pygame.Rect, color: Color, max_size: float,
                  max_lines: int = 3) -> pygame.Rect:
        """Word-wrapped text centred in box, shrunk until it fits (no text leaves the box)."""
        key = ("\n" + text, box.width, box.height, int(max_size) * 100 + max_lines)
        cached = _wraps.get(key)
        if cached is None:
            size = int(max_size)
            while True:
                lines = self.wrap(text, size, box.width)
                line_h = font(size).get_linesize()
                fits = (len(lines) <= max_lines and line_h * len(lines) <= box.height
                        and all(font(size).size(ln)[0] <= box.width for ln in lines))
                if fits or size <= 8:
                    break
                size = int(size * 0.92)
            one = self.fit_size(text, box, max_size)
            if len(lines) > 1 and one >= 0.8 * size:  # one line unless much smaller
                size, lines = one, [text]
            cached = _wraps[key] = (size, lines)
            if len(_wraps) > 1024:
                _wraps.clear()
        size, lines = cached
        line_h = font(size).get_linesize()
        total = pygame.Rect(box.centerx, box.centery, 0, 0)
        y = box.centery - line_h * len(lines) / 2
        for ln in lines:
            r = self.text(ln, size, color, center=(box.centerx, y + line_h / 2))
            total.union_ip(r)
            y += line_h
        return total

    # ---- shapes ---------------------------------------------------------------------------

    def rect(self, rect: pygame.Rect, color: Color, width: int = 0, radius: int = -1) -> None:
        r = pygame.draw.rect(self.surface, color, rect, width, border_radius=radius)
        self.drawn.append(Drawn("shape", r))

    def line(self, a: tuple[float, float], b: tuple[float, float], color: Color,
             width: int = 1) -> None:
        r = pygame.draw.line(self.surface, color, a, b, max(1, int(width)))
        self.drawn.append(Drawn("shape", r.inflate(2, 2)))

    def circle(self, center: tuple[float, float], radius: float, color: Color,
               width: int = 0) -> None:
        r = pygame.draw.circle(self.surface, color, center, radius, width)
        self.drawn.append(Drawn("shape", r))

    def polygon(self, points: list[tuple[float, float]], color: Color) -> None:
        r = pygame.draw.polygon(self.surface, color, points)
        self.drawn.append(Drawn("shape", r))
