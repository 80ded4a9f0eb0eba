"""Rebuild the .xlsx test files: python tests/data/scores/make_xlsx.py

wide_formulas.xlsx is what a spreadsheet program saves: formulas with their last computed
values (openpyxl writes formulas without values, so the values are added to the XML here),
a number stored as text, a lowercase code in the header, an empty column and a blank row.
"""

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
CACHED = {"D2": "82.86", "E2": "70.11"}


def wide_formulas() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["organization", "fiscal_year", "I1", "i2", "E1", None, "O1"])
    sheet.append([1009, 2564, "84.67", "=80+2.86", "=ROUND(70.111,2)", None, 100])
    sheet.append([])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for ref, value in CACHED.items():
                    text = re.sub(
                        rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(</v>)?',
                        rf"\1\2<v>{value}</v>",
                        text,
                    )
                data = text.encode()
            target.writestr(info, data)
    return out.getvalue()


if __name__ == "__main__":
    (HERE / "wide_formulas.xlsx").write_bytes(wide_formulas())
