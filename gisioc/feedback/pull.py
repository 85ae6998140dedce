"""The feedback puller: the standard change feed of new reports; pulling the demo's source
(demo mode only) first moves the demo's reports on to now (`demo_live.lives_advance`), so a
demo left running keeps handling its reports as their planned steps come due."""

from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone

from gisioc.feedback.demo_live import lives_advance
from gisioc.ingest.pull.feed import ChangeFeedPuller, Page
from gisioc.ingest.pull.registry import register_puller


class FeedbackPuller(ChangeFeedPuller):
    """New reports from a sender's change feed; in demo mode, the demo's reports moved on."""

    def pages(self, *, url: str, cursor: str, timeout: float) -> Iterator[Page]:
        """The feed's pages, after the demo's reports have taken their steps due by now."""
        if settings.CONFIG.demo:
            lives_advance(now=timezone.now())
        yield from super().pages(url=url, cursor=cursor, timeout=timeout)


register_puller("feedback", FeedbackPuller())
