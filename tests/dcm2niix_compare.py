#!/usr/bin/env python3
"""Compare Remnant's volume with dcm2niix's conversion of the same series.

    dcm2niix_compare.py OURS DICOM_DIR

OURS: the NIfTI file `remnant convert` wrote (.nii / .nii.gz). dcm2niix
converts DICOM_DIR; both images are put on the
same axes with nibabel's as_closest_canonical (dcm2niix flips rows, we do not)
and compared in world space. Prints one JSON object: shapes, canonical affines,
their largest difference, the largest voxel difference, and a SHA-256 of each
canonical voxel array.
"""

import glob
import hashlib
import json
import subprocess
import sys
import tempfile

import nibabel as nib
import numpy as np


def main():
    ours_path, dicom_dir = sys.argv[1], sys.argv[2]
    ours = nib.load(ours_path)
    with tempfile.TemporaryDirectory() as out:
        r = subprocess.run(["dcm2niix", "-z", "n", "-b", "n", "-f", "ct", "-o", out, dicom_dir],
                           capture_output=True, text=True)
        niis = sorted(glob.glob(out + "/*.nii"))
        if r.returncode != 0 or len(niis) != 1:
            print(json.dumps({"error": f"dcm2niix gave {niis}: {r.stdout[-2000:]} {r.stderr[-2000:]}"}))
            return
        print(json.dumps(compare(ours, nib.load(niis[0]))))


def compare(ours, theirs):
    a = nib.as_closest_canonical(ours)
    b = nib.as_closest_canonical(theirs)
    va = np.rint(a.get_fdata()).astype(np.int16)
    vb = np.rint(b.get_fdata()).astype(np.int16)
    same_shape = va.shape == vb.shape
    return {
        "ours_shape": list(va.shape),
        "dcm2niix_shape": list(vb.shape),
        "ours_affine": a.affine.tolist(),
        "dcm2niix_affine": b.affine.tolist(),
        "affine_max_diff": float(np.abs(a.affine - b.affine).max()),
        "voxel_max_diff": int(np.abs(va.astype(int) - vb.astype(int)).max()) if same_shape else -1,
        "ours_sha256": hashlib.sha256(np.ascontiguousarray(va).tobytes()).hexdigest(),
        "dcm2niix_sha256": hashlib.sha256(np.ascontiguousarray(vb).tobytes()).hexdigest(),
    }


if __name__ == "__main__":
    main()
