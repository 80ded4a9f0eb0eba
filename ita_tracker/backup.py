"""Back up and restore the database and the uploaded evidence files.

PostgreSQL: ``pg_dump`` in its custom format, restored by ``pg_restore`` in one transaction.
SQLite: SQLite's online backup API on Django's own connection, so the copy is consistent while
the app runs (and works on an in-memory database); restoring copies the file back into the
live connection. Evidence on the local file system goes to ``<backup>.media.tar.gz`` beside the
database file; evidence on remote storage (S3) stays in its bucket and is backed up there.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.utils import timezone

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
KINDS = {SQLITE_MAGIC: "sqlite", PG_DUMP_MAGIC: "postgresql"}
EXTENSIONS = {"postgresql": "dump", "sqlite": "sqlite3"}
NAMES = {"postgresql": "PostgreSQL (pg_dump)", "sqlite": "SQLite"}
MEDIA_SUFFIX = ".media.tar.gz"


class BackupError(CommandError):
    """A backup or restore that could not be done; the message names the file and the cause."""


@dataclass
class Media:
    """Where the uploaded files are, and what the backup did with them."""

    archive: Path | None = None  # the .media.tar.gz written or restored
    files: int = 0
    remote: str = ""  # a description of the remote storage, when the files are not local


@dataclass
class Result:
    database: Path
    size: int
    media: Media


def _vendor(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in EXTENSIONS:
        raise BackupError(f"สำรองฐานข้อมูลชนิด {vendor} ไม่ได้ (รองรับ PostgreSQL และ SQLite)")
    return vendor


def default_path(vendor: str) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "backups" / f"ita-{vendor}-{stamp}.{EXTENSIONS[vendor]}"


def output_path(output: Path | str | None, vendor: str) -> Path:
    """The backup file for ``--output``: none, a folder (existing or ending in /), or a file."""
    default = default_path(vendor)
    if output is None:
        return default
    path = Path(output)
    if path.is_dir() or str(output).endswith(("/", os.sep)):
        return path / default.name
    return path


@contextmanager
def _written(path: Path):
    """Yield a temporary name beside ``path``; rename it to ``path`` only when all went well."""
    if path.exists():
        raise BackupError(f"มีไฟล์ {path} อยู่แล้ว: ไม่เขียนทับ")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # mkstemp creates the file readable by its owner only: a backup holds password hashes.
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise BackupError(f"เขียนไฟล์ {path} ไม่ได้: {error.strerror or error}") from error
    os.close(fd)
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- PostgreSQL ----------------------------------------------------------------------------


def _version(folder: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", folder.parent.name))


def pg_binary(name: str) -> str:
    """The client program ``name``: pg_config's bindir, the newest installed major, or PATH."""
    folders = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            found = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            found = ""
        if found:
            folders.append(Path(found))
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version)
    folders += installed[-1:]
    for folder in folders:
        if os.access(folder / name, os.X_OK):
            return str(folder / name)
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise BackupError(f"ไม่พบโปรแกรม {name}: ติดตั้งแพ็กเกจ postgresql-client")


def _pg_run(program: str, arguments: list[str], settings_dict: dict, shown: Path) -> None:
    """Run pg_dump or pg_restore against the connection's database; raise with its stderr."""
    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    connection_args = ["--no-password", "--dbname", settings_dict["NAME"] or "postgres"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            connection_args += [flag, str(settings_dict[key])]
    command = [pg_binary(program), *connection_args, *arguments]
    try:
        done = subprocess.run(
            command,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
    except OSError as error:
        raise BackupError(f"เรียก {program} ไม่ได้: {error}") from error
    if done.returncode != 0:
        detail = done.stderr.strip() or f"exit status {done.returncode}"
        raise BackupError(f"{program} ไม่สำเร็จ ({shown}):\n{detail}")


def _pg_backup(using: str, temporary: Path, path: Path) -> None:
    settings_dict = connections[using].settings_dict
    arguments = ["--format=custom", "--no-owner", "--no-privileges", "--file", str(temporary)]
    _pg_run("pg_dump", arguments, settings_dict, path)


def _pg_restore(using: str, path: Path) -> None:
    settings_dict = connections[using].settings_dict
    # pg_restore drops and recreates the tables: no connection of ours may hold a lock on them.
    connections.close_all()
    arguments = [
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        str(path),
    ]
    _pg_run("pg_restore", arguments, settings_dict, path)


# --- SQLite --------------------------------------------------------------------------------


def _sqlite_backup(using: str, temporary: Path, path: Path) -> None:
    connection = connections[using]
    connection.ensure_connection()
    target = sqlite3.connect(temporary)
    try:
        connection.connection.backup(target)
        # One self-contained file, whatever the journal mode of the live database.
        target.execute("PRAGMA journal_mode=DELETE").fetchall()
    except sqlite3.Error as error:
        raise BackupError(f"สำรองฐานข้อมูล SQLite ลง {path} ไม่สำเร็จ: {error}") from error
    finally:
        target.close()


def _sqlite_source(path: Path) -> sqlite3.Connection:
    """Open a backup read-only, checked to be an intact database of this app."""
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        intact = source.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        ours = source.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'"
        ).fetchone()
    except sqlite3.Error as error:
        source.close()
        raise BackupError(f"อ่านไฟล์ {path} ไม่ได้: {error}") from error
    if not intact or not ours:
        source.close()
        cause = "เสียหาย (SQLite quick_check ไม่ผ่าน)" if not intact else "ไม่ใช่ฐานข้อมูลของระบบนี้"
        raise BackupError(f"ไฟล์ {path} {cause}")
    return source


def _sqlite_restore(using: str, path: Path) -> None:
    connection = connections[using]
    source = _sqlite_source(path)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"กู้คืนจาก {path} ไม่สำเร็จ: {error}") from error
    finally:
        source.close()


# --- Uploaded files ------------------------------------------------------------------------


def _local_media_root(media: Media) -> Path | None:
    """MEDIA_ROOT of the local file storage; None (and ``media.remote`` set) otherwise."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    bucket = getattr(storage, "bucket_name", None)
    media.remote = type(storage).__name__ + (f" bucket {bucket}" if bucket else "")
    return None


def media_archive_path(database_file: Path) -> Path:
    return database_file.with_name(database_file.name + MEDIA_SUFFIX)


def _backup_media(database_file: Path) -> Media:
    media = Media()
    root = _local_media_root(media)
    if root is None or not root.is_dir():
        return media
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    if not files:
        return media
    archive_path = media_archive_path(database_file)
    with _written(archive_path) as temporary:
        try:
            with tarfile.open(temporary, "w:gz") as archive:
                for file in files:
                    archive.add(file, arcname=file.relative_to(root).as_posix(), recursive=False)
        except OSError as error:
            raise BackupError(f"เขียนไฟล์ {archive_path} ไม่ได้: {error}") from error
    media.archive, media.files = archive_path, len(files)
    return media


def _check_media(archive_path: Path, root: Path) -> int:
    """Read the whole archive and refuse unsafe members, before anything is restored."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            members = archive.getmembers()
            for member in members:
                name = PurePosixPath(member.name)
                if name.is_absolute() or ".." in name.parts:
                    raise BackupError(
                        f"ไฟล์ {archive_path} มีรายการที่ไม่ปลอดภัย: {member.name!r} "
                        "อยู่นอกโฟลเดอร์ไฟล์หลักฐาน"
                    )
                # Links out of the folder, device files, odd permissions.
                tarfile.data_filter(member, str(root))
    except tarfile.FilterError as error:
        raise BackupError(f"ไฟล์ {archive_path} มีรายการที่ไม่ปลอดภัย: {error}") from error
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise BackupError(f"อ่านไฟล์ {archive_path} ไม่ได้: {error}") from error
    return sum(member.isfile() for member in members)


def _restore_media(archive_path: Path, root: Path) -> None:
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(root, filter="data")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise BackupError(f"แตกไฟล์ {archive_path} ลง {root} ไม่สำเร็จ: {error}") from error


# --- Entry points --------------------------------------------------------------------------


def backup(output: Path | str | None = None, *, using: str = DEFAULT_DB_ALIAS) -> Result:
    """Write the database (and the local uploaded files) to a new backup file."""
    vendor = _vendor(using)
    path = output_path(output, vendor)
    with _written(path) as temporary:
        (_pg_backup if vendor == "postgresql" else _sqlite_backup)(using, temporary, path)
    try:
        media = _backup_media(path)
    except BaseException:
        # A database file alone would restore as if there had been no uploaded files.
        path.unlink(missing_ok=True)
        raise
    return Result(path, path.stat().st_size, media)


def backup_kind(path: Path) -> str:
    """The kind of backup ("sqlite" or "postgresql") from the first bytes of the file."""
    try:
        with open(path, "rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"อ่านไฟล์ {path} ไม่ได้: {error.strerror or error}") from error
    for magic, kind in KINDS.items():
        if head.startswith(magic):
            return kind
    raise BackupError(f"ไฟล์ {path} ไม่ใช่ไฟล์สำรองของระบบนี้ (ไม่ใช่ฐานข้อมูล SQLite หรือไฟล์ pg_dump)")


def check(path: Path | str, *, using: str = DEFAULT_DB_ALIAS) -> str:
    """The vendor of a backup that suits the database in use; BackupError otherwise."""
    path = Path(path)
    vendor = _vendor(using)
    kind = backup_kind(path)
    if kind != vendor:
        raise BackupError(
            f"ไฟล์ {path} เป็นไฟล์สำรองของ {NAMES[kind]} "
            f"แต่ฐานข้อมูลที่ใช้อยู่เป็น {NAMES[vendor]}: กู้คืนข้ามชนิดฐานข้อมูลไม่ได้"
        )
    return vendor


def restore(path: Path | str, *, using: str = DEFAULT_DB_ALIAS) -> Result:
    """Replace the database (and the local uploaded files) with those of a backup.

    Everything is checked before anything changes: the file's kind against the database in use,
    and the media archive beside it, if any.
    """
    path = Path(path)
    vendor = check(path, using=using)
    if connections[using].in_atomic_block:
        raise BackupError(f"กู้คืนจาก {path} ภายใน transaction ไม่ได้")
    media = Media()
    archive_path = media_archive_path(path)
    root = _local_media_root(media)
    if archive_path.exists() and root is not None:
        media.archive, media.files = archive_path, _check_media(archive_path, root)

    (_pg_restore if vendor == "postgresql" else _sqlite_restore)(using, path)
    if media.archive:
        _restore_media(media.archive, root)
    return Result(path, path.stat().st_size, media)


def counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int] | None:
    """Plans, actions and progress reports in the database; None when they cannot be counted."""
    from plans.models import Action, Plan, ProgressUpdate

    try:
        return {
            "plans": Plan.objects.using(using).count(),
            "actions": Action.objects.using(using).count(),
            "updates": ProgressUpdate.objects.using(using).count(),
        }
    except DatabaseError:
        return None
