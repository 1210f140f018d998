# ruff: noqa: E501 -- each item keeps its English and Welsh wording on one line, side by side
"""The frameworks WithUs ships, in English and Welsh: 4PI, the Good Practice Checklist, the leadership
spectrum and the minimum expectations. Each item is paraphrased from its guidance, with its source.

A data migration writes them; ``ship`` can write them again (it changes nothing already right), which
the demo does, since a test that empties the database empties them too.
"""

from __future__ import annotations

from typing import Any

MET3 = [("Not met", "Heb ei fodloni"), ("Part met", "Wedi'i fodloni'n rhannol"), ("Met", "Wedi'i fodloni")]
SPECTRUM = [
    ("Beginnings of service user involvement", "Dechrau cynnwys defnyddwyr gwasanaeth"),
    ("Good service user involvement", "Cynnwys defnyddwyr gwasanaeth yn dda"),
    ("Service user led", "Dan arweiniad defnyddwyr gwasanaeth"),
]
YES_NO = [("No", "Na"), ("Yes", "Ie")]

FRAMEWORKS: list[dict[str, Any]] = [
    {
        "code": "4pi",
        "name": "4PI National Involvement Standards",
        "name_cy": "Safonau Cynnwys Cenedlaethol 4PI",
        "description": "Principles, Purpose, Presence, Process and Impact: good practice in involving service users and carers, and how to check it.",
        "description_cy": "Egwyddorion, Diben, Presenoldeb, Proses ac Effaith: arfer da wrth gynnwys defnyddwyr gwasanaeth a gofalwyr, a sut i'w wirio.",
        "source": "NSUN 4PI National Involvement Standards (2014), section 3",
        "scale": MET3,
        "items": [
            (
                "Principles",
                "Egwyddorion",
                "PR1",
                "Involvement keeps improving people's mental health, wellbeing and recovery, and their services, as its goal.",
                "Mae cynnwys pobl yn cadw gwella iechyd meddwl, lles ac adferiad pobl, a'u gwasanaethau, yn nod iddo.",
                "003 §3 Principles",
            ),
            (
                "Principles",
                "Egwyddorion",
                "PR2",
                "Service users and carers are listened to with respect and openness, and things change in response to what they say.",
                "Gwrandewir ar ddefnyddwyr gwasanaeth a gofalwyr gyda pharch a didwylledd, ac mae pethau'n newid mewn ymateb i'r hyn a ddywedant.",
                "003 §3 Principles",
            ),
            (
                "Principles",
                "Egwyddorion",
                "PR3",
                "Power differences between professionals and service users are acknowledged and reduced where possible.",
                "Cydnabyddir y gwahaniaethau grym rhwng gweithwyr proffesiynol a defnyddwyr gwasanaeth a'u lleihau lle bo modd.",
                "003 §3 Principles",
            ),
            (
                "Principles",
                "Egwyddorion",
                "PR4",
                "Race equality is supported, discriminatory practice is challenged and different cultures and ways of working are welcomed.",
                "Cefnogir cydraddoldeb hiliol, herir arferion sy'n gwahaniaethu a chroesewir diwylliannau a ffyrdd gwahanol o weithio.",
                "003 §3 Principles",
            ),
            (
                "Purpose",
                "Diben",
                "PU1",
                "Why people are involved is stated and agreed at the start, for the whole activity and for each role.",
                "Nodir a chytunir ar y dechrau pam y mae pobl yn cael eu cynnwys, ar gyfer y gweithgaredd cyfan ac ar gyfer pob rôl.",
                "003 §3 Purpose",
            ),
            (
                "Purpose",
                "Diben",
                "PU2",
                "People are told openly what they can influence and what they cannot.",
                "Dywedir wrth bobl yn agored beth y gallant ddylanwadu arno a beth na allant.",
                "003 §3 Purpose",
            ),
            (
                "Purpose",
                "Diben",
                "PU3",
                "The outcomes hoped for are agreed and written down at the start so they can be checked later.",
                "Cytunir ar y canlyniadau a ddymunir a'u cofnodi ar y dechrau fel y gellir eu gwirio wedyn.",
                "003 §3 Purpose",
            ),
            (
                "Presence",
                "Presenoldeb",
                "PS1",
                "A diverse range of service users and carers is involved at every level, including where decisions are made.",
                "Mae amrywiaeth o ddefnyddwyr gwasanaeth a gofalwyr yn cael eu cynnwys ar bob lefel, gan gynnwys lle gwneir penderfyniadau.",
                "003 §3 Presence",
            ),
            (
                "Presence",
                "Presenoldeb",
                "PS2",
                "Who is involved is compared with the population served, and under-represented communities are approached.",
                "Cymherir pwy sy'n cymryd rhan â'r boblogaeth a wasanaethir, a chysylltir â chymunedau sydd heb gynrychiolaeth ddigonol.",
                "003 §3 Presence",
            ),
            (
                "Presence",
                "Presenoldeb",
                "PS3",
                "The presence and diversity of those involved are monitored at every level.",
                "Monitrir presenoldeb ac amrywiaeth y rhai sy'n cymryd rhan ar bob lefel.",
                "003 §3 Presence",
            ),
            (
                "Presence",
                "Presenoldeb",
                "PS4",
                "No one service user or carer is left alone in a meeting: at least two, ideally three, with a reserve at senior meetings.",
                "Nid oes yr un defnyddiwr gwasanaeth na gofalwr ar ei ben ei hun mewn cyfarfod: o leiaf dau, tri yn ddelfrydol, gydag un wrth gefn mewn cyfarfodydd uwch.",
                "003 §3 Presence",
            ),
            (
                "Process",
                "Proses",
                "PC1",
                "Opportunities are advertised widely, with a range of ways to take part and fair, open recruitment.",
                "Hysbysebir cyfleoedd yn eang, gydag amrywiaeth o ffyrdd o gymryd rhan a recriwtio teg, agored.",
                "003 §3 Process: engagement",
            ),
            (
                "Process",
                "Proses",
                "PC2",
                "Communication is clear and free of jargon, papers arrive in good time and people hear what came of their involvement.",
                "Mae'r cyfathrebu'n glir a heb jargon, daw papurau mewn da bryd a chaiff pobl glywed beth ddaeth o'u cyfraniad.",
                "003 §3 Process: communication",
            ),
            (
                "Process",
                "Proses",
                "PC3",
                "People get administrative and emotional support, supervision, peer support and training, and staff are trained too.",
                "Caiff pobl gymorth gweinyddol ac emosiynol, goruchwyliaeth, cymorth cymheiriaid a hyfforddiant, a chaiff staff eu hyfforddi hefyd.",
                "003 §3 Process: support and training",
            ),
            (
                "Process",
                "Proses",
                "PC4",
                "Fees and expenses are clear from the start and paid promptly, with care and travel arranged so nobody is out of pocket.",
                "Mae ffioedd a threuliau'n glir o'r dechrau ac yn cael eu talu'n brydlon, gyda gofal a theithio wedi'u trefnu fel nad oes neb ar eu colled.",
                "003 §3 Process: practical issues",
            ),
            (
                "Impact",
                "Effaith",
                "IM1",
                "What difference service users and carers made is recorded throughout and checked at the end.",
                "Cofnodir drwy'r amser pa wahaniaeth a wnaeth defnyddwyr gwasanaeth a gofalwyr a'i wirio ar y diwedd.",
                "003 §3 Impact",
            ),
            (
                "Impact",
                "Effaith",
                "IM2",
                "People are asked how they felt about the way they were involved.",
                "Gofynnir i bobl sut roedden nhw'n teimlo am y ffordd y cawsant eu cynnwys.",
                "003 §3 Impact",
            ),
            (
                "Impact",
                "Effaith",
                "IM3",
                "Involvement is shown to change culture, policy, delivery and people's experience of the service.",
                "Dangosir bod cynnwys pobl yn newid diwylliant, polisi, darpariaeth a phrofiad pobl o'r gwasanaeth.",
                "003 §3 Impact",
            ),
            (
                "Impact",
                "Effaith",
                "IM4",
                "Involvement follows a cycle of improvement: plan, do, study, act.",
                "Mae cynnwys pobl yn dilyn cylch gwella: cynllunio, gwneud, astudio, gweithredu.",
                "003 §3 Impact",
            ),
        ],
    },
    {
        "code": "good-practice-checklist",
        "name": "Good Practice Checklist and Monitoring Tool",
        "name_cy": "Rhestr Wirio Arfer Da ac Offeryn Monitro",
        "description": "Each line is scored not met, part met or met, with the action taken and how it is monitored.",
        "description_cy": "Sgorir pob llinell heb ei bodloni, wedi'i bodloni'n rhannol neu wedi'i bodloni, gyda'r camau a gymerwyd a sut y caiff ei monitro.",
        "source": "Service user and carer participation guidance, section 7",
        "scale": MET3,
        "items": [
            (
                "Design and planning of services",
                "Cynllunio a dylunio gwasanaethau",
                "DP1",
                "Service users and carers know how they can be involved in designing, planning and commissioning services, and are asked how they would like to be.",
                "Mae defnyddwyr gwasanaeth a gofalwyr yn gwybod sut y gallant fod yn rhan o ddylunio, cynllunio a chomisiynu gwasanaethau, a gofynnir iddynt sut yr hoffent fod.",
                "000 §7 Design and planning",
            ),
            (
                "Design and planning of services",
                "Cynllunio a dylunio gwasanaethau",
                "DP2",
                "People are clear about the commitment asked of them and whether they give a personal or a representative view.",
                "Mae pobl yn glir am yr ymrwymiad a ofynnir ganddynt ac a ydynt yn rhoi barn bersonol neu farn gynrychioliadol.",
                "000 §7 Design and planning",
            ),
            (
                "Design and planning of services",
                "Cynllunio a dylunio gwasanaethau",
                "DP3",
                "Outreach reaches rural areas, every community and people not currently using services.",
                "Mae gwaith allgymorth yn cyrraedd ardaloedd gwledig, pob cymuned a phobl nad ydynt yn defnyddio gwasanaethau ar hyn o bryd.",
                "000 §7 Design and planning",
            ),
            (
                "Design and planning of services",
                "Cynllunio a dylunio gwasanaethau",
                "DP4",
                "Views are sought widely, so responsibility does not fall on one or two people.",
                "Ceisir barn yn eang, fel nad yw'r cyfrifoldeb yn disgyn ar un neu ddau o bobl.",
                "000 §7 Design and planning",
            ),
            (
                "Delivery of services",
                "Darparu gwasanaethau",
                "DS1",
                "Service users and carers take part in training staff and in conferences and workshops.",
                "Mae defnyddwyr gwasanaeth a gofalwyr yn cymryd rhan mewn hyfforddi staff ac mewn cynadleddau a gweithdai.",
                "000 §7 Delivery of services",
            ),
            (
                "Training",
                "Hyfforddiant",
                "TR1",
                "Training is offered early and without having to ask, including on planning, decision making and recruitment.",
                "Cynigir hyfforddiant yn gynnar a heb orfod gofyn, gan gynnwys ar gynllunio, gwneud penderfyniadau a recriwtio.",
                "000 §7 Training",
            ),
            (
                "Expenses and other payments",
                "Treuliau a thaliadau eraill",
                "EX1",
                "Payments are discussed with people, those on benefits are pointed to advice, and out of pocket expenses are repaid.",
                "Trafodir taliadau gyda phobl, cyfeirir y rhai sy'n cael budd-daliadau at gyngor, ac ad-delir treuliau.",
                "000 §7 Expenses and other payments",
            ),
            (
                "Support for carers",
                "Cymorth i ofalwyr",
                "CA1",
                "Carers are offered their own assessment and respite so they can prepare for and attend meetings.",
                "Cynigir asesiad eu hunain a seibiant i ofalwyr fel y gallant baratoi ar gyfer cyfarfodydd a'u mynychu.",
                "000 §7 Support for carers",
            ),
            (
                "Meetings",
                "Cyfarfodydd",
                "ME1",
                "Meetings are planned around the people attending: timing, place, papers and support.",
                "Cynllunnir cyfarfodydd o amgylch y bobl sy'n dod: amseru, lle, papurau a chymorth.",
                "000 §7 Service users and carers attending meetings",
            ),
        ],
    },
    {
        "code": "leadership-spectrum",
        "name": "Service user leadership spectrum",
        "name_cy": "Sbectrwm arweinyddiaeth defnyddwyr gwasanaeth",
        "description": "Where the organisation stands, area by area: beginnings, good involvement, or service user led.",
        "description_cy": "Ble mae'r sefydliad, fesul maes: dechrau, cynnwys da, neu dan arweiniad defnyddwyr gwasanaeth.",
        "source": "Service user leadership spectrum",
        "scale": SPECTRUM,
        "items": [
            (
                "Leadership",
                "Arweinyddiaeth",
                "SL1",
                "Feedback and consultation: from surveys and agendas set by staff, to service users shaping and leading the agenda.",
                "Adborth ac ymgynghori: o arolygon ac agendâu a osodir gan staff, i ddefnyddwyr gwasanaeth yn llunio ac yn arwain yr agenda.",
                "004 spectrum",
            ),
            (
                "Leadership",
                "Arweinyddiaeth",
                "SL2",
                "Governance and policy: from staff holding leadership and vision, to service users leading governance and policy.",
                "Llywodraethu a pholisi: o staff yn dal yr arweinyddiaeth a'r weledigaeth, i ddefnyddwyr gwasanaeth yn arwain llywodraethu a pholisi.",
                "004 spectrum",
            ),
            (
                "Leadership",
                "Arweinyddiaeth",
                "SL3",
                "Quality: from clinical measures only, to service users defining and measuring quality and outcomes.",
                "Ansawdd: o fesurau clinigol yn unig, i ddefnyddwyr gwasanaeth yn diffinio ac yn mesur ansawdd a chanlyniadau.",
                "004 spectrum",
            ),
            (
                "Leadership",
                "Arweinyddiaeth",
                "SL4",
                "Initiatives: from none led by service users, to hosting service user led initiatives through to independence.",
                "Mentrau: o ddim un dan arweiniad defnyddwyr gwasanaeth, i gynnal mentrau dan arweiniad defnyddwyr gwasanaeth hyd at annibyniaeth.",
                "004 spectrum",
            ),
            (
                "Leadership",
                "Arweinyddiaeth",
                "SL5",
                "Training and peer support: from no service user input, to service users leading authentic peer support.",
                "Hyfforddiant a chymorth cymheiriaid: o ddim mewnbwn gan ddefnyddwyr gwasanaeth, i ddefnyddwyr gwasanaeth yn arwain cymorth cymheiriaid dilys.",
                "004 spectrum",
            ),
        ],
    },
    {
        "code": "minimum-expectations",
        "name": "Minimum expectations of engagement",
        "name_cy": "Disgwyliadau sylfaenol ymgysylltu",
        "description": "The least every organisation is expected to have in place when it involves people.",
        "description_cy": "Y lleiaf y disgwylir i bob sefydliad ei gael yn ei le pan fydd yn cynnwys pobl.",
        "source": "Engagement guidance, Implementing this guidance",
        "scale": YES_NO,
        "items": [
            (
                "Minimum expectations",
                "Disgwyliadau sylfaenol",
                "MX1",
                "At least once a year, service users and carers evaluate with us the reach and quality of our engagement.",
                "O leiaf unwaith y flwyddyn, mae defnyddwyr gwasanaeth a gofalwyr yn gwerthuso gyda ni gyrhaeddiad ac ansawdd ein hymgysylltu.",
                "001 Implementing this guidance",
            ),
            (
                "Minimum expectations",
                "Disgwyliadau sylfaenol",
                "MX2",
                "The service user and carer voice is kept independent of control by partners or support organisations.",
                "Cedwir llais defnyddwyr gwasanaeth a gofalwyr yn annibynnol ar reolaeth partneriaid neu sefydliadau cymorth.",
                "001 Implementing this guidance",
            ),
            (
                "Minimum expectations",
                "Disgwyliadau sylfaenol",
                "MX3",
                "A strategy and action plan to improve engagement is developed with service users and carers.",
                "Datblygir strategaeth a chynllun gweithredu i wella ymgysylltu gyda defnyddwyr gwasanaeth a gofalwyr.",
                "001 Implementing this guidance",
            ),
            (
                "Minimum expectations",
                "Disgwyliadau sylfaenol",
                "MX4",
                "Resources are set aside to support engagement.",
                "Neilltuir adnoddau i gefnogi ymgysylltu.",
                "001 Implementing this guidance",
            ),
            (
                "Minimum expectations",
                "Disgwyliadau sylfaenol",
                "MX5",
                "Each piece of work shows its engagement: papers evidence it and agendas have a standing item on it.",
                "Mae pob darn o waith yn dangos ei ymgysylltu: mae papurau'n ei dystiolaethu ac mae eitem sefydlog arno ar agendâu.",
                "001 Implementing this guidance",
            ),
            (
                "Minimum expectations",
                "Disgwyliadau sylfaenol",
                "MX6",
                "Progress against the engagement objectives is reported every year.",
                "Adroddir bob blwyddyn ar gynnydd yn erbyn yr amcanion ymgysylltu.",
                "001 Implementing this guidance",
            ),
            (
                "Minimum expectations",
                "Disgwyliadau sylfaenol",
                "MX7",
                "Service user and carer representatives have a voice wherever decisions about mental health are made.",
                "Mae gan gynrychiolwyr defnyddwyr gwasanaeth a gofalwyr lais lle bynnag y gwneir penderfyniadau am iechyd meddwl.",
                "001 Implementing this guidance",
            ),
        ],
    },
]


def ship(framework_model: Any = None, step_model: Any = None, item_model: Any = None) -> None:
    """Write the shipped frameworks, their scales and items (with the migration's models when given)."""
    if framework_model is None:
        from .models import Framework, Item, ScaleStep

        framework_model, step_model, item_model = Framework, ScaleStep, Item
    for data in FRAMEWORKS:
        framework, _ = framework_model.objects.update_or_create(
            organisation=None,
            code=data["code"],
            defaults={k: data[k] for k in ("name", "name_cy", "description", "description_cy", "source")},
        )
        for value, (label, label_cy) in enumerate(data["scale"]):
            step_model.objects.update_or_create(
                framework=framework, value=value, defaults={"label": label, "label_cy": label_cy}
            )
        for order, (standard, standard_cy, code, text, text_cy, source) in enumerate(data["items"]):
            item_model.objects.update_or_create(
                framework=framework,
                code=code,
                defaults={
                    "standard": standard,
                    "standard_cy": standard_cy,
                    "text": text,
                    "text_cy": text_cy,
                    "source": source,
                    "order": order,
                },
            )
