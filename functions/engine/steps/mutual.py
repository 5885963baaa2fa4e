"""Step 5: what the mutuelle's guarantee pays, within the ceilings of the caps step: a
percentage of the base (Sécurité sociale included), 100 % Santé up to the price cap, and euro
forfaits. Renewal periods of glasses and hearing aids are checked here."""

from __future__ import annotations

from shared.dates import fr_date

from ..money import add_months, eur, percent_of
from ..renewal import band, is_covered, next_covered_date, period
from ..rules import load_rules
from ..snapshot import Snapshot
from ..state import State


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def renewal_refusal(snap: Snapshot, st: State) -> str | None:
    # Simplification: the Sécurité sociale applies the same renewal periods, but its part is
    # still computed (the text tells the member it assumes the Sécurité sociale pays).
    kind = snap.act.renewal
    if kind is None:
        return None
    history = snap.history
    last = history.last_optics_date if kind == "optics" else history.last_hearing_date
    birth, day = snap.benef.birth_date, snap.day
    reason = None
    if kind == "optics":
        reason = "sight_change" if snap.care.sight_change else None
        if snap.care.frame_misfit and band(birth, day).frame_misfit_months is not None:
            reason = "frame_misfit"
    if is_covered(kind, last, birth, day, reason):
        if reason and last is not None and day > last and not is_covered(kind, last, birth, day):
            _, rule = period(kind, birth, day, reason)
            st.notes.append(f"Renouvellement anticipé pris en charge {rule}.")
            st.unconfirmed |= band(birth, day).exceptions_unconfirmed
        return None
    months, rule = period(kind, birth, day, reason)
    next_day = add_months(last, months) if reason else next_covered_date(kind, last, birth)
    what = (
        "les dernières lunettes remboursées datent"
        if kind == "optics"
        else "les dernières aides auditives remboursées datent"
    )
    exception = (
        " (plus tôt après une évolution de la vue justifiée par une ordonnance)"
        if kind == "optics" and not reason
        else ""
    )
    return (
        f"Pas de remboursement de votre mutuelle : {what} du {fr_date(last)} et le "
        f"renouvellement est pris en charge {rule}, soit à partir du {fr_date(next_day)}"
        f"{exception}. La Sécurité sociale applique la même règle : son remboursement affiché "
        f"ici suppose qu'elle l'accepte."
    )


def _sante_100(snap: Snapshot, st: State, room: int) -> None:
    cap_100 = st.cap_100
    assert cap_100 is not None
    covered = min(st.price, cap_100)
    st.mutual = max(0, min(covered - st.ss_gross, room))
    text = (
        f"Équipement 100 % Santé : votre mutuelle complète le remboursement de la "
        f"Sécurité sociale jusqu'au prix limite de vente de {eur(cap_100)}, soit "
        f"{eur(covered)} − {eur(st.ss_gross)} = {eur(st.mutual)}."
    )
    if st.price > cap_100:
        text += (
            f" Le prix payé dépasse ce prix limite de {eur(st.price - cap_100)}"
            f" : cette partie reste à votre charge (un équipement 100 % Santé ne "
            f"devrait pas être vendu plus cher)."
        )
    st.mutual_text = text


def run(snap: Snapshot, st: State) -> None:
    formula_label = snap.formula.label
    base, ss_ref = st.base, st.ss_ref
    room = st.price - st.ss_gross  # never more than what the SS leaves, deductibles excluded

    refusal = renewal_refusal(snap, st)
    if refusal:
        st.renewal_ok = False
        st.mutual_text = refusal
        return

    g = snap.guarantee
    if g is None or (g.percent == 0 and not g.sante_100 and g.forfait is None):
        label = g.label if g else load_rules().acts.categories[snap.act.category]
        st.mutual_text = f"Votre formule {formula_label} ne rembourse pas ce soin ({label})."
        return

    if snap.act.basket == "100_sante" and g.sante_100 and st.cap_100 is not None:
        _sante_100(snap, st, room)
        return

    # Percentage of the base, Sécurité sociale included.
    percent = g.percent
    sentences: list[str] = []
    percent_text = f"jusqu'à {percent} % de la base, Sécurité sociale comprise"
    if snap.non_optam and g.percent_non_optam is not None:
        limit = snap.responsable.non_optam_max_percent if snap.responsable else 200
        percent = min(g.percent_non_optam, limit)
        percent_text = (
            f"jusqu'à {percent} % de la base, Sécurité sociale comprise (plafonné à "
            f"{percent} % de la base car le médecin n'adhère pas à l'OPTAM ; "
            f"{g.percent} % avec un médecin adhérent)"
        )
    if st.out_of_pathway:
        percent = min(percent, 100)
    target = percent_of(base, percent)
    covered = min(target, st.price)
    percent_part = max(0, min(covered - ss_ref, room))

    if st.out_of_pathway:
        sentences.append(
            f"Hors parcours de soins, votre mutuelle ne rembourse que le ticket modérateur "
            f"habituel ({eur(percent_part)}) : la baisse du remboursement de la Sécurité "
            f"sociale et les dépassements d'honoraires restent à votre charge (règle du contrat "
            f"responsable)."
        )
    elif percent > 0 and base > 0:
        head = f"Formule {formula_label} : {percent_text}, soit {eur(target)}"
        if target > st.price:
            head += f" ; dans la limite de la dépense de {eur(st.price)},"
        else:
            head += " :"
        if percent_part == 0:
            sentences.append(
                f"{head} la Sécurité sociale couvre déjà ce montant, la mutuelle "
                f"ne verse rien de plus."
            )
        elif ss_ref == 0:
            sentences.append(f"{head} la mutuelle verse {eur(percent_part)}.")
        else:
            withheld = [
                name
                for name, applied in (
                    ("participation forfaitaire", st.participation),
                    ("franchise médicale", st.franchise),
                )
                if applied
            ]
            before = f" avant {' et '.join(withheld)}" if withheld else ""
            sentences.append(
                f"{head} la mutuelle verse {eur(covered)} − {eur(ss_ref)} (part "
                f"de la Sécurité sociale{before}) = {eur(percent_part)}."
            )

    mutual_cap = st.mutual_cap
    if mutual_cap is not None and percent_part > mutual_cap:
        percent_part = mutual_cap

    forfait_part = 0
    if g.forfait:
        forfait = snap.fversion.forfaits[g.forfait]
        used, _, end = snap.history.forfait_used(g.forfait, forfait.period_months, snap.day)
        left = max(0, forfait.amount_cents - used)
        wanted = max(0, room - percent_part)
        forfait_part = min(wanted, left)
        if mutual_cap is not None:
            forfait_part = max(0, min(forfait_part, mutual_cap - percent_part))
        if wanted > 0 and left == 0:
            until = f" (jusqu'au {fr_date(end)})" if end else ""
            sentences.append(
                f"Votre {_lower_first(forfait.label)} ({eur(forfait.amount_cents)}"
                f" {forfait.period_label}) est épuisé pour la période en cours{until}."
            )
        elif forfait_part > 0:
            sentences.append(
                f"{'En plus, ' if percent_part else ''}{eur(forfait_part)} "
                f"{'pris' if percent_part else 'sont pris'} sur votre "
                f"{_lower_first(forfait.label)} "
                f"({eur(forfait.amount_cents)} {forfait.period_label} ; "
                f"{eur(left)} disponibles avant ce soin)."
            )
        if forfait_part:
            st.forfait_key, st.forfait_cents = g.forfait, forfait_part

    amount = percent_part + forfait_part
    binding = [
        label
        for cap, label in st.caps
        if mutual_cap is not None
        and cap == mutual_cap
        and amount == mutual_cap
        and room > mutual_cap
    ]
    if binding:
        st.capped_by = binding[0]
        sentences.append(f"Montant plafonné : {binding[0]}.")
    if not sentences:
        sentences.append(
            f"Votre formule {formula_label} ne prévoit pas de remboursement "
            f"supplémentaire pour ce soin."
        )
    st.mutual = amount
    st.mutual_text = " ".join(sentences)
