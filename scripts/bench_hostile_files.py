"""Benchmark: hostile spreadsheets through the real score import, each refused in bounds.

    make bench-hostile

Builds a set of hostile files in a temporary folder (zip bombs, a huge declared dimension,
too many rows, columns, cells or shared texts, a giant CSV field, millions of CSV rows, many
bad rows, formulas without saved values, a repeated column, an oversized styles part, nested
XML entities) and imports each with ``import_scores(..., dry_run=True)`` in a fresh process
on a throw-away SQLite database. Prints per file: size, verdict (the first message), seconds
of the import and the process's peak memory, and PASS/FAIL against the goal (every refusal
under 5 s and 200 MB). Exits non-zero if any file fails. Figures, not a test.
"""

import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 5.0
GOAL_MB = 200.0
# A child that runs away is stopped well before it can hurt the machine.
CHILD_MEMORY_CAP = 2 * 1024**3
CHILD_TIMEOUT = 120

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def django_env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "ita_tracker.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_ENV_FILE": "",
        "SQLITE_PATH": str(database),
    }
    return env


# --- hostile files ------------------------------------------------------------------------


def base_workbook() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["organization", "fiscal_year", "I1"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def replace_parts(parts: dict[str, object]) -> bytes:
    """A small real workbook with some parts replaced: bytes, or a generator of chunks."""
    source = zipfile.ZipFile(io.BytesIO(base_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        names = [info.filename for info in source.infolist()]
        names += [name for name in parts if name not in names]
        for name in names:
            body = parts[name] if name in parts else source.read(name)
            if isinstance(body, bytes):
                target.writestr(name, body)
            else:
                with target.open(name, "w", force_zip64=True) as handle:
                    for chunk in body:
                        handle.write(chunk)
    return out.getvalue()


def sheet(rows: str, dimension: str = "A1:C2", prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN_NS}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    ).encode()


def header_row() -> str:
    cells = "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{text}</t></is></c>'
        for col, text in zip("ABC", ("organization", "fiscal_year", "I1"), strict=True)
    )
    return f'<row r="1">{cells}</row>'


def whitespace_bomb(megabytes: int) -> bytes:
    def chunks():
        yield sheet(header_row())[: -len("</sheetData></worksheet>")]
        block = b" " * (1024 * 1024)
        for _ in range(megabytes):
            yield block
        yield b"</sheetData></worksheet>"

    return replace_parts({"xl/worksheets/sheet1.xml": chunks()})


def huge_dimension() -> bytes:
    cells = '<c r="A2"><v>9999</v></c><c r="B2"><v>2564</v></c><c r="C2"><v>80</v></c>'
    rows = header_row() + f'<row r="2">{cells}</row>'
    return replace_parts({"xl/worksheets/sheet1.xml": sheet(rows, "A1:XFD1048576")})


def far_row() -> bytes:
    rows = header_row() + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    return replace_parts({"xl/worksheets/sheet1.xml": sheet(rows, "A1:XFD1048576")})


def many_rows() -> bytes:
    rng = random.Random(1)
    rows = [header_row()]
    rows += [
        f'<row r="{n}"><c r="A{n}"><v>{rng.randrange(10**9)}</v></c></row>'
        for n in range(2, 400_002)
    ]
    return replace_parts({"xl/worksheets/sheet1.xml": sheet("".join(rows))})


def many_columns() -> bytes:
    from openpyxl.utils import get_column_letter

    cells = "".join(f'<c r="{get_column_letter(n)}2"><v>{n}</v></c>' for n in range(1, 16385))
    return replace_parts(
        {"xl/worksheets/sheet1.xml": sheet(header_row() + f'<row r="2">{cells}</row>')}
    )


def many_cells() -> bytes:
    from openpyxl import Workbook

    rng = random.Random(2)
    book = Workbook(write_only=True)
    ws = book.create_sheet()
    ws.append(["organization", "fiscal_year", *[f"I{n}" for n in range(1, 89)]])
    for row in range(12_000):
        ws.append([str(20000 + row), 2564, *[round(rng.uniform(0, 100), 2) for _ in range(88)]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def many_texts() -> bytes:
    texts = "".join(f"<si><t>{n}</t></si>" for n in range(1_100_000))
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">{texts}</sst>'
    ).encode()
    source = zipfile.ZipFile(io.BytesIO(base_workbook()))
    types = source.read("[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    return replace_parts({"xl/sharedStrings.xml": strings, "[Content_Types].xml": types})


def styles_bomb() -> bytes:
    rng = random.Random(3)
    filler = "".join(f"<!-- {rng.randrange(10**12)} -->" for _ in range(900_000)).encode()
    source = zipfile.ZipFile(io.BytesIO(base_workbook()))
    return replace_parts({"xl/styles.xml": source.read("xl/styles.xml") + filler})


def entity_bomb() -> bytes:
    entities = '<!ENTITY a0 "xxxxxxxxxx">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
    )
    rows = header_row() + '<row r="2"><c r="A2" t="inlineStr"><is><t>&a9;</t></is></c></row>'
    return replace_parts(
        {"xl/worksheets/sheet1.xml": sheet(rows, prolog=f"<!DOCTYPE worksheet [{entities}]>")}
    )


def formulas_without_values() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["organization", "fiscal_year", *[f"I{n}" for n in range(1, 89)]])
    for row in range(50):
        ws.append([f"10{row:02d}", 2564, *[f"=80+{n}/100" for n in range(88)]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bad_rows_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet()
    ws.append(["organization", "fiscal_year", "item", "score"])
    for row in range(19_999):
        ws.append([str(90000 + row), 2564, "I1", 80])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def giant_field() -> bytes:
    return b"organization,fiscal_year,I1\n1009,2564," + b"9" * (9 * 1024 * 1024) + b"\n"


def million_rows() -> bytes:
    return b"organization,fiscal_year,item,score\n" + b"1,2,3,4\n" * 1_200_000


def bad_rows_csv() -> bytes:
    lines = ["organization,fiscal_year,item,score"]
    lines += [f"{90000 + n},2564,I1,80" for n in range(19_999)]
    return "\n".join(lines).encode()


def duplicate_columns() -> bytes:
    return b"organization,fiscal_year,I1,I2,i1\n1009,2564,80,81,82\n"


FILES = {
    "whitespace-bomb-2gb.xlsx": lambda: whitespace_bomb(2048),
    "whitespace-bomb-50mb.xlsx": lambda: whitespace_bomb(50),
    "huge-dimension.xlsx": huge_dimension,
    "row-1048576.xlsx": far_row,
    "many-rows.xlsx": many_rows,
    "many-columns.xlsx": many_columns,
    "many-cells.xlsx": many_cells,
    "many-shared-texts.xlsx": many_texts,
    "styles-bomb.xlsx": styles_bomb,
    "entity-bomb.xlsx": entity_bomb,
    "formulas-without-values.xlsx": formulas_without_values,
    "bad-rows.xlsx": bad_rows_xlsx,
    "giant-field.csv": giant_field,
    "million-rows.csv": million_rows,
    "bad-rows.csv": bad_rows_csv,
    "duplicate-columns.csv": duplicate_columns,
}


# --- one import, in a child process -------------------------------------------------------


def run_one(path: Path) -> None:
    """Import one file (dry run) and print what happened as JSON on the last line."""
    sys.path.insert(0, str(BASE))
    import django

    django.setup()
    from assessments.score_import import import_scores
    from assessments.tables import TableError

    data = path.read_bytes()
    started = time.perf_counter()
    try:
        result = import_scores(data, path.name, dry_run=True)
        verdict = f"accepted: {result.rows} rows"
        refused = False
    except TableError as error:
        lines = error.lines()
        verdict = lines[0]
        if error.total > 1:
            verdict = f"[{len(error.errors)} listed + {error.unlisted} counted] {verdict}"
        refused = True
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"verdict": verdict, "refused": refused, "seconds": seconds, "mb": peak}))


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_CAP, CHILD_MEMORY_CAP))


def measure(path: Path, env: dict[str, str]) -> dict:
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(path)],
            env=env,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            preexec_fn=limit_memory,
        )
    except subprocess.TimeoutExpired:
        return {"verdict": f"still running after {CHILD_TIMEOUT} s", "seconds": None, "mb": None}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"verdict": f"crashed: {last}", "seconds": None, "mb": None}
    return json.loads(done.stdout.strip().splitlines()[-1])


def shorten(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="ita-hostile-") as folder:
        folder = Path(folder)
        env = django_env(folder / "bench.sqlite3")
        subprocess.run(
            [sys.executable, str(BASE / "manage.py"), "migrate", "--noinput", "-v", "0"],
            env=env,
            check=True,
        )
        print(f"goal: every refusal under {GOAL_SECONDS:g} s and {GOAL_MB:g} MB peak memory")
        print(f"{'file':<30} {'size':>9}  {'seconds':>7} {'peak MB':>7}  result  verdict")
        failures = 0
        for name, make in FILES.items():
            path = folder / name
            data = make()
            path.write_bytes(data)
            del data
            size = _size(path.stat().st_size)
            found = measure(path, env)
            path.unlink()
            seconds, mb = found["seconds"], found["mb"]
            ok = (
                found.get("refused", False)
                and seconds is not None
                and seconds < GOAL_SECONDS
                and mb < GOAL_MB
            )
            failures += not ok
            print(
                f"{name:<30} {size:>9}  "
                f"{'—' if seconds is None else f'{seconds:7.2f}'} "
                f"{'—' if mb is None else f'{mb:7.0f}'}  {'PASS' if ok else 'FAIL':<6}  "
                f"{shorten(found['verdict'])}"
            )
        print(f"{len(FILES) - failures} passed, {failures} failed")
        return 1 if failures else 0


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return ""


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        run_one(Path(sys.argv[2]))
    else:
        sys.exit(main())
