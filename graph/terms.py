"""The terms of the ontology namespace ``ag:``, closed.

Generated from ``ontology/alliance.ttl`` by ``python -m graph.namespaces --write``;
do not edit. Import ``AG`` from :mod:`graph.namespaces`.
"""

from rdflib import URIRef, namespace

BASE = "https://w3id.org/alliance-graph/"


class AG(namespace.DefinedNamespace):
    """Every term ``alliance.ttl`` defines; any other name raises ``AttributeError``."""

    _NS = namespace.Namespace(BASE + "ontology#")
    _fail = True

    # Classes
    Agent: URIRef
    Agreement: URIRef
    Claim: URIRef
    Company: URIRef
    CopyKind: URIRef
    Entity: URIRef
    Event: URIRef
    GovernmentAgency: URIRef
    IndustrialBase: URIRef
    MilitaryOrganization: URIRef
    Nation: URIRef
    Organization: URIRef
    Person: URIRef
    Place: URIRef
    Policy: URIRef
    Programme: URIRef
    Rank: URIRef
    Regulation: URIRef
    Resource: URIRef
    Source: URIRef
    SourceKind: URIRef
    WeaponSystem: URIRef

    # Datatypes
    Date: URIRef

    # Object properties
    amends: URIRef
    announcedBy: URIRef
    approvedBy: URIRef
    benefits: URIRef
    buildsOn: URIRef
    callsFor: URIRef
    coDevelopedBy: URIRef
    componentOf: URIRef
    concerns: URIRef
    concludedUnder: URIRef
    conflictsWith: URIRef
    contractor: URIRef
    copyKind: URIRef
    corroborates: URIRef
    counterpartOf: URIRef
    dependsOn: URIRef
    developmentLedBy: URIRef
    develops: URIRef
    directs: URIRef
    enabledBy: URIRef
    endorses: URIRef
    establishes: URIRef
    exportedBy: URIRef
    exportedTo: URIRef
    hasComponent: URIRef
    hasParty: URIRef
    hostedBy: URIRef
    implements: URIRef
    industrialBaseOf: URIRef
    issuedBy: URIRef
    item: URIRef
    leadsDevelopmentOf: URIRef
    licensedFrom: URIRef
    location: URIRef
    mainCustomer: URIRef
    modelledAfter: URIRef
    notifiedTo: URIRef
    participant: URIRef
    partyTo: URIRef
    procures: URIRef
    producer: URIRef
    produces: URIRef
    promotes: URIRef
    rank: URIRef
    refines: URIRef
    replaces: URIRef
    reportsTo: URIRef
    requestedBy: URIRef
    requires: URIRef
    runBy: URIRef
    signed: URIRef
    signedBy: URIRef
    sourceKind: URIRef
    spouse: URIRef
    updates: URIRef
    uses: URIRef
    variantOf: URIRef
    welcomedBy: URIRef

    # Datatype properties
    amount: URIRef
    currency: URIRef
    date: URIRef
    durationMinutes: URIRef
    excerpt: URIRef
    formerName: URIRef
    independentSource: URIRef
    legallyBinding: URIRef
    militaryRank: URIRef
    permits: URIRef
    pointInTime: URIRef
    purpose: URIRef
    quantity: URIRef
    quote: URIRef
    quoteEnd: URIRef
    quoteStart: URIRef
    rankReason: URIRef
    reprintedBy: URIRef
    restriction: URIRef
    reworded: URIRef
    role: URIRef
    staffSize: URIRef
    textSha256: URIRef
    validFrom: URIRef
    validUntil: URIRef
    visitType: URIRef
    wordsOf: URIRef

    # Annotation properties
    colour: URIRef
    cue: URIRef
    instantaneous: URIRef
    nestingCue: URIRef
    precedence: URIRef
    shape: URIRef
    synthWeight: URIRef
    valueComparison: URIRef

    # Named values
    DeprecatedRank: URIRef
    EncyclopediaArticle: URIRef
    GovernmentText: URIRef
    NewsReport: URIRef
    NormalRank: URIRef
    OriginalCopy: URIRef
    OtherArticle: URIRef
    PreferredRank: URIRef
    Reprint: URIRef
    RewordedCopy: URIRef
