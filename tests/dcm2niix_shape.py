#!/usr/bin/env python3
"""Compare a thresholded shape in Remnant's volume with dcm2niix's conversion.

    dcm2niix_shape.py OURS DICOM_DIR THRESHOLD

For series dcm2niix can only convert by resampling (uneven spacing, gantry
tilt): it writes the raw stack plus an equidistant ("_Eq") and/or tilt-corrected
("_Tilt") copy; the corrected copy is used. Prints one JSON object: the volume
(mm3) of the voxels >= THRESHOLD in each, the world-space (RAS mm) bounding box
of those voxels' centres in each, and each volume's voxel size.
"""

import glob
import json
import subprocess
import sys
import tempfile

import nibabel as nib
import numpy as np


def facts(img, threshold):
    a = img.get_fdata()
    inside = np.argwhere(a >= threshold)
    world = nib.affines.apply_affine(img.affine, inside)
    return {
        "volume_mm3": float(len(inside) * abs(np.linalg.det(img.affine[:3, :3]))),
        "bbox_min": world.min(axis=0).tolist(),
        "bbox_max": world.max(axis=0).tolist(),
        "voxel_mm": [float(v) for v in img.header.get_zooms()[:3]],
    }


def main():
    ours_path, dicom_dir, threshold = sys.argv[1], sys.argv[2], float(sys.argv[3])
    with tempfile.TemporaryDirectory() as out:
        r = subprocess.run(["dcm2niix", "-z", "n", "-b", "n", "-f", "ct", "-o", out, dicom_dir],
                           capture_output=True, text=True)
        niis = sorted(glob.glob(out + "/*.nii"))
        corrected = [n for n in niis if "_Eq" in n or "_Tilt" in n]
        pick = corrected[-1] if corrected else (niis[0] if len(niis) == 1 else None)
        if r.returncode != 0 or pick is None:
            print(json.dumps({"error": f"dcm2niix gave {niis}: {r.stdout[-2000:]} {r.stderr[-2000:]}"}))
            return
        print(json.dumps({"ours": facts(nib.load(ours_path), threshold),
                          "dcm2niix": facts(nib.load(pick), threshold),
                          "dcm2niix_file": pick.split("/")[-1]}))


if __name__ == "__main__":
    main()
