"""A deterministic set of places around real towns: the mutuelle's agencies (in the larger
towns) and partner health professionals of every kind, with what members gain there.

Same seed and count, same places, byte for byte: the local stack, the tests and the benchmark
see the same dataset. Names, streets and phone numbers are made up (phone numbers in the
ranges the French regulator keeps for fiction); towns, postcodes and coordinates are real.
"""

from __future__ import annotations

import math
import random
from collections import Counter

from infra.places.sources import Town, normalize
from services.logic.geo import encode
from services.logic.place_kinds import HOURS_PROFILES, KINDS
from services.models import PlaceRecord

SEED = 20260111
LOCAL_COUNT = 30_000  # what `make run` loads: tens of thousands of places
# Partners by kind, in shares of the partners (pharmacies and physiotherapists are many).
SHARES = {"pharmacy": 22, "physiotherapist": 18, "dentist": 14, "optician": 12,
          "osteopath": 10, "laboratory": 6, "imaging": 5, "hearing": 7, "psychologist": 6}
# Communes split into arrondissements: their arrondissements hold the places.
SPLIT_CITIES = {"75056", "69123", "13055"}
FICTION_PHONE = {"1": "01 99 00", "2": "02 61 91", "3": "03 53 01", "4": "04 65 71",
                 "5": "05 36 49"}

SURNAMES = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
            "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David",
            "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
            "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier",
            "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
            "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine",
            "Chevalier", "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis",
            "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer",
            "Lucas", "Meunier", "Jean", "Perez", "Marchand", "Dufour", "Blanchard", "Marie",
            "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez")
FIRST_NAMES = ("Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Emma", "Jade", "Louise",
               "Alice", "Claire", "Julie", "Nadia", "Sophie", "Hélène", "Amina", "Élise",
               "Lucas", "Hugo", "Louis", "Nathan", "Thomas", "Julien", "Antoine", "Karim",
               "Maxime", "Nicolas", "Paul", "Yanis", "Mathieu", "Olivier", "Samir", "Pierre",
               "Vincent", "Romain", "Théo", "Bruno", "Omar", "Félix", "Adrien")
STREETS = ("rue de la République", "rue Victor Hugo", "avenue Jean Jaurès", "rue Pasteur",
           "place de la Mairie", "rue du Général de Gaulle", "boulevard Gambetta",
           "rue Jules Ferry", "avenue de la Gare", "rue des Écoles", "rue du Marché",
           "place de l'Église", "rue de la Paix", "rue Nationale", "avenue Foch",
           "rue des Tilleuls", "rue du Moulin", "chemin des Vignes", "rue de Verdun",
           "avenue de la Libération", "rue Carnot", "rue Émile Zola", "rue des Lilas",
           "allée des Platanes", "rue du Stade", "rue de Paris", "cours Voltaire",
           "rue Anatole France", "rue du Château", "place du Marché", "rue Jean Moulin",
           "rue des Acacias", "boulevard de la Liberté", "rue Saint-Jacques", "quai des Arts",
           "rue de l'Hôpital", "avenue des Sports", "rue de la Fontaine", "rue du Parc",
           "impasse des Roses")
DISTRICTS = ("Centre", "Gare", "Nord", "Sud", "Est", "Ouest", "Hôtel de ville", "Université",
             "Bords de Saône", "Quartier des Halles", "Vieux port", "Les Jardins")
PLACE_WORDS = ("du Marché", "de la Gare", "du Centre", "des Halles", "du Parc", "de la Place",
               "des Tilleuls", "du Pont", "de l'Église", "du Château", "des Arcades",
               "de la Mairie")


def _town_label(town: Town) -> str:
    """« Lyon » for « Lyon 3e Arrondissement »: the town as an address names it."""
    return town.name.split(" ")[0] if town.insee[:2] in ("75", "69", "13") and \
        "Arrondissement" in town.name else town.name


def _agency_label(town: Town) -> str:
    """« Paris 15e » for « Paris 15e Arrondissement »."""
    return town.name.removesuffix(" Arrondissement")


def _name(kind: str, town: str, rng: random.Random) -> str:
    surname, first = rng.choice(SURNAMES), rng.choice(FIRST_NAMES)
    word = rng.choice(PLACE_WORDS)
    choices = {
        "pharmacy": (f"Pharmacie {word}", f"Pharmacie {surname}", f"Grande Pharmacie de {town}"),
        "optician": (f"Optique {surname}", f"Les Opticiens {word}", f"{town} Optique"),
        "dentist": (f"Dr {first} {surname}", f"Cabinet dentaire {word}",
                    f"Centre dentaire de {town}"),
        "hearing": (f"Audition {surname}", f"Centre auditif {word}",
                    f"Audioprothèse {surname}"),
        "osteopath": (f"{first} {surname}", f"Cabinet d'ostéopathie {word}"),
        "physiotherapist": (f"{first} {surname}", f"Cabinet de kinésithérapie {word}"),
        "laboratory": (f"Laboratoire {surname} Biologie", f"Laboratoire d'analyses {word}"),
        "imaging": (f"Centre d'imagerie médicale {word}", f"Radiologie de {town}"),
        "psychologist": (f"{first} {surname}",),
    }
    return rng.choice(choices[kind])


def _gains(kind: str, rng: random.Random) -> tuple[str, ...]:
    if kind == "optician":
        return ("tp", f"d{rng.choice((10, 15, 20))}", "s100")
    if kind == "hearing":
        return ("tp", f"d{rng.choice((10, 15))}", "s100")
    if kind == "dentist":
        return ("tp", "dentalcap", "s100") if rng.random() < 0.7 else ("tp", "dentalcap")
    if kind == "osteopath":
        return (f"c{rng.choice((5000, 5500, 6000))}",)
    if kind == "psychologist":
        return (f"c{rng.choice((4500, 5000, 5500))}",)
    return ("tp",)


def _phone(postcode: str, rng: random.Random) -> str:
    dept = postcode[:2]
    zone = ("1" if dept in ("75", "77", "78", "91", "92", "93", "94", "95") else
            "2" if dept in ("14", "18", "22", "27", "28", "29", "35", "36", "37", "41", "44",
                            "45", "49", "50", "53", "56", "61", "72", "76", "85", "86", "79")
            else "3" if dept in ("02", "08", "10", "21", "25", "39", "51", "52", "54", "55",
                                 "57", "58", "59", "60", "62", "67", "68", "70", "71", "80",
                                 "88", "89", "90")
            else "4" if dept in ("01", "03", "04", "05", "06", "07", "11", "13", "15", "20",
                                 "26", "30", "34", "38", "42", "43", "48", "63", "66", "69",
                                 "73", "74", "83", "84")
            else "5")
    number = rng.randrange(10_000)
    return f"{FICTION_PHONE[zone]} {number // 100:02d} {number % 100:02d}"


def _position(town: Town, rng: random.Random) -> tuple[float, float]:
    """A point around the town's centre: a larger town spreads its places wider."""
    radius_km = min(6.0, max(0.4, 0.6 * math.sqrt(town.population / 10_000)))
    distance = radius_km * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    lat = town.lat + distance / 111.2 * math.cos(bearing)
    lon = town.lon + distance / (111.2 * math.cos(math.radians(town.lat))) * math.sin(bearing)
    return round(lat, 5), round(lon, 5)


def generate(towns: list[Town], count: int = LOCAL_COUNT, seed: int = SEED,
             mail_domain: str = "clairval.example") -> list[PlaceRecord]:
    """`count` places (about): a hundredth are agencies (300 at most), in the largest towns;
    partners go to towns in proportion to their population."""
    rng = random.Random(seed)
    hosts = sorted((t for t in towns if not t.approx and t.insee not in SPLIT_CITIES
                    and t.population >= 200), key=lambda t: t.insee)
    agencies = max(3, min(300, count // 100))
    partners = count - agencies
    places: list[PlaceRecord] = []
    ids: set[str] = set()

    def add(kind: str, town: Town, **fields) -> None:
        lat, lon = _position(town, rng)
        base = encode(lat, lon, 9) + KINDS[kind].letter
        n = 1
        while f"{base}{n}" in ids:
            n += 1
        ids.add(f"{base}{n}")
        postcode = town.postcodes[0] if len(town.postcodes) == 1 else rng.choice(town.postcodes)
        places.append(PlaceRecord(
            id=f"{base}{n}", kind=kind, street=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            postcode=postcode, town=_town_label(town), lat=lat, lon=lon,
            phone=_phone(postcode, rng), **fields))

    largest = sorted(hosts, key=lambda t: (-t.population, t.insee))
    # One agency in each of the largest towns, and one more per 150,000 inhabitants.
    quota: Counter[str] = Counter()
    for town in largest[:agencies]:
        quota[town.insee] = 1
    left = agencies - sum(quota.values())
    for town in largest:
        if left <= 0:
            break
        extra = min(town.population // 150_000, left)
        quota[town.insee] += extra
        left -= extra
    for town in largest:
        slug = normalize(_agency_label(town)).replace(" ", "-")
        for number in range(quota.get(town.insee, 0)):
            add("agency", town, name=f"Agence de {_agency_label(town)}" + (
                f" {DISTRICTS[(number - 1) % len(DISTRICTS)]}" if number else ""),
                email=f"agence.{slug}{number + 1 if number else ''}@{mail_domain}",
                hours=rng.choice(sorted(HOURS_PROFILES)))

    total = sum(t.population for t in hosts)
    kinds, weights = zip(*SHARES.items(), strict=True)
    for town in hosts:
        expected = partners * town.population / total
        n = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
        for kind in rng.choices(kinds, weights=weights, k=n):
            add(kind, town, name=_name(kind, _town_label(town), rng),
                gains=_gains(kind, rng))
    return places
