"""A story's file (a recording, a document, slides): checked by its content, opened by staff only while the
member's consent holds, always by the member, on the web and the API, and gone with the member's erasure."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member, member_client, staff_client
from withus.accounts.models import Organisation, User
from withus.core import privacy, uploads
from withus.impact.stories import rules, selectors, services
from withus.impact.stories.models import Story
from withus.people.models import Person

pytestmark = pytest.mark.django_db

MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64


def docx_bytes(inner: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(inner, "<x/>")
    return buffer.getvalue()


def recording(name: str = "my voice.mp3", content: bytes = MP3) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="audio/mpeg")


def keep(actor: User, org: Organisation, person: Person, **fields: object) -> Story:
    values: dict[str, object] = {
        "title": "Finding my way back to work",
        "kind": "recording",
        "places": ["training"],
        "until": timezone.localdate() + timedelta(days=365),
    }
    values.update(fields)
    return services.record_story(actor=actor, organisation=org, person=person, **values)  # type: ignore[arg-type]


def test_each_type_is_found_from_its_content_never_its_name() -> None:
    assert uploads.sniff(io.BytesIO(MP3)) == "mp3"
    assert uploads.sniff(io.BytesIO(b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00")) == "m4a"
    assert uploads.sniff(io.BytesIO(b"\x00\x00\x00\x1cftypisom\x00\x00\x00\x00")) == "mp4"
    assert uploads.sniff(io.BytesIO(b"\x00\x00\x00\x1cftypheic\x00\x00\x00\x00")) == "heic"
    assert uploads.sniff(io.BytesIO(b"RIFF\x24\x00\x00\x00WAVEfmt ")) == "wav"
    assert uploads.sniff(io.BytesIO(b"OggS\x00\x02" + b"\x00" * 10)) == "ogg"
    assert uploads.sniff(io.BytesIO(b"\x1a\x45\xdf\xa3" + b"\x00" * 12)) == "webm"
    assert uploads.sniff(io.BytesIO(docx_bytes())) == "docx"
    assert uploads.sniff(io.BytesIO(docx_bytes("ppt/presentation.xml"))) == "pptx"
    assert uploads.sniff(io.BytesIO(docx_bytes("other.xml"))) is None  # a zip, but not a document
    assert uploads.sniff(io.BytesIO(b"PK\x03\x04 not really a zip")) is None
    assert uploads.sniff(io.BytesIO(b"<html><script>alert(1)</script>")) is None
    # Receipts still take only photos and PDFs.
    assert uploads.kind_of(io.BytesIO(MP3), ("jpeg", "png", "heic", "pdf")) is None


def test_a_story_is_kept_with_its_file_under_a_name_of_ours(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    story = keep(coordinator_a, org_a, member_a, file=recording("../../etc/My\x00 voice.mp3"))
    assert story.file_type == "mp3" and story.file_name == "My voice.mp3"
    assert story.file.name.startswith("stories/") and story.file.name.endswith(".mp3")
    assert "voice" not in story.file.name
    assert Path(story.file.path).read_bytes() == MP3


@pytest.mark.parametrize(
    ("upload", "says"),
    [
        (SimpleUploadedFile("talk.mp3", b"<html>not audio</html>"), "The file must be one of these"),
        (SimpleUploadedFile("notes.docx", docx_bytes("other.xml")), "The file must be one of these"),
    ],
)
def test_a_file_that_is_not_what_we_take_is_refused_and_nothing_is_written(
    org_a: Organisation, coordinator_a: User, member_a: Person, upload: SimpleUploadedFile, says: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        keep(coordinator_a, org_a, member_a, file=upload)
    assert says in refused.value.message_dict["file"][0]
    assert not Story.objects.exists()


def test_a_file_over_the_limit_is_refused(
    org_a: Organisation, coordinator_a: User, member_a: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rules, "MAX_FILE_BYTES", len(MP3) - 1)
    with pytest.raises(ValidationError) as refused:
        keep(coordinator_a, org_a, member_a, file=recording())
    assert "50 MB" in refused.value.message_dict["file"][0]
    assert not Story.objects.exists()


def test_staff_open_the_file_only_while_the_consent_holds_and_the_member_always(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User, member_a: Person
) -> None:
    story = keep(coordinator_a, org_a, member_a, file=recording())
    assert member_a.user is not None
    assert selectors.file_for(coordinator_a, story.pk, organisation=org_a) == story
    with pytest.raises(Exception) as elsewhere:
        selectors.file_for(coordinator_b, story.pk, organisation=org_b)
    assert elsewhere.type.__name__ == "Http404"
    with pytest.raises(Exception) as not_theirs:  # another member
        selectors.file_for(make_member(org_a).user, story.pk)
    assert not_theirs.type.__name__ == "Http404"

    services.withdraw(actor=member_a.user, story=story)
    with pytest.raises(PermissionDenied) as refused:
        selectors.file_for(coordinator_a, story.pk, organisation=org_a)
    assert "withdrawn" in str(refused.value)
    assert selectors.file_for(member_a.user, story.pk) == story  # still the member's own

    ended = keep(coordinator_a, org_a, member_a, title="Ended", file=recording())
    Story.objects.filter(pk=ended.pk).update(until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(PermissionDenied) as past:
        selectors.file_for(coordinator_a, ended.pk, organisation=org_a)
    assert "ended" in str(past.value)
    with pytest.raises(ValidationError):
        services.attach_file(actor=coordinator_a, story=story, upload=recording())  # withdrawn: nothing more kept


def test_on_the_web_a_coordinator_keeps_adds_replaces_and_downloads_and_the_member_downloads_and_deletes(
    org_a: Organisation, coordinator_a: User, member_a: Person, django_capture_on_commit_callbacks: object
) -> None:
    client = staff_client(coordinator_a)
    until = timezone.localdate() + timedelta(days=30)
    fields = {
        "person": member_a.pk,
        "kind": "material",
        "title": "Slides on recovery",
        "places": ["training"],
        "until_day": until.day,
        "until_month": until.month,
        "until_year": until.year,
    }
    slides = docx_bytes("ppt/presentation.xml")
    page = client.get(reverse("impact:stories_new")).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    refused = client.post(reverse("impact:stories_new"), {**fields, "file": SimpleUploadedFile("x.pptx", b"MZ..")})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "The file must be one of these" in body and "Slides on recovery" in body  # what was typed is kept
    assert not Story.objects.exists()
    made = client.post(
        reverse("impact:stories_new"),
        {**fields, "file": SimpleUploadedFile("slides.pptx", slides)},
    )
    assert made.status_code == 302, made.content.decode()
    story = Story.objects.get()
    assert story.file_type == "pptx"
    listed = client.get(reverse("impact:stories_staff")).content.decode()
    assert reverse("impact:stories_download", args=[story.pk]) in listed

    download = client.get(reverse("impact:stories_download", args=[story.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="story-{story.pk}.pptx"'
    assert download["X-Content-Type-Options"] == "nosniff" and "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content) == slides  # type: ignore[attr-defined]

    old = Path(story.file.path)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        replaced = client.post(reverse("impact:stories_file", args=[story.pk]), {"file": recording()})
    assert replaced.status_code == 302
    story.refresh_from_db()
    assert story.file_type == "mp3" and not old.exists()
    empty = client.post(reverse("impact:stories_file", args=[story.pk]), {})
    assert "Choose the file." in empty.content.decode()

    member = member_client(member_a)
    mine = member.get(reverse("impact:stories_me")).content.decode()
    assert reverse("impact:stories_me_file", args=[story.pk]) in mine
    assert member.get(reverse("impact:stories_me_file", args=[story.pk])).status_code == 200
    assert member.get(reverse("impact:stories_download", args=[story.pk])).status_code in (302, 403, 404)
    other = member_client(make_member(org_a))
    assert other.get(reverse("impact:stories_me_file", args=[story.pk])).status_code == 404
    assert other.post(reverse("impact:stories_me_remove_file", args=[story.pk])).status_code == 404

    assert member.post(reverse("impact:stories_withdraw", args=[story.pk])).status_code == 302
    refused_now = client.get(reverse("impact:stories_download", args=[story.pk]), follow=True)
    assert "withdrawn" in refused_now.content.decode()
    path = Path(story.file.path)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert member.post(reverse("impact:stories_me_remove_file", args=[story.pk])).status_code == 302
    story.refresh_from_db()
    assert not story.file and not path.exists() and story.withdrawn_at is not None


def test_through_the_api(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User, member_a: Person
) -> None:
    story = keep(coordinator_a, org_a, member_a)
    staff = api_as(coordinator_a, org_a)
    url = f"/api/impact/stories/{story.pk}/file"
    assert staff.get(url).status_code == 404  # no file yet
    bad = staff.client.post(url, {"file": SimpleUploadedFile("a.mp3", b"<html>")}, headers=staff.headers)
    assert_error(bad, 422, "invalid")
    sent = staff.client.post(url, {"file": recording()}, headers=staff.headers)
    assert sent.status_code == 200, sent.content
    assert sent.json()["has_file"] and sent.json()["file_type"] == "mp3" and sent.json()["file_name"] == "my voice.mp3"
    got = staff.get(url)
    assert got.status_code == 200 and got["Content-Type"] == "audio/mpeg"
    assert b"".join(got.streaming_content) == MP3
    other = api_as(coordinator_b, org_b)
    assert other.get(url).status_code == 404
    assert other.client.post(url, {"file": recording()}, headers=other.headers).status_code == 404

    mine = member_api(member_a, org_a)
    assert mine.get(f"/api/me/stories/{story.pk}/file").status_code == 200
    assert_error(mine.get(url), 403, "forbidden")
    assert mine.post(f"/api/me/stories/{story.pk}/withdraw", {}).status_code == 200
    assert_error(staff.get(url), 403, "forbidden")
    assert "withdrawn" in staff.get(url).json()["message"]
    assert mine.get(f"/api/me/stories/{story.pk}/file").status_code == 200
    someone = member_api(make_member(org_a), org_a)
    assert someone.get(f"/api/me/stories/{story.pk}/file").status_code == 404
    deleted = mine.client.delete(f"/api/me/stories/{story.pk}/file", headers=mine.headers)
    assert deleted.status_code == 200 and not deleted.json()["has_file"]


def test_the_file_goes_with_the_member_on_erasure(org_a: Organisation, coordinator_a: User, member_a: Person) -> None:
    story = keep(coordinator_a, org_a, member_a, file=recording())
    path = Path(story.file.path)
    section = next(s for s in privacy.sections(member_a) if s.key == "stories")
    assert section.records[0]["file"] == "my voice.mp3"  # type: ignore[index]
    privacy.erase(member_a)
    assert not Story.objects.exists() and not path.exists()
