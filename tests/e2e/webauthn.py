"""A passkey authenticator in Chromium: the DevTools protocol's WebAuthn domain (a virtual
authenticator, as a phone's or a laptop's built-in one), reached from Playwright's CDP session.
It lives as long as the page (its tab), across navigations; user verification (fingerprint,
face, code) is simulated, and can be made to fail."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class VirtualAuthenticator:
    cdp: object
    authenticator_id: str

    def credentials(self) -> list[dict]:
        return self.cdp.send("WebAuthn.getCredentials",
                             {"authenticatorId": self.authenticator_id})["credentials"]

    def user_verifies(self, verified: bool) -> None:
        """Whether the next prompt's user verification succeeds (False: she cannot unlock,
        or cancels)."""
        self.cdp.send("WebAuthn.setUserVerified",
                      {"authenticatorId": self.authenticator_id, "isUserVerified": verified})

    def remove(self) -> None:
        self.cdp.send("WebAuthn.removeVirtualAuthenticator",
                      {"authenticatorId": self.authenticator_id})


def add_authenticator(page) -> VirtualAuthenticator:
    """A platform authenticator (CTAP2, internal transport) that keeps discoverable
    credentials and verifies its user, answering every prompt at once."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    answer = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True}})
    return VirtualAuthenticator(cdp, answer["authenticatorId"])


def on_localhost(base_url: str) -> str:
    """The stack's address with `localhost` for host: WebAuthn takes no IP address as a
    relying party id (Chromium refuses it), the site's domain does."""
    return base_url.replace("127.0.0.1", "localhost")
