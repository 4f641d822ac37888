"""The story's type in the window: the Type combo of the metadata panel.

The house rules list the types (rules.yaml `types:`); a story of a type the rules do not
know (from another desk) keeps it, shown as it is, so opening a story never changes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from newsdesk.copydesk.rules import Rules
from newsdesk.copydesk.type_rules import TypeRule
from newsdesk.domain.model import DEFAULT_TYPE


class TypeCombo(QComboBox):
    """Picks one of the house's story types; `current_type()` is the type's name."""

    def __init__(self, rules: Rules, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("storyType")
        self.setToolTip("The story's type: what it must have to be submitted and approved")
        for rule in rules.types:
            self.addItem(rule.label, rule.name)
            self.setItemData(self.count() - 1, describe(rule), Qt.ItemDataRole.ToolTipRole)

    def set_type(self, name: str) -> None:
        index = self.findData(name)
        if index < 0:  # a type from another desk's rules: kept, not replaced
            self.addItem(name, name)
            index = self.count() - 1
        self.setCurrentIndex(index)

    def current_type(self) -> str:
        return str(self.currentData() or DEFAULT_TYPE)


def describe(rule: TypeRule) -> str:
    """'Needs headline, body; 20–250 words': a type's rules in a line, for its tooltip."""
    required = ", ".join(rule.required)
    low, high = rule.min_words, rule.max_words
    words = f"{low}–{high} words" if high else f"at least {low} words" if low else "any length"
    return f"Needs {required}; {words}"
