"""« Mes services » through the handlers under moto: the place finder (towns, postcodes,
positions, kinds, radius, one place, bad input in French) and teleconsultation (booking once
per key, the reason kept nowhere, another member's consultation, cancelling)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import boto3
import pytest

from services.logic.geo import haversine_m
from shared import clock
from shared.dates import PARIS
from tests.helpers import idempotency
from tests.routes import OTHER, OWNER, teleconsultation_body


def get(api, path, query="", user=OWNER):
    return api.call("GET", path, query=query, user=user)


# ----------------------------------------------------------------------------- towns
def test_towns_are_suggested_from_the_start_of_a_name_or_a_postcode(api):
    r = get(api, "/services/towns", "q=lyo")
    assert r.status == 200
    names = [t["name"] for t in r.body["items"]]
    assert names[0] == "Lyon"  # the largest first
    assert r.body["items"][0]["label"] == "Lyon (69001 à 69009)"
    r = get(api, "/services/towns", "q=st-%C3%A9tienne")
    assert r.body["items"][0]["name"] == "Saint-Étienne"
    r = get(api, "/services/towns", "q=havre")  # past the article
    assert "Le Havre" in [t["name"] for t in r.body["items"]]
    r = get(api, "/services/towns", "q=6900")
    labels = [t["label"] for t in r.body["items"]]
    assert labels and all("(6900" in label for label in labels)
    assert get(api, "/services/towns", "q=zzqx").body["items"] == []


def test_a_town_query_of_one_letter_is_refused_in_french(api):
    r = get(api, "/services/towns", "q=l")
    assert r.status == 400
    assert "« q »" in r.body["message"]


# ----------------------------------------------------------------------------- kinds
def test_the_kinds_of_places_come_with_their_french_names_and_each_can_be_searched(api):
    r = get(api, "/services/place-kinds")
    assert r.status == 200, r.body
    kinds = {k["kind"]: k for k in r.body["items"]}
    assert kinds["optician"]["label"] == "Opticien"
    assert kinds["physiotherapist"]["plural"] == "masseurs-kinésithérapeutes"
    assert list(kinds)[0] == "agency"  # the page offers the agencies first
    for kind in kinds:
        found = get(api, "/services/places", f"postcode=69003&kind={kind}&radius_km=50&limit=1")
        assert found.status == 200 and found.body["kind"] == kind, found.body


# ----------------------------------------------------------------------------- search
def test_the_nearest_opticians_of_a_postcode_come_first_with_their_distance(api):
    r = get(api, "/services/places", "postcode=69003&kind=optician&limit=5")
    assert r.status == 200, r.body
    body = r.body
    assert body["origin"]["label"].endswith("(69003)")
    assert body["kind"] == "optician" and body["radius_km"] == 20
    items = body["items"]
    assert len(items) == 5 and body["total"] >= 5 and body["exhaustive"]
    distances = [i["distance_m"] for i in items]
    assert distances == sorted(distances)
    for item in items:
        assert item["kind_label"] == "Opticien"
        assert item["distance_m"] == round(haversine_m(
            body["origin"]["lat"], body["origin"]["lon"], item["lat"], item["lon"]))
        assert {g["code"] for g in item["gains"]} >= {"tiers_payant", "discount"}
        assert item["open_now"] is None


def test_a_search_by_position_town_or_postcode_starts_where_it_says(api):
    by_town = get(api, "/services/places", "town=Lyon&kind=pharmacy&limit=3").body
    assert by_town["origin"]["label"] == "Lyon (69001 à 69009)"
    lat, lon = by_town["origin"]["lat"], by_town["origin"]["lon"]
    by_position = get(api, "/services/places", f"lat={lat}&lon={lon}&kind=pharmacy&limit=3").body
    assert by_position["origin"]["label"] == "Votre position"
    assert [i["id"] for i in by_position["items"]] == [i["id"] for i in by_town["items"]]
    namesake = get(api, "/services/places", "town=Lyon&postcode=69008&kind=pharmacy").body
    assert namesake["origin"]["label"] == "Lyon (69008)"


def test_every_kind_at_once_and_agencies_with_their_hours(api):
    body = get(api, "/services/places", "postcode=75015&limit=30").body
    assert body["kind"] is None and len(body["items"]) == 30
    assert len({i["kind"] for i in body["items"]}) > 3
    agencies = get(api, "/services/places", "postcode=75015&kind=agency&radius_km=50").body
    assert agencies["items"], agencies
    agency = agencies["items"][0]
    assert agency["open_now"] in (True, False)
    assert agency["status_label"].startswith(("Ouverte jusqu'à", "Fermée"))
    assert agency["gains"] == []


def test_nothing_far_from_france_says_so(api):
    r = get(api, "/services/places", "lat=0&lon=0&kind=optician")
    assert r.status == 200
    assert r.body["items"] == [] and r.body["total"] == 0
    assert "Aucun lieu de type « opticien » à moins de 20 km" in r.body["message"]


@pytest.mark.parametrize(("query", "field", "words"), [
    ("town=Xyzzyville", "town", "Nous ne trouvons pas la commune"),
    ("postcode=99999", "postcode", "Nous ne connaissons pas le code postal"),
    ("postcode=6900", "postcode", "5 chiffres"),
    ("lat=91&lon=2", "lat", "valeur trop grande"),
    ("lat=45&lon=200", "lon", "valeur trop grande"),
    ("lat=45", "lon", "latitude et sa longitude"),
    ("postcode=69003&radius_km=5000", "radius_km", "valeur trop grande"),
    ("postcode=69003&radius_km=0", "radius_km", "valeur trop petite"),
    ("postcode=69003&kind=boulanger", "kind", "valeur non reconnue"),
    ("", "town", "Indiquez une commune"),
])
def test_bad_searches_get_a_french_400(api, query, field, words):
    r = get(api, "/services/places", query)
    assert r.status == 400, r.body
    assert words in r.body["message"], r.body
    assert field in r.body.get("fields", {}) or words in r.body["message"]


def test_one_place_shows_its_contact_and_what_members_gain(api):
    first = get(api, "/services/places", "postcode=69003&kind=dentist&limit=1").body["items"][0]
    r = get(api, f"/services/places/{first['id']}")
    assert r.status == 200
    place = r.body
    assert place["name"] == first["name"] and place["phone"].startswith("04 65 71")
    assert any(g["label"] == "Prix négociés sur les prothèses" for g in place["gains"])
    agency = get(api, "/services/places", "postcode=69003&kind=agency&radius_km=50"
                 ).body["items"][0]
    detail = get(api, f"/services/places/{agency['id']}").body
    assert detail["email"].endswith("@clairval.example")
    assert detail["hours"] and detail["hours_note"].endswith("fermée les jours fériés.")


@pytest.mark.parametrize("place_id", ["u09tvw0f3o999", "zzzzzzzzzq1", "abc"])
def test_an_unknown_place_is_404(api, place_id):
    r = get(api, f"/services/places/{place_id}")
    assert r.status == 404
    assert "introuvable" in r.body["message"]


# ----------------------------------------------------------------------------- teleconsultation
def test_booking_a_teleconsultation_gives_a_time_and_a_join_link_once(api):
    body = teleconsultation_body()
    headers = idempotency()
    first = api.call("POST", "/services/teleconsultations", body=body, headers=headers)
    assert first.status == 201, first.body
    again = api.call("POST", "/services/teleconsultations", body=body, headers=headers)
    assert again.status == 201 and again.body["id"] == first.body["id"]
    out = first.body
    assert out["beneficiary_name"] == "Inès Lambert"
    assert datetime.fromisoformat(out["starts_at"]) == datetime.fromisoformat(body["slot_start"])
    assert out["join_url"] == f"/espace/services/teleconsultation/salle/?id={out['id']}"
    assert out["simulation"] and out["status_label"] == "À venir" and out["can_cancel"]
    listed = get(api, "/services/teleconsultations").body["items"]
    assert [c["id"] for c in listed].count(out["id"]) == 1
    # The reason went to the provider: it is nowhere in the table nor in the answer.
    table = boto3.resource("dynamodb", region_name="eu-west-3").Table(
        api.resources.names["Table"])
    member = api.demo["members"][OWNER]["member_id"]
    stored = table.get_item(Key={"pk": f"MEMBER#{member}", "sk": f"TELE#{out['id']}"})["Item"]
    assert "Fièvre" not in json.dumps(stored, default=str)
    assert "Fièvre" not in json.dumps(out)


def test_as_soon_as_possible_is_within_a_quarter_of_an_hour(api):
    r = api.call("POST", "/services/teleconsultations", headers=idempotency(),
                 body={"beneficiary_id": "B01", "reason": "Mal de gorge depuis hier soir."})
    assert r.status == 201, r.body
    wait = datetime.fromisoformat(r.body["starts_at"]) - clock.now().astimezone(PARIS)
    assert timedelta(minutes=9) < wait <= timedelta(minutes=15)
    assert r.body["can_join"] is True  # the waiting room opens a quarter of an hour before


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"beneficiary_id": "B09"}, 422, "beneficiary_id"),
    ({"reason": "Mal"}, 400, "reason"),
    ({"reason": "x" * 1001}, 400, "reason"),
    ({"when": "slot", "slot_start": None}, 400, "slot_start"),
    ({"when": "slot", "slot_start": "demain"}, 400, "slot_start"),
    ({"when": "now"}, 400, "slot_start"),
    ({"slot_start": "2020-01-01T10:00:00+01:00"}, 422, "slot_start"),
    ({"slot_start": (clock.now().astimezone(PARIS) + timedelta(days=20)).replace(
        minute=0, second=0, microsecond=0).isoformat()}, 422, "slot_start"),
    ({"slot_start": (clock.now().astimezone(PARIS) + timedelta(days=2)).replace(
        minute=10, second=0, microsecond=0).isoformat()}, 422, "slot_start"),
])
def test_bad_bookings_are_refused_in_french_and_book_nothing(api, change, status, field):
    before = len(get(api, "/services/teleconsultations", "limit=100").body["items"])
    r = api.call("POST", "/services/teleconsultations", headers=idempotency(),
                 body={**teleconsultation_body(), **change})
    assert r.status == status, r.body
    assert field in r.body["fields"], r.body
    assert len(get(api, "/services/teleconsultations", "limit=100").body["items"]) == before


def test_another_members_teleconsultation_is_404_and_cancelling_works_once(api):
    made = api.call("POST", "/services/teleconsultations", body=teleconsultation_body(),
                    headers=idempotency()).body
    path = f"/services/teleconsultations/{made['id']}"
    assert get(api, path, user=OTHER).status == 404
    assert api.call("POST", path + "/cancel", user=OTHER).status == 404
    cancelled = api.call("POST", path + "/cancel")
    assert cancelled.status == 200
    assert cancelled.body["status"] == "cancelled" and cancelled.body["join_url"] is None
    assert cancelled.body["status_label"] == "Annulée"
    again = api.call("POST", path + "/cancel")
    assert again.status == 409 and "déjà annulée" in again.body["message"]
    assert get(api, path).body["status"] == "cancelled"
