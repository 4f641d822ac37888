"""The Desk's copy-desk tools: checks, house rules, spelling and desk figures."""

from __future__ import annotations

from datetime import datetime

from newsdesk import spelling
from newsdesk.checks import Finding, run_checks
from newsdesk.model import Story
from newsdesk.rules import Rules, load_rules
from newsdesk.stats import Stats
from newsdesk.stats import compute as compute_stats
from newsdesk.stats import data_version as stats_version
from newsdesk.stats import editors as stats_editors
from newsdesk.store import Store


class ToolsMixin:
    store: Store

    def rules(self) -> Rules:
        """The house rules, read once; again after reload_rules() or add_word()."""
        if getattr(self, "_rules", None) is None:
            self._rules = load_rules()
        return self._rules

    def reload_rules(self) -> Rules:
        self._rules = None
        return self.rules()

    def check(self, ref: str) -> list[Finding]:
        """Copy-desk findings for a stored story (id, id prefix or slug)."""
        return self.check_story(self.find(ref))

    def check_story(self, story: Story) -> list[Finding]:
        """Copy-desk findings for a story as it stands, saved or not (the editor's copy)."""
        return run_checks(story, self.rules())

    def misspelled(self, text: str, story: Story | None = None) -> list[tuple[int, int, str]]:
        """(start, length, word) of each word the dictionary and the word list do not know."""
        return spelling.misspelled(text, story, self.rules())

    def spelling_suggestions(self, word: str) -> list[str]:
        return spelling.suggestions(word)

    def add_word(self, word: str) -> None:
        """Put a word on the newsroom word list (RulesError if it is not one word)."""
        spelling.add_word(word)
        self.reload_rules()

    def stats(
        self, *, section: str | None = None, editor: str | None = None, days: int = 30
    ) -> Stats:
        """Desk figures over the last `days` days (ValueError outside 1..3660 days).

        Reused while no story changed: the dashboard asks again on every list refresh."""
        key = (section, editor, days, datetime.now().date(), stats_version(self.store.db))
        memo = getattr(self, "_stats_memo", None)
        if memo is None or memo[0] != key:
            memo = (key, compute_stats(self.store.db, section=section, editor=editor, days=days))
            self._stats_memo = memo
        return memo[1]

    def editors(self) -> list[str]:
        """Editors named on live stories (the dashboard's filter)."""
        return stats_editors(self.store.db)
