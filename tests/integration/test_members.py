def test_me_shows_the_member_and_her_beneficiaries(api):
    r = api.get("/members/me")
    assert r.status == 200
    me = r.body
    assert me["display_name"] == "Fatima L."
    assert me["member_number"] == api.demo["members"]["fatima.l@example.fr"]["member_id"]
    assert me["formula"] == {"id": "equilibre", "label": "Équilibre"}
    rels = [b["relationship"] for b in me["beneficiaries"]]
    assert rels == ["member", "spouse", "child"]
    assert all(b["id"] and b["birth_date"] for b in me["beneficiaries"])
    # Sensitive identifiers are never part of the header data.
    assert "nir" not in str(me) and "iban" not in str(me).lower()


def test_each_member_sees_only_themself(api):
    paul = api.get("/members/me", user="paul.m@example.fr").body
    assert paul["display_name"] == "Paul M."
    assert [b["first_name"] for b in paul["beneficiaries"]] == ["Paul"]


def test_advisor_without_member_file_is_refused(api):
    r = api.get("/members/me", user="conseiller@example.fr")
    assert r.status == 403
    assert "adhérent" in r.body["message"]
