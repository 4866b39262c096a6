"""A finding's one-step fix, offered where the finding is listed.

Some findings say not only what is wrong but what the fix most likely is
(:attr:`curator.checks.Finding.remedy`): an ``md-precision`` finding whose
SDs look like standard errors offers to move each arm's SD to its SE field.
The row form's findings and the list of every open finding (F8) show a
button for it beside Accept finding…; it runs one use case of the review's
service as one undoable step (:class:`~curator.gui.commands.MoveSdToSeCommand`,
pushed by :meth:`~curator.gui.edit_actions.EditActions.apply_remedy`).
"""

from __future__ import annotations

from typing import Final

from curator.checks import Finding

__all__ = ["REMEDIES", "remedy_words"]

#: remedy -> (the button's words, its tooltip)
REMEDIES: Final[dict[str, tuple[str, str]]] = {
    "sd-as-se": (
        "Move SDs to SE",
        "The arms' SDs look like standard errors: move each arm's SD to its SE field and clear the SD, "
        "in one step (Ctrl+Z puts them back)",
    ),
}


def remedy_words(finding: object) -> tuple[str, str] | None:
    """The button's words and tooltip for a finding's one-step fix; None when it offers none."""
    if not isinstance(finding, Finding) or finding.remedy is None:
        return None
    return REMEDIES.get(finding.remedy)
