"""The ``cm:`` namespace as an rdflib :class:`~rdflib.namespace.DefinedNamespace`.

A misspelt term fails at import time (``CM.meetWith`` raises AttributeError); a test checks that
the terms listed here and those declared in ``ontology/cm.ttl`` are the same.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace


class CM(DefinedNamespace):
    """Terms of ``https://w3id.org/cmkg/ontology#``."""

    _NS = Namespace("https://w3id.org/cmkg/ontology#")
    _fail = True

    maximumValue: URIRef
    shareOfWorld: URIRef

    Meeting: URIRef
    Signing: URIRef
    AgreementEvent: URIRef
    ExportRestriction: URIRef
    agreement: URIRef
    target: URIRef
    placeName: URIRef
    dateText: URIRef
    agreementType: URIRef

    Mineral: URIRef
    Agreement: URIRef
    AgreementType: URIRef
    ExtractionRun: URIRef
    RelationStatement: URIRef
    Quantity: URIRef
    holdsRoleIn: URIRef
    memberOf: URIRef
    meetsWith: URIRef
    partyTo: URIRef
    produces: URIRef
    hasReservesOf: URIRef
    exports: URIRef
    imports: URIRef
    restrictsExportOf: URIRef
    investsIn: URIRef
    dependsOn: URIRef
    cooperatesWith: URIRef
    dominatesSupplyOf: URIRef
    confidence: URIRef
    status: URIRef
    roleTitle: URIRef
    evidence: URIRef
    sourceArticle: URIRef
    contentHash: URIRef
    softwareVersion: URIRef
    modelName: URIRef
    teaser: URIRef
    textSignature: URIRef
    signatureBand: URIRef
    quantity: URIRef
    valueText: URIRef
    numericValue: URIRef
    unit: URIRef
    measures: URIRef
    mineral: URIRef
    iso3166Alpha2: URIRef
    iso3166Alpha3: URIRef
    demonym: URIRef
    capital: URIRef
    governmentAlias: URIRef
    unMember: URIRef
    ambiguousCapital: URIRef
    roleScope: URIRef
    orgKind: URIRef
    country: URIRef
    agreementKind: URIRef
    minerals: URIRef
    countries: URIRef
    organizations: URIRef
    roles: URIRef
    agreementTypes: URIRef
    GovernmentRole: URIRef
    OrganizationRole: URIRef
    AnyRole: URIRef
    CriticalMineralList: URIRef
    entryCount: URIRef
    Restriction: URIRef
    Exemption: URIRef
    IntergovernmentalOrganization: URIRef
    Forum: URIRef
    GovernmentBody: URIRef
    Company: URIRef
    StateOwnedEnterprise: URIRef
    FinancialInstitution: URIRef
    ResearchOrganization: URIRef
    NewsAgency: URIRef
    # analysis results (kg analyze --write-back)
    AnalysisRun: URIRef
    CentralityScore: URIRef
    SupplyConcentration: URIRef
    SupplyDependency: URIRef
    Exposure: URIRef
    scoreOf: URIRef
    view: URIRef
    period: URIRef
    degreeCentrality: URIRef
    betweennessCentrality: URIRef
    eigenvectorCentrality: URIRef
    pageRank: URIRef
    community: URIRef
    stage: URIRef
    hhi: URIRef
    topThreeShare: URIRef
    topProducer: URIRef
    share: URIRef
    coveredShare: URIRef
    referenceYear: URIRef
    dependent: URIRef
    supplier: URIRef
    viaAgreement: URIRef
    basis: URIRef
    restrictor: URIRef
    exposedActor: URIRef
    exposureLevel: URIRef
    channel: URIRef
    alternativeShare: URIRef


def predicate(relation: str) -> URIRef:
    """The ``cm:`` property of a relation type written in snake_case.

    >>> predicate("restricts_export_of")
    rdflib.term.URIRef('https://w3id.org/cmkg/ontology#restrictsExportOf')
    """
    head, *rest = relation.split("_")
    term: URIRef = getattr(CM, head + "".join(w.capitalize() for w in rest))
    return term
