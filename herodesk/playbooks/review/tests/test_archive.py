"""Untrusted archives: what we read, and every way we refuse one (with its reason)."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile

import pytest

from herodesk.playbooks.review import ArchiveError, Limits, read_archive

from .build import clean_plugin, link, tar_gz_bytes, zip_bytes

SMALL = Limits(max_files=20, max_file_bytes=64 * 1024, max_total_bytes=256 * 1024)


def refused(data: bytes, limits: Limits | None = None) -> ArchiveError:
    with pytest.raises(ArchiveError) as caught:
        read_archive(data, limits)
    return caught.value


@pytest.mark.parametrize("build", [zip_bytes, tar_gz_bytes])
def test_a_github_style_archive_is_read_with_its_top_folder_stripped(build):
    archive = read_archive(build(clean_plugin(), prefix="posthog-hello-export-main/"))
    assert set(archive.files) == set(clean_plugin())
    assert archive.prefix == "posthog-hello-export-main/"
    assert archive.files["plugin.json"] == clean_plugin()["plugin.json"]


def test_kind_is_sniffed_from_the_bytes_not_the_name():
    assert read_archive(zip_bytes({"a.js": b"1"})).kind == "zip"
    assert read_archive(tar_gz_bytes({"a.js": b"1"})).kind == "tar.gz"
    assert refused(b"just some text").reason == "not-an-archive"
    assert refused(b"").reason == "empty"
    assert refused(gzip.compress(b"not a tar at all" * 100)).reason == "corrupt"
    assert refused(b"PK\x03\x04 truncated zip").reason == "corrupt"


def test_mac_junk_and_folders_are_skipped():
    archive = read_archive(
        zip_bytes({"__MACOSX/._index.js": b"x", "src/index.js": b"1", "a.js": b"2"})
    )
    assert set(archive.files) == {"src/index.js", "a.js"}


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.js", "unsafe-path"),
        ("plugin/../../evil.js", "unsafe-path"),
        ("..\\..\\evil.js", "unsafe-path"),
        ("/etc/cron.d/evil", "absolute-path"),
        ("C:\\Windows\\evil.js", "absolute-path"),
        ("/".join(["d"] * 40) + "/x.js", "unsafe-path"),
    ],
)
@pytest.mark.parametrize("build", [zip_bytes, tar_gz_bytes])
def test_paths_that_leave_the_archive_are_refused(build, name, reason):
    error = refused(build({"index.js": b"1", name: b"boom"}))
    assert error.reason == reason
    assert "refusing" in error.message


def test_zip_symlinks_are_refused():
    error = refused(zip_bytes({"index.js": b"1"}, symlinks={"logo.png": "/etc/passwd"}))
    assert (error.reason, error.message) == ("symlink", "refusing a symbolic link: logo.png")


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        (link("logo.png", "/etc/passwd"), "symlink"),
        (link("index.js", "../../outside", tarfile.LNKTYPE), "symlink"),
        (link("dev", "", tarfile.CHRTYPE), "special-file"),
        (link("pipe", "", tarfile.FIFOTYPE), "special-file"),
    ],
)
def test_tar_links_and_devices_are_refused(member, reason):
    assert refused(tar_gz_bytes({"a.js": b"1"}, extra=[member])).reason == reason


@pytest.mark.parametrize("build", [zip_bytes, tar_gz_bytes])
def test_limits_on_count_and_size(build):
    many = {f"f{i}.js": b"1" for i in range(21)}
    assert refused(build(many), SMALL).reason == "too-many-files"
    big = {"big.js": b"x" * (64 * 1024 + 1)}
    assert refused(build(big), SMALL).reason in ("file-too-large", "expands-too-much")
    several = {f"f{i}.js": bytes([65 + i]) * 60_000 for i in range(5)}
    assert refused(build(several), SMALL).reason == "expands-too-much"
    assert refused(build({"a.js": b"1"}), Limits(max_archive_bytes=10)).reason == "too-large"


def test_a_zip_bomb_stops_at_the_limit_without_inflating():
    # 16 MB of zeros deflate to ~16 KB; the header says so, and the ratio check refuses it.
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("bomb.js", "w", force_zip64=True) as entry,
    ):
        for _ in range(16):
            entry.write(bytes(1024 * 1024))
    error = refused(
        buffer.getvalue(), Limits(max_file_bytes=512 * 1024 * 1024, max_total_bytes=1 << 40)
    )
    assert error.reason == "expands-too-much"
    # With default limits the declared size alone refuses it.
    assert refused(buffer.getvalue()).reason == "file-too-large"


def test_a_zip_that_lies_about_its_sizes_is_read_with_a_cap():
    data = bytearray(zip_bytes({"a.js": b"x" * 200_000}))
    # Patch both headers to claim 10 bytes: reading must still stop at the cap.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    data[22:26] = (10).to_bytes(4, "little")
    error = refused(bytes(data), SMALL)
    assert error.reason in ("file-too-large", "corrupt")


def test_a_tar_gz_bomb_stops_while_streaming():
    # A 4 MB pax header (read whole by tarfile) compresses to a few KB.
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT) as archive:
        info = tarfile.TarInfo("index.js")
        info.pax_headers = {"comment": "x" * (4 * 1024 * 1024)}
        archive.addfile(info, io.BytesIO(b""))
    assert len(buffer.getvalue()) < 20_000
    assert refused(buffer.getvalue(), SMALL).reason == "expands-too-much"


def test_many_small_zero_files_add_up_to_a_refusal():
    zeros = {f"zeros{i}.js": bytes(60 * 1024) for i in range(5)}
    for data in (zip_bytes(zeros), tar_gz_bytes(zeros)):
        assert len(data) < 5000
        assert refused(data, SMALL).reason == "expands-too-much"


def test_duplicate_entries_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.js", "safe()")
        with pytest.warns(UserWarning):
            archive.writestr("index.js", "evil()")
    assert refused(buffer.getvalue()).reason == "duplicate-path"


def test_encrypted_zip_entries_are_refused():
    data = bytearray(zip_bytes({"index.js": b"garbage"}))
    data[6] |= 0x1  # general purpose flag: encrypted, in the local header
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1  # and in the central directory
    assert refused(bytes(data)).reason == "encrypted"


def test_nothing_is_written_to_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    read_archive(zip_bytes(clean_plugin()))
    with pytest.raises(ArchiveError):
        read_archive(zip_bytes({"../../escape.js": b"1"}))
    assert list(tmp_path.iterdir()) == []
