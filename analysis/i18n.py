"""The words of the web pages and reports, in English and French.

Kept as data in one place so that both languages stay complete: a test checks that every
key exists in both.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("en", "fr")

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "app": "Paris Call supply-chain registry",
        "home": "Home",
        "signatories": "Signatories",
        "initiatives": "Initiatives",
        "recommendations": "Recommendations",
        "working_groups": "Working groups",
        "by_kind": "by kind",
        "by_status": "by status",
        "by_source": "by source",
        "members": "Members",
        "co_chair": "co-chair",
        "member": "member",
        "observer": "observer",
        "pending_duplicates": "Pending duplicate candidates",
        "confirmed_duplicates": "Confirmed duplicates",
        "duplicates": "Duplicates",
        "gaps": "Gaps",
        "graph": "Graph view",
        "report": "Forum report",
        "report_title": "Forum-readiness report",
        "download": "Download",
        "generated": "Generated on",
        "filter": "Filter",
        "search": "Search",
        "status": "Status",
        "all": "all",
        "title": "Title",
        "language": "Language",
        "topics": "Topics",
        "principles": "Principles",
        "contributors": "Contributors",
        "links": "Links",
        "score": "Score",
        "explanation": "Why",
        "semantic": "meaning",
        "lexical": "wording",
        "graph_overlap": "shared links",
        "review": "Review",
        "confirm": "Confirm duplicate",
        "reject": "Not a duplicate",
        "merge": "Merge into the left one",
        "sign_in": "Sign in",
        "sign_out": "Sign out",
        "token": "API token",
        "signed_in_as": "Signed in as",
        "read_only": "Read only: sign in with a co-chair token to decide.",
        "heatmap": "Coverage by topic and source",
        "heatmap_help": (
            "Each cell: recommendations implemented by an active initiative / recommendations."
        ),
        "topic": "Topic",
        "source": "Source",
        "target": "Target",
        "mapped": "Mapped",
        "principles_without": "Principles without initiatives",
        "topics_without": "Topics without initiatives",
        "stakeholder_gaps": "Stakeholder diversity",
        "missing_kinds": "Missing stakeholder kinds",
        "missing_regions": "Missing regions",
        "uncovered": "Recommendations nobody implements",
        "initiatives_by_topic": "Initiatives by topic",
        "initiatives_by_principle": "Initiatives by principle",
        "crosswalk_coverage": "Crosswalk coverage between sources",
        "provenance": "Data provenance",
        "imported": "imported",
        "none": "none",
        "summary": "Summary",
        "details": "Details",
        "click_node": "Click a node to see its details.",
        "done_confirmed": "Confirmed.",
        "done_rejected": "Rejected: this pair will not be suggested again.",
        "done_merged": "Merged.",
        "failed": "Not done",
        "bad_token": "This token was not accepted.",
        "switch_language": "Français",
        "state": "state or public body",
        "company": "company",
        "civil_society": "civil society",
        "academia": "academia",
        "africa": "Africa",
        "americas": "Americas",
        "asia": "Asia",
        "europe": "Europe",
        "oceania": "Oceania",
        "no_candidates": "No pending candidates.",
        "back": "Back to the working group",
        "imports": "Imports",
        "import_file": "Import a file",
        "topic_suggestions": "Topics for recommendations",
        "topic_suggestions_help": (
            "Imported recommendations without a topic are invisible to the heatmap and the"
            " gaps. Topics are suggested from the taxonomy (the text's meaning and the"
            " concepts it names); untick what is wrong and accept the rest."
        ),
        "no_topic_yet": "No topic yet",
        "no_topic_yet_count": "Recommendations without a topic",
        "with_suggestion": "With a suggestion",
        "every_recommendation_has_topic": "Every active recommendation has a topic.",
        "accept_selected": "Accept the ticked topics",
        "topics_accepted": "{n} topic(s) accepted.",
        "topics_refused": "Only co-chairs, importers and admins may accept topics.",
        "topics_need_token": "Accepting topics needs a co-chair, importer or admin token.",
        "no_topic_link": "Suggest and accept their topics",
        "templates": "Spreadsheet templates",
        "templates_help": (
            "Empty sheets with their columns and a row of allowed values in English and"
            " French: fill one in, then import it here or with pariscall import."
        ),
        "sheet_initiatives": "Initiatives",
        "sheet_signatories": "Signatories",
        "sheet_memberships": "Working-group members",
        "import_help": (
            "Importers load OSCAL catalogs, CISO Assistant libraries and the registry's"
            " own format; co-chairs load spreadsheets of their groups' initiatives and"
            " members; registry files need an admin token."
        ),
        "file": "File",
        "dry_run": "Dry run (check and count, write nothing)",
        "upload": "Import",
        "importing": "Importing…",
        "import_done": "Imported",
        "import_checked": "Checked, nothing written",
        "problems": "Problems",
        "row": "row",
        "field_name": "field",
        "history": "History",
        "started": "Started",
        "format": "Format",
        "by": "By",
        "counts": "Created / updated / unchanged / withdrawn / skipped",
        "no_imports": "No import yet.",
        "imports_need_token": "The import history needs an admin, co-chair or importer token.",
    },
    "fr": {
        "app": "Registre chaîne d'approvisionnement de l'Appel de Paris",
        "home": "Accueil",
        "signatories": "Signataires",
        "initiatives": "Initiatives",
        "recommendations": "Recommandations",
        "working_groups": "Groupes de travail",
        "by_kind": "par type",
        "by_status": "par statut",
        "by_source": "par source",
        "members": "Membres",
        "co_chair": "coprésident",
        "member": "membre",
        "observer": "observateur",
        "pending_duplicates": "Doublons candidats à examiner",
        "confirmed_duplicates": "Doublons confirmés",
        "duplicates": "Doublons",
        "gaps": "Lacunes",
        "graph": "Vue en graphe",
        "report": "Rapport pour le Forum",
        "report_title": "Rapport de préparation au Forum",
        "download": "Télécharger",
        "generated": "Généré le",
        "filter": "Filtrer",
        "search": "Rechercher",
        "status": "Statut",
        "all": "tous",
        "title": "Titre",
        "language": "Langue",
        "topics": "Thèmes",
        "principles": "Principes",
        "contributors": "Contributeurs",
        "links": "Liens",
        "score": "Score",
        "explanation": "Pourquoi",
        "semantic": "sens",
        "lexical": "formulation",
        "graph_overlap": "liens communs",
        "review": "Examiner",
        "confirm": "Confirmer le doublon",
        "reject": "Pas un doublon",
        "merge": "Fusionner dans celle de gauche",
        "sign_in": "Se connecter",
        "sign_out": "Se déconnecter",
        "token": "Jeton d'API",
        "signed_in_as": "Connecté en tant que",
        "read_only": "Lecture seule : connectez-vous avec un jeton de coprésident pour décider.",
        "heatmap": "Couverture par thème et par source",
        "heatmap_help": (
            "Chaque case : recommandations mises en œuvre par une initiative active "
            "/ recommandations."
        ),
        "topic": "Thème",
        "source": "Source",
        "target": "Cible",
        "mapped": "Correspondances",
        "principles_without": "Principes sans initiative",
        "topics_without": "Thèmes sans initiative",
        "stakeholder_gaps": "Diversité des parties prenantes",
        "missing_kinds": "Types de parties prenantes absents",
        "missing_regions": "Régions absentes",
        "uncovered": "Recommandations que personne ne met en œuvre",
        "initiatives_by_topic": "Initiatives par thème",
        "initiatives_by_principle": "Initiatives par principe",
        "crosswalk_coverage": "Correspondances entre sources",
        "provenance": "Provenance des données",
        "imported": "importé le",
        "none": "aucun",
        "summary": "Synthèse",
        "details": "Détails",
        "click_node": "Cliquez sur un nœud pour voir le détail.",
        "done_confirmed": "Confirmé.",
        "done_rejected": "Rejeté : cette paire ne sera plus proposée.",
        "done_merged": "Fusionné.",
        "failed": "Non effectué",
        "bad_token": "Ce jeton n'a pas été accepté.",
        "switch_language": "English",
        "state": "État ou organisme public",
        "company": "entreprise",
        "civil_society": "société civile",
        "academia": "monde académique",
        "africa": "Afrique",
        "americas": "Amériques",
        "asia": "Asie",
        "europe": "Europe",
        "oceania": "Océanie",
        "no_candidates": "Aucun candidat en attente.",
        "back": "Retour au groupe de travail",
        "imports": "Imports",
        "import_file": "Importer un fichier",
        "topic_suggestions": "Thèmes des recommandations",
        "topic_suggestions_help": (
            "Les recommandations importées sans thème n'apparaissent ni dans la carte de"
            " chaleur ni dans les lacunes. Des thèmes sont suggérés à partir de la"
            " taxonomie (le sens du texte et les concepts qu'il nomme) ; décochez ce qui"
            " est faux et acceptez le reste."
        ),
        "no_topic_yet": "Pas encore de thème",
        "no_topic_yet_count": "Recommandations sans thème",
        "with_suggestion": "Avec une suggestion",
        "every_recommendation_has_topic": "Chaque recommandation active a un thème.",
        "accept_selected": "Accepter les thèmes cochés",
        "topics_accepted": "{n} thème(s) accepté(s).",
        "topics_refused": (
            "Seuls les coprésidents, importateurs et administrateurs peuvent accepter des thèmes."
        ),
        "topics_need_token": (
            "Accepter des thèmes demande un jeton de coprésident, d'importateur ou"
            " d'administrateur."
        ),
        "no_topic_link": "Suggérer et accepter leurs thèmes",
        "templates": "Modèles de tableur",
        "templates_help": (
            "Des feuilles vides avec leurs colonnes et une ligne des valeurs permises en"
            " anglais et en français : remplissez-en une, puis importez-la ici ou avec"
            " pariscall import."
        ),
        "sheet_initiatives": "Initiatives",
        "sheet_signatories": "Signataires",
        "sheet_memberships": "Membres des groupes de travail",
        "import_help": (
            "Les importateurs chargent catalogues OSCAL, bibliothèques CISO Assistant et"
            " format propre du registre ; les coprésidents, les tableurs des initiatives et"
            " membres de leurs groupes ; les fichiers de registre demandent un jeton"
            " d'administrateur."
        ),
        "file": "Fichier",
        "dry_run": "Essai (vérifier et compter, sans rien écrire)",
        "upload": "Importer",
        "importing": "Import en cours…",
        "import_done": "Importé",
        "import_checked": "Vérifié, rien d'écrit",
        "problems": "Problèmes",
        "row": "ligne",
        "field_name": "champ",
        "history": "Historique",
        "started": "Début",
        "format": "Format",
        "by": "Par",
        "counts": "Créés / modifiés / inchangés / retirés / ignorés",
        "no_imports": "Aucun import pour l'instant.",
        "imports_need_token": (
            "L'historique des imports demande un jeton d'administrateur, de coprésident"
            " ou d'importateur."
        ),
    },
}


def text(lang: str) -> Mapping[str, str]:
    return _TEXT[lang if lang in _TEXT else "en"]


def missing_keys() -> dict[str, set[str]]:
    """Keys present in one language and not the other (empty when complete)."""
    keys = {lang: set(words) for lang, words in _TEXT.items()}
    every = set().union(*keys.values())
    return {lang: every - found for lang, found in keys.items() if every - found}
