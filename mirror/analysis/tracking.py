"""Which body is our person: passers-by, a second person, and the person's own place.

MoveNet reports one body per frame. When someone walks between the camera and the athlete it
reports the passer-by instead, and where the two overlap the hand-over can be smooth enough to
pass the body-jump test: the track then follows the passer-by away while the athlete, still on
the same spot, looks like a stranger. The athlete's feet do not leave their spot during a set,
so the tracker keeps that spot (home): a body that jumps from the track but stands on home is
our person coming back, and the frames since the track left home were someone else's.
"""

from __future__ import annotations

import enum
import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from mirror.analysis.filters import FEET_SEEN, body_jump, body_move, body_points, jump_limit

ADOPT_AFTER_S = 1.5  # a different body this long: it is our person now
STRANGER_TRACK_S = 0.3  # a body near where the stranger was this recently may be the stranger
# A track this young is not yet anyone's: a body that jumps from it is taken at once. The first
# frame is a whole-image pass, where MoveNet can report a phantom or the wrong one of two
# people; held as "our person", it made the real one a stranger for a second, and a second
# is a third of a short set's frames at the Pi's 10 fps.
YOUNG_TRACK_S = 0.3
HOME_STILL_S = 0.5  # feet held this long within HOME_NEAR: the person's place
HOME_NEAR = 0.15  # torso lengths: feet this close to where they were count as planted
HOME_MATCH_FEET = 0.3  # torso lengths: a body whose feet are this close to home stands on it
HOME_MATCH_HIPS = 1.0  # ... and whose hips are this close (they move back in a hinge)
HOME_SIZE = 0.3  # ... and whose size differs by at most this fraction (same distance away)
# Torso lengths: between two frames the hips (and feet) of a body that is bending moved at
# most this far, so its shoulders may be judged by the last frame's size (see _jumped).
BENDING_BASE_MOVE = 0.35


class Verdict(enum.Enum):
    SAME = "same"  # the body we follow
    STRANGER = "stranger"  # someone else: ignore this frame
    ADOPTED = "adopted"  # someone else stayed: follow them from now (recalibrate)
    RETURNED = "returned"  # our person, back on their spot: the frames since `left_t` were not


@dataclass
class Home:
    """Where the person stood with their feet planted."""

    points: np.ndarray  # shoulders, hips, feet (feet finite)
    size: float


class PersonTracker:
    def __init__(self, one_leg: bool = False) -> None:
        # A single-leg exercise: the free foot swings back and up faster than a person moves
        # (at 7.5-10 fps a torso length between two frames), so the feet's midpoint is left
        # out of the jump test; a body whose feet both moved that far (both seen, now and in
        # the last frame, and none near where one was) still jumped, as do its shoulders or
        # hips.
        self.one_leg = one_leg
        self.reset()

    def reset(self) -> None:
        self.center: np.ndarray | None = None
        self.last_seen_t: float | None = None
        self.first_seen_t: float | None = None  # when this track began
        self.home: Home | None = None
        self.left_t: float | None = None  # first accepted frame whose feet were off home
        self.forget_from: float | None = None  # RETURNED: the frames since then were not ours
        self._stranger_since: float | None = None
        self._stranger: tuple[float, np.ndarray] | None = None  # last seen: when, where
        self._recent: deque[tuple[float, float, float]] = deque()  # (t, feet x, feet y)
        self._ankles = np.empty((0, 2))  # one leg: the seen ankles of the last accepted body
        self._size = 0.0  # body_points' size of the last accepted body

    def check(self, t: float, kps: np.ndarray, torso: float, lost_after_s: float) -> Verdict:
        """Judge one body. `torso`: its torso length in px; `lost_after_s`: unseen this long,
        any body is taken as our person (they left and came back)."""
        center, size = body_points(kps, torso)
        last = self.last_seen_t
        dt = (t - last) if last is not None else 0.0
        recent = self.center is not None and last is not None and dt < lost_after_s
        verdict = Verdict.SAME
        ankles = kps[15:17, :2][kps[15:17, 2] >= FEET_SEEN] if self.one_leg else self._ankles
        if recent and (
            self._jumped(center, ankles, size, dt) or self._still_stranger(t, center, size)
        ):
            if self.first_seen_t is not None and t - self.first_seen_t < YOUNG_TRACK_S:
                verdict = Verdict.ADOPTED
            elif self._on_home(center, size):
                verdict = Verdict.RETURNED
            else:
                if self._stranger_since is None:
                    self._stranger_since = t
                self._stranger = (t, center)
                if t - self._stranger_since < ADOPT_AFTER_S:
                    return Verdict.STRANGER
                verdict = Verdict.ADOPTED
        self._stranger_since, self._stranger = None, None
        if verdict is Verdict.ADOPTED:
            self.reset()
        elif verdict is Verdict.RETURNED:
            self.forget_from = self.left_t
            self._recent.clear()
        self.center, self._ankles, self._size = center, ankles, size
        self.last_seen_t = t
        if self.first_seen_t is None:
            self.first_seen_t = t
        self._track_home(t, center, size)
        return verdict

    def _jumped(self, center: np.ndarray, ankles: np.ndarray, size: float, dt: float) -> bool:
        """body_jump from the last accepted body, the shoulders against the larger of the two
        frames' sizes when the hips (and feet) stayed; for one leg, the feet by the foot that
        moved least (the standing one), judged only with both feet seen in both frames.

        Why the shoulders so: a bending torso shortens in the picture within a frame (turned
        or facing the camera; a single-leg RDL's free foot also draws the feet's midpoint to
        the hips) while the shoulders travel most. Against the shortened size their travel in
        a quick hinge at 10 fps looked like a jump, and a fast single-leg RDL at 45 deg was
        "someone else" for a second. The hips and feet barely move in a hinge and keep the
        frame's own size: a passer-by taking the athlete's place moves them too.
        """
        assert self.center is not None
        prev = self.center
        base = slice(1, 2) if self.one_leg else slice(1, 3)  # hips (and feet): the hinge's pivot
        base_move = body_move(prev[base], center[base])
        if size > 0 and base_move > jump_limit(size, dt):  # (as body_jump, the move read once)
            return True
        # Only a body that kept its hips (and feet) where they were may be bending; a smaller
        # passer-by taking the place moves those too (side-on, feet 0.7 torso lengths).
        scale = max(size, self._size) if base_move <= BENDING_BASE_MOVE * size else size
        if body_jump(prev[:1], center[:1], scale, dt):
            return True
        if not self.one_leg:
            return False
        if not (len(ankles) == 2 and len(self._ankles) == 2):
            return False  # a hidden foot may be the standing one
        least = min(float(np.hypot(*(a - b))) for a in ankles for b in self._ankles)
        return least > jump_limit(size, dt)

    @property
    def at_home(self) -> bool:
        """The last body we followed stood on the person's spot (feet planted there)."""
        return self.home is not None and self.left_t is None

    def finds_home(self, kps: np.ndarray, torso: float) -> bool:
        """This body's feet are on the person's spot. Feet only: the torso's size and the
        hips change with the hinge (facing the camera a bent torso reads half its height),
        and home was last updated wherever in the rep the feet were planted."""
        center, size = body_points(kps, torso)
        feet = self._feet_from_home(center)
        return self.home is not None and feet <= HOME_MATCH_FEET * max(size, self.home.size)

    def _on_home(self, center: np.ndarray, size: float) -> bool:
        home, feet = self.home, self._feet_from_home(center)
        if home is None or feet == math.inf or abs(size - home.size) > HOME_SIZE * home.size:
            return False
        hips = float(np.hypot(*(center[1] - home.points[1])))
        return feet <= HOME_MATCH_FEET * home.size and hips <= HOME_MATCH_HIPS * home.size

    def _feet_from_home(self, center: np.ndarray) -> float:
        """The feet's distance from home (px); inf with no home or the feet unseen."""
        if self.home is None or not np.isfinite(center[2]).all():
            return math.inf
        return float(np.hypot(*(center[2] - self.home.points[2])))

    def _track_home(self, t: float, center: np.ndarray, size: float) -> None:
        """Home: the feet held still for HOME_STILL_S. left_t: when the track's feet left it."""
        fx, fy = center[2].tolist()  # plain floats: this runs on every frame
        if not math.isfinite(fx + fy):
            return
        self._recent.append((t, fx, fy))
        while t - self._recent[0][0] > HOME_STILL_S:
            self._recent.popleft()
        near = HOME_NEAR * size
        planted = t - self._recent[0][0] >= HOME_STILL_S * 0.8 and all(
            math.hypot(x - fx, y - fy) <= near for _t, x, y in self._recent
        )
        if planted:
            self.home, self.left_t = Home(center, size), None  # body_points made it: ours
            return
        home = self.home
        off = (
            home is not None
            and math.hypot(fx - home.points[2][0], fy - home.points[2][1]) > HOME_MATCH_FEET * size
        )
        if off and self.left_t is None:
            self.left_t = t
        elif not off:
            self.left_t = None

    def _still_stranger(self, t: float, center: np.ndarray, size: float) -> bool:
        """The body goes on from the stranger of the last frames, not from our person: a
        passer-by walking towards where the athlete stands drifts back inside the jump limit
        from the athlete's last position, which grows with the time since it was seen."""
        if self._stranger is None or self.center is None:
            return False
        st, sc = self._stranger
        if t - st > STRANGER_TRACK_S or body_jump(sc, center, size, t - st):
            return False
        # Only the parts this body shows tell the two apart: a stranger that stood where our
        # person was in those parts (it had jumped in the feet, now unseen: a misread ankle)
        # is no one else, and going on from it would ignore our person for a second.
        seen = np.isfinite(center).all(axis=1)
        if not seen.all() and not body_jump(self.center[seen], sc[seen], size, 0.0):
            return False  # (all parts seen: a passer-by crossing our person's spot stays one)
        return body_move(sc, center) < body_move(self.center, center)
