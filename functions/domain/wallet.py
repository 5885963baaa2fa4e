"""The card's passes in the phone's wallets (Apple Wallet, Google Wallet): their items, and
what another feature may do to them without knowing how a pass is made.

A pass is issued by the contract function (contract/logic/wallet.py); its content is derived
from the card at each download, so it is never stored. What is stored:

| item | pk | sk | notes |
| --- | --- | --- | --- |
| pass | `WALLET#<serial>` | `PASS` | member, kind (apple/google), token hash, version, updated |
| her passes | `MEMBER#<id>` | `WALLET#<serial>` | what `revoke_all` and a card change go through |
| device | `WALLET#<serial>` | `DEVICE#<device>` | Apple's registration: the push token |
| device's passes | `WALLETDEVICE#<device>` | `<serial>` | « serial numbers updated since » |
| expiry | `WALLETEXPIRY#<valid_to>` | `<serial>` | the daily check: only passes that expire |

A pass whose content must change gets a new `version`, `updated` (epoch seconds) and
`push_pending`; the wallet updates function (a stream consumer) sends the push then.
"""

from __future__ import annotations

from domain import repository
from shared import clock

PASS_SK = "PASS"  # noqa: S105 - a sort key, not a secret
REVOKED = "revoked"


def pass_pk(serial: str) -> str:
    return f"WALLET#{serial}"


def member_passes(member_id: str) -> list[dict]:
    """Her passes' index items (one Query of her partition)."""
    return repository.member_file(member_id, "WALLET#")


def revoke_operation(serial: str, now: int) -> dict:
    """The pass voided for good: its next download reveals no more than the public card
    check, and its devices are told to fetch it."""
    return {"update": {"key": {"pk": pass_pk(serial), "sk": PASS_SK},
                       "set": {"revoked": True, "version": REVOKED, "updated": now,
                               "push_pending": True},
                       "condition": ("sk", PASS_SK)}}


def revoke_all(member_id: str) -> int:
    """Void every pass she has (a lost phone: « Me déconnecter partout »). Answers how many
    were voided; passes voided already are left as they are."""
    now = clock.epoch()
    serials = [i["serial"] for i in member_passes(member_id) if not i.get("revoked")]
    for start in range(0, len(serials), 50):  # a transaction holds at most 100 writes
        chunk = serials[start:start + 50]
        ops: list[dict] = []
        for serial in chunk:
            ops.append(revoke_operation(serial, now))
            ops.append({"update": {"key": {"pk": f"MEMBER#{member_id}",
                                           "sk": f"WALLET#{serial}"},
                                   "set": {"revoked": True},
                                   "condition": ("serial", serial)}})
        repository.write(ops)
    return len(serials)
