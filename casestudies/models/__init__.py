"""The models of case studies: areas, partners and sources (places.py), approaches and
initiatives (initiatives.py), what an entry records about evidence, costs and people
(evidence.py), the sources' words behind its statements (claims.py), readers' suggestions,
reports and messages (feedback.py), and areas' confirmations of their entries
(verification.py), and the words search corrects to (words.py)."""

from .choices import (
    CHECKLIST_FIELDS,
    EFFECT_FINDINGS,
    LINK_REVERSE,
    PUBLISHED_INITIATIVES,
    REVIEW_INTERVAL_DAYS,
    ROLE_NOT_KNOWN,
    STATUS_STALE_YEARS,
    CommissionerRoleKind,
    CostBand,
    CostKind,
    DesignLevel,
    EvidenceFinding,
    EvidenceStage,
    FunderRole,
    LinkKind,
    OfficeType,
    PartnerType,
    Region,
    State,
    Status,
    VerifiedHow,
)
from .claims import ROW_STATEMENTS, Claim, Statement
from .evidence import (
    CommissionerRole,
    Cost,
    Evaluation,
    EvaluationKind,
    Funder,
    ReplicationLink,
)
from .feedback import ContactKind, ContactMessage, ProblemReport, Suggestion
from .initiatives import CASE_STUDY_TEXTS, EXCERPT_TEXTS, Approach, Initiative
from .places import Area, Partner, SlugManager, Source, SourceKind
from .verification import VerificationAnswer, VerificationRequest, VerificationState
from .words import Word

__all__ = [
    "CASE_STUDY_TEXTS", "CHECKLIST_FIELDS", "EFFECT_FINDINGS", "ROW_STATEMENTS", "Claim",
    "Statement", "EXCERPT_TEXTS", "LINK_REVERSE",
    "PUBLISHED_INITIATIVES", "REVIEW_INTERVAL_DAYS", "ROLE_NOT_KNOWN", "STATUS_STALE_YEARS",
    "Approach", "Area", "CommissionerRole", "CommissionerRoleKind", "ContactKind",
    "ContactMessage", "Cost", "EvaluationKind", "CostBand", "CostKind", "DesignLevel", "Evaluation",
    "EvidenceFinding", "EvidenceStage", "Funder",
    "FunderRole", "Initiative", "LinkKind", "OfficeType", "Partner", "PartnerType",
    "ProblemReport", "Region", "ReplicationLink", "SlugManager", "Source", "SourceKind", "State",
    "Status", "Suggestion", "VerificationAnswer", "VerificationRequest", "VerificationState",
    "VerifiedHow", "Word",
]
