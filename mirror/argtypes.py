"""argparse `type=` functions for numbers, shared by every command.

Why: float() accepts "nan", "inf" and "1e308", which then loop forever or blow up deep inside
(int(inf), math.log(inf)). These check the value where it is parsed and raise UserError, which
cli.main prints as one line naming the option (exit 2), as for any other bad input; argparse's
own errors would print the usage block too.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from mirror.errors import UserError


def number(option: str, *, minimum: float | None = None, above: float | None = None,
           maximum: float | None = None, integer: bool = False) -> Callable[[str], float]:
    """A checker for `option`: a finite number (whole, if `integer`) with `minimum <= x`,
    `above < x` and `x <= maximum` as given."""
    kind = "a whole number" if integer else "a number"
    bounds = []
    if above is not None:
        bounds.append(f"greater than {above:g}")
    if minimum is not None:
        bounds.append(f"{minimum:g} or more")
    if maximum is not None:
        bounds.append(f"at most {maximum:g}")
    expected = f"expected {kind}" + (f" {' and '.join(bounds)}" if bounds else "")

    def check(text: str) -> float:
        try:
            value: float = int(text) if integer else float(text)
        except ValueError:
            raise UserError(f"{option} {text}: {expected}") from None
        ok = math.isfinite(value) and (minimum is None or value >= minimum) and \
            (above is None or value > above) and (maximum is None or value <= maximum)
        if not ok:
            raise UserError(f"{option} {text}: {expected}")
        return value

    check.__name__ = kind.replace(" ", "_")  # argparse names the type in some messages
    return check


def positive(option: str, maximum: float | None = None) -> Callable[[str], float]:
    """A finite number greater than 0 (seconds, rates, speeds)."""
    return number(option, above=0, maximum=maximum)


MAX_FPS = 1000  # more than any camera gives; larger rates overflow the frame slots
max_fps = positive("--max-fps", maximum=MAX_FPS)  # count, record and eval's --max-fps
