"""The demo mutuelle, loaded only into the local stack (never into a deployed one).

Deterministic: a fixed random seed and dates relative to today (Europe/Paris), so `make run`
and the end-to-end tests see the same people and the same figures. Every amount comes from
the reimbursement engine for its care date: nothing here is typed in.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import boto3

from claims.models import EstimateItem
from claims.repository import estimate_to_item
from domain.membership import PROFILE_SK, Beneficiary, Contract, Noemie, Profile, file_items
from domain.reimbursement import (
    ClaimItem,
    Practitioner,
    PractitionerIn,
    claim_to_item,
    consumptions,
)
from domain.situation import Ald, Period, Pregnancy, Situation
from engine import BeneficiaryFacts, CareInput, History, compute, get_act, search_acts
from infra.local import cognito, seed_fhir
from infra.local.bootstrap import REGION, Resources
from infra.local.seed_account_data import login_items
from infra.local.seed_accounts import contact, without_account
from infra.local.seed_contact import contact_items
from infra.local.seed_documents import context_of, demo_documents
from infra.local.seed_overpayments import resources as overpayment_resources
from infra.local.seed_places import seed_places
from infra.local.seed_requests import ADVISORS, fatima_requests, paul_requests
from infra.places.generate import LOCAL_COUNT as LOCAL_PLACES
from services.models import TeleconsultationItem
from services.providers.sandbox import SandboxProvider
from services.repository import teleconsultation_to_item
from shared import clock
from shared.dates import PARIS
from shared.iban import mask_iban
from shared.ids import iso_paris
from support.logic.reimburse import build_claim

TRUSTED_PEOPLE = [("marc.l@example.fr", "Marc", "Lambert")]
MEMBER_PASSWORD = "Demo-Adherent-2026!"  # noqa: S105 - demo logins, printed by make run
SEED = 20260101


@dataclass
class Benef:
    id: str
    first_name: str
    last_name: str
    birth_date: date
    relationship: str
    nir: str
    iban: str
    situation: Situation = field(default_factory=Situation)
    # The NOEMIE link (Sécurité sociale → mutuelle): active since a date, or None when the
    # Sécurité sociale does not send this person's reimbursements.
    noemie_since: date | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def facts(self) -> BeneficiaryFacts:
        return BeneficiaryFacts(id=self.id, birth_date=self.birth_date,
                                situation=self.situation)


@dataclass
class Member:
    member_id: str
    email: str
    first_name: str
    last_name: str
    formula_id: str
    formula_label: str
    password: str
    beneficiaries: list[Benef] = field(default_factory=list)
    monthly_cents: int = 0
    employer: str | None = None  # a collective contract (portabilité applies)
    late_months: int = 0  # instalments left unpaid, the most recent ones


def years_ago(today: date, years: int, month: int, day: int) -> date:
    return date(today.year - years, month, day)


def nir(sex: int, birth: date, dept: str, commune: str, order: int) -> str:
    body = f"{sex}{birth.year % 100:02d}{birth.month:02d}{dept}{commune}{order:03d}"
    return body + f"{97 - int(body) % 97:02d}"


def demo_members(today: date) -> list[Member]:
    """Fatima expects a child (maternity cover now), Karim has an ALD, Paul is under the
    Alsace-Moselle local regime and has had the C2S for ten months: every regime the engine
    knows shows on a real member's reimbursements. Inès's NOEMIE link is not active (her
    father's caisse sends her reimbursements elsewhere): « Mon contrat » says what to do."""
    fatima = Member("2024001871", "fatima.l@example.fr", "Fatima", "Lambert", "equilibre",
                    "Équilibre", MEMBER_PASSWORD, monthly_cents=14680,
                    employer="Transports Lumière SA", late_months=1)
    child_birth = date(today.year - 9, 6, 14)
    fatima.beneficiaries = [
        Benef("B01", "Fatima", "Lambert", date(1987, 4, 12), "member",
              nir(2, date(1987, 4, 12), "69", "123", 45), "FR1420041010050500013M02606",
              Situation(pregnancies=(Pregnancy(
                  expected_birth_date=today + timedelta(days=75)),)),
              noemie_since=date(2024, 1, 15)),
        Benef("B02", "Karim", "Lambert", date(1985, 9, 3), "spouse",
              nir(1, date(1985, 9, 3), "75", "112", 87), "FR1420041010050500013M02606",
              Situation(ald=(Ald(label="Diabète de type 2",
                                 start=years_ago(today, 3, 3, 1)),)),
              noemie_since=date(2024, 1, 15)),
        # Attached to her father's Sécurité sociale account, not yet linked to this contract.
        Benef("B03", "Inès", "Lambert", child_birth, "child",
              nir(2, child_birth, "69", "123", 301), "FR1420041010050500013M02606"),
    ]
    paul = Member("2023004412", "paul.m@example.fr", "Paul", "Martin", "essentielle",
                  "Essentielle", MEMBER_PASSWORD, monthly_cents=4890)
    paul.beneficiaries = [
        Benef("B01", "Paul", "Martin", date(1972, 11, 21), "member",
              nir(1, date(1972, 11, 21), "57", "463", 12), "FR3330002005500000157841Z25",
              Situation(regime="alsace_moselle",
                        c2s=(Period(start=today - timedelta(days=300)),)),
              noemie_since=date(2023, 3, 1)),
    ]
    return [fatima, paul]


def _act(keyword: str, category: str, on: date) -> str:
    for act in search_acts(keyword, on=on):
        if act.category == category:
            return act.code
    raise LookupError(f"no act for {keyword!r} in {category}")


GP = Practitioner(name="Dr Claire Moreau", specialty="Médecin généraliste", sector=1, optam=True)
PEDIATRICIAN = Practitioner(name="Dr Hugo Bernard", specialty="Pédiatre", sector=2, optam=True)
DERMATOLOGIST = Practitioner(name="Dr Anne Rousseau", specialty="Dermatologue", sector=2,
                             optam=False)
CARDIOLOGIST = Practitioner(name="Dr Paul Girard", specialty="Cardiologue", sector=1,
                            optam=True)
PHARMACY = Practitioner(name="Pharmacie des Tilleuls", specialty="Pharmacie")
LAB = Practitioner(name="Laboratoire BioCentre", specialty="Laboratoire d'analyses")
OPTICIAN = Practitioner(name="Optique du Marché", specialty="Opticien")
DENTIST = Practitioner(name="Dr Léa Petit", specialty="Chirurgien-dentiste", sector=1,
                       optam=True)
PHYSIO = Practitioner(name="Cabinet de kinésithérapie du Parc",
                      specialty="Masseur-kinésithérapeute")
GYNAECOLOGIST = Practitioner(name="Dr Nadia Haddad", specialty="Gynécologue", sector=1,
                             optam=True)
HOSPITAL = Practitioner(name="Hôpital Saint-Vincent", specialty="Établissement de santé")


@dataclass
class Care:
    when: date
    benef: Benef
    act: str
    price: int
    practitioner: Practitioner | None
    quantity: int = 1
    pathway: bool = True
    ald: bool = False
    work_accident: bool = False


def care_plan(member: Member, today: date, rng: random.Random) -> list[Care]:
    """About two years and two months of care for the family, newest care a few days ago."""
    start = today - timedelta(days=790)
    plan: list[Care] = []
    benefs = member.beneficiaries

    def on(days_ago: int) -> date:
        return today - timedelta(days=days_ago)

    day = start
    while day < today - timedelta(days=3):
        for b in benefs:
            if rng.random() < 0.22:
                plan.append(Care(day, b, "G", 3000, GP))
                if rng.random() < 0.8:
                    boxes = rng.randint(1, 3)
                    plan.append(Care(day + timedelta(days=rng.randint(0, 1)), b,
                                     rng.choice(["PH7", "PH7", "PH4"]),
                                     boxes * rng.choice([420, 785, 1190]), PHARMACY, boxes))
            if rng.random() < 0.05:
                plan.append(Care(day + timedelta(days=2), b, "B", rng.choice([1890, 2430, 3510]),
                                 LAB))
        day += timedelta(days=rng.randint(20, 40))

    fatima, *others = benefs
    if member.formula_id == "equilibre":
        karim, ines = others
        plan += [
            Care(on(700), ines, "G", 3000, PEDIATRICIAN.model_copy(update={"sector": 1})),
            Care(on(640), fatima, "CS", 7000, DERMATOLOGIST),
            Care(on(610), karim, "G", 3000, GP, pathway=False),
            Care(on(420), karim, "CS", 5500, CARDIOLOGIST.model_copy(
                update={"sector": 2, "optam": True})),
            Care(on(380), fatima, _act("lunettes", "optics", on(380)), 34000, OPTICIAN),
            Care(on(300), ines, _act("lunettes", "optics", on(300)), 16500, OPTICIAN),
            Care(on(250), fatima, "HBJD001", 2892, DENTIST),
            Care(on(190), karim, _act("couronne", "dental_prosthesis", on(190)), 50000, DENTIST),
            Care(on(95), ines, "CS", 5000, PEDIATRICIAN),
            Care(on(60), fatima, "CS", 9000, DERMATOLOGIST),
            Care(on(12), karim, "G", 3000, GP),
            # His diabetes follow-up, covered at 100 % as part of his ALD.
            Care(on(200), karim, "G", 3000, GP, ald=True),
            Care(on(198), karim, "B", 2430, LAB, ald=True),
            Care(on(30), karim, "G", 3000, GP, ald=True),
            # A sprained wrist at work: physiotherapy as a work accident.
            *[Care(on(160 - 3 * i), karim, "AMK", 1790, PHYSIO, work_accident=True)
              for i in range(4)],
            # Fatima's pregnancy follow-up, in her maternity cover.
            Care(on(20), fatima, "CS-GYN", 5000, GYNAECOLOGIST),
        ]
        # A stay across 1 March 2026 shows both daily charge amounts.
        stay_start = date(2026, 2, 26) if date(2026, 3, 5) < today - timedelta(days=10) \
            else on(40)
        plan += [Care(stay_start + timedelta(days=i), karim, "FJ", 0, HOSPITAL)
                 for i in range(5)]
    else:
        plan += [
            Care(on(500), fatima, "CS", 6000, DERMATOLOGIST),
            Care(on(150), fatima, "HBJD001", 2892, DENTIST),
        ]
    return sorted(plan, key=lambda c: (c.when, c.benef.id, c.act))


def build_claims(member: Member, today: date, rng: random.Random) -> list[ClaimItem]:
    claims: list[ClaimItem] = []
    for care in care_plan(member, today, rng):
        if care.price == 0:
            # Billed at the regulated amount of the day (hospital daily charge).
            care.price = get_act(care.act, care.when).base_cents * care.quantity
        history = History.from_stored(consumptions(claims, care.benef.id), care.benef.id, care.when)
        age_days = (today - care.when).days
        paid = age_days > 6
        payment = care.when + timedelta(days=rng.randint(2, 6)) if paid else None
        claim = build_claim(
            claim_id=f"C{care.when:%Y%m%d}-{rng.getrandbits(32):08x}",
            care=CareInput(act_code=care.act, care_date=care.when, price_cents=care.price,
                           quantity=care.quantity,
                           sector=care.practitioner.sector if care.practitioner and
                           care.practitioner.sector else 1,
                           optam=bool(care.practitioner.optam) if care.practitioner and
                           care.practitioner.optam is not None else True,
                           care_pathway=care.pathway, ald_related=care.ald,
                           work_accident=care.work_accident,
                           practitioner_id=care.practitioner.name if care.practitioner else None),
            beneficiary=care.benef.facts, beneficiary_name=care.benef.name,
            formula_id=member.formula_id, history=history, practitioner=care.practitioner,
            status="paid" if paid else "processing", payment_date=payment,
            bank_account_masked=mask_iban(care.benef.iban) if paid else None,
        )
        claims.append(claim)
    return claims


@dataclass
class MemberFile:
    """What the management system knows of a demo member: her file, her contract's
    beneficiaries, her reimbursements and her instalments (sent as FHIR, see seed_fhir)."""

    profile: Profile
    contracts: list[Contract]
    beneficiaries: list[Beneficiary]
    noemie: dict[str, dict[str, Any]]  # by beneficiary id
    claims: list[ClaimItem]
    contributions: list[dict[str, Any]]


def member_file(member: Member, today: date, rng: random.Random) -> MemberFile:
    contract = Contract(
        id="CT1", formula_id=member.formula_id, formula_label=member.formula_label,
        start_date=years_ago(today, 5, 1, 1), number=f"CT-{member.member_id}-01",
        collective=member.employer is not None, employer=member.employer,
        contribution_iban=member.beneficiaries[0].iban,
        contribution_holder=f"{member.first_name} {member.last_name}".upper())
    return MemberFile(
        profile=Profile(member_id=member.member_id, first_name=member.first_name,
                        last_name=member.last_name, email=member.email,
                        **contact(member.member_id, today)),
        contracts=[contract],
        beneficiaries=[Beneficiary(id=b.id, first_name=b.first_name, last_name=b.last_name,
                                   birth_date=b.birth_date, rank=f"{rank:02d}",
                                   relationship=b.relationship, nir=b.nir, benefit_iban=b.iban,
                                   situation=b.situation,
                                   noemie=Noemie(active=b.noemie_since is not None,
                                                 since=b.noemie_since))
                       for rank, b in enumerate(member.beneficiaries, start=1)],
        noemie={b.id: ({"active": True, "since": b.noemie_since.isoformat()}
                       if b.noemie_since else {"active": False})
                for b in member.beneficiaries},
        claims=build_claims(member, today, rng),
        contributions=contribution_items(member, today))


def file_items_of(member: Member, file: MemberFile) -> list[dict[str, Any]]:
    """The stored items the management system's resources stand for (ingesting her FHIR file
    writes these): what her demo documents are made from."""
    pk = f"MEMBER#{member.member_id}"
    items = file_items(pk, file.profile, file.contracts, file.beneficiaries)
    items += file.contributions
    items += [claim_to_item(pk, c) for c in file.claims]
    return items


def portal_items(member: Member, file: MemberFile, today: date) -> list[dict[str, Any]]:
    """What the portal itself keeps for a demo member beside the management system's data."""
    pk = f"MEMBER#{member.member_id}"
    items = card_code_items(member, today)
    items += [estimate_to_item(pk, e) for e in demo_estimates(member, file.claims)]
    return items


def card_code_items(member: Member, today: date) -> list[dict[str, Any]]:
    """This year's card check code (a real enrolment makes it with the contract)."""
    token = hashlib.sha256(f"card-{member.member_id}-{today.year}-{SEED}".encode()).hexdigest()[:24]
    start, end = date(today.year, 1, 1).isoformat(), date(today.year, 12, 31).isoformat()
    return [{"pk": f"MEMBER#{member.member_id}", "sk": "FILE#CARD", "type": "card",
             "token": token, "valid_from": start, "valid_to": end},
            {"pk": f"CARDCHECK#{token}", "sk": "CARDCHECK", "type": "card_check",
             "member_id": member.member_id, "valid_from": start, "valid_to": end}]


def contribution_items(member: Member, today: date) -> list[dict[str, Any]]:
    """Monthly instalments of last year and this year, due on the 5th, and in December next
    year's (the management system sends the new schedule with the renewal notice); the last
    `late_months` past due are unpaid (the one Fatima can pay by card)."""
    pk = f"MEMBER#{member.member_id}"
    items = []
    years = (today.year - 1, today.year) + ((today.year + 1,) if today.month == 12 else ())
    due = [date(year, month, 5) for year in years for month in range(1, 13)]
    past = [d for d in due if d <= today]
    unpaid = set(past[-member.late_months:]) if member.late_months else set()
    for day in due:
        paid = day <= today and day not in unpaid
        items.append({"pk": pk, "sk": f"CONTRIB#{day:%Y-%m}", "type": "contribution",
                      "period": f"{day:%Y-%m}", "due_date": day.isoformat(),
                      "amount_cents": member.monthly_cents,
                      **({"paid_on": (day - timedelta(days=1)).isoformat()} if paid else {})})
    return items


def demo_estimates(member: Member, claims: list[ClaimItem]) -> list[EstimateItem]:
    """An estimate made ten days before a visit that was later billed more than announced,
    so « Mes estimations » shows the payment beside it and explains the gap."""
    visits = [c for c in claims if c.act_code == "CS" and c.practitioner == DERMATOLOGIST
              and c.status == "paid"]
    if not visits:
        return []
    visit = max(visits, key=lambda c: c.care_date)
    benef = next(b for b in member.beneficiaries if b.id == visit.beneficiary_id)
    care = CareInput(act_code="CS", care_date=visit.care_date, price_cents=7000, sector=2,
                     optam=False, care_pathway=True)
    earlier = [c for c in claims if c.care_date < visit.care_date]
    breakdown = compute(care, benef.facts, formula_id=member.formula_id,
                        history=History.from_stored(consumptions(earlier, benef.id), benef.id,
                                                   visit.care_date))
    created = visit.care_date - timedelta(days=10)
    return [EstimateItem(
        id=f"E{created:%Y%m%d}T160000-5eed0001",
        created_at=iso_paris(datetime(created.year, created.month, created.day, 16, tzinfo=UTC)),
        beneficiary_id=benef.id, beneficiary_name=benef.name, act_code="CS",
        act_label=breakdown.act_label, category=breakdown.category,
        care_date=visit.care_date, price_cents=care.price_cents, quantity=1,
        practitioner=PractitionerIn(sector=2, optam=False), care_pathway=True,
        label="Dermatologue", lines=list(breakdown.lines), totals=breakdown.totals)]


def past_teleconsultation(member_id: str, who: Benef, now: datetime) -> dict[str, Any]:
    """A teleconsultation of twelve days ago, at 19:30 Paris time (« Passée » in her list)."""
    starts = (now.astimezone(PARIS) - timedelta(days=12)).replace(hour=19, minute=30, second=0,
                                                                 microsecond=0)
    created = starts - timedelta(minutes=12)
    consultation_id = f"T{created.astimezone(UTC):%Y%m%dT%H%M%S}-5eed7e1e"
    room = SandboxProvider.ROOM
    return teleconsultation_to_item(TeleconsultationItem(
        id=consultation_id, member_id=member_id, beneficiary_id=who.id,
        beneficiary_name=who.name, starts_at=iso_paris(starts), created_at=iso_paris(created),
        provider=SandboxProvider.name, provider_ref=f"SBX-{consultation_id}",
        join_url=f"{room}?id={consultation_id}"))


def seed_demo(resources: Resources, endpoint_url: str | None,
              today: date | None = None, places: int = LOCAL_PLACES) -> dict[str, Any]:
    today = today or clock.today()
    rng = random.Random(SEED)
    session = boto3.session.Session(region_name=REGION)
    idp = session.client("cognito-idp", endpoint_url=endpoint_url)
    table = session.resource("dynamodb", endpoint_url=endpoint_url).Table(
        resources.names["Table"])
    members_pool, advisors_pool = resources.user_pool_id, resources.advisors_pool_id

    def user(email: str, password: str, pool: str = members_pool) -> str:
        idp.admin_create_user(UserPoolId=pool, Username=email, MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "email", "Value": email},
                                              {"Name": "email_verified", "Value": "true"}])
        idp.admin_set_user_password(UserPoolId=pool, Username=email, Password=password,
                                    Permanent=True)
        attrs = idp.admin_get_user(UserPoolId=pool, Username=email)["UserAttributes"]
        return next(a["Value"] for a in attrs if a["Name"] == "sub")

    summary: dict[str, Any] = {"members": {}, "advisors": {}}
    summary["places"] = seed_places(
        resources.names["PlacesTable"], count=places,
        table_resource=session.resource("dynamodb", endpoint_url=endpoint_url).Table(
            resources.names["PlacesTable"]))
    s3 = session.client("s3", endpoint_url=endpoint_url)
    bucket = resources.names["DocumentsBucket"]
    # The management system's data (files, contracts, beneficiaries, reimbursements,
    # instalments) arrives as FHIR files through the inbox; the portal's own items (accounts,
    # requests, documents, estimates, messages, card codes) are written once they are applied.
    inbox: dict[str, bytes] = {}
    portal: list[dict[str, Any]] = []

    def send(member: Member, file: MemberFile) -> None:
        inbox[seed_fhir.file_name(member.member_id)] = seed_fhir.ndjson(
            seed_fhir.member_resources(member, file)
            + overpayment_resources(member, file, today))  # issue 21: Fatima's

    advisors: dict[str, str] = {}
    for email, name, password in ADVISORS:
        sub = user(email, password, advisors_pool)
        idp.admin_add_user_to_group(UserPoolId=advisors_pool, Username=email,
                                    GroupName="advisors")
        # Their authenticator app, enrolled earlier (the demo's secret, printed by make run).
        cognito.enroll_totp(advisors_pool, email, cognito.DEMO_TOTP_SECRET)
        portal.append({"pk": f"ACCOUNT#{sub}", "sk": "ACCOUNT", "type": "account",
                       "role": "advisor", "team": "gestion", "display_name": name})
        advisors[name] = sub
        summary["advisors"][email] = {"email": email, "sub": sub, "name": name}
    summary["advisor"] = summary["advisors"][ADVISORS[0][0]]
    for member in demo_members(today):
        sub = user(member.email, member.password)
        portal.append({"pk": f"ACCOUNT#{sub}", "sk": "ACCOUNT", "type": "account",
                       "member_id": member.member_id, "role": "member"})
        # Her file knows it has an account (« Je n'ai pas encore de compte » checks it).
        portal.append({"pk": f"MEMBER#{member.member_id}", "sk": "FILE#ACCOUNT",
                       "type": "account_link", "sub": sub})
        file = member_file(member, today, rng)
        send(member, file)
        items = portal_items(member, file, today)
        if member.formula_id == "equilibre":
            karim = next(b for b in member.beneficiaries if b.first_name == "Karim")
            requests = fatima_requests(member.member_id, today, (karim.id, karim.name),
                                       advisors)
            items.append(past_teleconsultation(member.member_id, karim, clock.now()))
        else:
            requests = paul_requests(member.member_id, today, advisors)
        items += requests.items
        known = file_items_of(member, file) + items
        documents, files = demo_documents(
            context_of(known, today), known, today,
            attestation_days_ago=35 if member.formula_id == "equilibre" else None)
        items += documents
        for key, data in {**requests.objects, **files}.items():
            s3.put_object(Bucket=bucket, Key=key, Body=data, ContentType="application/pdf",
                          ServerSideEncryption="AES256")
        portal.extend(items)
        summary["members"][member.email] = {
            "member_id": member.member_id, "sub": sub, "claims": len(file.claims)}
    # A trusted person's account, with no contract of its own and no procuration yet (a
    # member invites her; her own space is the switcher and her received procurations).
    summary["accounts"] = {}
    for email, first, last in TRUSTED_PEOPLE:
        sub = user(email, MEMBER_PASSWORD)
        portal.append({"pk": f"ACCOUNT#{sub}", "sk": "ACCOUNT", "type": "account",
                       "role": "member", "first_name": first, "last_name": last,
                       "email": email})
        summary["accounts"][email] = {"email": email, "sub": sub,
                                      "name": f"{first} {last[:1]}."}
    summary["without_account"] = {}
    later = random.Random(SEED + 1)  # Fatima's and Paul's figures stay as they were
    for found in without_account(today):
        member = Member(found["member_id"], found["email"], found["first_name"],
                        found["last_name"], found["formula_id"], found["formula_label"],
                        password="", monthly_cents=6230)
        birth = found["birth_date"]
        member.beneficiaries = [Benef("B01", member.first_name, member.last_name, birth,
                                      "member", nir(found["sex"], birth, found["dept"],
                                                    "063", 7), found["iban"])]
        file = member_file(member, today, later)
        send(member, file)
        portal.extend(portal_items(member, file, today))
        summary["without_account"][member.member_id] = {
            "member_id": member.member_id, "email": member.email,
            "birth_date": birth.isoformat(),
            "name": f"{member.first_name} {member.last_name}"}
    portal += contact_items(clock.now(), {
        m.email: (m.member_id, f"{m.first_name} {m.last_name}")
        for m in demo_members(today)}, advisors)
    portal += login_items(clock.now())
    summary["inbox"] = seed_fhir.load_through_inbox(session, resources.names, endpoint_url,
                                                    inbox)
    with table.batch_writer() as batch:
        for item in portal:
            batch.put_item(Item=item)
    # How she wants to hear from the mutuelle is the portal's own part of her profile (the
    # management system's Patient does not carry it): set beside what the Patient wrote.
    for member in demo_members(today):
        preferences = contact(member.member_id, today).get("preferences")
        if preferences is not None:
            table.update_item(
                Key={"pk": f"MEMBER#{member.member_id}", "sk": PROFILE_SK},
                UpdateExpression="SET preferences = :p",
                ExpressionAttributeValues={":p": preferences.model_dump(mode="json")})
    return summary


DEMO_LOGINS = [
    ("Adhérente « Fatima L. »", "fatima.l@example.fr", MEMBER_PASSWORD),
    ("Adhérent « Paul M. »", "paul.m@example.fr", MEMBER_PASSWORD),
    ("Proche « Marc L. » (sans contrat)", "marc.l@example.fr", MEMBER_PASSWORD),
    *((f"Conseiller « {name} »", email, password) for email, name, password in ADVISORS),
]
