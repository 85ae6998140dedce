"""The live server's periodic job: evaluate the alert rules every 15 seconds."""

from gisioc.alerts.evaluate import alerts_evaluate
from gisioc.live.jobs import job_register


def _evaluate() -> None:
    alerts_evaluate()


job_register("alerts.evaluate", 15, _evaluate)
