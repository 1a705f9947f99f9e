#!/usr/bin/env python3
"""DICOM SEG interop helpers for tests/dicom_seg.rs (independent of Remnant's code).

    seg_interop.py dicomize CT.nii.gz OUTDIR
        The NIfTI CT as a DICOM CT series (pydicom): slice k of the NIfTI grid is one
        file; column = i, row = j; LPS = RAS with x and y negated.
    seg_interop.py read SEG.dcm SERIESDIR OUT_PREFIX
        Read a SEG with highdicom (its own checks run when it parses the file) and
        write OUT_PREFIX.json (segments, codes, UIDs, referenced instances) and
        OUT_PREFIX.seg<N>.raw (uint8 0/1, NIfTI order on the series' grid) per segment.
    seg_interop.py testlabels LIVER.nii.gz OUT.nii.gz
        A known label map on the liver mask's grid: 2 = a ball of radius 5 voxels
        around the liver's median voxel (inside the liver), 1 = the rest of the liver,
        3 = a 20 x 20 x 5 box in the corner away from the liver ("spleen").
    seg_interop.py shifted CT.nii.gz OUT.nii.gz DX_MM
        The CT with its origin moved DX_MM along x (a scan elsewhere).
    seg_interop.py coarse CT.nii.gz OUT.nii.gz
        Every second voxel along each axis (twice the spacing, same origin).
    seg_interop.py write SERIESDIR LABELS.nii.gz OUT.dcm
        Write a BINARY SEG with highdicom from a mask on the series' grid: label 1 =
        segment "Liver" (SCT 10200004), label 2 = "Liver tumour" (SCT Neoplasm in the
        liver), label 3 = "Spleen" (SCT 78961009, not a Remnant layer).

Needs: numpy, nibabel, pydicom, highdicom.
"""

import json
import os
import sys

import numpy as np


def series(folder):
    """The series' datasets sorted along the normal."""
    import pydicom
    ds = [pydicom.dcmread(os.path.join(folder, f)) for f in sorted(os.listdir(folder))]
    iop = np.array(ds[0].ImageOrientationPatient, float)
    n = np.cross(iop[:3], iop[3:])
    ds.sort(key=lambda d: float(np.dot(np.array(d.ImagePositionPatient, float), n)))
    return ds


def dicomize(ct_path, out):
    import nibabel as nib
    import pydicom
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    img = nib.load(ct_path)
    data = np.asarray(img.dataobj).astype(np.int16)
    a = img.affine
    flip = np.array([-1.0, -1.0, 1.0])
    sx, sy = np.linalg.norm(a[:3, 0]), np.linalg.norm(a[:3, 1])
    row_dir = flip * a[:3, 0] / sx
    col_dir = flip * a[:3, 1] / sy
    study, series_uid, frame = generate_uid(), generate_uid(), generate_uid()
    os.makedirs(out, exist_ok=True)
    for k in range(data.shape[2]):
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        meta.MediaStorageSOPInstanceUID = generate_uid()
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.SpecificCharacterSet = "ISO_IR 100"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.SOPClassUID = meta.MediaStorageSOPClassUID
        ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
        ds.StudyDate, ds.StudyTime, ds.StudyID = "20240131", "101500", "1"
        ds.AccessionNumber = "ACC42"
        ds.ReferringPhysicianName = ""
        ds.Modality = "CT"
        ds.Manufacturer = "test"
        ds.PatientName, ds.PatientID = "TEST^PATIENT", "RM0001"
        ds.PatientBirthDate, ds.PatientSex = "19600101", "F"
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series_uid
        ds.FrameOfReferenceUID = frame
        ds.PositionReferenceIndicator = ""
        ds.SeriesNumber, ds.InstanceNumber = 1, k + 1
        pos = flip * (a[:3, :3] @ np.array([0.0, 0.0, k]) + a[:3, 3])
        ds.ImagePositionPatient = [f"{v:.6f}" for v in pos]
        ds.ImageOrientationPatient = [f"{v:.6f}" for v in list(row_dir) + list(col_dir)]
        ds.PixelSpacing = [f"{sy:.6f}", f"{sx:.6f}"]
        ds.SliceThickness = f"{np.linalg.norm(a[:3, 2]):.6f}"
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.Rows, ds.Columns = data.shape[1], data.shape[0]
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = "0", "1", "HU"
        ds.PixelData = np.ascontiguousarray(data[:, :, k].T).astype("<i2").tobytes()
        ds.save_as(os.path.join(out, f"ct{k:04d}.dcm"), enforce_file_format=True)


def read(seg_path, folder, prefix):
    import highdicom as hd
    dsets = series(folder)
    seg = hd.seg.segread(seg_path)
    uids = [d.SOPInstanceUID for d in dsets]
    # every instance the SEG says it references
    refs = [u[2] for u in seg.get_source_image_uids()]
    numbers = [int(s.SegmentNumber) for s in seg.SegmentSequence]
    used = [u for u in uids if u in set(refs)]
    # frames by source instance (highdicom matches them through the per-frame
    # Source Image Sequence), on the series' own grid
    arr = seg.get_pixels_by_source_instance(
        source_sop_instance_uids=used, segment_numbers=numbers, combine_segments=False
    )  # (n, rows, cols, segments)
    full = np.zeros((len(uids), int(seg.Rows), int(seg.Columns), len(numbers)), np.uint8)
    for idx, u in enumerate(used):
        full[uids.index(u)] = arr[idx]
    for s, number in enumerate(numbers):
        vol = np.transpose(full[..., s], (2, 1, 0))  # [k, j, i] -> [i, j, k]
        with open(f"{prefix}.seg{number}.raw", "wb") as f:
            f.write(np.asfortranarray(vol).astype(np.uint8).tobytes(order="F"))
    segs = []
    for s in seg.SegmentSequence:
        item = {
            "number": int(s.SegmentNumber),
            "label": str(s.SegmentLabel),
            "category": [str(s.SegmentedPropertyCategoryCodeSequence[0].CodingSchemeDesignator),
                         str(s.SegmentedPropertyCategoryCodeSequence[0].CodeValue)],
            "type": [str(s.SegmentedPropertyTypeCodeSequence[0].CodingSchemeDesignator),
                     str(s.SegmentedPropertyTypeCodeSequence[0].CodeValue)],
        }
        if "AnatomicRegionSequence" in s:
            item["region"] = [str(s.AnatomicRegionSequence[0].CodingSchemeDesignator),
                              str(s.AnatomicRegionSequence[0].CodeValue)]
        segs.append(item)
    per_frame_sources = []
    for f in seg.PerFrameFunctionalGroupsSequence:
        per_frame_sources.append([str(x.ReferencedSOPInstanceUID)
                                  for d in f.DerivationImageSequence
                                  for x in d.SourceImageSequence])
    out = {
        "sop_class": str(seg.SOPClassUID),
        "segmentation_type": str(seg.SegmentationType),
        "study": str(seg.StudyInstanceUID),
        "frame_of_reference": str(seg.FrameOfReferenceUID),
        "patient_id": str(seg.PatientID),
        "referenced_series": [str(x.SeriesInstanceUID) for x in seg.ReferencedSeriesSequence],
        "referenced_instances": sorted(set(refs)),
        "per_frame_sources": per_frame_sources,
        "series_instances": uids,
        "series_study": str(dsets[0].StudyInstanceUID),
        "series_uid": str(dsets[0].SeriesInstanceUID),
        "series_frame_of_reference": str(dsets[0].FrameOfReferenceUID),
        "segments": segs,
        "frames": int(seg.NumberOfFrames),
    }
    with open(prefix + ".json", "w") as f:
        json.dump(out, f, indent=1)


def write(folder, labels_path, out):
    import highdicom as hd
    import nibabel as nib
    from pydicom.sr.codedict import codes
    dsets = series(folder)
    lab = np.asarray(nib.load(labels_path).dataobj)
    # [i, j, k] -> frames [k, row j, column i]
    frames = np.transpose(lab, (2, 1, 0))
    masks = np.stack([frames == 1, frames == 2, frames == 3], axis=-1).astype(np.uint8)
    descs = [
        hd.seg.SegmentDescription(
            segment_number=1, segment_label="Liver",
            segmented_property_category=codes.SCT.AnatomicalStructure,
            segmented_property_type=codes.SCT.Liver,
            algorithm_type=hd.seg.SegmentAlgorithmTypeValues.MANUAL),
        hd.seg.SegmentDescription(
            segment_number=2, segment_label="Liver tumour",
            segmented_property_category=codes.SCT.MorphologicallyAbnormalStructure,
            segmented_property_type=codes.SCT.Neoplasm,
            algorithm_type=hd.seg.SegmentAlgorithmTypeValues.MANUAL,
            anatomic_regions=[codes.SCT.Liver]),
        hd.seg.SegmentDescription(
            segment_number=3, segment_label="Spleen",
            segmented_property_category=codes.SCT.AnatomicalStructure,
            segmented_property_type=codes.SCT.Spleen,
            algorithm_type=hd.seg.SegmentAlgorithmTypeValues.MANUAL),
    ]
    seg = hd.seg.Segmentation(
        source_images=dsets, pixel_array=masks,
        segmentation_type=hd.seg.SegmentationTypeValues.BINARY,
        segment_descriptions=descs, series_instance_uid=hd.UID(), series_number=2,
        sop_instance_uid=hd.UID(), instance_number=1, manufacturer="highdicom test",
        manufacturer_model_name="test", software_versions="1", device_serial_number="1")
    seg.save_as(out)


def testlabels(liver_path, out):
    import nibabel as nib
    img = nib.load(liver_path)
    liver = np.asarray(img.dataobj) > 0
    idx = np.argwhere(liver)
    c = idx[len(idx) // 2]
    ii, jj, kk = np.indices(liver.shape)
    ball = ((ii - c[0]) ** 2 + (jj - c[1]) ** 2 + (kk - c[2]) ** 2 <= 25) & liver
    lab = np.zeros(liver.shape, np.uint8)
    lab[liver] = 1
    lab[ball] = 2
    box = (ii < 20) & (jj < 20) & (kk < 5)
    assert not (box & liver).any()
    lab[box] = 3
    nib.save(nib.Nifti1Image(lab, img.affine), out)


def shifted(ct, out, dx):
    import nibabel as nib
    img = nib.load(ct)
    a = img.affine.copy()
    a[0, 3] += float(dx)
    nib.save(nib.Nifti1Image(np.asarray(img.dataobj), a), out)


def coarse(ct, out):
    import nibabel as nib
    img = nib.load(ct)
    a = img.affine.copy()
    a[:3, :3] *= 2
    nib.save(nib.Nifti1Image(np.asarray(img.dataobj)[::2, ::2, ::2].copy(), a), out)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "testlabels":
        testlabels(sys.argv[2], sys.argv[3])
    elif cmd == "shifted":
        shifted(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "coarse":
        coarse(sys.argv[2], sys.argv[3])
    elif cmd == "dicomize":
        dicomize(sys.argv[2], sys.argv[3])
    elif cmd == "read":
        read(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "write":
        write(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(f"unknown command {cmd}")
