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
        "principles_without": "Principles without an active initiative",
        "topics_without": "Topics without an active initiative",
        "unmapped_pairs": "Pairs of sources with no mapping yet: {n}.",
        "stakeholder_gaps": "Stakeholder diversity",
        "missing_kinds": "Missing stakeholder kinds",
        "missing_regions": "Missing regions",
        "uncovered": "Recommendations nobody implements",
        "crosswalk_review": "Crosswalk suggestion",
        "crosswalk_paths": "Paths through published crosswalks",
        "no_path": "No published crosswalk joins the two: the texts alone speak.",
        "relation": "Relation",
        "relation_equal": "equal",
        "relation_subset_of": "subset of",
        "relation_superset_of": "superset of",
        "relation_intersects_with": "intersects with",
        "covered_through_crosswalks": "Covered through a published or confirmed crosswalk: {n}.",
        "probably_covered": "Probably covered — review",
        "probably_covered_help": "Equal to, or part of, a recommendation an initiative "
        "implements, according to a crosswalk suggestion nobody has confirmed yet.",
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
        "no_candidates": (
            "No pair to review. Suggestions appear when they are refreshed (the API's"
            " refreshDuplicateCandidates, or pariscall analyze duplicates)."
        ),
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
        "principles_without": "Principes sans initiative active",
        "topics_without": "Thèmes sans initiative active",
        "unmapped_pairs": "Paires de sources sans correspondance à ce jour : {n}.",
        "stakeholder_gaps": "Diversité des parties prenantes",
        "missing_kinds": "Types de parties prenantes absents",
        "missing_regions": "Régions absentes",
        "uncovered": "Recommandations que personne ne met en œuvre",
        "crosswalk_review": "Correspondance suggérée",
        "crosswalk_paths": "Chemins par des correspondances publiées",
        "no_path": "Aucune correspondance publiée ne relie les deux : seuls les textes parlent.",
        "relation": "Relation",
        "relation_equal": "égale",
        "relation_subset_of": "incluse dans",
        "relation_superset_of": "inclut",
        "relation_intersects_with": "recoupe",
        "covered_through_crosswalks": "Couvertes par une correspondance publiée ou "
        "confirmée : {n}.",
        "probably_covered": "Probablement couvertes — à vérifier",
        "probably_covered_help": "Égales à une recommandation qu'une initiative met en œuvre, "
        "ou incluses dans une telle recommandation, selon une correspondance suggérée que "
        "personne n'a encore confirmée.",
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
        "no_candidates": (
            "Aucune paire à examiner. Les suggestions apparaissent quand elles sont"
            " recalculées (refreshDuplicateCandidates dans l'API, ou pariscall analyze"
            " duplicates)."
        ),
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


# Collaboration: calls, proposals, threads and the activity feed.
_COLLABORATION: dict[str, dict[str, str]] = {
    "en": {
        "calls": "Calls for contributions",
        "no_calls": (
            "No call for contributions yet. A co-chair opens one to tell signatories which"
            " topics the group is looking for."
        ),
        "deadline": "Deadline",
        "topics_sought": "Topics sought",
        "still_missing": "Still missing",
        "answers": "Answers",
        "open_call": "Open a call for contributions",
        "close_call": "Close the call",
        "description": "Description",
        "call_closed": "closed",
        "proposals": "Proposals",
        "no_proposals": (
            "No proposal yet. Signatories propose the initiatives they lead from this page."
        ),
        "proposals_hidden": (
            "Proposals are shown to the group's co-chairs and to the organisations that make them."
        ),
        "proposed_by": "Proposed by",
        "made_for": "for",
        "state_open": "open",
        "state_accepted": "accepted",
        "state_declined": "declined",
        "state_withdrawn": "withdrawn",
        "accept": "Accept",
        "decline": "Decline",
        "withdraw": "Withdraw",
        "reason": "Reason",
        "propose": "Propose one of your initiatives",
        "nothing_to_propose": "None of the initiatives you lead can be proposed to this group.",
        "initiative": "Initiative",
        "message": "Message",
        "answering": "Answering the call",
        "no_call": "(no call)",
        "send": "Send",
        "discussion": "Discussion",
        "no_comments": "No comment yet.",
        "add_comment": "Add a comment",
        "markdown_hint": (
            "Plain text; **bold**, _italic_, `code` and web links are shown as such."
        ),
        "comment_deleted": "Comment deleted by",
        "edited": "edited",
        "activity": "Activity",
        "no_activity": "Nothing yet.",
        "done": "Done.",
        "act_create_initiative": "created an initiative",
        "act_edit_initiative": "edited an initiative",
        "act_track_initiative": "linked an initiative to the group",
        "act_decide_duplicate": "decided a duplicate pair",
        "act_merge_initiatives": "merged initiatives",
        "act_decide_mapping": "decided a crosswalk entry",
        "act_accept_topics": "accepted topic suggestions",
        "act_refresh_analysis": "refreshed the suggestions",
        "act_manage_members": "changed the members",
        "act_create_signatory": "added a signatory",
        "act_edit_signatory": "edited a signatory",
        "act_create_working_group": "created the group",
        "act_edit_working_group": "edited the group",
        "act_edit_topic": "edited a topic",
        "act_import_recommendations": "imported recommendations",
        "act_import_registry_data": "imported registry data",
        "act_import_spreadsheet": "imported a spreadsheet",
        "act_propose_initiative": "proposed an initiative",
        "act_decide_proposal": "decided a proposal",
        "act_accept_proposal": "accepted a proposal",
        "act_decline_proposal": "declined a proposal",
        "act_withdraw_proposal": "withdrew a proposal",
        "act_revise_proposal": "revised a proposal",
        "act_manage_calls": "opened or closed a call",
        "act_open_call": "opened a call for contributions",
        "act_close_call": "closed a call for contributions",
        "act_comment": "commented",
        "act_moderate_comments": "deleted a comment",
        "act_archive_initiative": "archived an initiative",
        "act_link_initiative": "linked an initiative",
        "act_unlink_initiative": "unlinked an initiative",
        "act_untrack_initiative": "removed an initiative from the group",
        "act_set_contributor": "named a contributor",
        "act_remove_contributor": "removed a contributor",
        "act_invite_contributor": "invited an organisation to contribute",
        "act_cancel_invitation": "cancelled an invitation to contribute",
        "act_accept_contribution": "accepted to contribute",
        "act_decline_contribution": "declined to contribute",
        "act_add_member": "added a member",
        "act_remove_member": "removed a member",
        "act_create_topic": "added a topic",
        "act_confirm_duplicate": "confirmed a duplicate pair",
        "act_reject_duplicate": "rejected a duplicate pair",
        "act_accept_mapping": "accepted a crosswalk entry",
        "act_reject_mapping": "rejected a crosswalk entry",
        "act_unmerge_initiatives": "undid a merge",
        "act_add_comment": "commented",
        "act_edit_comment": "edited a comment",
        "act_delete_comment": "deleted a comment",
        "act_moderate_comment": "removed someone's comment",
        "act_create_webhook": "registered a webhook",
        "act_disable_webhook": "disabled a webhook",
        "act_manage_webhooks": "changed a webhook",
        "act_create_token": "created an API token",
        "act_revoke_token": "revoked an API token",
        "act_import_mappings": "imported a crosswalk",
        "act_import_registry": "restored a registry file",
        "act_import_initiatives": "imported a spreadsheet of initiatives",
        "act_import_signatories": "imported a spreadsheet of signatories",
        "act_import_memberships": "imported a spreadsheet of members",
        "act_other": "made a change",
        "colon": ":",
        "live_update": "New activity in this group",
        "graph_help": (
            "Zoom with the wheel or two fingers; names appear as you zoom in or point at a"
            " node; click one for its details. Larger nodes have more links."
        ),
        "filters": "Filters",
        "legend": "Show",
        "graph_initiative": "Initiatives",
        "graph_recommendation": "Recommendations",
        "graph_topic": "Topics",
        "open_page": "Open its page",
        "back_to_gaps": "Back to the gaps",
        "cell_summary": "{done} of {n} implemented by an active initiative of {wg}.",
        "implemented_by": "implemented by",
        "nobody_yet": "nobody yet",
        "no_topic_suggestions_yet": (
            "No suggestion yet for them. Suggestions are computed on the server (an"
            " administrator runs it, then they appear here to accept):"
        ),
        "unverified": "Unverified",
        "unverified_help": (
            "No public source confirms this group's subject and co-chairs yet; its name is"
            " a placeholder until one does."
        ),
        "website": "Website",
        "recommendations_implemented": "Recommendations implemented",
        "search_placeholder": "SBOM, divulgation coordonnée, supplier…",
        "no_results": "Nothing found. Try other words, in English or French.",
        "search_too_long": "Search text too long: at most {n} characters.",
        "results_for": "{n} result(s) for “{q}”",
        "pending_pairs": "duplicate pairs to review",
        "uncovered_short": "recommendations nobody implements",
        "node_Initiative": "Initiative",
        "node_Recommendation": "Recommendation",
        "node_Signatory": "Signatory",
        "node_Topic": "Topic",
        "node_WorkingGroup": "Working group",
        "node_Source": "Source",
        "reload": "Reload the page",
    },
    "fr": {
        "calls": "Appels à contributions",
        "no_calls": (
            "Aucun appel à contributions pour l'instant. Un coprésident en ouvre un pour"
            " dire aux signataires quels thèmes le groupe recherche."
        ),
        "deadline": "Date limite",
        "topics_sought": "Thèmes recherchés",
        "still_missing": "Encore sans réponse",
        "answers": "Réponses",
        "open_call": "Ouvrir un appel à contributions",
        "close_call": "Clore l'appel",
        "description": "Description",
        "call_closed": "clos",
        "proposals": "Propositions",
        "no_proposals": (
            "Aucune proposition pour l'instant. Les signataires proposent depuis cette page"
            " les initiatives qu'ils pilotent."
        ),
        "proposals_hidden": (
            "Les propositions sont visibles des coprésidents du"
            " groupe et des organisations qui les font."
        ),
        "proposed_by": "Proposée par",
        "made_for": "pour",
        "state_open": "ouverte",
        "state_accepted": "acceptée",
        "state_declined": "refusée",
        "state_withdrawn": "retirée",
        "accept": "Accepter",
        "decline": "Refuser",
        "withdraw": "Retirer",
        "reason": "Motif",
        "propose": "Proposer une de vos initiatives",
        "nothing_to_propose": (
            "Aucune des initiatives que vous pilotez ne peut être proposée à ce groupe."
        ),
        "initiative": "Initiative",
        "message": "Message",
        "answering": "En réponse à l'appel",
        "no_call": "(aucun appel)",
        "send": "Envoyer",
        "discussion": "Discussion",
        "no_comments": "Aucun commentaire pour l'instant.",
        "add_comment": "Ajouter un commentaire",
        "markdown_hint": (
            "Texte simple ; **gras**, _italique_, `code` et liens web sont mis en forme."
        ),
        "comment_deleted": "Commentaire supprimé par",
        "edited": "modifié",
        "activity": "Activité",
        "no_activity": "Rien pour l'instant.",
        "done": "C'est fait.",
        "act_create_initiative": "a créé une initiative",
        "act_edit_initiative": "a modifié une initiative",
        "act_track_initiative": "a rattaché une initiative au groupe",
        "act_decide_duplicate": "a tranché une paire de doublons",
        "act_merge_initiatives": "a fusionné des initiatives",
        "act_decide_mapping": "a tranché une correspondance",
        "act_accept_topics": "a accepté des suggestions de thèmes",
        "act_refresh_analysis": "a actualisé les suggestions",
        "act_manage_members": "a modifié les membres",
        "act_create_signatory": "a ajouté un signataire",
        "act_edit_signatory": "a modifié un signataire",
        "act_create_working_group": "a créé le groupe",
        "act_edit_working_group": "a modifié le groupe",
        "act_edit_topic": "a modifié un thème",
        "act_import_recommendations": "a importé des recommandations",
        "act_import_registry_data": "a importé des données du registre",
        "act_import_spreadsheet": "a importé un tableur",
        "act_propose_initiative": "a proposé une initiative",
        "act_decide_proposal": "a tranché une proposition",
        "act_accept_proposal": "a accepté une proposition",
        "act_decline_proposal": "a refusé une proposition",
        "act_withdraw_proposal": "a retiré une proposition",
        "act_revise_proposal": "a révisé une proposition",
        "act_manage_calls": "a ouvert ou clos un appel",
        "act_open_call": "a ouvert un appel à contributions",
        "act_close_call": "a clos un appel à contributions",
        "act_comment": "a commenté",
        "act_moderate_comments": "a supprimé un commentaire",
        "act_archive_initiative": "a archivé une initiative",
        "act_link_initiative": "a relié une initiative",
        "act_unlink_initiative": "a délié une initiative",
        "act_untrack_initiative": "a retiré une initiative du groupe",
        "act_set_contributor": "a désigné un contributeur",
        "act_remove_contributor": "a retiré un contributeur",
        "act_invite_contributor": "a invité une organisation à contribuer",
        "act_cancel_invitation": "a annulé une invitation à contribuer",
        "act_accept_contribution": "a accepté de contribuer",
        "act_decline_contribution": "a décliné l'invitation à contribuer",
        "act_add_member": "a ajouté un membre",
        "act_remove_member": "a retiré un membre",
        "act_create_topic": "a ajouté un thème",
        "act_confirm_duplicate": "a confirmé une paire de doublons",
        "act_reject_duplicate": "a écarté une paire de doublons",
        "act_accept_mapping": "a accepté une correspondance",
        "act_reject_mapping": "a écarté une correspondance",
        "act_unmerge_initiatives": "a annulé une fusion",
        "act_add_comment": "a commenté",
        "act_edit_comment": "a modifié un commentaire",
        "act_delete_comment": "a supprimé un commentaire",
        "act_moderate_comment": "a retiré le commentaire d'une autre personne",
        "act_create_webhook": "a enregistré un webhook",
        "act_disable_webhook": "a désactivé un webhook",
        "act_manage_webhooks": "a modifié un webhook",
        "act_create_token": "a créé un jeton d'API",
        "act_revoke_token": "a révoqué un jeton d'API",
        "act_import_mappings": "a importé une table de correspondances",
        "act_import_registry": "a restauré un fichier du registre",
        "act_import_initiatives": "a importé un tableur d'initiatives",
        "act_import_signatories": "a importé un tableur de signataires",
        "act_import_memberships": "a importé un tableur de membres",
        "act_other": "a fait une modification",
        "colon": "\u00a0:",
        "live_update": "Du nouveau dans ce groupe",
        "graph_help": (
            "Zoomez à la molette ou à deux doigts ; les noms apparaissent en zoomant ou au"
            " survol ; cliquez sur un nœud pour ses détails. Plus un nœud est gros, plus il"
            " a de liens."
        ),
        "filters": "Filtres",
        "legend": "Afficher",
        "graph_initiative": "Initiatives",
        "graph_recommendation": "Recommandations",
        "graph_topic": "Thèmes",
        "open_page": "Ouvrir sa page",
        "back_to_gaps": "Retour aux lacunes",
        "cell_summary": "{done} sur {n} mises en œuvre par une initiative active du {wg}.",
        "implemented_by": "mise en œuvre par",
        "nobody_yet": "personne pour l'instant",
        "no_topic_suggestions_yet": (
            "Aucune suggestion pour elles à ce jour. Les suggestions se calculent sur le"
            " serveur (un administrateur lance la commande, elles apparaissent ici à"
            " accepter) :"
        ),
        "unverified": "Non vérifié",
        "unverified_help": (
            "Aucune source publique ne confirme encore le sujet et les coprésidents de ce"
            " groupe ; son nom reste provisoire jusque-là."
        ),
        "website": "Site web",
        "recommendations_implemented": "Recommandations mises en œuvre",
        "search_placeholder": "nomenclature logicielle, coordinated disclosure, sous-traitant…",
        "no_results": "Aucun résultat. Essayez d'autres mots, en français ou en anglais.",
        "search_too_long": "Texte de recherche trop long : {n} caractères au plus.",
        "results_for": "{n} résultat(s) pour « {q} »",
        "pending_pairs": "paires de doublons à examiner",
        "uncovered_short": "recommandations que personne ne met en œuvre",
        "node_Initiative": "Initiative",
        "node_Recommendation": "Recommandation",
        "node_Signatory": "Signataire",
        "node_Topic": "Thème",
        "node_WorkingGroup": "Groupe de travail",
        "node_Source": "Source",
        "reload": "Recharger la page",
    },
}
# The values of the registry's enumerations as people read them, by enumeration: a status
# is an adjective whose French form agrees with what it describes (une initiative active,
# un groupe actif), so each enumeration has its own words. Keys are "<prefix>_<value>".
_VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "kind": {
        "state": ("State", "État"),
        "public_authority": ("Public authority", "Autorité publique"),
        "local_government": ("Local government", "Collectivité territoriale"),
        "company": ("Company", "Entreprise"),
        "civil_society": ("Civil society", "Société civile"),
        "academia": ("Academia", "Monde académique"),
        "international_org": ("International organisation", "Organisation internationale"),
    },
    "status": {
        "proposed": ("proposed", "proposée"),
        "active": ("active", "active"),
        "completed": ("completed", "terminée"),
        "archived": ("archived", "archivée"),
    },
    "wg_status": {
        "planned": ("planned", "prévu"),
        "active": ("active", "actif"),
        "concluded": ("concluded", "terminé"),
    },
    "decision": {
        "candidate": ("to review", "à examiner"),
        "confirmed": ("confirmed", "confirmé"),
        "rejected": ("rejected", "rejeté"),
        "published": ("published", "publié"),
    },
    "run": {
        "staging": ("in progress", "en cours"),
        "published": ("imported", "importé"),
        "unchanged": ("unchanged", "inchangé"),
        "failed": ("failed", "échoué"),
        "abandoned": ("abandoned", "abandonné"),
    },
    "language": {"en": ("English", "anglais"), "fr": ("French", "français")},
    "role": {
        "lead": ("lead", "pilote"),
        "partner": ("partner", "partenaire"),
        "supporter": ("supporter", "soutien"),
        "co_chair": ("co-chair", "coprésident"),
        "member": ("member", "membre"),
        "observer": ("observer", "observateur"),
    },
}
for _lang in LANGUAGES:
    _TEXT[_lang].update(_COLLABORATION[_lang])
    for _prefix, _values in _VALUES.items():
        _TEXT[_lang].update(
            {f"{_prefix}_{v}": words[LANGUAGES.index(_lang)] for v, words in _values.items()}
        )


# Words of the report's sheets and sections, and of the pages that show real
# publishers' files (merged initiatives, import history, topic suggestions).
_FORUM_READY: dict[str, dict[str, str]] = {
    "en": {
        "xlsx_summary": "Summary",
        "xlsx_initiatives": "Initiatives",
        "xlsx_duplicates": "Duplicates",
        "xlsx_uncovered": "Uncovered recommendations",
        "xlsx_crosswalks": "Crosswalk coverage",
        "xlsx_provenance": "Provenance",
        "xlsx_what": "Item",
        "xlsx_value": "Value",
        "xlsx_id": "Id",
        "xlsx_first": "First initiative",
        "xlsx_second": "Second initiative",
        "xlsx_reference": "Reference",
        "xlsx_total": "Total",
        "xlsx_share": "Share",
        "xlsx_publisher": "Publisher",
        "xlsx_version": "Version",
        "xlsx_imported": "Imported on",
        "sha256": "SHA-256",
        "recommendation": "Recommendation",
        "initiatives_unplaced": "Initiatives without a topic or a principle",
        "initiatives_unplaced_help": (
            "They count in no gap and on no heatmap until they are linked: link each to the "
            "topics it addresses and the principles it advances (linkInitiative in the API, "
            "or a spreadsheet import with its topics and principles columns)."
        ),
        "initiatives_archived": "Archived or merged initiatives",
        "merged_notice": "Merged into {link} on {date}: its contributors, groups, topics, "
        "principles and recommendations went there.",
        "merged_from": "Merged into this one",
        "unmerge": "Undo the merge",
        "done_unmerged": "Merge undone.",
        "initiative_history": "History",
        "history_hidden": "The history of an initiative is for its groups' co-chairs and members.",
        "state_now": "Now",
        "decision_merged": "merged",
        "source_counts": "{n} recommendations, {r} of them requirements (what coverage is "
        "measured on: what the publisher marks assessable, else the lowest level).",
        "source_crosswalks": "Crosswalks to other sources",
        "source_linked": "{m} of {n} requirements linked",
        "source_no_crosswalk": "No crosswalk links it to another source yet.",
        "topic_suggestions_ranked": "Suggestions, the most confident first",
        "topic_suggestions_range": "{first} to {last} of {n}.",
        "topic_suggestions_ticked": "Those scored {score} or more are ticked; check the others "
        "one by one.",
        "pages": "Pages",
        "previous_page": "Previous page",
        "next_page": "Next page",
        "page_of": "Page {page} of {pages}",
    },
    "fr": {
        "xlsx_summary": "Synthèse",
        "xlsx_initiatives": "Initiatives",
        "xlsx_duplicates": "Doublons",
        "xlsx_uncovered": "Recommandations non couvertes",
        "xlsx_crosswalks": "Correspondances",
        "xlsx_provenance": "Provenance",
        "xlsx_what": "Élément",
        "xlsx_value": "Valeur",
        "xlsx_id": "Identifiant",
        "xlsx_first": "Première initiative",
        "xlsx_second": "Seconde initiative",
        "xlsx_reference": "Référence",
        "xlsx_total": "Total",
        "xlsx_share": "Part",
        "xlsx_publisher": "Éditeur",
        "xlsx_version": "Version",
        "xlsx_imported": "Importée le",
        "sha256": "SHA-256",
        "recommendation": "Recommandation",
        "initiatives_unplaced": "Initiatives sans thème ni principe",
        "initiatives_unplaced_help": (
            "Elles ne comptent dans aucune lacune ni sur aucune carte tant qu'elles n'y sont "
            "pas reliées\u00a0: reliez chacune aux thèmes qu'elle traite et aux principes "
            "qu'elle sert (linkInitiative dans l'API, ou import d'un tableur avec ses "
            "colonnes topics et principles)."
        ),
        "initiatives_archived": "Initiatives archivées ou fusionnées",
        "merged_notice": "Fusionnée dans {link} le {date}\u00a0: ses contributeurs, groupes, "
        "thèmes, principes et recommandations y sont passés.",
        "merged_from": "Fusionnées dans celle-ci",
        "unmerge": "Annuler la fusion",
        "done_unmerged": "Fusion annulée.",
        "initiative_history": "Historique",
        "history_hidden": "L'historique d'une initiative est réservé aux coprésidents et aux "
        "membres de ses groupes.",
        "state_now": "Désormais",
        "decision_merged": "fusionné",
        "source_counts": "{n} recommandations, dont {r} exigences (ce sur quoi la couverture "
        "se mesure\u00a0: ce que l'éditeur marque évaluable, sinon le niveau le plus bas).",
        "source_crosswalks": "Correspondances avec d'autres sources",
        "source_linked": "{m} exigences reliées sur {n}",
        "source_no_crosswalk": "Aucune table de correspondance ne la relie encore à une autre "
        "source.",
        "topic_suggestions_ranked": "Suggestions, les plus sûres d'abord",
        "topic_suggestions_range": "{first} à {last} sur {n}.",
        "topic_suggestions_ticked": "Celles dont le score atteint {score} sont cochées\u00a0; "
        "vérifiez les autres une à une.",
        "pages": "Pages",
        "previous_page": "Page précédente",
        "next_page": "Page suivante",
        "page_of": "Page {page} sur {pages}",
    },
}
for _lang in LANGUAGES:
    _TEXT[_lang].update(_FORUM_READY[_lang])

# Words of the working group's page when its initiatives take more than one page.
_PAGED: dict[str, dict[str, str]] = {
    "en": {
        "initiatives_range": "Initiatives {first} to {last} of {n}.",
        "show_all_initiatives": "Show all {n} initiatives",
    },
    "fr": {
        "initiatives_range": "Initiatives {first} à {last} sur {n}.",
        "show_all_initiatives": "Afficher les {n} initiatives",
    },
}
for _lang in LANGUAGES:
    _TEXT[_lang].update(_PAGED[_lang])


def label(lang: str, prefix: str, value: str | None) -> str:
    """An enumeration's value in `lang` (the value itself if the table lacks it, which a
    page test reports as an untranslated key)."""
    if value is None:
        return ""
    return text(lang).get(f"{prefix}_{value}", value)


def text(lang: str) -> Mapping[str, str]:
    return _TEXT[lang if lang in _TEXT else "en"]


def missing_keys() -> dict[str, set[str]]:
    """Keys present in one language and not the other (empty when complete)."""
    keys = {lang: set(words) for lang, words in _TEXT.items()}
    every = set().union(*keys.values())
    return {lang: every - found for lang, found in keys.items() if every - found}
