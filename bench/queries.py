"""The benchmark questions: French first, a few English ones and exact references."""

QUERIES = [
    "gouvernance des données",
    "ouverture des données publiques",
    "recommandation 12",
    "proposition n° 5 du rapport Belot",
    "financement des projets de territoire connecté",
    "cybersécurité des collectivités",
    "éclairage public intelligent",
    "mobilité et transports",
    "participation des citoyens",
    "petites communes rurales et ingénierie",
    "how can cities protect personal data",
    "souveraineté numérique et hébergement des données",
    "rapport de 2021 interopérabilité",
    "formation des élus au numérique",
    "plateforme de données territoriale",
    "what funding for smart city projects",
]
