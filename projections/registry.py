"""The read models of a log. Each has its own position, so a new version of one is rebuilt alone."""

from __future__ import annotations

from projections.cycles import CyclesPart
from projections.facts import CycleFactsModel
from projections.followup import FollowUpPart
from projections.ideas import IdeasPart
from projections.model import ReadModel
from projections.participation import ParticipationModel
from projections.projects import ProjectsPart


class CyclesModel(ReadModel):
    """Cycles, ideas and decisions, projects and results, follow-up and evaluation records: everything but the
    live participation counts."""

    name = "cycles"
    version = 5  # 4 was the read model before positions moved to the tracking table

    def __init__(self) -> None:
        super().__init__([CyclesPart(), IdeasPart(), ProjectsPart(), FollowUpPart()])


MODELS: tuple[ReadModel, ...] = (CyclesModel(), ParticipationModel(), CycleFactsModel())


def model_named(name: str) -> ReadModel:
    for model in MODELS:
        if model.name == name:
            return model
    raise KeyError(name)
