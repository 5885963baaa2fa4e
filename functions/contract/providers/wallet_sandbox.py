"""The sandbox wallet push provider: records each push (in the table, a week) instead of
calling APNs or the Google Wallet API, so that the local stack and the tests see what a real
provider would have sent, and to which device or object."""

from __future__ import annotations

from contract import repository


class SandboxWalletPush:
    name = "sandbox"

    def push_apple(self, *, push_token: str, pass_type_id: str, serial: str) -> None:
        repository.record_wallet_push({"channel": "apns", "push_token": push_token,
                                       "topic": pass_type_id, "serial": serial})

    def update_google(self, *, object_id: str, generic_object: dict) -> None:
        repository.record_wallet_push({"channel": "google", "object_id": object_id,
                                       "serial": object_id.rsplit(".", 1)[-1],
                                       "state": generic_object.get("state"),
                                       "object": generic_object})
