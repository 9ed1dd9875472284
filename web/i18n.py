"""French-first message catalogue, with English, and the choice of the reader's language."""

from __future__ import annotations

import re

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
LANG_COOKIE = "lang"

CATALOGUE: dict[str, dict[str, str]] = {
    "site.name": {"fr": "Territoires KB", "en": "Territoires KB"},
    "site.tagline": {
        "fr": "Les rapports publics sur les territoires intelligents : {years}",
        "en": "French public reports on smart territories: {years}",
    },
    "skip": {"fr": "Aller au contenu", "en": "Skip to content"},
    "nav.label": {"fr": "Navigation principale", "en": "Main navigation"},
    "nav.search": {"fr": "Rechercher", "en": "Search"},
    "nav.recommendations": {"fr": "Recommandations", "en": "Recommendations"},
    "nav.compare": {"fr": "Comparer {span}", "en": "Compare {span}"},
    "list.and": {"fr": "et", "en": "and"},
    "nav.reports": {"fr": "Rapports", "en": "Reports"},
    "nav.api": {"fr": "API", "en": "API"},
    "lang.other": {"fr": "English", "en": "Français"},
    "lang.other_code": {"fr": "en", "en": "fr"},
    "lang.switch_label": {"fr": "Read in English", "en": "Lire en français"},
    "sample.banner": {
        "fr": "Corpus d'exemple : les textes interrogés ici sont fictifs, écrits pour la "
        "démonstration. Ce ne sont pas les rapports officiels.",
        "en": "Sample corpus: the texts searched here are fictional, written for the demo. "
        "They are not the official reports.",
    },
    "search.title": {"fr": "Rechercher dans les rapports", "en": "Search the reports"},
    "search.intro": {
        "fr": "Posez une question, en français ou en anglais : vous obtenez les passages et les "
        "recommandations les plus pertinents, avec leur page pour vérifier dans le PDF.",
        "en": "Ask a question, in English or in French: you get the most relevant passages and "
        "recommendations, with their page to check in the PDF.",
    },
    "search.label": {"fr": "Votre question", "en": "Your question"},
    "search.hint": {
        "fr": "Par exemple : comment associer les habitants aux projets de données ?",
        "en": "For example: how can residents take part in data projects?",
    },
    "search.submit": {"fr": "Rechercher", "en": "Search"},
    "search.results": {"fr": "Résultats", "en": "Results"},
    "search.count": {
        "fr": "{n} résultat(s) pour « {q} »",
        "en": "{n} result(s) for “{q}”",
    },
    "search.more": {"fr": "Plus de résultats", "en": "More results"},
    "search.none": {
        "fr": "Aucun résultat. Essayez d'autres mots ou retirez un filtre.",
        "en": "No result. Try other words or remove a filter.",
    },
    "search.nothing_relevant": {
        "fr": "Aucun passage ne répond clairement à la question. Les passages les plus proches "
              "suivent, à lire avec prudence.",
        "en": "No passage clearly answers the question. The closest passages follow; read "
              "them with care.",
    },
    "search.weak": {
        "fr": "Les passages ci-dessous ne répondent peut-être qu'en partie à la question.",
        "en": "The passages below may answer the question only in part.",
    },
    "search.did_you_mean": {"fr": "Vouliez-vous dire", "en": "Did you mean"},
    "glossary.title": {"fr": "Glossaire", "en": "Glossary"},
    "glossary.intro": {
        "fr": "Sigles et synonymes du domaine. Une question qui en emploie un est aussi "
              "cherchée avec les autres.",
        "en": "Acronyms and synonyms of the field. A question using one is also searched "
              "with the others.",
    },
    "glossary.synonyms": {"fr": "Aussi :", "en": "Also:"},
    "glossary.search": {"fr": "chercher dans les rapports", "en": "search the reports for it"},
    "nav.glossary": {"fr": "Glossaire", "en": "Glossary"},
    "filter.legend": {"fr": "Filtres", "en": "Filters"},
    "filter.active": {"fr": "{n} actif(s)", "en": "{n} active"},
    "filter.rerun": {
        "fr": "La recherche se relance à chaque changement de filtre.",
        "en": "The search runs again whenever a filter changes.",
    },
    "filter.reports": {"fr": "Rapports", "en": "Reports"},
    "filter.count": {"fr": "({n})", "en": "({n})"},
    "filter.counts_note": {
        "fr": "Entre parenthèses : le nombre de résultats parmi les {n} meilleurs, tous rapports "
        "et types confondus.",
        "en": "In brackets: the number of results among the {n} best, all reports and types "
        "together.",
    },
    "filter.apply": {"fr": "Appliquer les filtres", "en": "Apply the filters"},
    "chip.legend": {"fr": "La recherche a compris :", "en": "The search understood:"},
    "chip.report": {"fr": "Rapport {year}", "en": "{year} report"},
    "chip.kind_first": {"fr": "Recommandations en tête", "en": "Recommendations first"},
    "chip.number": {"fr": "Recommandation n° {n}", "en": "Recommendation no. {n}"},
    "chip.lang.fr": {"fr": "Question en français", "en": "Question in French"},
    "chip.lang.en": {"fr": "Question en anglais", "en": "Question in English"},
    "chip.from_question": {"fr": "(d'après la question)", "en": "(from the question)"},
    "chip.remove": {"fr": "Retirer « {label} »", "en": "Remove “{label}”"},
    "filter.report": {"fr": "Rapport", "en": "Report"},
    "filter.all_reports": {"fr": "Tous les rapports", "en": "All reports"},
    "filter.kind": {"fr": "Type de résultat", "en": "Result type"},
    "filter.k": {"fr": "Nombre de résultats", "en": "Number of results"},
    "kind.all": {"fr": "Passages et recommandations", "en": "Passages and recommendations"},
    "kind.passage": {"fr": "Passages", "en": "Passages"},
    "kind.recommendation": {"fr": "Recommandations", "en": "Recommendations"},
    "card.passage": {"fr": "Passage", "en": "Passage"},
    "card.recommendation": {"fr": "Recommandation", "en": "Recommendation"},
    "card.citation": {"fr": "Citation", "en": "Citation"},
    "card.copy": {"fr": "Copier la citation", "en": "Copy the citation"},
    "card.copy_named": {
        "fr": "Copier la citation de « {name} »",
        "en": "Copy the citation of “{name}”",
    },
    "card.copied": {
        "fr": "Citation de « {name} » copiée.",
        "en": "Citation of “{name}” copied.",
    },
    "card.read_named": {
        "fr": "Lire le passage surligné dans le PDF : « {name} »",
        "en": "Read the highlighted passage in the PDF: “{name}”",
    },
    "card.select": {"fr": "Ajouter au dossier", "en": "Add to the brief"},
    "card.select_named": {
        "fr": "Ajouter « {name} » au dossier",
        "en": "Add “{name}” to the brief",
    },
    "card.to_brief": {"fr": "Voir le dossier", "en": "Go to the brief"},
    "card.to_brief_named": {
        "fr": "Voir le dossier, où est « {name} »",
        "en": "Go to the brief, where “{name}” is",
    },
    "card.section": {"fr": "Section", "en": "Section"},
    "brief.title": {"fr": "Mon dossier", "en": "My brief"},
    "brief.intro": {
        "fr": "Cochez « Ajouter au dossier » sous un résultat : la sélection reste dans ce "
        "navigateur, sans compte. Chaque extrait garde la question sous laquelle vous l'avez "
        "choisi ; ajoutez-y une note, changez l'ordre, puis exportez.",
        "en": "Tick “Add to the brief” under a result: the selection stays in this browser, "
        "no account needed. Each excerpt keeps the question you picked it under; add a note, "
        "change the order, then export.",
    },
    "brief.up": {"fr": "Monter « {name} »", "en": "Move “{name}” up"},
    "brief.down": {"fr": "Descendre « {name} »", "en": "Move “{name}” down"},
    "brief.remove": {"fr": "Retirer « {name} » du dossier", "en": "Remove “{name}” from the brief"},
    "brief.no_question": {"fr": "(sans question)", "en": "(no question)"},
    "brief.remove_short": {"fr": "Retirer", "en": "Remove"},
    "brief.note": {"fr": "Note sur « {name} »", "en": "Note on “{name}”"},
    "brief.asked": {"fr": "Question : {q}", "en": "Question: {q}"},
    "brief.added": {
        "fr": "« {name} » ajouté au dossier ({n} extrait(s)).",
        "en": "“{name}” added to the brief ({n} excerpt(s)).",
    },
    "brief.removed": {
        "fr": "« {name} » retiré du dossier ({n} extrait(s)).",
        "en": "“{name}” removed from the brief ({n} excerpt(s)).",
    },
    "brief.item": {
        "fr": "« {name} » — dossier, position {n}",
        "en": "“{name}” — brief, position {n}",
    },
    "brief.moved": {"fr": "« {name} » en position {n}.", "en": "“{name}” now at position {n}."},
    "brief.print": {"fr": "Version imprimable", "en": "Printable version"},
    "brief.clear": {"fr": "Vider le dossier", "en": "Empty the brief"},
    "recs.title": {"fr": "Les recommandations", "en": "The recommendations"},
    "recs.intro": {
        "fr": "Les recommandations numérotées des rapports ({years}), par rapport et par section. "
        "Ouvrez une ligne pour lire le texte entier ; choisissez un thème pour le suivre d'une "
        "édition à l'autre.",
        "en": "The numbered recommendations of the reports ({years}), by report and section. Open "
        "a line to read the full text; pick a theme to follow it from one edition to the next.",
    },
    "recs.keyword": {"fr": "Mots du texte", "en": "Words of the text"},
    "recs.filter": {"fr": "Filtrer", "en": "Filter"},
    "recs.count": {"fr": "{n} recommandation(s)", "en": "{n} recommendation(s)"},
    "recs.none": {
        "fr": "Aucune recommandation ne correspond à ces filtres.",
        "en": "No recommendation matches these filters.",
    },
    "recs.facets": {"fr": "Affiner", "en": "Refine"},
    "recs.facet.report": {"fr": "Rapport", "en": "Report"},
    "recs.facet.theme": {"fr": "Thème", "en": "Theme"},
    "recs.facet.section": {"fr": "Section", "en": "Section"},
    "recs.facet.remove": {"fr": "retirer ce filtre", "en": "remove this filter"},
    "recs.clear": {"fr": "Tout effacer", "en": "Clear all"},
    "recs.goto": {"fr": "Aller au n°", "en": "Go to number"},
    "recs.goto.report": {"fr": "Rapport", "en": "Report"},
    "recs.goto.number": {"fr": "Numéro", "en": "Number"},
    "recs.goto.submit": {"fr": "Aller", "en": "Go"},
    "recs.export": {"fr": "Données ouvertes :", "en": "Open data:"},
    "recs.export.csv": {"fr": "CSV", "en": "CSV"},
    "recs.export.json": {"fr": "JSON", "en": "JSON"},
    "recs.open": {"fr": "Fiche", "en": "Page"},
    "recs.open_sr": {
        "fr": " et filiation : {label} ({year})",
        "en": " and lineage: {label} ({year})",
    },
    "recs.theme_lineage": {
        "fr": "Suivre ce thème sur {span}",
        "en": "Follow this theme over {span}",
    },
    "rec.themes": {"fr": "Thèmes", "en": "Themes"},
    "rec.context": {"fr": "Contexte dans le rapport", "en": "Context in the report"},
    "rec.lineage": {
        "fr": "Filiation dans les autres éditions",
        "en": "Lineage in the other editions",
    },
    "rec.lineage_intro": {
        "fr": "Pour chaque autre rapport, les recommandations les plus proches : proximité du "
        "sens et des mots rares, entre 0 et 1.",
        "en": "For each other report, the closest recommendations: closeness of meaning and of "
        "rare words, between 0 and 1.",
    },
    "rec.similarity": {"fr": "proximité {value}", "en": "similarity {value}"},
    "rec.shared_terms": {"fr": "Mots partagés", "en": "Shared words"},
    "rec.shared_themes": {"fr": "Thème commun", "en": "Shared theme"},
    "rec.no_similar": {
        "fr": "Aucune recommandation dans ce rapport.",
        "en": "No recommendation in this report.",
    },
    "rec.back": {"fr": "Toutes les recommandations", "en": "All recommendations"},
    "theme.title": {"fr": "Filiation : {label}", "en": "Lineage: {label}"},
    "theme.caption": {
        "fr": "Recommandations du thème « {label} », une ligne par filiation, de la plus ancienne "
        "édition à la plus récente",
        "en": "Recommendations of the theme “{label}”, one row per lineage, oldest edition first",
    },
    "theme.empty_cell": {"fr": "—", "en": "—"},
    "theme.none": {
        "fr": "Aucune recommandation n'a ce thème.",
        "en": "No recommendation has this theme.",
    },
    "theme.list": {"fr": "Voir ces recommandations", "en": "See these recommendations"},
    "compare.title": {
        "fr": "Comparer les rapports : {years}",
        "en": "Compare the reports: {years}",
    },
    "compare.intro": {
        "fr": "Un thème, une colonne par rapport : les meilleurs passages côte à côte.",
        "en": "One theme, one column per report: the best passages side by side.",
    },
    "compare.label": {"fr": "Thème ou question", "en": "Theme or question"},
    "compare.submit": {"fr": "Comparer", "en": "Compare"},
    "compare.none": {
        "fr": "Aucun passage pertinent dans ce rapport.",
        "en": "No relevant passage in this report.",
    },
    "passage.title": {"fr": "Extrait", "en": "Excerpt"},
    "passage.context": {"fr": "Passages voisins", "en": "Neighbouring passages"},
    "reports.title": {"fr": "Les rapports", "en": "The reports"},
    "reports.pdf": {"fr": "Ouvrir le PDF", "en": "Open the PDF"},
    "reports.no_pdf": {"fr": "PDF non disponible", "en": "PDF not available"},
    "reports.recs": {"fr": "Voir ses recommandations", "en": "See its recommendations"},
    "reports.authors": {"fr": "Auteurs", "en": "Authors"},
    "reports.date": {"fr": "Date", "en": "Date"},
    "reports.commissioner": {"fr": "Commanditaire", "en": "Commissioned by"},
    "reports.origin": {"fr": "Origine des informations", "en": "Where this comes from"},
    "reports.field.title": {"fr": "titre", "en": "title"},
    "reports.field.year": {"fr": "année", "en": "year"},
    "reports.field.authors": {"fr": "auteurs", "en": "authors"},
    "reports.field.commissioner": {"fr": "commanditaire", "en": "commissioner"},
    "provenance.manifest": {"fr": "fiche du rapport (corpus/reports.toml)",
                            "en": "report record (corpus/reports.toml)"},
    "provenance.option": {"fr": "donné à l'indexation", "en": "given when indexing"},
    "provenance.sidecar": {"fr": "fichier .toml à côté du PDF", "en": ".toml file beside the PDF"},
    "provenance.pdf-metadata": {"fr": "métadonnées du PDF", "en": "PDF metadata"},
    "provenance.heading": {"fr": "titre en tête du document", "en": "heading of the document"},
    "provenance.text": {"fr": "date lue dans le texte", "en": "date read in the text"},
    "provenance.file-name": {"fr": "nom du fichier", "en": "file name"},
    "provenance.pdf-date": {"fr": "date de création du fichier : estimation",
                            "en": "file creation date: a guess"},
    "export.title": {"fr": "Dossier documentaire", "en": "Research brief"},
    "export.question_heading": {"fr": "Question : {q}", "en": "Question: {q}"},
    "export.no_question": {"fr": "Extraits sans question", "en": "Excerpts without a question"},
    "export.generated": {
        "fr": "Exporté le {date} depuis Territoires KB.",
        "en": "Exported on {date} from Territoires KB.",
    },
    "export.print": {"fr": "Imprimer", "en": "Print"},
    "export.formats": {
        "fr": "Ce dossier dans d'autres formats",
        "en": "This brief in other formats",
    },
    "export.download_md": {"fr": "Markdown (.md)", "en": "Markdown (.md)"},
    "export.download_docx": {
        "fr": "Word ou LibreOffice (.docx)",
        "en": "Word or LibreOffice (.docx)",
    },
    "export.download_bib": {"fr": "Références BibTeX (.bib)", "en": "BibTeX references (.bib)"},
    "export.download_ris": {
        "fr": "Références RIS (.ris : Zotero, EndNote)",
        "en": "RIS references (.ris: Zotero, EndNote)",
    },
    "export.labelled": {"fr": "{label} :", "en": "{label}:"},
    "export.reference": {"fr": "Référence", "en": "Reference"},
    "export.note": {"fr": "Note", "en": "Note"},
    "export.pages": {"fr": "Pages", "en": "Pages"},
    "export.viewer": {
        "fr": "Lire le passage surligné dans le PDF",
        "en": "Read the highlighted passage in the PDF",
    },
    "export.permalink": {"fr": "Lien permanent", "en": "Permalink"},
    "viewer.title": {"fr": "Lire dans le PDF", "en": "Read in the PDF"},
    "viewer.cited": {"fr": "Passage cité", "en": "Cited passage"},
    "viewer.cite": {"fr": "Citer ce passage", "en": "Cite this passage"},
    "viewer.format.text": {"fr": "Texte", "en": "Text"},
    "viewer.format.markdown": {"fr": "Markdown", "en": "Markdown"},
    "viewer.format.bibtex": {"fr": "BibTeX", "en": "BibTeX"},
    "viewer.format.ris": {"fr": "RIS", "en": "RIS"},
    "viewer.copy": {"fr": "Copier au format {format}", "en": "Copy as {format}"},
    "viewer.copied": {
        "fr": "Citation copiée au format {format}",
        "en": "Citation copied as {format}",
    },
    "viewer.permalink": {"fr": "Lien permanent de ce passage", "en": "Permalink of this passage"},
    "viewer.pdf": {"fr": "La page du PDF", "en": "The PDF page"},
    "viewer.fallback": {
        "fr": "Ouvrir le PDF seul, dans le lecteur du navigateur, à la page {page} du fichier",
        "en": "Open the PDF alone, in the browser's reader, at page {page} of the file",
    },
    "viewer.previous": {"fr": "Page précédente", "en": "Previous page"},
    "viewer.next": {"fr": "Page suivante", "en": "Next page"},
    "viewer.page_label": {"fr": "Page du fichier PDF", "en": "Page of the PDF file"},
    "viewer.go": {"fr": "Afficher", "en": "Show"},
    "viewer.status": {
        "fr": "Page imprimée {printed} — page {pdf} du fichier PDF, qui en compte {total}.",
        "en": "Printed page {printed} — page {pdf} of the {total} in the PDF file.",
    },
    "viewer.status_unlabelled": {
        "fr": "Page {pdf} du fichier PDF, qui en compte {total} (sans numéro imprimé connu).",
        "en": "Page {pdf} of the {total} in the PDF file (no known printed number).",
    },
    "viewer.found": {
        "fr": "Le passage cité est surligné.",
        "en": "The cited passage is highlighted.",
    },
    "viewer.not_found": {
        "fr": "Le passage cité n'a pas été retrouvé dans le texte de cette page.",
        "en": "The cited passage was not found in the text of this page.",
    },
    "viewer.failed": {
        "fr": "Le PDF n'a pas pu être affiché ici : utilisez le lien « Ouvrir le PDF seul ».",
        "en": "The PDF could not be shown here: use the “Open the PDF alone” link.",
    },
    "viewer.region": {"fr": "Pages du PDF", "en": "PDF pages"},
    "viewer.keys": {
        "fr": "Au clavier, dans les pages : flèche gauche ou droite, Page préc. ou Page suiv. "
        "pour changer de page.",
        "en": "With the keyboard, in the pages: left or right arrow, Page Up or Page Down to "
        "change page.",
    },
    "card.read": {
        "fr": "Lire le passage surligné dans le PDF",
        "en": "Read the highlighted passage in the PDF",
    },
    "cite.and": {"fr": "et", "en": "and"},
    "cite.commissioner": {"fr": "commanditaire : {name}", "en": "commissioned by {name}"},
    "cite.report_type": {"fr": "Rapport", "en": "Report"},
    "cite.pdf_page": {
        "fr": "{printed} est le numéro imprimé sur la page, celui à citer ; le fichier PDF, qui "
        "compte aussi la couverture et les pages liminaires, la place en page {pdf}.",
        "en": "{printed} is the number printed on the page, the one to cite; the PDF file, which "
        "also counts the cover and front matter, has it as page {pdf}.",
    },
    "cite.pdf_pages": {
        "fr": "{printed} sont les numéros imprimés sur les pages, ceux à citer ; le fichier PDF, "
        "qui compte aussi la couverture et les pages liminaires, les place en pages {first} à "
        "{last}.",
        "en": "{printed} are the numbers printed on the pages, the ones to cite; the PDF file, "
        "which also counts the cover and front matter, has them as pages {first} to {last}.",
    },
    "error.title.404": {"fr": "Page introuvable", "en": "Page not found"},
    "error.title.409": {"fr": "Fichier modifié", "en": "File changed"},
    "error.title.422": {"fr": "Demande à corriger", "en": "Request to correct"},
    "error.title.500": {"fr": "Erreur du serveur", "en": "Server error"},
    "error.title.other": {"fr": "Erreur", "en": "Error"},
    "error.server": {
        "fr": "Une erreur inattendue est survenue de notre côté, pas du vôtre. Réessayez dans "
        "un instant ; si elle persiste, signalez-la avec l'adresse de la page.",
        "en": "An unexpected error occurred on our side, not yours. Try again in a moment; if "
        "it persists, report it with the address of the page.",
    },
    "error.not_found": {
        "fr": "Cette page n'existe pas ou plus.",
        "en": "This page does not exist or no longer exists.",
    },
    "error.passage": {"fr": "Passage introuvable : « {id} ».", "en": "Passage not found: “{id}”."},
    "error.recommendation": {
        "fr": "Recommandation introuvable : « {id} ».",
        "en": "Recommendation not found: “{id}”.",
    },
    "error.theme": {
        "fr": "Thème inconnu : « {id} ». Les thèmes sont listés sur la page des recommandations.",
        "en": "Unknown theme: “{id}”. The themes are listed on the recommendations page.",
    },
    "error.number": {
        "fr": "Pas de recommandation n° {number} dans le rapport « {report} » ({count} "
        "recommandations) : choisissez un autre numéro.",
        "en": "No recommendation number {number} in the report “{report}” ({count} "
        "recommendations): pick another number.",
    },
    "error.pdf": {
        "fr": "Le PDF de ce rapport n'est pas disponible sur ce serveur.",
        "en": "The PDF of this report is not available on this server.",
    },
    "error.pdf_missing": {
        "fr": "Le PDF de ce rapport n'est plus à l'emplacement où il a été indexé : "
              "remettez-le en place, ou mettez l'index à jour avec python -m ingest.",
        "en": "The PDF of this report is no longer where it was indexed: put it "
              "back, or update the index with python -m ingest.",
    },
    "error.pdf_changed": {
        "fr": "Le fichier PDF de ce rapport a changé depuis l'indexation (contenu différent, "
              "lien symbolique ou fichier spécial) : il n'est pas servi. Mettez l'index à jour "
              "avec python -m ingest.",
        "en": "The PDF file of this report has changed since it was indexed (other content, "
              "symbolic link or special file): it is not served. Update the index with "
              "python -m ingest.",
    },
    "error.param.q": {
        "fr": "La question doit compter entre 1 et {max_chars} caractères.",
        "en": "The question must be 1 to {max_chars} characters long.",
    },
    "error.param.k": {
        "fr": "Le nombre de résultats (k) doit être un nombre entier entre 1 et {max_k}.",
        "en": "The number of results (k) must be a whole number between 1 and {max_k}.",
    },
    "error.param.kind": {
        "fr": "Le type de résultat doit être l'un de : {kinds}.",
        "en": "The result type must be one of: {kinds}.",
    },
    "error.param.ids": {
        "fr": "Sélectionnez entre 1 et {max_ids} extraits pour l'export.",
        "en": "Select between 1 and {max_ids} excerpts to export.",
    },
    "error.param.question": {
        "fr": "Donnez une question par extrait (question=…, dans l'ordre des ids, {max_chars} "
        "caractères au plus), ou aucune.",
        "en": "Give one question per excerpt (question=…, in the order of the ids, at most "
        "{max_chars} characters), or none.",
    },
    "error.param.note": {
        "fr": "Donnez une note par extrait (note=…, dans l'ordre des ids, {max_note} caractères "
        "au plus), ou aucune.",
        "en": "Give one note per excerpt (note=…, in the order of the ids, at most {max_note} "
        "characters), or none.",
    },
    "error.param.other": {
        "fr": "Le paramètre « {name} » n'est pas valide.",
        "en": "The parameter “{name}” is not valid.",
    },
    "error.back": {"fr": "Retour à la recherche", "en": "Back to search"},
    "docs.title": {"fr": "API JSON", "en": "JSON API"},
    "docs.length": {"fr": "longueur ≤", "en": "length ≤"},
    "api.search": {
        "fr": "Rechercher passages et recommandations",
        "en": "Search passages and recommendations",
    },
    "api.compare": {
        "fr": "Meilleurs passages de chaque rapport pour une question",
        "en": "Best passages of each report for a question",
    },
    "api.recommendations": {
        "fr": "Lister les recommandations : rapport (identifiant ou année), thème, section, "
              "mots ; avec les facettes",
        "en": "List the recommendations: report (id or year), theme, section, words; with the "
              "facets",
    },
    "api.recommendation": {
        "fr": "Une recommandation, ses thèmes, sa filiation dans les autres rapports, son "
              "contexte",
        "en": "A recommendation, its themes, its lineage in the other reports, its context",
    },
    "api.theme": {
        "fr": "La filiation d'un thème : ses recommandations enchaînées d'une édition à l'autre",
        "en": "A theme's lineage: its recommendations chained from one edition to the next",
    },
    "api.glossary": {
        "fr": "Sigles et synonymes du domaine",
        "en": "The field's acronyms and synonyms",
    },
    "api.passage": {
        "fr": "Un passage par son identifiant stable",
        "en": "A passage by its stable identifier",
    },
    "api.reports": {"fr": "Les rapports de l'index", "en": "The reports of the index"},
    "api.health": {"fr": "État de l'index", "en": "State of the index"},
    "api.param.q": {
        "fr": "Question, en français ou en anglais",
        "en": "Question, in French or in English",
    },
    "api.param.q_optional": {
        "fr": "Mots-clés ou question (facultatif)",
        "en": "Keywords or question (optional)",
    },
    "api.param.k": {"fr": "Nombre de résultats (1 à {n})", "en": "Number of results (1 to {n})"},
    "api.param.kind": {
        "fr": "Passages, recommandations, ou les deux (all)",
        "en": "Passages, recommendations, or both (all)",
    },
    "api.param.reports": {
        "fr": "Identifiant ou année d'un rapport ; répétable",
        "en": "Identifier or year of a report; repeatable",
    },
    "api.param.report": {"fr": "Identifiant d'un rapport", "en": "Identifier of a report"},
    "docs.intro": {
        "fr": "Chaque page du site a son double en JSON. Schéma complet au format OpenAPI :",
        "en": "Every page of the site has a JSON twin. Full schema in OpenAPI format:",
    },
    "docs.params": {"fr": "Paramètres", "en": "Parameters"},
    "docs.none": {"fr": "Aucun paramètre.", "en": "No parameter."},
    "docs.required": {"fr": "obligatoire", "en": "required"},
    "docs.response": {"fr": "Réponse", "en": "Response"},
    "footer.note": {
        "fr": "Vérifiez toujours une citation dans le PDF avant de la reprendre.",
        "en": "Always check a citation in the PDF before quoting it.",
    },
    "footer.json": {"fr": "Cette page en JSON", "en": "This page as JSON"},
    "footer.index": {
        "fr": "Index construit le {built_at} — encodeur {encoder}.",
        "en": "Index built on {built_at} — encoder {encoder}.",
    },
}


def translate(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The message `key` in `lang` (French when missing), with `values` filled in."""
    entry = CATALOGUE[key]
    message = entry.get(lang) or entry[DEFAULT_LANG]
    return message.format(**values) if values else message


def edition_years(years: list[int], lang: str = DEFAULT_LANG) -> dict[str, str]:
    """The indexed years as `years` (« 2017, 2018 et 2021 ») and `span` (« 2017-2021 »)."""
    names = [str(year) for year in sorted(set(years)) if year] or ["—"]
    listed = names[0] if len(names) == 1 else (
        f"{', '.join(names[:-1])} {translate('list.and', lang)} {names[-1]}")
    span = names[0] if len(names) == 1 else f"{names[0]}-{names[-1]}"
    return {"years": listed, "span": span}


def translate_french(text: str, lang: str) -> str:
    """`text`, a filled-in French catalogue message (as OpenAPI carries it), in `lang`; else
    unchanged."""
    for messages in CATALOGUE.values():
        pattern = re.sub(r"\\{(\w+)\\}", r"(?P<\1>.+?)", re.escape(messages[DEFAULT_LANG]))
        match = re.fullmatch(pattern, text)
        if match:
            return (messages.get(lang) or messages[DEFAULT_LANG]).format(**match.groupdict())
    return text


def pick_lang(*candidates: str | None) -> str:
    """The first supported language among `candidates` (query, then cookie), else French."""
    for candidate in candidates:
        if candidate in LANGS:
            return candidate
    return DEFAULT_LANG
