"""Which puller reads which system: the one its `pull` module registers, else the change feed."""

from gisioc.errors import NotFound
from gisioc.ingest.pull.feed import ChangeFeedPuller, Puller
from gisioc.ingest.systems import adapters
from gisioc.registries import Registry

pullers = Registry[Puller]("Puller")
CHANGE_FEED = ChangeFeedPuller()


def register_puller(system: str, puller: Puller) -> Puller:
    """Declare the puller of a system whose source offers no standard change feed (from the
    system's `pull` module); a second one for the system fails `manage.py check`."""
    return pullers.add(system, puller)


def puller_get(system: str) -> Puller:
    """The system's puller: its own, else the change feed for any ingest system; NotFound
    naming the systems there are otherwise."""
    puller = pullers.get(system)
    if puller is not None:
        return puller
    if system in adapters:
        return CHANGE_FEED
    known = ", ".join(sorted({*pullers.keys(), *adapters.keys()})) or "—"
    raise NotFound(
        f"Hệ thống {system} chưa có bộ kéo dữ liệu; có: {known}.",
        f"System {system} has no pull adapter; these do: {known}.",
    )
