#!/usr/bin/env python3
"""Build the fuzz seed corpora under fuzz/seeds/ from the project's real files.

nifti/: the small sample files as they are, and small cut-outs of the sample CTs (their
real headers with the grid shrunk to 8 x 8 x 4 and real voxels from the middle of the
scan), as .nii and .nii.gz, little and big endian, NIfTI-1 and NIfTI-2, several data
types. report_json/: the schema examples (v1, v2), the v1 test fixture, and the report
inside the case schema example. dicom/: 1 to 3 files of small synthetic series written by
tests/make_series.py (pydicom; dcmtk for the compressed transfer syntaxes), joined by the
dicom target's SPLIT marker; skipped with a message when pydicom is missing.
Deterministic except for the DICOM UIDs.

Run from anywhere: python3 fuzz/make_seeds.py
"""
import gzip, io, json, pathlib, re, shutil, struct, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "seeds"


def gz(b: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
        f.write(b)
    return buf.getvalue()


def cut_out(path, dims=(8, 8, 4)):
    """The file's header with a small grid, and voxels from the middle of the scan."""
    raw = gzip.decompress(path.read_bytes())
    hdr = bytearray(raw[:348])
    nd = struct.unpack_from("<8h", hdr, 40)
    dt, bitpix = struct.unpack_from("<2h", hdr, 70)
    off = int(struct.unpack_from("<f", hdr, 108)[0])
    size = bitpix // 8
    nx, ny, nz = nd[1], nd[2], nd[3]
    vox = bytearray()
    k0, j0, i0 = nz // 2, ny // 2, nx // 2
    for k in range(dims[2]):
        for j in range(dims[1]):
            start = off + size * (i0 + nx * ((j0 + j) + ny * (k0 + k)))
            vox += raw[start : start + size * dims[0]]
    struct.pack_into("<8h", hdr, 40, 3, *dims, 1, 1, 1, 1)
    struct.pack_into("<f", hdr, 108, 352.0)
    return bytes(hdr) + b"\0\0\0\0", bytes(vox), dt, size


def to_big_endian(hdr: bytes, vox: bytes, size: int) -> bytes:
    h = bytearray(hdr)
    fields = [(0, "i"), (32, "i"), (36, "h"), (38, "b"), (40, "8h"), (56, "3f"), (68, "h"),
              (70, "h"), (72, "h"), (74, "h"), (76, "8f"), (108, "f"), (112, "f"), (116, "f"),
              (120, "h"), (124, "2f"), (132, "2f"), (140, "2i"), (252, "h"), (254, "h"),
              (256, "6f"), (280, "12f")]
    for off, fmt in fields:
        v = struct.unpack_from("<" + fmt, hdr, off)
        struct.pack_into(">" + fmt, h, off, *v)
    v = b"".join(vox[i : i + size][::-1] for i in range(0, len(vox), size))
    return bytes(h) + v


def to_nifti2(hdr: bytes, vox: bytes) -> bytes:
    """The same image as a NIfTI-2 file (540-byte header + 4 extension bytes)."""
    g = lambda fmt, off: struct.unpack_from("<" + fmt, hdr, off)
    h = bytearray(544)
    struct.pack_into("<i", h, 0, 540)
    h[4:12] = b"n+2\0\r\n\x1a\n"
    struct.pack_into("<h", h, 12, g("h", 70)[0])
    struct.pack_into("<h", h, 14, g("h", 72)[0])
    struct.pack_into("<8q", h, 16, *g("8h", 40))
    struct.pack_into("<8d", h, 104, *g("8f", 76))
    struct.pack_into("<q", h, 168, 544)
    struct.pack_into("<2d", h, 176, *g("2f", 112))
    struct.pack_into("<2i", h, 344, g("h", 252)[0], g("h", 254)[0])
    struct.pack_into("<6d", h, 352, *g("6f", 256))
    struct.pack_into("<12d", h, 400, *g("12f", 280))
    struct.pack_into("<i", h, 500, hdr[123])
    return bytes(h) + vox


def retype(hdr: bytes, vox: bytes, dt: int, code: int, fmt: str, slope=1.0, inter=0.0):
    vals = struct.unpack("<%dh" % (len(vox) // 2), vox) if dt == 4 else list(vox)
    h = bytearray(hdr)
    struct.pack_into("<2h", h, 70, code, struct.calcsize(fmt) * 8)
    struct.pack_into("<2f", h, 112, slope, inter)
    conv = (lambda v: (v - inter) / slope) if fmt in "fd" else (lambda v: int((v - inter) / slope))
    return bytes(h) + b"".join(struct.pack("<" + fmt, conv(v)) for v in vals)


def nifti_seeds():
    d = OUT / "nifti"
    d.mkdir(parents=True, exist_ok=True)
    for name in ["liver.nii.gz", "phantom_labels.nii.gz"]:
        (d / name).write_bytes((ROOT / "sample_data" / name).read_bytes())
    for src in ["ct.nii.gz", "phantom_ct.nii.gz", "liver.nii.gz"]:
        stem = src.split(".")[0]
        hdr, vox, dt, size = cut_out(ROOT / "sample_data" / src)
        plain = hdr + vox
        (d / f"{stem}_cut.nii").write_bytes(plain)
        (d / f"{stem}_cut.nii.gz").write_bytes(gz(plain))
        (d / f"{stem}_cut_be.nii").write_bytes(to_big_endian(hdr, vox, size))
        (d / f"{stem}_cut_v2.nii").write_bytes(to_nifti2(hdr, vox))
        if dt == 4:
            (d / f"{stem}_cut_f32.nii").write_bytes(retype(hdr, vox, dt, 16, "f"))
            (d / f"{stem}_cut_u16_scaled.nii").write_bytes(
                retype(hdr, vox, dt, 512, "H", slope=1.0, inter=-1024.0))
            (d / f"{stem}_cut_i32.nii.gz").write_bytes(gz(retype(hdr, vox, dt, 8, "i")))


def report_seeds():
    d = OUT / "report_json"
    d.mkdir(parents=True, exist_ok=True)
    schema = (ROOT / "docs" / "REPORT_SCHEMA.md").read_text()
    blocks = re.findall(r"```json\n(.*?)```", schema, re.S)
    for i, b in enumerate(blocks):
        (d / f"schema_example_{i}.json").write_text(b)
    (d / "report_v1_fixture.json").write_bytes((ROOT / "tests" / "data" / "report_v1.json").read_bytes())
    full = json.loads(blocks[0])
    for key in list(full):
        if key != "schema_version":
            sparse = {"schema_version": full["schema_version"], key: full[key]}
            (d / f"only_{key}.json").write_text(json.dumps(sparse))
    (d / "empty_v2.json").write_text('{"schema_version": 2}')


SPLIT = b"\0REMNANT-NEXT-FILE\0"


def dicom_seeds():
    d = OUT / "dicom"
    script = ROOT / "tests" / "make_series.py"
    jobs = [("axial", s) for s in ["explicit", "implicit", "bigendian", "deflated", "rle",
                                    "jpeg-lossless", "jpegls"]]
    jobs += [("oblique", "explicit"), ("tilt", "explicit"), ("single", "explicit"),
             ("no-position", "explicit"), ("broken", "explicit"), ("duplicate", "explicit"),
             ("rescale", "explicit"), ("dicomdir", "explicit"),
             # issue 17: anonymised (no UIDs), uneven spacing, enhanced multi-frame, MR,
             # and damaged multi-frame files (frame count vs pixel data, functional groups)
             ("no-uid-empty", "explicit"), ("no-uid-absent", "explicit"),
             ("uneven", "explicit"), ("uneven-tilt", "explicit"), ("mr", "explicit"),
             ("enhanced-ct", "explicit"), ("enhanced-mr", "explicit"), ("enhanced-ct", "rle"),
             ("enhanced-bad-frames", "explicit"), ("enhanced-bad-no-per-frame", "explicit"),
             ("enhanced-bad-item-count", "explicit"), ("enhanced-bad-no-position", "explicit")]
    made = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case, syntax in jobs:
            out = pathlib.Path(tmp) / f"{case}-{syntax}" / "series"
            r = subprocess.run([sys.executable, str(script), str(out), case, "--syntax", syntax],
                               capture_output=True, text=True)
            if r.returncode != 0:
                print(f"dicom seed {case}/{syntax} skipped: {r.stderr.strip()[-200:]}")
                continue
            files = sorted(p for p in out.rglob("*") if p.is_file())
            if not files:
                continue
            d.mkdir(parents=True, exist_ok=True)
            (d / f"{case}-{syntax}-1.bin").write_bytes(files[0].read_bytes())
            pick = files[:3]
            (d / f"{case}-{syntax}-{len(pick)}.bin").write_bytes(
                SPLIT.join(f.read_bytes() for f in pick))
            made += 1
    if made == 0:
        print("no DICOM seeds: tests/make_series.py needs python3 with pydicom and numpy")


if __name__ == "__main__":
    nifti_seeds()
    report_seeds()
    dicom_seeds()
    for t in sorted(OUT.iterdir()):
        files = list(t.iterdir())
        print(f"{t.name}: {len(files)} seeds, {sum(f.stat().st_size for f in files)} bytes")
