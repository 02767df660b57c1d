"""A French-English glossary of supply-chain security, mapping both languages onto concepts.

Two texts that say the same thing in two languages share few words but many concepts:
"nomenclature logicielle" and "SBOM" are one concept, so are "sous-traitant" and
"supplier". Each concept has a facet, because what differs between two initiatives on
one topic is usually what they deliver, for whom, or at what scale: a deliverable or an
audience that differs is evidence against a duplicate, a subject that matches is evidence
for one. Phrases are matched on Snowball stems with accents folded, so plurals and
inflections ("fournisseurs", "signalées", "updates") count as their base form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

import snowballstemmer

from schema.text import fold as text_fold


class Facet(StrEnum):
    SUBJECT = "subject"  # what the initiative is about
    DELIVERABLE = "deliverable"  # what it produces: a guide, a fund, a label, a platform
    AUDIENCE = "audience"  # whom it serves or binds
    SCOPE = "scope"  # national, European, international


@dataclass(frozen=True)
class Concept:
    key: str
    label: str  # English label shown in explanations
    facet: Facet
    en: tuple[str, ...]
    fr: tuple[str, ...]


S, D, A, G = Facet.SUBJECT, Facet.DELIVERABLE, Facet.AUDIENCE, Facet.SCOPE

# One row per concept: key, English label, facet, English phrases, French phrases.
# Loanwords used in French texts (SBOM, cloud, open source) appear on both sides.
_TABLE: tuple[tuple[str, str, Facet, str, str], ...] = (
    ("sbom", "SBOM", S, "sbom|software bill of materials|bill of materials|bills of materials",
     "sbom|nomenclature logicielle|nomenclature|nomenclatures logicielles"),
    ("vex", "exploitability statement", S, "vex|exploitability|actually affects|can be exploited",
     "vex|exploitabilite|touche reellement|exploitable"),
    ("vulnerability", "vulnerability", S, "vulnerability|vulnerabilities|flaw|security flaw|weakness|bug",
     "vulnerabilite|faille|faiblesse"),
    ("disclosure", "coordinated disclosure", S,
     "disclosure|coordinated disclosure|vulnerability report|report vulnerabilities|reporting",
     "divulgation|divulgation coordonnee|signalement|signaler|remonte"),
    ("researcher", "security researcher", A, "researcher|security researcher|bug hunter",
     "chercheur|chercheur en securite"),
    ("bounty", "bug bounty", D, "bug bounty|bounty|reward", "prime aux bogues|bug bounty|recompense"),
    ("safe-harbour", "legal protection", S,
     "safe harbour|safe harbor|prosecuted|prosecution|criminal law|legal protection|good faith",
     "poursuite|code penal|protection juridique|bonne foi|juridiquement"),
    ("embargo", "embargo", S, "embargo|publication date", "embargo|date de publication"),
    ("supplier", "supplier", S,
     "supplier|vendor|provider|subcontractor|contractor|third party|third-party|maintenance provider",
     "fournisseur|prestataire|sous-traitant|sous traitant|editeur|fabricant|titulaire|donneur d'ordre"),
    ("criticality", "criticality", S, "criticality|critical supplier|tier|tiers|most critical",
     "criticite|niveau|plus sensible|essentiel"),
    ("monitoring", "continuous monitoring", S,
     "monitoring|scans|scan|internet-facing|exposed|exposure",
     "surveillance|veille|analyse|expose|exposition"),
    ("exit-plan", "exit plan", D, "exit plan|exit strategy|switch to another provider",
     "plan de sortie|strategie de sortie|changer de fournisseur"),
    ("mutual-recognition", "mutual recognition", S,
     "mutual recognition|accept each other|trust one another|reuse|assessed once",
     "reconnaissance mutuelle|reutiliser|une seule fois"),
    ("questionnaire", "questionnaire", D, "questionnaire|list of questions|questions",
     "questionnaire|liste de questions|questions"),
    ("open-source", "open source", S,
     "open source|open-source|free software|library|libraries|package|packages",
     "open source|logiciel libre|libre|libres|bibliotheque|paquet|composant libre|brique libre"),
    ("maintainer", "maintainer", A, "maintainer|maintainers", "mainteneur|mainteneurs"),
    ("registry", "package registry", S, "registry|registries|package registry", "depot de paquets|depot"),
    ("fund", "fund", D, "fund|funding|pool money|pays|pay|grant|grants",
     "fonds|financement|financer|remunerer|pot commun|subvention"),
    ("census", "census of critical components", D, "census|identifies|study|survey",
     "recensement|etude|enquete|repere"),
    ("scorecard", "scorecard", D, "scorecard|score|rates|rating",
     "score|note|notation|evaluation automatique"),
    ("signature", "signing", S, "sign|signed|signing|signature", "signature|signer|signe"),
    ("transparency-log", "transparency log", D,
     "transparency log|append-only|append only|tamper-evident|log",
     "journal public|journal de transparence|registre public"),
    ("update", "security update", S, "update|updates|patch|patches|fix|fixes|security updates",
     "mise a jour|mises a jour|correctif|correctifs|corriger|correction"),
    ("end-of-support", "end of support", S,
     "end of security support|end of support|support period|no longer receive|out-of-support|unsupported",
     "fin du support|fin des correctifs|duree de support|ne recevra plus|ne recoivent plus|obsolete"),
    ("automatic", "automatic installation", S, "automatic|automatically|by default|silently",
     "automatique|automatiquement|d'eux-memes|s'installent|par defaut"),
    ("deadline", "deadline", S, "within|days|hours|months|ahead|delay|deadline",
     "sous|jours|heures|mois|delai|avance|au plus tard"),
    ("secure-development", "secure development", S,
     "secure development|secure coding|developers|development|code|coding",
     "developpement securise|developpeur|code|coder|developper"),
    ("threat-modelling", "threat modelling", S, "threat modelling|threat modeling|threats to|list the threats",
     "analyse de menaces|modelisation des menaces|menaces qui pesent"),
    ("code-review", "code review", D, "code review|reviewer|reviewers|pull request|change request|merging",
     "revue de code|relecture"),
    ("checklist", "checklist", D, "checklist|list of points|short list", "liste de controle|liste de points"),
    ("memory-safety", "memory safety", S, "memory-safe|memory safe|memory safety|memory-safe languages",
     "surs pour la memoire|sure pour la memoire|gestion de la memoire|erreurs de gestion de la memoire"),
    ("secure-default", "secure by default", S,
     "secure by default|secure-by-default|enabled by default|switched on|at no extra cost",
     "securite par defaut|active par defaut|activee par defaut|sans surcout"),
    ("authentication", "strong authentication", S,
     "multi-factor authentication|mfa|authentication|passwords|password",
     "authentification forte|authentification|mot de passe|mots de passe"),
    ("build", "build pipeline", S,
     "build|build pipeline|build servers|continuous integration|artefacts|artifacts",
     "compilation|chaine de compilation|integration continue|artefacts"),
    ("iot", "connected devices", S,
     "connected device|connected devices|iot|smart device|smart home|connected products|devices",
     "objet connecte|objets connectes|produits connectes|appareil connecte"),
    ("medical-device", "medical devices", S,
     "medical device|infusion pumps|monitors|imaging", "dispositif medical|pompes|moniteurs|imagerie"),
    ("toys", "connected toys", S, "toy|toys", "jouet|jouets"),
    ("industrial-control", "industrial control systems", S,
     "plc|programmable logic controller|programmable controllers|controller|controllers|sensor|sensors|plant|plants|industrial systems|industrial control|industrial network|operational technology|ot",
     "automate|automates|capteur|capteurs|usine|installations industrielles|equipements industriels|systemes industriels"),
    ("remote-access", "remote access", S,
     "remote access|connect remotely|remote maintenance|gateway|session recording",
     "acces a distance|telemaintenance|passerelle|enregistrement des sessions|a distance"),
    ("inventory", "inventory", D, "inventory|list every|asset|assets|record which|list the systems",
     "inventaire|cartographie|liste de leurs|recenser"),
    ("firmware", "firmware", S, "firmware", "micrologiciel"),
    ("incident", "incident", S,
     "incident|incidents|attack|attacks|cyberattack|compromise|compromised|breach|hit by",
     "incident|incidents|attaque|attaques|compromission|compromis|pirate|piratage|victime"),
    ("notification", "incident notification", S,
     "notification|notify|tell their customers|warn|inform customers|report incidents",
     "notification|notifier|prevenir|avertir|informer|alerte"),
    ("ransomware", "ransomware", S, "ransomware", "rancongiciel"),
    ("form", "form", D, "form|forms|template|standard form", "formulaire|formulaires"),
    ("playbook", "playbook", D, "playbook|step-by-step|instructions", "fiche reflexe|marche a suivre"),
    ("exercise", "exercise", D, "exercise|drill|simulation|rehearse|practise|practice",
     "exercice|simulation|entrainer|repetent|repeter"),
    ("csirt", "incident response team", D,
     "csirt|cert|certs|response team|incident response team|computer emergency response",
     "csirt|cert|equipe de reponse|centre de reponse|reponse aux incidents"),
    ("threat-intel", "threat information", S,
     "threat|threats|indicators of compromise|threat intelligence|attack reports",
     "menace|menaces|indicateurs de compromission|renseignement|retours d'attaques"),
    ("sharing", "information sharing", S, "sharing|share|shares|pool|exchange|isac|community",
     "partage d'informations|partager|mettre en commun|mettent en commun|echange|communaute|cercle"),
    ("feed", "threat bulletin", D, "feed|bulletin|newsletter|summary", "bulletin|flux|lettre"),
    ("alert", "alert network", D, "alert|alerts|warns|warning network", "alerte|reseau d'alerte"),
    ("cloud", "cloud", S, "cloud|cloud services|cloud provider|tenant|hosting",
     "cloud|nuage|informatique en nuage|services en nuage|hebergement"),
    ("logs", "security logs", S, "logs|logging|security logs", "journaux|journalisation|traces"),
    ("shared-responsibility", "shared responsibility", S,
     "shared responsibility|which security tasks|remain with the customer",
     "responsabilites|incombent|a la charge du client|qui fait quoi"),
    ("sovereignty", "immunity to extraterritorial law", S,
     "extraterritorial|sovereign|trusted cloud", "extraterritoriales|souverain|cloud de confiance|nuage de confiance"),
    ("migration", "migration", S, "moving to|move to|migration|migrate", "migration|migrer|passer au"),
    ("certification", "certification", D,
     "certification|certified|certify|qualification|qualified|accreditation|accredited|common criteria|assurance levels",
     "certification|certifie|qualification|qualifie|qualifies|accreditation|criteres communs"),
    ("label", "label", D, "label|labelled|seal|distinction", "label|labellise|distinction"),
    ("iso27001", "ISO 27001", S, "iso 27001|iso", "iso 27001|iso"),
    ("audit", "audit", D, "audit|audits|auditor|auditors|assessment|assessed|diagnostic",
     "audit|audits|auditeur|auditeurs|diagnostic|evaluation de securite|controle"),
    ("requirements", "security requirements", S,
     "requirements|requirement|rules|mandatory|baseline|minimum|must meet|demands",
     "exigences|exigence|regles|obligatoire|socle|minimal|minimales|doivent remplir"),
    ("guide", "guide", D, "guide|guidance|fact sheets|handbook",
     "guide|recommandations|fiches|referentiel"),
    ("charter", "charter", D, "charter|pledge|commit|commitment|promise|signing companies",
     "charte|engagement|s'engagent|engagent|promettent|signataires"),
    ("platform", "platform", D, "platform|portal|repository|database|catalogue|register|shared repository",
     "plateforme|portail|base|base de donnees|catalogue|registre|depot partage|annuaire"),
    ("contract-clause", "contract clause", D,
     "clause|clauses|contract|contracts|contractual", "clause|clauses|contrat|contrats|contractuelle"),
    ("procurement", "procurement", S,
     "procurement|tender|tenders|bids|award|public buyers|buyers|purchase|buy|buying|bought",
     "achat|achats|appel d'offres|appels d'offres|marche public|marches publics|offre|acheteur|acheteurs|acheter"),
    ("helpdesk", "helpdesk", D, "helpdesk|help desk|experts answer|support service",
     "service d'appui|assistance|service d'assistance|experts repondent"),
    ("training", "training", D,
     "training|course|e-learning|workshop|workshops|sessions|teach|teaching|learn|briefing|briefings",
     "formation|cours|atelier|ateliers|seance|seances|sessions|former|apprendre|sensibiliser"),
    ("awareness", "awareness campaign", D, "awareness|campaign|campaigns|habits",
     "sensibilisation|campagne|campagnes|gestes|habitudes"),
    ("phishing", "phishing", S, "phishing", "hameconnage|phishing"),
    ("voucher", "voucher", D, "voucher|vouchers|subsidy", "cheque|cheques|aide|subvention"),
    ("apprenticeship", "apprenticeship", D, "apprenticeship|apprenticeships|work-study",
     "alternance|apprentissage"),
    ("board", "board members", A, "board|boards|board members|directors", "conseil d'administration|administrateurs"),
    ("sme", "small businesses", A,
     "small business|small businesses|small firms|small companies|sme|smes|small and medium|small software|small suppliers|small organisations",
     "pme|tpe|petite entreprise|petites entreprises|petits editeurs|petits fournisseurs|tres petites entreprises"),
    ("public-sector", "public administrations", A,
     "public administration|public administrations|ministries|ministry|agencies|government|public buyers|public sector|state",
     "administration|administrations|ministere|ministeres|agence|etat|acheteurs publics|administration centrale"),
    ("municipality", "local authorities", A, "municipalities|city|cities|local authorities|councils",
     "collectivite|collectivites|departement|departements|mairie|municipalite|communes et departements"),
    ("health", "health sector", A, "hospital|hospitals|health|healthcare|clinics|medical",
     "hopital|hopitaux|sante|clinique|cliniques|etablissements de sante|medicaux"),
    ("energy", "energy sector", A, "energy|electricity|gas|power|grid|substation|transmission",
     "energie|electricite|gaz|reseau electrique|poste electrique"),
    ("water", "water utilities", A, "water|water utilities|treatment plants", "eau|regie des eaux|usines de traitement"),
    ("finance", "financial sector", A, "financial|banks|insurers|financial institutions", "banque|banques|assureurs|financier"),
    ("manufacturing", "manufacturers", A, "manufacturers|manufacturing|industrial buyers|industrial customers|industrial|industry",
     "industriels|industrie|fabricants|acheteurs industriels|grands acheteurs industriels"),
    ("consumer", "consumers", A, "consumer|consumers|citizens|people|households|off the shelf",
     "consommateur|consommateurs|particuliers|grand public|citoyens|usagers"),
    ("critical-operators", "critical operators", A,
     "critical operators|essential services|operators of essential services|critical infrastructure|critical systems",
     "operateurs d'importance vitale|services essentiels|importance vitale|systemes critiques"),
    ("national", "national scope", G, "national|country|nationwide", "national|nationale|pays|francaise"),
    ("european", "European scope", G, "european|eu|union|eu-level|member state|member states|across the union",
     "europeen|europeenne|union|union europeenne|etats membres"),
    ("international", "international scope", G,
     "international|intergovernmental|several countries|cross-border|neighbouring countries|across borders",
     "international|intergouvernemental|plusieurs pays|transfrontalier|pays voisins"),
)  # fmt: skip

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_CURLY_APOSTROPHE = "\u2019"
_STEMMERS = {"en": "english", "fr": "french"}


def fold(text: str) -> str:
    """Accents and case folded, and the typographic apostrophe made plain."""
    return text_fold(text).replace(_CURLY_APOSTROPHE, "'")


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer(_STEMMERS.get(language, "english"))


@lru_cache(maxsize=200_000)
def _stem(word: str, language: str) -> str:
    result: str = _stemmer(language).stemWord(word)
    return result


def stems(text: str, language: str) -> tuple[str, ...]:
    """The text's words, accent-folded and stemmed in its language (elisions split off)."""
    out: list[str] = []
    for token in _WORD.findall(fold(text)):
        for word in re.split(r"[-']", token):
            if word and word not in _ELIDED:
                out.append(_stem(word, language))
    return tuple(out)


# What an apostrophe cuts off in French (d'eux, l'agence, qu'on): not words of their own.
_ELIDED = frozenset({"d", "l", "qu", "s", "j", "n", "m", "c", "t", ""})


@dataclass(frozen=True)
class _Phrase:
    concept: str
    stems: tuple[str, ...]


CONCEPTS: Mapping[str, Concept] = {
    key: Concept(key, label, facet, tuple(en.split("|")), tuple(fr.split("|")))
    for key, label, facet, en, fr in _TABLE
}
# Each concept's column in the per-record concept matrices (analysis/pair_features.py).
COLUMNS: Mapping[str, int] = {key: n for n, key in enumerate(CONCEPTS)}


@lru_cache(maxsize=2)
def _index(language: str) -> dict[str, list[_Phrase]]:
    """Phrases of one language indexed by their first stem, longest first."""
    index: dict[str, list[_Phrase]] = {}
    for concept in CONCEPTS.values():
        for phrase in concept.en if language == "en" else concept.fr:
            stemmed = stems(phrase, language)
            if stemmed:
                index.setdefault(stemmed[0], []).append(_Phrase(concept.key, stemmed))
    for candidates in index.values():
        candidates.sort(key=lambda p: -len(p.stems))
    return index


def concepts(text: str, language: str) -> frozenset[str]:
    """Keys of the concepts a text mentions (longest phrase wins at each position)."""
    return concepts_of(stems(text, language), language)


def concepts_of(words: tuple[str, ...], language: str) -> frozenset[str]:
    """concepts() for a text already cut into stems (by stems(), in the same language)."""
    language = language if language in _STEMMERS else "en"
    index = _index(language)
    found: set[str] = set()
    n = 0
    while n < len(words):
        step = 1
        for phrase in index.get(words[n], ()):
            if words[n : n + len(phrase.stems)] == phrase.stems:
                found.add(phrase.concept)
                step = len(phrase.stems)
                break
        n += step
    return frozenset(found)


def by_facet(keys: Iterable[str], facet: Facet) -> frozenset[str]:
    return frozenset(k for k in keys if CONCEPTS[k].facet is facet)


def labels(keys: Iterable[str]) -> list[str]:
    return sorted(CONCEPTS[k].label for k in keys)


# What French pages show for each concept (the English label is the table's).
FRENCH_LABELS: dict[str, str] = {
    "sbom": "SBOM", "vex": "déclaration d'exploitabilité", "vulnerability": "vulnérabilité",
    "disclosure": "divulgation coordonnée", "researcher": "chercheur en sécurité",
    "bounty": "prime aux bogues", "safe-harbour": "protection juridique", "embargo": "embargo",
    "supplier": "fournisseur", "criticality": "criticité", "monitoring": "surveillance continue",
    "exit-plan": "plan de réversibilité", "mutual-recognition": "reconnaissance mutuelle",
    "questionnaire": "questionnaire", "open-source": "open source", "maintainer": "mainteneur",
    "registry": "registre de paquets", "fund": "fonds",
    "census": "recensement des composants critiques", "scorecard": "tableau de notation",
    "signature": "signature", "transparency-log": "journal de transparence",
    "update": "mise à jour de sécurité", "end-of-support": "fin du support",
    "automatic": "installation automatique", "deadline": "délai",
    "secure-development": "développement sécurisé", "threat-modelling": "modélisation des menaces",
    "code-review": "revue de code", "checklist": "liste de contrôle",
    "memory-safety": "sûreté mémoire", "secure-default": "sécurité par défaut",
    "authentication": "authentification forte", "build": "chaîne de compilation",
    "iot": "objets connectés", "medical-device": "dispositifs médicaux",
    "toys": "jouets connectés", "industrial-control": "systèmes de contrôle industriels",
    "remote-access": "accès à distance", "inventory": "inventaire", "firmware": "micrologiciel",
    "incident": "incident", "notification": "notification d'incident",
    "ransomware": "rançongiciel", "form": "formulaire", "playbook": "procédure de réponse",
    "exercise": "exercice", "csirt": "équipe de réponse aux incidents",
    "threat-intel": "renseignement sur la menace", "sharing": "partage d'information",
    "feed": "bulletin de menaces", "alert": "réseau d'alerte", "cloud": "cloud",
    "logs": "journaux de sécurité", "shared-responsibility": "responsabilité partagée",
    "sovereignty": "immunité aux lois extraterritoriales", "migration": "migration",
    "certification": "certification", "label": "label", "iso27001": "ISO 27001",
    "audit": "audit", "requirements": "exigences de sécurité", "guide": "guide",
    "charter": "charte", "platform": "plateforme", "contract-clause": "clause contractuelle",
    "procurement": "achats", "helpdesk": "assistance", "training": "formation",
    "awareness": "campagne de sensibilisation", "phishing": "hameçonnage",
    "voucher": "chèque", "apprenticeship": "apprentissage",
    "board": "membres de la direction", "sme": "PME",
    "public-sector": "administrations publiques", "municipality": "collectivités locales",
    "health": "secteur de la santé", "energy": "secteur de l'énergie",
    "water": "services de l'eau", "finance": "secteur financier",
    "manufacturing": "fabricants", "consumer": "consommateurs",
    "critical-operators": "opérateurs critiques", "national": "portée nationale",
    "european": "portée européenne", "international": "portée internationale",
}  # fmt: skip


def label(key: str, lang: str = "en") -> str:
    """A concept as a person reads it, in `lang` (its key if unknown)."""
    concept = CONCEPTS.get(key)
    if concept is None:
        return key
    return FRENCH_LABELS.get(key, concept.label) if lang == "fr" else concept.label
