"""The register's starting vocabularies (English, Welsh), loaded by migrations and the demo."""

from __future__ import annotations

TAGS: dict[str, list[tuple[str, str, str]]] = {
    "area": [
        ("community-mental-health", "Community mental health teams", "Timau iechyd meddwl cymunedol"),
        ("inpatient", "Inpatient wards", "Wardiau cleifion mewnol"),
        ("crisis", "Crisis services", "Gwasanaethau argyfwng"),
        ("psychological-therapies", "Psychological therapies", "Therapïau seicolegol"),
        ("perinatal", "Perinatal mental health", "Iechyd meddwl amenedigol"),
        ("young-people", "Child and adolescent services", "Gwasanaethau plant a phobl ifanc"),
        ("older-adults", "Older adults' services", "Gwasanaethau pobl hŷn"),
        ("substance-use", "Drug and alcohol services", "Gwasanaethau cyffuriau ac alcohol"),
        ("eating-disorders", "Eating disorder services", "Gwasanaethau anhwylderau bwyta"),
        ("primary-care", "GP and primary care", "Meddygon teulu a gofal sylfaenol"),
    ],
    "skill": [
        ("public-speaking", "Speaking in meetings", "Siarad mewn cyfarfodydd"),
        ("writing", "Writing and editing", "Ysgrifennu a golygu"),
        ("listening", "Listening and peer support", "Gwrando a chymorth gan gymheiriaid"),
        ("training", "Delivering training", "Cyflwyno hyfforddiant"),
        ("interviewing", "Interviewing and recruitment", "Cyfweld a recriwtio"),
        ("research", "Research and evaluation", "Ymchwil a gwerthuso"),
        ("art", "Art, photography or design", "Celf, ffotograffiaeth neu ddylunio"),
        ("digital", "Computers and social media", "Cyfrifiaduron a chyfryngau cymdeithasol"),
        ("chairing", "Chairing meetings", "Cadeirio cyfarfodydd"),
    ],
    "interest": [
        ("service-design", "Designing services", "Dylunio gwasanaethau"),
        ("recruitment", "Choosing staff", "Dewis staff"),
        ("inspection", "Checking services (visits)", "Gwirio gwasanaethau (ymweliadau)"),
        ("policy", "Strategy and policy", "Strategaeth a pholisi"),
        ("carers", "Support for carers", "Cymorth i ofalwyr"),
        ("stigma", "Tackling stigma", "Mynd i'r afael â stigma"),
        ("welsh-language", "Services in Welsh", "Gwasanaethau yn Gymraeg"),
        ("peer-support", "Peer support", "Cymorth gan gymheiriaid"),
    ],
    "experience": [
        ("boards", "Boards or committees", "Byrddau neu bwyllgorau"),
        ("panels", "Interview panels", "Paneli cyfweld"),
        ("training-delivery", "Training staff", "Hyfforddi staff"),
        ("focus-groups", "Focus groups", "Grwpiau ffocws"),
        ("consultations", "Consultations and surveys", "Ymgynghoriadau ac arolygon"),
        ("research-projects", "Research projects", "Prosiectau ymchwil"),
    ],
    "language": [
        ("english", "English", "Saesneg"),
        ("welsh", "Welsh", "Cymraeg"),
        ("bsl", "British Sign Language", "Iaith Arwyddion Prydain"),
        ("polish", "Polish", "Pwyleg"),
        ("arabic", "Arabic", "Arabeg"),
    ],
}


def load_tags() -> int:
    """Create any missing vocabulary tags; returns how many were added."""
    from withus.people.models import Tag

    added = 0
    for kind, entries in TAGS.items():
        for slug, name, name_cy in entries:
            _tag, created = Tag.objects.get_or_create(kind=kind, slug=slug, defaults={"name": name, "name_cy": name_cy})
            added += int(created)
    return added
