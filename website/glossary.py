"""Terms that case studies use, explained on /glossary/ and linked from the case studies."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    slug: str
    term: str
    definition: str
    matches: tuple = ()  # other ways case studies write it


TERMS = [
    Term("pcc", "Police and crime commissioner (PCC)",
         "An elected official for a police force area in England and Wales who sets the "
         "police and crime plan and the police budget and holds the chief constable to "
         "account. The first were elected in November 2012.",
         ("police and crime commissioner", "PCC")),
    Term("pfcc", "Police, fire and crime commissioner (PFCC)",
         "A police and crime commissioner who has also taken on responsibility for the "
         "area's fire and rescue service.", ("police, fire and crime commissioner", "PFCC")),
    Term("opcc", "Office of the police and crime commissioner (OPCC)",
         "The staff who support a commissioner, and the usual point of contact for their work.",
         ("OPCC", "commissioner's office")),
    Term("mayor", "Mayor with police and crime powers",
         "In some areas an elected mayor holds the commissioner's role, usually with a deputy "
         "mayor for policing and crime. In London this is the Mayor's Office for Policing and "
         "Crime (MOPAC).", ("MOPAC",)),
    Term("section-136", "Section 136",
         "The power in section 136 of the Mental Health Act 1983 for a police officer to take "
         "a person who appears to have a mental disorder and to need immediate care or control "
         "to a place of safety, so that they can be assessed.", ("section 136", "s136")),
    Term("place-of-safety", "Place of safety",
         "Where a person detained under section 136 is taken to be assessed: usually a health "
         "setting. Police cells were once often used, which national policy set out to reduce.",
         ("place of safety", "places of safety")),
    Term("street-triage", "Street triage",
         "Mental-health professionals, often nurses, working with police officers, on patrol "
         "or by phone, to advise on people who appear to be in a mental-health crisis and "
         "find them the right care.", ("street triage", "triage car", "triage")),
    Term("control-room-triage", "Control-room triage",
         "Mental-health clinicians working in a police control room, advising call handlers "
         "and officers while an incident is under way.", ("control room",)),
    Term("liaison-and-diversion", "Liaison and diversion",
         "NHS services that identify people with mental-health needs, learning disabilities, "
         "substance misuse or other vulnerabilities when they first come into contact with "
         "the criminal justice system, such as in police custody or at court, so that they "
         "get support and decisions take their needs into account.",
         ("liaison and diversion",)),
    Term("crisis-care-concordat", "Mental Health Crisis Care Concordat",
         "A national agreement launched in February 2014 between the police, the NHS, local "
         "government and others to improve care for people in mental-health crisis. Local "
         "partners signed declarations and agreed action plans.",
         ("crisis care concordat", "concordat")),
    Term("health-and-wellbeing-board", "Health and wellbeing board",
         "A statutory board in each upper-tier local authority in England that brings "
         "together leaders from the NHS, public health and social care to plan for local "
         "health needs.", ("health and wellbeing board",)),
    Term("ccg", "Clinical commissioning group (CCG)",
         "The NHS bodies that planned and bought most local health services in England from "
         "2013. They were replaced by integrated care boards in July 2022.",
         ("clinical commissioning group", "CCG")),
    Term("multiple-and-complex-needs", "Multiple and complex needs",
         "Several problems at once, such as mental ill health, substance misuse, homelessness "
         "and repeated contact with the police, that services working alone tend to miss.",
         ("complex needs",)),
    Term("personality-disorder", "Personality disorder",
         "A mental-health condition affecting how a person thinks, feels and relates to "
         "others over a long time; specialist pathways exist for offenders who have one.",
         ("personality disorder", "personality disorders")),
]


def _pattern():
    alternatives = {}
    for term in TERMS:
        for phrase in term.matches:
            alternatives[phrase.lower()] = term.slug
    ordered = sorted(alternatives, key=len, reverse=True)  # longest first
    regex = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in ordered) + r")(?![\w-])",
                       re.IGNORECASE)
    return regex, alternatives


PATTERN, SLUGS = _pattern()


def link_terms(text, seen=None):
    """`text` as paragraphs (split at blank lines) of (text, glossary slug or None) pieces,
    the first use of each glossary term not in `seen` given its slug; for
    templates/includes/prose.html."""
    seen = set() if seen is None else seen
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        pieces, last = [], 0
        for match in PATTERN.finditer(paragraph):
            slug = SLUGS[match.group(1).lower()]
            if slug in seen:
                continue
            seen.add(slug)
            pieces += [(paragraph[last:match.start()], None), (match.group(1), slug)]
            last = match.end()
        pieces.append((paragraph[last:], None))
        paragraphs.append(pieces)
    return paragraphs
