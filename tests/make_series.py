#!/usr/bin/env python3
"""Synthetic DICOM series for Remnant's DICOM import tests.

    make_series.py OUTDIR CASE [--syntax SYNTAX]

Writes the series into OUTDIR and, for cases that load, the expected result:
    OUTDIR/../CASE.expected.json  {"dims", "affine" (RAS, row-major), "tolerance"}
    OUTDIR/../CASE.expected.raw   int16 little-endian HU, NIfTI (Fortran) order
The expectation is computed here independently of the Rust code: voxel (i, j, k)
= column i, row j, k-th slice along the normal (row x column direction) of
ImageOrientationPatient; affine = DICOM LPS with x and y negated.

Needs: pydicom, numpy. Compressed syntaxes need dcmtk (dcmconv, dcmcrle,
dcmcjpeg, dcmcjpls) or, for JPEG 2000, pylibjpeg + pylibjpeg-openjpeg.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4"
ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2.1"
ENHANCED_MR = "1.2.840.10008.5.1.4.1.1.4.1"
BASIC_TEXT_SR = "1.2.840.10008.5.1.4.1.1.88.11"

COLS, ROWS, SLICES = 40, 32, 12
ROW_SPACING, COL_SPACING, STEP = 0.8, 0.7, 2.5  # PixelSpacing = [row, col]
ORIGIN = np.array([-100.3, -120.7, 30.1])

ORIENTATIONS = {
    "axial": ([1, 0, 0], [0, 1, 0]),
    "coronal": ([1, 0, 0], [0, 0, -1]),
    "sagittal": ([0, 1, 0], [0, 0, -1]),
    "oblique": ([1, 0, 0], [0, math.cos(math.radians(15)), math.sin(math.radians(15))]),
}

DCMTK = {
    "explicit": None,
    "implicit": ["dcmconv", "+ti"],
    "bigendian": ["dcmconv", "+tb"],
    "deflated": ["dcmconv", "+td"],
    "rle": ["dcmcrle"],
    "jpeg-lossless": ["dcmcjpeg", "+e1"],
    "jpegls": ["dcmcjpls", "+el"],
    "jpegls-near": ["dcmcjpls", "+en"],
}
PYLIBJPEG = {"j2k-lossless": "1.2.840.10008.1.2.4.90", "j2k-lossy": "1.2.840.10008.1.2.4.91"}
# Largest difference allowed: from the original (JPEG-LS NEAR=2), or from the
# reference decoder's output (JPEG 2000 lossy: float wavelet rounding).
TOLERANCE = {"jpegls-near": 2, "j2k-lossy": 1}
REFERENCE_DECODE = {"j2k-lossy"}


def ds_str(x):
    """A DS value (at most 16 characters)."""
    s = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


class Series:
    """A stack of slices and how to write them."""

    def __init__(self, orientation="axial", slices=SLICES, cols=COLS, rows=ROWS, seed=1,
                 tilt_deg=0.0, description="TEST SERIES", number=1, study=None):
        r, c = (np.array(v, float) for v in ORIENTATIONS[orientation])
        self.r, self.c = r, c
        self.n = np.cross(r, c)
        self.cols, self.rows, self.slices = cols, rows, slices
        # Step between slices: along the normal, plus a sideways shift for gantry tilt.
        self.step = STEP * self.n + STEP * math.tan(math.radians(tilt_deg)) * self.c
        self.series_uid = generate_uid()
        self.study_uid = study or generate_uid()
        self.frame_uid = generate_uid()
        self.description, self.number = description, number
        rng = np.random.default_rng(seed)
        jj, ii = np.mgrid[0:rows, 0:cols]
        self.hu = np.empty((slices, rows, cols), np.int16)  # [k, j, i]
        for k in range(slices):
            smooth = 300 * np.sin(ii / 5.0 + k / 3.0) * np.cos(jj / 7.0) + 10 * k
            noise = rng.integers(-20, 21, size=(rows, cols))
            self.hu[k] = np.clip(smooth + noise + 40, -1024, 3000).astype(np.int16)
        self.slope = [1.0] * slices
        self.intercept = [-1024.0] * slices
        self.signed = False
        self.modality, self.sop_class, self.rescale_type = "CT", CT_IMAGE, "HU"
        # Slice offsets along the normal (None: even, k * STEP) and the sideways
        # shift per mm along the normal (gantry tilt).
        self.offsets = None
        self.tilt_tan = math.tan(math.radians(tilt_deg))

    def position(self, k):
        if self.offsets is None:
            return ORIGIN + k * self.step
        d = self.offsets[k]
        return ORIGIN + d * self.n + d * self.tilt_tan * self.c

    def world(self, k):
        """LPS position (mm) of every pixel of slice k: [rows, cols, 3]."""
        jj, ii = np.mgrid[0:self.rows, 0:self.cols]
        return (self.position(k)[None, None, :] + ii[..., None] * COL_SPACING * self.r
                + jj[..., None] * ROW_SPACING * self.c)

    def ellipsoid(self, centre, semi):
        """HU = -500 - 3000 (rho - 1), clipped, with rho = sqrt(sum(((x - centre) / semi)^2)):
        rho <= 1 (HU >= -500) is the inside of the ellipsoid, and the values
        fall across its surface as across an organ's edge."""
        for k in range(self.slices):
            rho = np.sqrt((((self.world(k) - centre) / semi) ** 2).sum(axis=2))
            self.hu[k] = np.clip(np.rint(-500 - 3000 * (rho - 1)), -1000, 1500).astype(np.int16)

    def stored(self, k):
        s = (self.hu[k].astype(np.float64) - self.intercept[k]) / self.slope[k]
        return np.rint(s).astype(np.int16 if self.signed else np.uint16)

    def dataset(self, k, instance_number):
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = self.sop_class
        meta.MediaStorageSOPInstanceUID = generate_uid()
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.SpecificCharacterSet = "ISO_IR 100"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.SOPClassUID = self.sop_class
        ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
        ds.StudyDate = "20240131"
        ds.StudyTime = "101500"
        ds.StudyID = "1"
        ds.AccessionNumber = "ACC42"
        ds.Modality = self.modality
        ds.StudyDescription = "LIVER PROTOCOL"
        ds.SeriesDescription = self.description
        ds.PatientName = "TEST^PATIENT^Q"
        ds.PatientID = "RM0001"
        ds.PatientBirthDate = "19600101"
        ds.PatientSex = "F"
        ds.SliceThickness = "2.5"
        ds.StudyInstanceUID = self.study_uid
        ds.SeriesInstanceUID = self.series_uid
        ds.FrameOfReferenceUID = self.frame_uid
        ds.SeriesNumber = self.number
        ds.InstanceNumber = instance_number
        ds.ImagePositionPatient = [ds_str(v) for v in self.position(k)]
        ds.ImageOrientationPatient = [ds_str(v) for v in list(self.r) + list(self.c)]
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.Rows, ds.Columns = self.rows, self.cols
        ds.PixelSpacing = [ds_str(ROW_SPACING), ds_str(COL_SPACING)]
        ds.BitsAllocated = 16
        ds.BitsStored = 16 if self.signed else 12
        ds.HighBit = ds.BitsStored - 1
        ds.PixelRepresentation = 1 if self.signed else 0
        ds.RescaleIntercept = ds_str(self.intercept[k])
        ds.RescaleSlope = ds_str(self.slope[k])
        if self.rescale_type:
            ds.RescaleType = self.rescale_type
        ds.PixelData = self.stored(k).astype("<i2" if self.signed else "<u2").tobytes()
        return ds

    def write(self, out, syntax="explicit", order=None, names=None, numbers=None):
        """Write the slices (in `order` of k), return the file paths."""
        os.makedirs(out, exist_ok=True)
        order = list(range(self.slices)) if order is None else order
        paths = []
        for idx, k in enumerate(order):
            number = numbers[idx] if numbers else k + 1
            name = names[idx] if names else f"s{self.number}_{generate_uid()[-12:]}.dcm"
            path = os.path.join(out, name)
            ds = self.dataset(k, number)
            ds.save_as(path, enforce_file_format=True)
            convert(path, syntax, ds)
            paths.append(path)
        return paths

    def affine(self):
        """RAS affine (row-major), voxel (i column, j row, k slice)."""
        flip = np.array([-1.0, -1.0, 1.0])
        m = np.eye(4)
        m[:3, 0] = flip * self.r * COL_SPACING
        m[:3, 1] = flip * self.c * ROW_SPACING
        m[:3, 2] = flip * self.step
        m[:3, 3] = flip * self.position(0)
        return m

    def expect(self, prefix, volume=None, tolerance=0):
        """Write the expected volume ([k, j, i] array -> NIfTI order raw)."""
        vol = self.hu if volume is None else volume
        with open(prefix + ".expected.json", "w") as f:
            json.dump({"dims": [self.cols, self.rows, vol.shape[0]],
                       "affine": self.affine().tolist(), "tolerance": tolerance}, f)
        # [k, j, i] C-order bytes == i fastest, then j, then k: NIfTI order.
        vol.astype("<i2").tofile(prefix + ".expected.raw")


def convert(path, syntax, ds):
    if syntax == "explicit":
        return
    if syntax in DCMTK:
        tmp = path + ".tmp"
        run(DCMTK[syntax] + [path, tmp])
        os.replace(tmp, path)
    elif syntax in PYLIBJPEG:
        kwargs = {"j2k_cr": [20]} if syntax == "j2k-lossy" else {}
        ds.compress(PYLIBJPEG[syntax], **kwargs)
        ds.save_as(path, enforce_file_format=True)
    else:
        sys.exit(f"unknown syntax {syntax}")


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {r.stderr}")


def round_half_away(x):
    return (np.sign(x) * np.floor(np.abs(x) + 0.5)).astype(np.int16)


def write_sr(path):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = BASIC_TEXT_SR
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = BASIC_TEXT_SR
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "SR"
    ds.SeriesInstanceUID = generate_uid()
    ds.StudyInstanceUID = generate_uid()
    ds.save_as(path, enforce_file_format=True)


def make(out, case, syntax):
    prefix = os.path.join(os.path.dirname(os.path.abspath(out)), case)
    rng = np.random.default_rng(7)
    if case in ORIENTATIONS:  # plain series, any syntax
        s = Series(case)
        order = list(rng.permutation(s.slices))  # file order says nothing
        paths = s.write(out, syntax, order=order)
        if syntax in REFERENCE_DECODE:
            # Lossy: the reference is what OpenJPEG (C, via pylibjpeg) decodes.
            vol = s.hu.copy()
            for k, path in zip(order, paths):
                ds = pydicom.dcmread(path)
                vol[k] = round_half_away(ds.pixel_array * s.slope[k] + s.intercept[k])
            s.expect(prefix, volume=vol, tolerance=TOLERANCE.get(syntax, 0))
        else:
            s.expect(prefix, tolerance=TOLERANCE.get(syntax, 0))
    elif case == "reversed":  # names reverse the positions, InstanceNumber shuffled
        s = Series("axial")
        order = list(range(s.slices))[::-1]
        names = [f"IMG{i:04d}.dcm" for i in range(s.slices)]
        numbers = [int(x) + 1 for x in rng.permutation(s.slices)]
        s.write(out, syntax, order=order, names=names, numbers=numbers)
        s.expect(prefix)
    elif case == "rescale":  # per-slice slope/intercept, signed storage
        s = Series("axial")
        s.signed = True
        for k in range(s.slices):
            s.slope[k] = 1.0 if k % 2 == 0 else 2.0
            s.intercept[k] = -1024.0 if k % 3 else 0.0
            if s.slope[k] == 2.0:
                s.hu[k] -= (s.hu[k] - int(s.intercept[k])) % 2
        s.write(out, syntax)
        s.expect(prefix)
    elif case == "tilt":
        s = Series("axial", tilt_deg=15.0)
        s.write(out, syntax)
        s.expect(prefix)
    elif case == "gap":  # slice 5 missing: expect it interpolated
        s = Series("axial")
        paths = s.write(out, syntax)
        os.remove(paths[5])
        vol = s.hu.copy()
        vol[5] = round_half_away(0.5 * s.hu[4].astype(float) + 0.5 * s.hu[6].astype(float))
        s.expect(prefix, volume=vol)
    elif case == "two-series":
        study = generate_uid()
        Series("axial", description="AXIAL", number=2, study=study).write(out, syntax)
        Series("coronal", slices=10, description="CORONAL", number=3, study=study).write(out, syntax)
    elif case == "broken":  # good series plus junk: SR, text, truncated, random bytes
        s = Series("axial")
        paths = s.write(out, syntax)
        with open(paths[3], "r+b") as f:
            f.truncate(os.path.getsize(paths[3]) // 2)
        write_sr(os.path.join(out, "report.dcm"))
        with open(os.path.join(out, "notes.txt"), "w") as f:
            f.write("not dicom\n")
        with open(os.path.join(out, "random.bin"), "wb") as f:
            f.write(rng.integers(0, 256, 500).astype(np.uint8).tobytes())
        open(os.path.join(out, "empty"), "wb").close()
        os.makedirs(os.path.join(out, "sub", "deeper"), exist_ok=True)
        Series("axial", description="NESTED", number=9).write(os.path.join(out, "sub", "deeper"))
    elif case == "no-position":
        s = Series("axial")
        paths = s.write(out, syntax)
        ds = pydicom.dcmread(paths[2])
        del ds.ImagePositionPatient
        ds.save_as(paths[2], enforce_file_format=True)
    elif case == "localizer":  # one coronal image inside an axial series
        s = Series("axial")
        s.write(out, syntax)
        loc = Series("coronal", slices=1)
        loc.series_uid, loc.study_uid = s.series_uid, s.study_uid
        loc.write(out, syntax)
    elif case == "duplicate":  # one position imaged twice
        s = Series("axial")
        paths = s.write(out, syntax)
        ds = pydicom.dcmread(paths[4])
        ds.SOPInstanceUID = generate_uid()
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.InstanceNumber = 100
        ds.save_as(os.path.join(out, "dup.dcm"), enforce_file_format=True)
        s.expect(prefix)
    elif case == "single":
        s = Series("axial", slices=1)
        s.write(out, syntax)
        s.expect(prefix)
    elif case == "dicomdir":  # a disc export with DICOMDIR; one listed file then removed
        from pydicom.fileset import FileSet
        s = Series("axial")
        tmp = tempfile.mkdtemp()
        fs = FileSet()
        for path in s.write(tmp, syntax):
            fs.add(pydicom.dcmread(path))
        fs.write(out)
        shutil.rmtree(tmp)
        victims = sorted(os.path.join(d, f) for d, _, fs_ in os.walk(out) for f in fs_
                         if f != "DICOMDIR")
        os.remove(victims[0])
    elif case in ("no-uid-empty", "no-uid-absent"):  # anonymised: UIDs blank or gone
        s = Series("axial")
        for path in s.write(out, syntax):
            blank_uids(path, case == "no-uid-empty")
        s.expect(prefix)
    elif case == "no-uid-mixed":  # one normal series and two without UIDs
        study = generate_uid()
        Series("axial", description="WITH UID", number=2, study=study).write(out, syntax)
        a = Series("axial", slices=10, description="NO UID A", number=3, study=study, seed=2)
        for path in a.write(out, syntax):
            blank_uids(path, True)
        b = Series("coronal", slices=8, description="NO UID B", number=4, study=study, seed=3)
        for path in b.write(out, syntax):
            blank_uids(path, False)
        a.expect(prefix)
    elif case in ("uneven", "uneven-tilt", "even-tilt-shape"):
        # An ellipsoid in 4 mm slices with one 1.08 mm step and two 7 mm steps
        # (as in a real head CT export), with and without 15 degree gantry tilt.
        s = Series("axial", slices=len(UNEVEN), cols=80, rows=80,
                   tilt_deg=15.0 if "tilt" in case else 0.0)
        s.offsets = [i * 4.0 for i in range(len(UNEVEN))] if case == "even-tilt-shape" else UNEVEN
        centre = s.position(0) + 75.0 * s.n + 75.0 * s.tilt_tan * s.c \
            + 27.0 * s.r + 31.0 * s.c
        semi = np.array([15.0, 15.0, 60.0])
        s.ellipsoid(centre, semi)
        s.write(out, syntax)
        shape_facts(prefix, s, semi)
    elif case in ("uneven-balls", "uneven-liver"):
        # Sharp-edged objects (60 HU in -1000 HU air, outlined at -300 HU, as the
        # issue's head CT was measured) on the uneven slices: tumour-sized balls
        # of 20, 25 and 30 mm across the 1.08 mm step, across the two 7 mm steps
        # and on the 4 mm slices after the odd step (where every grid slice
        # straddles two slabs); or one liver-sized ellipsoid across all of them.
        big = case == "uneven-liver"
        s = Series("axial", slices=len(UNEVEN), cols=280 if big else 160, rows=200 if big else 50)
        s.offsets = UNEVEN
        s.hu[:] = -1000
        if big:
            objects = [("liver", 98.0, 80.0, 75.0, np.array([90.0, 70.0, 55.0]))]
        else:
            objects = [("ball 20 mm", 18.0, 20.0, 49.0, np.full(3, 10.0)),
                       ("ball 25 mm", 55.0, 20.0, 88.0, np.full(3, 12.5)),
                       ("ball 30 mm", 92.0, 20.0, 120.0, np.full(3, 15.0))]
        for _, x, y, z, semi in objects:
            centre = s.position(0) + z * s.n + x * s.r + y * s.c
            for k in range(s.slices):
                rho2 = (((s.world(k) - centre) / semi) ** 2).sum(axis=2)
                s.hu[k][rho2 <= 1.0] = 60
        s.write(out, syntax)
        objects_facts(prefix, s, objects, -300)
    elif case in ("enhanced-ct", "enhanced-mr"):
        s = Series("oblique", cols=48, rows=40, slices=14)
        mr = case == "enhanced-mr"
        if mr:
            s.hu = np.clip(s.hu.astype(np.int32) + 1100, 0, 4000).astype(np.int16)
            s.intercept = [0.0] * s.slices
            s.slope = [1.0] * s.slices
        write_enhanced(s, os.path.join(out, "enhanced.dcm"), mr, syntax)
        s.expect(prefix, tolerance=TOLERANCE.get(syntax, 0))
    elif case.startswith("enhanced-bad-"):  # damaged enhanced CT files
        s = Series("axial", cols=48, rows=40, slices=14)
        path = os.path.join(out, "enhanced.dcm")
        write_enhanced(s, path, False, syntax)
        ds = pydicom.dcmread(path)
        what = case[len("enhanced-bad-"):]
        if what == "frames":  # NumberOfFrames promises more than the pixel data holds
            ds.PixelData = ds.PixelData[: 13 * 48 * 40 * 2]
        elif what == "no-per-frame":
            del ds.PerFrameFunctionalGroupsSequence
        elif what == "item-count":  # one per-frame item too few
            del ds.PerFrameFunctionalGroupsSequence[5]
        elif what == "no-position":  # a frame without its position
            del ds.PerFrameFunctionalGroupsSequence[3].PlanePositionSequence
        else:
            sys.exit(f"unknown case {case}")
        ds.save_as(path, enforce_file_format=True)
    elif case == "mr":  # classic MR: no HU, no rescale
        s = Series("axial")
        s.modality, s.sop_class, s.rescale_type = "MR", MR_IMAGE, None
        s.hu = np.clip(s.hu.astype(np.int32) + 1100, 0, 4000).astype(np.int16)
        s.intercept = [0.0] * s.slices
        s.write(out, syntax)
        s.expect(prefix)
    elif case == "big":  # timing: 512 x 512 x 400, 0.7 mm pixels, 1 mm slices
        s = Series("axial", slices=1, cols=512, rows=512)
        big_write(s, out, 400)
    else:
        sys.exit(f"unknown case {case}")


# Offsets (mm along the normal) of the uneven series: 4 mm, one 1.08 mm step, two 7 mm steps
# (a gap: more than 1.5 x 4 mm).
# A liver-sized shape (120 mm tall): the grid is 4 mm, the shape spans 30 of its slices.
UNEVEN = ([i * 4.0 for i in range(13)] + [49.08 + 4.0 * i for i in range(9)]
          + [88.08, 95.08] + [99.08 + 4.0 * i for i in range(14)])


def blank_uids(path, empty):
    """De-identification as some tools do it: SeriesInstanceUID and
    StudyInstanceUID set empty (`empty`) or removed."""
    ds = pydicom.dcmread(path)
    if empty:
        ds.SeriesInstanceUID = ""
        ds.StudyInstanceUID = ""
    else:
        del ds.SeriesInstanceUID
        del ds.StudyInstanceUID
    ds.save_as(path, enforce_file_format=False)


def shape_facts(prefix, s, semi):
    """The ellipsoid's analytic volume and the slab sum of the input slices
    (each slice's inside area x its own slab: half the distance to each
    neighbour), in mm3, for the threshold HU >= -500."""
    d = [float(np.dot(s.position(k) - s.position(0), s.n)) for k in range(s.slices)]
    slab = 0.0
    for k in range(s.slices):
        lo = d[k] - d[k - 1] if k > 0 else d[1] - d[0]
        hi = d[k + 1] - d[k] if k + 1 < s.slices else d[k] - d[k - 1]
        area = float((s.hu[k] >= -500).sum()) * ROW_SPACING * COL_SPACING
        slab += area * (lo + hi) / 2.0
    with open(prefix + ".shape.json", "w") as f:
        json.dump({"threshold": -500, "analytic_mm3": 4.0 / 3.0 * math.pi * float(np.prod(semi)),
                   "slab_sum_mm3": slab, "first_mm": d[0], "last_mm": d[-1]}, f)


def objects_facts(prefix, s, objects, threshold):
    """Each object's slab sum (see shape_facts) over its own columns, in mm3."""
    d = [float(np.dot(s.position(k) - s.position(0), s.n)) for k in range(s.slices)]
    facts = []
    for name, x, _, _, semi in objects:
        lo = max(0, int((x - semi[0]) / COL_SPACING) - 3)
        hi = min(s.cols, int((x + semi[0]) / COL_SPACING) + 4)
        slab = 0.0
        for k in range(s.slices):
            before = d[k] - d[k - 1] if k > 0 else d[1] - d[0]
            after = d[k + 1] - d[k] if k + 1 < s.slices else d[k] - d[k - 1]
            area = float((s.hu[k][:, lo:hi] >= threshold).sum()) * ROW_SPACING * COL_SPACING
            slab += area * (before + after) / 2.0
        facts.append({"name": name, "cols": [lo, hi], "slab_sum_mm3": slab})
    with open(prefix + ".objects.json", "w") as f:
        json.dump({"threshold": threshold, "objects": facts}, f)


def write_enhanced(s, path, mr, syntax="explicit"):
    """One enhanced multi-frame file (Enhanced CT or MR Image Storage): orientation,
    pixel measures and rescale in the shared functional groups, each frame's
    position in its own; frames written in reverse slice order."""
    from pydicom.sequence import Sequence
    ds = s.dataset(0, 1)
    for tag in ("ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing",
                "SliceThickness", "RescaleIntercept", "RescaleSlope", "RescaleType"):
        if tag in ds:
            delattr(ds, tag)
    sop = ENHANCED_MR if mr else ENHANCED_CT
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = sop
    ds.Modality = "MR" if mr else "CT"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "VOLUME", "NONE"]
    ds.NumberOfFrames = s.slices
    ds.ContentDate, ds.ContentTime, ds.AcquisitionDateTime = "20240131", "101500", "20240131101500"
    ds.ContentQualification = "PRODUCT"
    ds.BurnedInAnnotation = "NO"
    ds.PresentationLUTShape = "IDENTITY"
    ds.LossyImageCompression = "00"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "VOLUME", "NONE"]
    shared = Dataset()
    measures = Dataset()
    measures.PixelSpacing = [ds_str(ROW_SPACING), ds_str(COL_SPACING)]
    measures.SliceThickness = ds_str(STEP)
    shared.PixelMeasuresSequence = Sequence([measures])
    orient = Dataset()
    orient.ImageOrientationPatient = [ds_str(v) for v in list(s.r) + list(s.c)]
    shared.PlaneOrientationSequence = Sequence([orient])
    transform = Dataset()
    transform.RescaleIntercept = ds_str(s.intercept[0])
    transform.RescaleSlope = ds_str(s.slope[0])
    transform.RescaleType = "US" if mr else "HU"
    shared.PixelValueTransformationSequence = Sequence([transform])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    order = list(range(s.slices))[::-1]
    frames = []
    for i, k in enumerate(order):
        item = Dataset()
        pos = Dataset()
        pos.ImagePositionPatient = [ds_str(v) for v in s.position(k)]
        item.PlanePositionSequence = Sequence([pos])
        content = Dataset()
        content.InStackPositionNumber = k + 1
        content.DimensionIndexValues = [1, k + 1]
        content.StackID = "1"
        item.FrameContentSequence = Sequence([content])
        frames.append(item)
    ds.PerFrameFunctionalGroupsSequence = Sequence(frames)
    ds.PixelData = b"".join(s.stored(k).astype("<u2").tobytes() for k in order)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ds.save_as(path, enforce_file_format=True)
    convert(path, syntax, ds)


def big_write(s, out, slices):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(3)
    jj, ii = np.mgrid[0:512, 0:512]
    body = ((ii - 256) ** 2 / 200.0 ** 2 + (jj - 256) ** 2 / 150.0 ** 2) < 1
    s.slices = slices
    s.hu = np.zeros((1, 512, 512), np.int16)
    for k in range(slices):
        hu = np.where(body, 40, -1000) + rng.integers(-30, 31, size=(512, 512))
        s.hu[0] = hu.astype(np.int16)
        ds = s.dataset(0, k + 1)
        ds.ImagePositionPatient = [ds_str(v) for v in ORIGIN + k * 1.0 * s.n]
        ds.SliceThickness = "1"
        ds.save_as(os.path.join(out, f"CT{k:04d}.dcm"), enforce_file_format=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("out")
    p.add_argument("case")
    p.add_argument("--syntax", default="explicit")
    a = p.parse_args()
    make(a.out, a.case, a.syntax)


if __name__ == "__main__":
    main()
