"""The six exercises as data: depth, knee-bend range, tempo and which faults apply.

Angles are degrees of torso lean beyond the person's own calibrated standing posture (so a
slight forward stance does not count as depth). Sources: DESIGN.md's literature anchors
(good morning ~5 deg knee flexion; RDL knees roughly constant; floor deadlift ~100 deg knee
flexion at the bottom; swings fast with a hip snap).
"""

from __future__ import annotations

from dataclasses import dataclass

from mirror.errors import UserError


@dataclass(frozen=True)
class ExerciseProfile:
    id: str
    name: str
    count_lean: float  # lean needed at the bottom for a rep to count
    target_lean: float  # below this a counted rep is "shallow"
    partial_lean: float  # a dip past this that does not reach count_lean is a partial rep
    knee_max: float  # knee flexion at the bottom above this: knees doing the work
    min_hinge_ratio: float  # hip / knee flexion change below this: squatting
    max_hip_drop: float  # hip height lost (fraction of standing leg) above this: squatting
    min_down_s: float  # lowering faster than this is "too_fast" (0: tempo free)
    min_pause_s: float  # time near the bottom wanted, the turn included (0: no pause wanted)
    min_rep_s: float  # a full rep faster than this is noise
    needs_arm_swing: bool = False  # the swing: a rep needs the bell to rise as the hips snap
    single_leg: bool = False
    floor_start: bool = False  # reps may start at the bottom (bar on the floor)
    min_top_s: float = 0.2  # a dip after less standing than this is a wobble unless deep
    # One leg: the free hip lifted at the bottom beyond this (torso fractions across the trunk)
    # is "hips_not_level"; (side-on, other views). Side-on the far hip is half hidden and
    # only the hips count; turned, both hips and both shoulders are seen. 0: not judged.
    hip_open_max: tuple[float, float] = (0.0, 0.0)
    # ... and off side-on, the shoulders' lift counts with this weight beside the hips': they
    # roll with the pelvis (about 0.6 of it) but perspective shifts them too at the bottom.
    hip_open_shoulders: float = 1.0
    # Facing the camera the hips' drop is all that tells a squat (no knee or hip angle reads
    # true there), and it reads smaller than side-on: a squatting rep's drop beyond this (leg
    # fractions) is "squatting" there (0: max_hip_drop). Simulated front reps, seeds 0-5:
    # clean ones' 95th percentile against squatting ones' 25th, halfway (swing .10/.12,
    # one-leg RDL .06/.10, hip hinge .08/.22, deadlift .44/.54).
    front_hip_drop: float = 0.0
    # At 45 deg the hip angle reads distorted, but a lift with a big knee bend still shows a
    # squat as the hips bending no more than the knees: hip / knee flexion change below this
    # (with the knees past 60 % of knee_max) is "squatting". 0: not judged at 45 deg.
    turned_hinge_ratio: float = 0.0
    # One leg: the hips sank this much (fraction of the standing hip height) while the torso
    # stayed short of target_lean: sitting down on the stance leg, not hinging. 0: not judged.
    sink_drop: float = 0.0
    # The hands rest high through the set (a bar across the upper back): standing with raised
    # hands is the posture to calibrate from, not a wave or a bell held up.
    hands_high: bool = False


# Counting depths sit under the shallowest rep a coach would still count as one (a hinge to
# about 22 deg of true torso lean): the shoulder and hip keypoints read a torso's lean about 15 %
# short side-on (where they sit on the body), so such a rep measures 18-19 deg. At 20 deg the
# simulated suite's shallowest hinges (0.4 of the exercise's depth) were left as partials.
PROFILES: dict[str, ExerciseProfile] = {
    p.id: p
    for p in (
        ExerciseProfile(
            "hip-hinge", "Hip hinge", 17, 50, 12, 45, 1.8, 0.22, 0.6, 0.0, 0.6,
            front_hip_drop=0.15,
        ),
        ExerciseProfile(
            "rdl", "Romanian deadlift", 17, 55, 12, 40, 2.0, 0.16, 0.7, 0.65, 0.8,
            front_hip_drop=0.15,
        ),
        ExerciseProfile(
            "deadlift", "Deadlift", 16, 40, 12, 125, 1.15, 0.55, 0.0, 0.0, 0.6, floor_start=True,
            min_top_s=0.3, turned_hinge_ratio=0.95, front_hip_drop=0.49,
        ),
        ExerciseProfile(
            "kettlebell-swing", "Kettlebell swing", 15, 45, 10, 38, 2.0, 0.2, 0.0, 0.0, 0.45,
            needs_arm_swing=True, min_top_s=0.0, front_hip_drop=0.11,
        ),
        ExerciseProfile(
            "good-morning", "Good morning", 17, 55, 12, 30, 2.0, 0.15, 0.7, 0.65, 0.8,
            hands_high=True,
        ),
        ExerciseProfile(
            "single-leg-rdl", "Single-leg RDL", 17, 55, 12, 35, 0.0, 0.45, 0.7, 0.0, 0.8,
            single_leg=True, hip_open_max=(0.11, 0.16), hip_open_shoulders=0.5, sink_drop=0.2,
            front_hip_drop=0.08,
        ),
    )
}

EXERCISE_IDS: tuple[str, ...] = tuple(PROFILES)


def get_profile(exercise: str) -> ExerciseProfile:
    try:
        return PROFILES[exercise]
    except KeyError:
        raise UserError(
            f"unknown exercise {exercise!r}; expected one of: {', '.join(EXERCISE_IDS)}"
        ) from None
