"""The demo: the east network's past rounds show falling energy as afbud rise, so it warns."""

from netapp import demo
from netapp.evaluations import figures
from netapp.extensions import db


def test_demo_health_page_warns_from_the_past_meetings(app, client):
    assert demo.seed()
    db.session.commit()
    east = 1  # the first network the demo makes
    data = figures.network_health(east)
    assert [m.energy for m in data.history] == sorted((m.energy for m in data.history),
                                                     reverse=True)
    assert {s.code for s in data.signals} >= {"afbud", "energy"}
    response = client.post("/auth/login", data={"email": "tovholder@example.com",
                                                "password": demo.PASSWORD})
    assert response.status_code == 302
    page = client.get(f"/evaluations/network/{east}/health").text
    assert "Mange afbud er et tegn på, at I er på vildspor." in page
