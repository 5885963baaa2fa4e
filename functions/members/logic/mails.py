"""The emails of the account's life, in French. A code goes only to the address it proves; a
notice goes to the address on file before the change, so that she can react if it was not
her. None says anything about her health or her money."""

from __future__ import annotations

from shared.settings import get_settings

NEVER_ASKED = ("Nous ne vous demanderons jamais votre mot de passe ni ce code par téléphone, "
               "SMS ou e-mail.")


def _sign(lines: list[str]) -> str:
    settings = get_settings()
    return "\n".join([*lines, "", NEVER_ASKED, "", settings.brand_name,
                      f"{settings.site_url}/"])


def email_code(code: str, minutes: int) -> tuple[str, str]:
    return ("Confirmez votre nouvelle adresse e-mail", _sign([
        "Bonjour,", "",
        "Vous avez demandé à utiliser cette adresse pour votre espace adhérent. Pour le "
        "confirmer, saisissez ce code dans la page « Mes infos perso » :", "",
        f"    {code}", "",
        f"Il est valable {minutes} minutes. Si vous n'êtes pas à l'origine de cette demande, "
        "ignorez ce message : rien ne changera."]))


def email_in_use() -> tuple[str, str]:
    return ("Votre adresse e-mail est déjà utilisée", _sign([
        "Bonjour,", "",
        "Quelqu'un a demandé à utiliser cette adresse pour un espace adhérent. Elle sert déjà à "
        "se connecter à un autre compte : nous n'avons donc envoyé aucun code et rien n'a "
        "changé.", "",
        "Si c'était vous, choisissez une autre adresse, ou contactez-nous pour regrouper vos "
        "accès. Sinon, vous n'avez rien à faire."]))


def email_change_asked(new_masked: str, minutes: int) -> tuple[str, str]:
    return ("Demande de changement de votre adresse e-mail", _sign([
        "Bonjour,", "",
        f"Un changement de l'adresse e-mail de votre espace adhérent vers {new_masked} vient "
        f"d'être demandé. Il prendra effet si le code envoyé à cette adresse est saisi dans les "
        f"{minutes} minutes.", "",
        "Si vous n'êtes pas à l'origine de cette demande, changez votre mot de passe (« Mot de "
        "passe oublié ? » sur la page de connexion) et appelez-nous sans attendre."]))


def email_changed(new_masked: str) -> tuple[str, str]:
    return ("Votre adresse e-mail a été changée", _sign([
        "Bonjour,", "",
        f"L'adresse e-mail de votre espace adhérent vient d'être remplacée par {new_masked}. "
        "C'est désormais elle qui sert à vous connecter et à recevoir nos messages.", "",
        "Si vous n'êtes pas à l'origine de ce changement, appelez-nous sans attendre : nous "
        "bloquerons l'accès à votre compte."]))


def password_changed() -> tuple[str, str]:
    return ("Votre mot de passe a été changé", _sign([
        "Bonjour,", "",
        "Le mot de passe de votre espace adhérent vient d'être changé, et vos sessions "
        "ouvertes ont été fermées.", "",
        "Si vous n'êtes pas à l'origine de ce changement, choisissez un nouveau mot de passe "
        "avec « Mot de passe oublié ? » sur la page de connexion, et appelez-nous."]))


def reset_code(code: str, minutes: int) -> tuple[str, str]:
    return ("Votre code pour choisir un nouveau mot de passe", _sign([
        "Bonjour,", "",
        "Vous avez demandé à choisir un nouveau mot de passe pour votre espace adhérent. "
        "Saisissez ce code sur la page « Mot de passe oublié » :", "",
        f"    {code}", "",
        f"Il est valable {minutes} minutes. Si vous n'avez rien demandé, ignorez ce message : "
        "votre mot de passe actuel reste valable."]))


def reset_no_account() -> tuple[str, str]:
    return ("Votre demande de nouveau mot de passe", _sign([
        "Bonjour,", "",
        "Quelqu'un a demandé à choisir un nouveau mot de passe pour un espace adhérent avec "
        "cette adresse, mais aucun espace adhérent ne s'y connecte.", "",
        "Si c'était vous : vérifiez l'adresse avec laquelle vous vous connectez, ou créez votre "
        "espace avec « Je n'ai pas encore de compte » sur la page de connexion. Sinon, ignorez "
        "ce message."]))


def password_reset() -> tuple[str, str]:
    return ("Votre mot de passe a été réinitialisé", _sign([
        "Bonjour,", "",
        "Un nouveau mot de passe vient d'être choisi pour votre espace adhérent avec un code "
        "envoyé à cette adresse. Vos sessions ouvertes ont été fermées.", "",
        "Si vous n'êtes pas à l'origine de ce changement, appelez-nous sans attendre."]))


def signup_code(first_name: str, code: str, minutes: int) -> tuple[str, str]:
    return ("Votre code pour créer votre espace adhérent", _sign([
        f"Bonjour {first_name},", "",
        "Pour créer votre espace adhérent, saisissez ce code sur la page « Je n'ai pas encore "
        "de compte », puis choisissez votre mot de passe :", "",
        f"    {code}", "",
        f"Il est valable {minutes} minutes. Si vous n'avez rien demandé, ignorez ce message : "
        "aucun compte ne sera créé."]))


def signup_exists(first_name: str) -> tuple[str, str]:
    return ("Vous avez déjà un espace adhérent", _sign([
        f"Bonjour {first_name},", "",
        "Vous avez demandé à créer votre espace adhérent, mais vous en avez déjà un. "
        "Connectez-vous avec votre adresse e-mail ; si vous avez oublié votre mot de passe, "
        "choisissez « Mot de passe oublié ? » sur la page de connexion."]))


def signup_unmatched() -> tuple[str, str]:
    return ("Votre demande de création d'espace adhérent", _sign([
        "Bonjour,", "",
        "Quelqu'un a demandé à créer un espace adhérent avec cette adresse, mais les "
        "informations saisies ne correspondent pas à un dossier d'adhérent sans espace.", "",
        "Si c'était vous : saisissez votre numéro d'adhérent (sur votre carte de tiers payant), "
        "votre date de naissance et l'adresse e-mail que votre mutuelle connaît. Si vous avez "
        "déjà un espace, choisissez « Mot de passe oublié ? ». Sinon, ignorez ce message."]))


def account_created(first_name: str) -> tuple[str, str]:
    return ("Bienvenue dans votre espace adhérent", _sign([
        f"Bonjour {first_name},", "",
        "Votre espace adhérent est créé : connectez-vous avec cette adresse e-mail et le mot "
        "de passe que vous venez de choisir pour suivre vos remboursements, vos demandes et "
        "vos documents.", "",
        "Si vous n'êtes pas à l'origine de cette création, appelez-nous sans attendre."]))
