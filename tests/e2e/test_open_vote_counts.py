"""While a vote is open the public sees no count of its ballots (issue 6's rule, pb_ledger/web/visibility.py): the
public participation, statistics and open data withhold them, and the PB team and auditors follow them live; once
the vote is closed everyone sees them. The read model counts them all along."""

from __future__ import annotations

import io
import json
import zipfile

from pb_ledger.domain.rules import Rules
from tests.e2e.conftest import StaffApi

TEAM = ("pb-team", "t")


def open_vote_with_ballots(api: StaffApi, ballots: int) -> str:
    services = api.service.services
    cycle = services.launch.create_cycle("Vote ouvert", 1_000_000, "MAD", 2, None, TEAM)
    services.voting.fix_rules(cycle, Rules(vote_type="approval", max_length=2), TEAM)
    services.launch.start_phase(cycle, "ideas", TEAM)
    idea = services.ideas.submit_idea(cycle, "Un banc", actor=("citizen", ""))
    services.launch.start_phase(cycle, "review", TEAM)
    services.review.accept_idea(cycle, idea, "P-1", 50_000, "ok", actor=("committee", "c"))
    services.review.publish_ballot(cycle, TEAM)
    services.voting.open_voting(cycle, TEAM)
    for _ in range(ballots):
        services.voting.cast_ballot(cycle, "paper", ["P-1"], actor=("clerk", "k"))
    return cycle


def test_an_open_votes_ballots_are_counted_live_for_staff_and_withheld_from_the_public(staff_api: StaffApi) -> None:
    cycle = open_vote_with_ballots(staff_api, 3)
    public = staff_api.client.get(staff_api.url(f"/cycles/{cycle}/participation")).json()
    assert public["withheld"] is True and public["ballots_cast"] is None and public["by_channel_and_district"] is None
    live = staff_api.client.get(staff_api.url(f"/cycles/{cycle}/participation/live"), headers=staff_api.as_("pb-team"))
    assert live.json()["ballots_cast"] == 3 and live.json()["withheld"] is False
    assert staff_api.client.get(staff_api.url(f"/cycles/{cycle}/participation/live")).status_code == 401
    stats = staff_api.client.get(staff_api.url(f"/cycles/{cycle}/statistics")).json()["tables"]
    assert stats["turnout"]["rows"][0]["ballots_cast"] is None
    assert "3" not in staff_api.client.get(staff_api.url(f"/cycles/{cycle}/statistics/participation_by_channel.csv")
                                           ).text
    dump = zipfile.ZipFile(io.BytesIO(staff_api.client.get(staff_api.url(f"/cycles/{cycle}/open-data.zip")).content))
    assert json.loads(dump.read("ballots.json")) == []

    staff_api.service.services.voting.close_voting(cycle, TEAM)
    after = staff_api.client.get(staff_api.url(f"/cycles/{cycle}/participation")).json()
    assert after["withheld"] is False and after["ballots_cast"] == 3
    dump = zipfile.ZipFile(io.BytesIO(staff_api.client.get(staff_api.url(f"/cycles/{cycle}/open-data.zip")).content))
    assert len(json.loads(dump.read("ballots.json"))) == 3
